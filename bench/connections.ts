/**
 * 5. Scale of connections: 10,000 idle graphql-ws subscriptions (one per WebSocket, all on one thread's
 * threadEvents) from a client process to our server running in its own process (so only server memory is
 * counted, read from /proc after forced GCs). Reported: memory per subscription and the time from the
 * mutation that makes an event until every subscription has it. Baseline in the same run: a bare `ws` server
 * with as many idle sockets, broadcasting one frame of the same size, and a plain Yoga + graphql-ws server with as
 * many idle subscriptions of the same operation, publishing one event.
 */
import { randomUUID } from 'node:crypto';
import { gql, type BenchContext, type BenchResult } from './lib/context.js';
import { forkBuilt, forkChild, type Child } from './lib/proc.js';
import { row } from './lib/report.js';
import { fmt, fmtBytes, median, now, sleep } from './lib/stats.js';

const SUBSCRIPTION = `subscription Idle($threadId: ID!, $sinceSeq: SafeInt) { threadEvents(threadId: $threadId, sinceSeq: $sinceSeq) { seq name } }`;
const UPDATE = `mutation Touch($id: ID!, $title: String) { updateThread(input: { threadId: $id, title: $title }) { __typename } }`;
/** Notifications timed; the first (cold: code paths not yet optimised) is reported apart from the median of the rest. */
const NOTIFY_RUNS = 5;
/** Issue 18: memory per idle subscription ≤ 1.5× plain Yoga + graphql-ws; notifying ≥ 0.5× a raw ws broadcast. */
const MEMORY_TARGET = 1.5;
const NOTIFY_TARGET = 0.5;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

interface Side {
  perConnectionRss: number;
  perConnectionHeap: number;
  notifyMs: number[];
  openMs: number;
  before: Memory;
  after: Memory;
}

async function startServer(args: string[]): Promise<{ child: Child; url: string }> {
  // Built and run by node, as `npm start` runs the server (forkBuilt: tsx's keepNames adds memory per function).
  const child = await forkBuilt('serverProcess.ts', args, ['--expose-gc']);
  const ready = await child.waitFor<{ type: string; url: string }>('ready');
  return { child, url: ready.url };
}

async function ours(ctx: BenchContext, client: Child, n: number): Promise<Side> {
  const { child, url } = await startServer(['zagens', await ctx.dir('connections')]);
  try {
    const created = await gql<{ createThread: { thread: { id: string } } }>(
      url,
      `mutation { createThread(input: { title: "watched" }) { ... on CreateThreadPayload { thread { id } } } }`,
    );
    const threadId = created.createThread.thread.id;
    const wsUrl = url.replace(/^http/, 'ws');
    const touch = (title: string) => gql(url, UPDATE, { id: threadId, title });
    // Warm-up: the first subscriptions load code paths and caches that are not per-connection cost.
    await client.call({ cmd: 'open', kind: 'graphql', url: wsUrl, n: 20, query: SUBSCRIPTION, variables: { threadId, sinceSeq: 0 } });
    await touch('warm-up');
    await client.call({ cmd: 'waitAll', predicate: { name: 'thread.updated' } });
    await client.call({ cmd: 'closeAll' });
    await sleep(500);
    const latest = await gql<{ thread: { latestSeq: number } }>(url, `query($id: ID!) { thread(id: $id) { latestSeq } }`, { id: threadId });
    const before = await child.call<Memory>({ cmd: 'mem' });
    const opened = await client.call<{ ms: number }>(
      {
        cmd: 'open',
        kind: 'graphql',
        url: wsUrl,
        n,
        query: SUBSCRIPTION,
        variables: { threadId, sinceSeq: latest.thread.latestSeq },
        concurrency: 200,
      },
      600_000,
    );
    const notifyMs: number[] = [];
    let after: Memory | null = null;
    for (let i = 0; i < NOTIFY_RUNS; i++) {
      await client.call({ cmd: 'reset' });
      const wait = client.call<{ lastMatchedAt: number }>({ cmd: 'waitAll', predicate: { name: 'thread.updated' }, timeoutMs: 120_000 });
      const start = now();
      await touch(`notify ${i}`);
      notifyMs.push((await wait).lastMatchedAt - start);
      // Every subscription has now proven it is live: measure memory once, idle, after the first notification.
      if (!after) {
        await sleep(1000);
        after = await child.call<Memory>({ cmd: 'mem' });
      }
    }
    const stats = await client.call<{ errorCount: number; errors: string[] }>({ cmd: 'stats', latency: false });
    if (stats.errorCount) throw new Error(`subscription errors: ${stats.errors.join(' | ')}`);
    await client.call({ cmd: 'closeAll' }, 600_000);
    return {
      before,
      after: after!,
      perConnectionRss: (after!.rss - before.rss) / n,
      perConnectionHeap: (after!.heapUsed + after!.external - before.heapUsed - before.external) / n,
      notifyMs,
      openMs: opened.ms,
    };
  } finally {
    await child.stop();
  }
}

/**
 * A baseline server in its own process: `raw-ws` (idle sockets, one broadcast frame of the same size) or `yoga-ws`
 * (a plain Yoga + graphql-ws server, one idle subscription per socket with our operation, one published event).
 */
async function baseline(client: Child, n: number, mode: 'raw-ws' | 'yoga-ws'): Promise<Side> {
  const { child, url } = await startServer([mode]);
  try {
    const wsUrl = url.replace(/^http/, 'ws');
    const open = (count: number, concurrency?: number) =>
      client.call<{ ms: number }>(
        mode === 'raw-ws'
          ? { cmd: 'open', kind: 'raw', url: wsUrl, n: count, concurrency }
          : { cmd: 'open', kind: 'graphql', url: wsUrl, n: count, query: SUBSCRIPTION, variables: { threadId: 'plain', sinceSeq: 0 }, concurrency },
        600_000,
      );
    await open(20);
    await client.call({ cmd: 'closeAll' });
    await sleep(500);
    const before = await child.call<Memory>({ cmd: 'mem' });
    const opened = await open(n, 200);
    await sleep(1000);
    const after = await child.call<Memory>({ cmd: 'mem' });
    const frame = JSON.stringify({ id: randomUUID(), type: 'next', payload: { data: { threadEvents: { seq: 12, name: 'thread.updated' } } } });
    const notifyMs: number[] = [];
    for (let i = 0; i < NOTIFY_RUNS; i++) {
      await client.call({ cmd: 'reset' });
      const predicate = mode === 'raw-ws' ? { countAtLeast: 1 } : { name: 'thread.updated' };
      const wait = client.call<{ lastMatchedAt: number }>({ cmd: 'waitAll', predicate, timeoutMs: 120_000 });
      const start = now();
      await child.call({ cmd: 'broadcast', frame });
      notifyMs.push((await wait).lastMatchedAt - start);
    }
    await client.call({ cmd: 'closeAll' }, 600_000);
    return {
      before,
      after,
      perConnectionRss: (after.rss - before.rss) / n,
      perConnectionHeap: (after.heapUsed + after.external - before.heapUsed - before.external) / n,
      notifyMs,
      openMs: opened.ms,
    };
  } finally {
    await child.stop();
  }
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const n = ctx.sizes.connections;
  const client = forkChild('subscriberClient.ts');
  await client.waitFor('ready');
  let o: Side;
  let r: Side;
  let y: Side;
  try {
    ctx.log(`  connections: ${n.toLocaleString()} idle subscriptions to our server...`);
    o = await ours(ctx, client, n);
    ctx.log(
      `    opened in ${fmt(o.openMs / 1000)} s; ${fmtBytes(o.perConnectionRss)} RSS (${fmtBytes(o.perConnectionHeap)} heap) per subscription; notify all: ${o.notifyMs.map((m) => fmt(m)).join(', ')} ms`,
    );
    ctx.log(`  connections: ${n.toLocaleString()} idle raw ws sockets...`);
    r = await baseline(client, n, 'raw-ws');
    ctx.log(
      `    opened in ${fmt(r.openMs / 1000)} s; ${fmtBytes(r.perConnectionRss)} RSS (${fmtBytes(r.perConnectionHeap)} heap) per socket; broadcast: ${r.notifyMs.map((m) => fmt(m)).join(', ')} ms`,
    );
    ctx.log(`  connections: ${n.toLocaleString()} idle subscriptions to a plain Yoga + graphql-ws server...`);
    y = await baseline(client, n, 'yoga-ws');
    ctx.log(
      `    opened in ${fmt(y.openMs / 1000)} s; ${fmtBytes(y.perConnectionRss)} RSS (${fmtBytes(y.perConnectionHeap)} heap) per subscription; notify all: ${y.notifyMs.map((m) => fmt(m)).join(', ')} ms`,
    );
  } finally {
    await client.stop();
  }
  const KiB = 1024;
  return {
    rows: [
      row({
        bench: 'connections',
        name: `memory per idle subscription at ${n.toLocaleString()} (RSS; heap ${fmt(o.perConnectionHeap / KiB)} KiB; a raw ws socket ${fmt(r.perConnectionRss / KiB)} KiB)`,
        ours: o.perConnectionRss / KiB,
        unit: 'KiB',
        better: 'lower',
        baseline: y.perConnectionRss / KiB,
        baselineName: 'plain Yoga + graphql-ws subscription',
        target: `≤ ${MEMORY_TARGET}× baseline`,
        met: o.perConnectionRss <= MEMORY_TARGET * y.perConnectionRss,
        why:
          `a plain Yoga + graphql-ws subscription costs ${fmt(y.perConnectionRss / KiB)} KiB (a bare ws socket ${fmt(r.perConnectionRss / KiB)} KiB); ours adds its own ` +
          'objects per subscription (the eventStream pump and generator, the frame plan): take a heap snapshot (`snapshot` command of bench/lib/serverProcess.ts) and diff it.',
      }),
      row({
        bench: 'connections',
        name: `notify ${n.toLocaleString()} subscriptions of one event (first: ${fmt(o.notifyMs[0])} ms)`,
        ours: median(o.notifyMs.slice(1)),
        unit: 'ms',
        better: 'lower',
        baseline: median(r.notifyMs.slice(1)),
        baselineName: 'raw ws broadcast, same size',
        target: `≥ ${NOTIFY_TARGET} of baseline`,
        met: median(r.notifyMs.slice(1)) / median(o.notifyMs.slice(1)) >= NOTIFY_TARGET,
        why: 'one async hop per subscription per event (pubsub listener → eventStream generator → graphql-ws pump); fix: a per-thread fan-out pushing the shared frame to every socket in one loop.',
      }),
      row({
        bench: 'connections',
        name: `notify ${n.toLocaleString()} subscriptions, plain Yoga + graphql-ws (first: ${fmt(y.notifyMs[0])} ms)`,
        ours: median(y.notifyMs.slice(1)),
        unit: 'ms',
        better: 'lower',
        baseline: median(r.notifyMs.slice(1)),
        baselineName: 'raw ws broadcast, same size',
      }),
    ],
    details: { connections: n, ours: o, rawWs: r, plainYoga: y },
  };
}
