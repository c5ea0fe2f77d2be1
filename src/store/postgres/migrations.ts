// Versioned schema migrations for the PostgreSQL store, applied at start (docs/DESIGN.md, "PostgreSQL store").
// Each migration runs in its own transaction under an advisory lock, so nodes starting together apply it once.
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'relational schema',
    sql: `
      CREATE TABLE seq_counter (id smallint PRIMARY KEY CHECK (id = 1), last_seq bigint NOT NULL);
      INSERT INTO seq_counter (id, last_seq) VALUES (1, 0);
      CREATE TABLE threads (
        id text PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        archived boolean NOT NULL DEFAULT false, record jsonb NOT NULL
      );
      CREATE INDEX threads_by_updated ON threads (archived, updated_at DESC, id DESC);
      CREATE TABLE turns (
        id text PRIMARY KEY, thread_id text NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        position integer NOT NULL, status text NOT NULL, record jsonb NOT NULL, UNIQUE (thread_id, position)
      );
      CREATE INDEX turns_by_status ON turns (status) WHERE status IN ('QUEUED', 'RUNNING');
      CREATE TABLE items (
        id text PRIMARY KEY, thread_id text NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        turn_id text NOT NULL REFERENCES turns (id) ON DELETE CASCADE, position integer NOT NULL, record jsonb NOT NULL,
        UNIQUE (turn_id, position)
      );
      CREATE INDEX items_by_thread ON items (thread_id, turn_id, position);
      CREATE TABLE events (
        seq bigint PRIMARY KEY, thread_id text, type text NOT NULL, at timestamptz NOT NULL, payload jsonb NOT NULL
      );
      CREATE INDEX events_by_thread ON events (thread_id, seq);
      CREATE TABLE queue (
        turn_id text PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE, thread_id text NOT NULL, enqueued_seq bigint NOT NULL
      );
      CREATE INDEX queue_by_thread ON queue (thread_id, enqueued_seq);
      CREATE TABLE approvals (
        id text PRIMARY KEY, thread_id text NOT NULL, turn_id text NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
        status text NOT NULL, record jsonb NOT NULL
      );
      CREATE INDEX approvals_pending ON approvals (thread_id) WHERE status = 'PENDING';
      CREATE TABLE usage_rollups (
        scope text NOT NULL, scope_id text NOT NULL, model text NOT NULL,
        input_tokens bigint NOT NULL DEFAULT 0, output_tokens bigint NOT NULL DEFAULT 0, cost_micros bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, scope_id, model)
      );
      CREATE TABLE settings (key text PRIMARY KEY, value jsonb NOT NULL, updated_seq bigint NOT NULL);
      CREATE TABLE turn_leases (
        turn_id text PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE, node_id text NOT NULL, expires_at timestamptz NOT NULL
      );
      CREATE INDEX turn_leases_by_expiry ON turn_leases (expires_at);
      CREATE TABLE nodes (id text PRIMARY KEY, started_at timestamptz NOT NULL, heartbeat_at timestamptz NOT NULL);
    `,
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
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}
