/**
 * Many nodes on one PostgreSQL database (docs/DESIGN.md "Many nodes"), each node our server in its own process
 * (bench/lib/pgNode.ts), clients in their own processes:
 *  - `nodes-pg`: startTurn→ended throughput (offline engine without delays, delivery QUEUE, 50 client connections
 *    over 50 threads) with the load spread over two nodes, beside the same load on one node (measured before and
 *    after the two-node run; the baseline is their mean).
 *  - `crossnode-pg`: a turn on node B whose engine emits paced deltas carrying their emission time; receipt by a
 *    subscriber on node A (through PostgreSQL: commit, NOTIFY, A's feed) beside a subscriber on node B itself.
 *  - `takeover-pg`: kill -9 of the node running a turn; the time until another node has committed it INTERRUPTED
 *    (its turn.completed reaches a subscriber on node A), beside the configured lease.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { gql, type BenchContext, type BenchResult } from './lib/context.js';
import type { LoadResult } from './lib/loadClient.js';
import { forkChild, type Child } from './lib/proc.js';
import { row, type Row } from './lib/report.js';
import { fmt, now, sleep } from './lib/stats.js';
import { load } from './reads.js';
import { defined } from '../src/domain/defined.js';

const CLIENTS = 50;
/** The paced stream of the latency turn: deltas per second. */
const PACE = 200;
/** The lease of the takeover nodes (seconds; --node-lease). */
const LEASE_SECS = 2;

const CREATE_THREAD = `mutation { createThread(input: { title: "nodes" }) { ... on CreateThreadPayload { thread { id } } } }`;
const START_TURN = `mutation StartTurn($id: ID!) {
  startTurn(input: { threadId: $id, prompt: "summarise the failing tests", delivery: QUEUE }) { __typename ... on StartTurnPayload { turn { id } } }
}`;
const TURN = `query($id: ID!) { turn(id: $id) { status error } }`;
const SUBSCRIPTION = `subscription Nodes($threadId: ID!) { threadEvents(threadId: $threadId) { seq name itemId payload } }`;

interface Node {
  child: Child;
  url: string;
}

/** Starts a node process on `databaseUrl` and waits until it serves. */
async function startNode(ctx: BenchContext, databaseUrl: string, leaseSecs = 10): Promise<Node> {
  const child = forkChild('pgNode.ts', [databaseUrl, await ctx.dir('node'), String(leaseSecs)]);
  const ready = await child.waitFor<{ type: string; url: string }>('ready', 300_000);
  return { child, url: ready.url };
}

async function createThreads(url: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await gql<{ createThread: { thread: { id: string } } }>(url, CREATE_THREAD)).createThread.thread.id);
  return ids;
}

/** Completed turns of `threads`, read from the database. */
async function completed(db: pg.Pool, threads: string[]): Promise<number> {
  const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM turns WHERE status = 'COMPLETED' AND thread_id = ANY($1)`, [threads]);
  return Number(r.rows[0]?.n);
}

/** `turns` startTurn calls spread over `nodes` (each its share of the threads and the connections), until all have ended: turns/s. */
async function turnLoad(ctx: BenchContext, db: pg.Pool, loader: Child, nodes: Node[], turns: number) {
  const threads = await createThreads(defined(nodes[0], 'a node').url, CLIENTS);
  const shares = nodes.map((_, k) => threads.filter((_, i) => i % nodes.length === k));
  const files = await Promise.all(
    shares.map(async (ids, k) => {
      const file = path.join(ctx.tmp, `node-threads-${k}-${Math.random().toString(36).slice(2)}.json`);
      await writeFile(file, JSON.stringify(ids));
      return file;
    }),
  );
  const start = now();
  const results: LoadResult[] = await Promise.all(
    nodes.map((node, k) =>
      load(loader, {
        url: node.url,
        connections: CLIENTS / nodes.length,
        amount: turns / nodes.length,
        query: START_TURN,
        idsFile: files[k],
        pick: 'roundRobin',
      }),
    ),
  );
  const admittedAt = now();
  const deadline = now() + 300_000;
  let done = 0;
  while ((done = await completed(db, threads)) < turns) {
    if (now() > deadline) throw new Error(`nodes: ${done} of ${turns} turns completed after 300 s`);
    await sleep(20);
  }
  const ms = now() - start;
  const non2xx = results.reduce((n, r) => n + r.non2xx, 0);
  if (non2xx) throw new Error(`nodes: ${non2xx} non-2xx answers to startTurn`);
  return { nodes: nodes.length, turns, ms, turnsPerSec: turns / (ms / 1000), admittedPerSec: turns / ((admittedAt - start) / 1000) };
}

/** `nodes-pg`: throughput of turns on two nodes against one, on the same database. */
export async function runScaling(ctx: BenchContext): Promise<BenchResult> {
  const url = await ctx.database('nodes');
  const db = new pg.Pool({ connectionString: url, max: 2 });
  // PostgreSQL ends idle connections when the run stops it: not an error of the benchmark.
  db.on('error', () => {});
  const loader = forkChild('loadClient.ts');
  const turns = ctx.quick ? 100 : 1000;
  const warmup = ctx.quick ? CLIENTS : 100; // autocannon needs at least one request per connection
  const started: Node[] = [];
  try {
    // Both nodes start together (most of a quick run is starting processes); node B idles through the first run.
    const [, a, b] = await Promise.all([loader.waitFor('ready'), startNode(ctx, url), startNode(ctx, url)]);
    started.push(a, b);
    ctx.log(`  nodes: ${turns} turns (offline engine, no delay), ${CLIENTS} connections, on one node (the second idle)...`);
    await turnLoad(ctx, db, loader, [a], warmup); // warm-up (JIT, connections)
    const one = await turnLoad(ctx, db, loader, [a], turns);
    ctx.log(`    ${fmt(one.turnsPerSec)} turns/s (admitted ${fmt(one.admittedPerSec)}/s); on both nodes...`);
    await turnLoad(ctx, db, loader, [b], warmup); // warm-up of the new node
    const two = await turnLoad(ctx, db, loader, [a, b], turns);
    ctx.log(`    two nodes: ${fmt(two.turnsPerSec)} turns/s (admitted ${fmt(two.admittedPerSec)}/s); one node again...`);
    await b.child.stop();
    started.pop();
    const oneAgain = await turnLoad(ctx, db, loader, [a], turns);
    ctx.log(`    one node again: ${fmt(oneAgain.turnsPerSec)} turns/s`);
    const baseline = (one.turnsPerSec + oneAgain.turnsPerSec) / 2;
    return {
      rows: [
        row({
          bench: 'nodes-pg',
          name: `startTurn→ended, 2 nodes vs 1, ${CLIENTS} clients, PostgreSQL (admitted ${fmt(two.admittedPerSec)}/s)`,
          ours: two.turnsPerSec,
          unit: 'ops/s',
          better: 'higher',
          baseline,
          baselineName: 'the same load on 1 node',
        }),
      ],
      details: { one, two, oneAgain, baseline },
    };
  } finally {
    for (const node of started.reverse()) await node.child.stop();
    await loader.stop();
    await db.end();
  }
}

interface ClientStats {
  latency: { count: number; p50: number; p90: number; p99: number; max: number } | null;
  errorCount: number;
  errors: string[];
}

/** `crossnode-pg`: emission on node B → receipt on node A, beside receipt on node B, for the same deltas. */
export async function runCrossNode(ctx: BenchContext): Promise<BenchResult> {
  const url = await ctx.database('crossnode');
  const started: Node[] = [];
  const onA = forkChild('subscriberClient.ts');
  const onB = forkChild('subscriberClient.ts');
  const seconds = ctx.quick ? 4 : 10;
  try {
    await Promise.all([onA.waitFor('ready'), onB.waitFor('ready')]);
    const [a, b] = await Promise.all([startNode(ctx, url), startNode(ctx, url)]);
    started.push(a, b);
    const [threadId] = await createThreads(a.url, 1);
    for (const [client, node] of [
      [onA, a],
      [onB, b],
    ] as const)
      await client.call({ cmd: 'open', kind: 'graphql', url: node.url.replace(/^http/, 'ws'), n: 1, query: SUBSCRIPTION, variables: { threadId } });
    const epoch = Math.floor(now());
    const turn = async (deltas: number) => {
      for (const c of [onA, onB]) await c.call({ cmd: 'reset' });
      const waits = [onA, onB].map((c) => c.call({ cmd: 'waitAll', predicate: { name: 'turn.completed' }, timeoutMs: 120_000 }, 130_000));
      await b.child.call({ cmd: 'engine', mode: 'deltas', deltas, pace: PACE, epoch });
      await gql(b.url, START_TURN, { id: threadId });
      await Promise.all(waits);
    };
    for (const c of [onA, onB]) await c.call({ cmd: 'latency', epoch, sample: 1 });
    ctx.log(`  crossnode: warm-up turn, then ${PACE} deltas/s for ${seconds} s on node B, subscribers on A and on B...`);
    await turn(PACE);
    await turn(PACE * seconds);
    const [cross, same] = await Promise.all([onA.call<ClientStats>({ cmd: 'stats' }), onB.call<ClientStats>({ cmd: 'stats' })]);
    if (cross.errorCount || same.errorCount) throw new Error(`subscription errors: ${[...cross.errors, ...same.errors].join(' | ')}`);
    if (!cross.latency || !same.latency) throw new Error('no latency samples');
    ctx.log(
      `    emission on B → receipt on A: p50 ${fmt(cross.latency.p50)} p99 ${fmt(cross.latency.p99)} ms; on B: p50 ${fmt(same.latency.p50)} p99 ${fmt(same.latency.p99)} ms (${cross.latency.count} deltas)`,
    );
    const rows: Row[] = (['p50', 'p99'] as const).map((p) =>
      row({
        bench: 'crossnode-pg',
        name: `cross-node ${p} emission on B→receipt on A, paced ${PACE} deltas/s, PostgreSQL`,
        ours: cross.latency![p],
        unit: 'ms',
        better: 'lower',
        baseline: same.latency![p],
        baselineName: 'same deltas, subscriber on B',
      }),
    );
    return { rows, details: { pace: PACE, seconds, crossNode: cross.latency, sameNode: same.latency } };
  } finally {
    await Promise.all([onA.stop(), onB.stop()]);
    for (const node of started) await node.child.stop();
  }
}

/** `takeover-pg`: kill -9 of the node running a turn → another node has committed the turn INTERRUPTED. */
export async function runTakeover(ctx: BenchContext): Promise<BenchResult> {
  const url = await ctx.database('takeover');
  const runs = ctx.quick ? 3 : 5;
  const subscriber = forkChild('subscriberClient.ts');
  const started: Node[] = [];
  try {
    await subscriber.waitFor('ready');
    ctx.log(`  takeover: ${runs + 1} nodes with --node-lease ${LEASE_SECS}; kill -9 of the node running a turn, ${runs} times...`);
    const nodes = await Promise.all(Array.from({ length: runs + 1 }, () => startNode(ctx, url, LEASE_SECS)));
    started.push(...nodes);
    const [a, ...victims] = nodes as [Node, ...Node[]];
    const times: number[] = [];
    const errors: string[] = [];
    for (const victim of victims) {
      const [threadId] = await createThreads(a.url, 1);
      await subscriber.call({ cmd: 'closeAll' });
      await subscriber.call({ cmd: 'open', kind: 'graphql', url: a.url.replace(/^http/, 'ws'), n: 1, query: SUBSCRIPTION, variables: { threadId } });
      // A turn that would stream for a minute.
      await victim.child.call({ cmd: 'engine', mode: 'deltas', deltas: 60 * PACE, pace: PACE, epoch: Math.floor(now()) });
      const turnId = (await gql<{ startTurn: { turn: { id: string } } }>(victim.url, START_TURN, { id: threadId })).startTurn.turn.id;
      await subscriber.call({ cmd: 'waitAll', predicate: { name: 'item.delta' }, timeoutMs: 60_000 });
      const ended = subscriber.call<{ lastMatchedAt: number }>({ cmd: 'waitAll', predicate: { name: 'turn.completed' }, timeoutMs: 60_000 }, 70_000);
      const killedAt = now();
      victim.child.proc.kill('SIGKILL');
      await victim.child.exit;
      const { lastMatchedAt } = await ended;
      const turn = (await gql<{ turn: { status: string; error: string } }>(a.url, TURN, { id: turnId })).turn;
      if (turn.status !== 'INTERRUPTED') throw new Error(`takeover: the turn ended ${turn.status}`);
      errors.push(turn.error);
      times.push(lastMatchedAt - killedAt);
      ctx.log(`    interrupted ${fmt(lastMatchedAt - killedAt)} ms after the kill`);
    }
    const sorted = [...times].sort((x, y) => x - y);
    const medianMs = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    const maxMs = sorted.at(-1) ?? NaN;
    const leaseMs = LEASE_SECS * 1000;
    return {
      rows: [
        row({
          bench: 'takeover-pg',
          name: `takeover after kill -9, lease ${LEASE_SECS} s, median of ${runs} (max ${fmt(maxMs)} ms), PostgreSQL`,
          ours: medianMs,
          unit: 'ms',
          better: 'lower',
          baseline: leaseMs,
          baselineName: 'the configured lease',
        }),
      ],
      // A node is dead a lease after its last heartbeat (heartbeats every lease/3) and is claimed at another
      // node's next heartbeat: from a kill, between 2/3 and 4/3 of the lease, plus the takeover's writes.
      details: { leaseMs, boundMs: [(2 * leaseMs) / 3, (4 * leaseMs) / 3], times, errors },
    };
  } finally {
    await subscriber.stop();
    for (const node of started) await node.child.stop();
  }
}
