/**
 * A node that cannot coordinate with a live node of its database refuses to start (README "Running more than one
 * node"): real server processes on a real PostgreSQL. A node with another --node-lease would judge the other dead
 * while it runs its turns; a node of another protocol (an earlier version) does not share the bus. The refused
 * process exits 1 with one line on stderr and writes nothing.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { textReply } from './support/fakeProvider.js';
import { waitFor } from './support/harness.js';
import { createThread, startedTurn, turnState } from './support/ops.js';
import { usePostgresNodes } from './support/pgNodes.js';

describe('a node that cannot coordinate with a live node of its database refuses to start', { timeout: 90_000 }, () => {
  const cluster = usePostgresNodes('refuse');
  let pools: pg.Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    pools = [];
  });
  const poolOn = (url: string) => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    return pool;
  };

  /** Everything a node could write: the rows of the nodes, the record, the log. */
  async function written(pool: pg.Pool): Promise<unknown> {
    const [nodes, counts] = await Promise.all([
      pool.query('SELECT id, started_at, protocol, lease_ms FROM nodes ORDER BY id'),
      pool.query(
        `SELECT (SELECT count(*) FROM threads) AS threads, (SELECT count(*) FROM turns) AS turns, (SELECT count(*) FROM events) AS events,
          (SELECT last_seq FROM seq_counter) AS seq, (SELECT count(*) FROM presence) AS presence, (SELECT count(*) FROM node_commands) AS commands`,
      ),
    ]);
    return { nodes: nodes.rows, counts: counts.rows };
  }

  function expectRefusal(result: { code: number | null; stderr: string }, ...phrases: (string | RegExp)[]): void {
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^zagens-runtime: a live node on this database \(/);
    for (const phrase of phrases) expect(lines[0]).toMatch(phrase);
  }

  it('another --node-lease than a live node: exit 1, one line naming both leases, nothing written; the live node goes on', async () => {
    const url = await cluster.database();
    const a = await cluster.node(url);
    const pool = poolOn(url);
    const threadId = await createThread(a);
    const [{ id: aId }] = (await pool.query<{ id: string }>('SELECT id FROM nodes')).rows as [{ id: string }];
    const before = await written(pool);

    const refused = await cluster.refusedNode(url, ['--node-lease', '3']);
    expectRefusal(refused, `(${aId}) uses --node-lease 10, this one --node-lease 3`, /start this one with --node-lease 10/);
    expect(await written(pool)).toEqual(before);

    // The live node was not disturbed: its turns run and end as usual.
    cluster.fake().script(textReply('still here'));
    const turnId = (await startedTurn(a, { threadId, prompt: 'go' })).id;
    await waitFor(async () => (await turnState(a, turnId)).status === 'COMPLETED');
    // A node with the same lease joins.
    await cluster.node(url);
    expect((await pool.query('SELECT count(*)::int AS n FROM nodes')).rows[0].n).toBe(2);
  });

  it('a live node of another protocol or of an earlier version refuses the start; once its lease is over, the node starts', async () => {
    const url = await cluster.database();
    // The first node migrates the schema; stopping it (SIGTERM) removes its row.
    const first = await cluster.node(url);
    expect(await first.kill('SIGTERM')).toBe(0);
    const pool = poolOn(url);
    await pool.query("INSERT INTO nodes (id, started_at, heartbeat_at) VALUES ('old-node', now(), now())");
    const before = await written(pool);

    expectRefusal(await cluster.refusedNode(url), '(old-node) coordinates differently (an earlier version', /without a shared bus/);
    expect(await written(pool)).toEqual(before);

    await pool.query("UPDATE nodes SET protocol = 99, lease_ms = 10000 WHERE id = 'old-node'");
    expectRefusal(await cluster.refusedNode(url), '(old-node) coordinates differently (node protocol 99; this one speaks node protocol 1)');

    // A node whose heartbeat is older than its lease is dead, not live: it does not stop a start.
    await pool.query("UPDATE nodes SET heartbeat_at = now() - interval '11 seconds' WHERE id = 'old-node'");
    const node = await cluster.node(url);
    expect(await createThread(node)).toMatch(/^thr/);
  });
});
