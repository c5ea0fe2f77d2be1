// Versioned schema migrations for the PostgreSQL store, applied at start (docs/DESIGN.md, "PostgreSQL store").
// Each migration runs in its own transaction under an advisory lock, so nodes starting together apply it once.
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Migration 1 is the first schema any release ships (it was edited while unreleased). Records are kept as `json`
// (text as written: key order and \u0000 escapes survive, like LevelDB's values); the columns beside them are
// what the reads filter and order on. Text keys use the "C" collation so they sort like JavaScript strings,
// which keeps cursors and listing order identical to the LevelDB store's. There are no foreign keys: the
// contract lets a unit of work delete a thread's rows in any order.
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'relational schema',
    sql: `
      CREATE TABLE seq_counter (id smallint PRIMARY KEY CHECK (id = 1), last_seq bigint NOT NULL);
      INSERT INTO seq_counter (id, last_seq) VALUES (1, 0);
      CREATE TABLE settings (key text COLLATE "C" PRIMARY KEY, value json NOT NULL);
      CREATE TABLE threads (
        id text COLLATE "C" PRIMARY KEY, updated_key text COLLATE "C" NOT NULL, archived boolean NOT NULL,
        task_id text, expires_at text COLLATE "C", record json NOT NULL
      );
      CREATE INDEX threads_by_updated ON threads (updated_key);
      CREATE INDEX threads_by_expiry ON threads (expires_at, id) WHERE expires_at IS NOT NULL;
      CREATE TABLE turns (
        id text COLLATE "C" PRIMARY KEY, thread_id text COLLATE "C" NOT NULL, status text NOT NULL,
        node_id text, record json NOT NULL
      );
      CREATE INDEX turns_by_thread ON turns (thread_id, id);
      -- The queue: QUEUED turns of a thread in run order (turn ids sort in creation order).
      CREATE INDEX turns_queued ON turns (thread_id, id) WHERE status = 'QUEUED';
      CREATE INDEX turns_open ON turns (id) WHERE status = 'IN_PROGRESS';
      -- One running turn per thread, whichever node starts it.
      CREATE UNIQUE INDEX turns_one_running ON turns (thread_id) WHERE status = 'IN_PROGRESS';
      CREATE TABLE items (id text COLLATE "C" PRIMARY KEY, turn_id text COLLATE "C" NOT NULL, record json NOT NULL);
      CREATE INDEX items_by_turn ON items (turn_id, id);
      CREATE TABLE events (
        seq bigint PRIMARY KEY, thread_id text COLLATE "C" NOT NULL, in_thread boolean NOT NULL, record json NOT NULL
      );
      CREATE INDEX events_by_thread ON events (thread_id, seq) WHERE in_thread;
      CREATE TABLE approvals (
        id text COLLATE "C" PRIMARY KEY, thread_id text COLLATE "C" NOT NULL, status text NOT NULL, record json NOT NULL
      );
      CREATE INDEX approvals_by_thread ON approvals (thread_id, id);
      CREATE INDEX approvals_pending ON approvals (thread_id, id) WHERE status = 'PENDING';
      CREATE TABLE images (
        thread_id text COLLATE "C" NOT NULL, sha256 text COLLATE "C" NOT NULL, record json NOT NULL, PRIMARY KEY (thread_id, sha256)
      );
      CREATE TABLE turn_snapshots (turn_id text COLLATE "C" PRIMARY KEY, value json NOT NULL);
      CREATE TABLE webhooks (id text COLLATE "C" PRIMARY KEY, record json NOT NULL);
      CREATE TABLE webhook_deliveries (
        id text COLLATE "C" PRIMARY KEY, webhook_id text NOT NULL, status text NOT NULL, record json NOT NULL
      );
      CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (id) WHERE status = 'PENDING';
      CREATE TABLE usage_rollups (
        quarter text COLLATE "C" NOT NULL, thread_id text COLLATE "C" NOT NULL, model text COLLATE "C" NOT NULL, value json NOT NULL,
        PRIMARY KEY (quarter, thread_id, model)
      );
      CREATE TABLE usage_facts (
        ended_at text COLLATE "C" NOT NULL, turn_id text COLLATE "C" NOT NULL, value json NOT NULL, PRIMARY KEY (ended_at, turn_id)
      );
      CREATE TABLE idempotency (key text COLLATE "C" PRIMARY KEY, expires_at text COLLATE "C" NOT NULL, record json NOT NULL);
      CREATE INDEX idempotency_by_expiry ON idempotency (expires_at, key);
      -- Server nodes on this database and their heartbeats (turn ownership, docs/DESIGN.md "Many nodes").
      CREATE TABLE nodes (id text PRIMARY KEY, started_at timestamptz NOT NULL, heartbeat_at timestamptz NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'thread metadata',
    // jsonb for containment (`metadata @> filter`, exact match of scalar values) through a GIN index.
    sql: `
      ALTER TABLE threads ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';
      UPDATE threads SET metadata = (record->'metadata')::jsonb WHERE json_typeof(record->'metadata') = 'object';
      CREATE INDEX threads_by_metadata ON threads USING GIN (metadata jsonb_path_ops);
    `,
  },
  {
    version: 3,
    name: 'presence',
    // Each node's count of client connections following a thread live (docs/DESIGN.md "Presence").
    sql: `
      CREATE TABLE presence (
        node_id text NOT NULL, thread_id text COLLATE "C" NOT NULL, count integer NOT NULL, PRIMARY KEY (node_id, thread_id)
      );
      CREATE INDEX presence_by_thread ON presence (thread_id);
    `,
  },
  {
    version: 4,
    name: 'node commands',
    // Commands for a turn another node runs (docs/DESIGN.md "Many nodes", "Commands across nodes"): the sender
    // inserts a row for the owner, the owner takes it, runs it and writes the result the sender reads.
    sql: `
      CREATE TABLE node_commands (
        id text COLLATE "C" PRIMARY KEY, target_node text NOT NULL, sender_node text NOT NULL, command json NOT NULL,
        created_at timestamptz NOT NULL, taken_at timestamptz, result json
      );
      CREATE INDEX node_commands_waiting ON node_commands (target_node, id) WHERE taken_at IS NULL;
    `,
  },
  {
    version: 5,
    name: 'node protocol and lease',
    // What each node coordinates with (docs/DESIGN.md "Many nodes"): a node refuses to join beside a live node of
    // another protocol or lease. Null for a node of an earlier version (it does not say).
    sql: `ALTER TABLE nodes ADD COLUMN protocol integer, ADD COLUMN lease_ms integer;`,
  },
];

const MIGRATION_LOCK = 0x7a6167; // advisory lock key: 'zag'

/** Applies every migration newer than the database's version; returns the versions applied. */
export async function migrate(pool: pg.Pool, all: readonly Migration[] = migrations): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)',
    );
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const have = new Set(done.rows.map((row) => row.version));
    for (const migration of [...all].sort((a, b) => a.version - b.version)) {
      if (have.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.version);
    }
  } finally {
    // An unlock that failed: the connection is dropped, not pooled, which ends the session and so its lock.
    const unlocked = await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).then(
      () => true,
      () => false,
    );
    client.release(!unlocked);
  }
  return applied;
}
