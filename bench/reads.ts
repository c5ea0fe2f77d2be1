/**
 * 3. Reads: `thread { turns(first: 50) { items(first: 20) } }` against the large store (every request a random
 * thread of 10,000), and the thread list `threads(first: 20) { … latestTurn { id status } }`, under autocannon
 * with 50 connections in a separate process. Baseline in the same run: a bare Yoga server answering
 * `{ __typename }` (the framework limit). Store round trips per request are counted by the store itself.
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { lastPart, prefixRange } from '../src/store/keys.js';
import { inspectSublevels, Store } from '../src/store/store.js';
import { gql, startOurServer, type BenchContext, type BenchResult } from './lib/context.js';
import type { LoadRequest, LoadResult } from './lib/loadClient.js';
import { forkChild, type Child } from './lib/proc.js';
import { row } from './lib/report.js';
import { fmt, now } from './lib/stats.js';
import { defined } from '../src/domain/defined.js';

export const THREAD_QUERY = `query ThreadPage($id: ID!) {
  thread(id: $id) {
    id title model updatedAt status
    turns(first: 50) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id status prompt createdAt endedAt costUsd
        items(first: 20) {
          nodes {
            id kind status summary
            ... on AgentMessageItem { text }
            ... on ToolCallItem { toolName output }
            ... on CommandExecutionItem { command exitCode }
            ... on FileChangeItem { path diff }
          }
        }
      }
    }
  }
}`;

/** The thread list a client shows: a page of 20 with each thread's latest turn. */
export const THREADS_QUERY = `query ThreadList {
  threads(first: 20) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id title model mode updatedAt status archived
      latestTurn { id status }
    }
  }
}`;

const CONNECTIONS = 50;
const TARGET_THREAD_PAGE = 0.3;
const TARGET_THREAD_LIST = 0.6;

/** A bare Yoga server on node:http: the framework limit for a GraphQL request. */
export async function startBareYoga(): Promise<{ url: string; server: Server }> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: {} }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
  });
  // The baseline stays bare: Yoga's request listener answers its own errors.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/**
 * The storage share of one request: the same rows read raw (thread, its turn index page, the turns, each turn's
 * item index page, the items), by `concurrency` loops for `seconds`. Returns requests/s.
 */
async function rawRows(dataDir: string, ids: string[], concurrency: number, seconds: number): Promise<number> {
  const store = await Store.open(path.join(dataDir, 'runtime'));
  const s = inspectSublevels(store);
  let done = 0;
  const end = now() + seconds * 1000;
  const one = async () => {
    const id = defined(ids[Math.floor(Math.random() * ids.length)], 'a thread id');
    await s.threads.getMany([id]);
    const turnIds = (await s.threadTurns.keys({ ...prefixRange(id), limit: 51 }).all()).map((k: string) => lastPart(k));
    await s.turns.getMany(turnIds);
    const itemIds = await Promise.all(
      turnIds.map(async (t: string) => (await s.turnItems.keys({ ...prefixRange(t), limit: 21 }).all()).map((k: string) => lastPart(k))),
    );
    await s.items.getMany(itemIds.flat());
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (now() < end) {
        await one();
        done++;
      }
    }),
  );
  await store.close();
  return done / seconds;
}

export async function load(loader: Child, request: LoadRequest): Promise<LoadResult> {
  return loader.call<LoadResult>({ cmd: 'run', ...request }, (request.durationSec ?? 60) * 1000 + 120_000);
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const big = await ctx.bigStore();
  const seconds = ctx.sizes.loadSeconds;
  const idsFile = path.join(ctx.tmp, 'thread-ids.json');
  await writeFile(idsFile, JSON.stringify(big.threadIds));
  const loader = forkChild('loadClient.ts');
  await loader.waitFor('ready');
  const server = await startOurServer(big.dataDir, new OfflineEngine(0));
  const store = server.store;
  let ours: LoadResult;
  let oursList: LoadResult;
  let oneRequest: { roundTrips: number; turns: number; items: number; bytes: number };
  let roundTripsPerRequest: number;
  let baseline: LoadResult;
  try {
    // One request alone: check the answer and count its store round trips.
    store.roundTrips = 0;
    const data = await gql<{ thread: { turns: { nodes: { items: { nodes: unknown[] } }[] } } }>(server.url, THREAD_QUERY, { id: big.threadIds[0] });
    const turns = data.thread.turns.nodes;
    oneRequest = {
      roundTrips: store.roundTrips,
      turns: turns.length,
      items: turns.reduce((n, t) => n + t.items.nodes.length, 0),
      bytes: JSON.stringify({ data }).length,
    };
    if (oneRequest.items !== big.turnsPerThread * Math.min(20, big.itemsPerTurn)) throw new Error(`unexpected answer: ${JSON.stringify(oneRequest)}`);
    ctx.log(
      `  reads: one request = ${oneRequest.turns} turns, ${oneRequest.items} items, ${fmt(oneRequest.bytes / 1024)} KiB, ${oneRequest.roundTrips} store round trips`,
    );

    ctx.log(`  reads: autocannon ${CONNECTIONS} connections, ${seconds} s warm-up + ${seconds} s...`);
    await load(loader, {
      url: server.url,
      connections: CONNECTIONS,
      durationSec: Math.max(2, Math.ceil(seconds / 3)),
      query: THREAD_QUERY,
      idsFile,
      pick: 'random',
    });
    store.roundTrips = 0;
    ours = await load(loader, { url: server.url, connections: CONNECTIONS, durationSec: seconds, query: THREAD_QUERY, idsFile, pick: 'random' });
    roundTripsPerRequest = store.roundTrips / Math.max(1, ours.total);

    const list = await gql<{ threads: { nodes: { latestTurn: { id: string } | null }[] } }>(server.url, THREADS_QUERY);
    if (list.threads.nodes.length !== 20 || list.threads.nodes.some((t) => !t.latestTurn)) throw new Error('unexpected thread list answer');
    await load(loader, { url: server.url, connections: CONNECTIONS, durationSec: Math.max(2, Math.ceil(seconds / 3)), query: THREADS_QUERY });
    oursList = await load(loader, { url: server.url, connections: CONNECTIONS, durationSec: seconds, query: THREADS_QUERY });
  } finally {
    await server.stop();
  }
  const bare = await startBareYoga();
  try {
    await load(loader, { url: bare.url, connections: CONNECTIONS, durationSec: Math.max(2, Math.ceil(seconds / 3)), query: '{ __typename }' });
    baseline = await load(loader, { url: bare.url, connections: CONNECTIONS, durationSec: seconds, query: '{ __typename }' });
  } finally {
    await new Promise((resolve) => bare.server.close(resolve));
    await loader.stop();
  }
  const rawPerSec = await rawRows(big.dataDir, big.threadIds, CONNECTIONS, seconds);
  for (const r of [ours, oursList]) if (r.non2xx || r.errors) throw new Error(`reads: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
  ctx.log(
    `    ours ${fmt(ours.requestsPerSec)} req/s p50 ${ours.latency.p50} p99 ${ours.latency.p99} ms; bare Yoga ${fmt(baseline.requestsPerSec)} req/s p99 ${baseline.latency.p99} ms; same rows raw ${fmt(rawPerSec)}/s`,
  );
  ctx.log(
    `    threads(first: 20) with latest turns: ${fmt(oursList.requestsPerSec)} req/s p50 ${oursList.latency.p50} p99 ${oursList.latency.p99} ms`,
  );
  const pageRatio = ours.requestsPerSec / baseline.requestsPerSec;
  const listRatio = oursList.requestsPerSec / baseline.requestsPerSec;
  return {
    rows: [
      row({
        bench: 'reads',
        name: `reads thread→turns→items (${oneRequest.items} items/resp): req/s`,
        ours: ours.requestsPerSec,
        unit: '/s',
        better: 'higher',
        baseline: baseline.requestsPerSec,
        baselineName: 'bare Yoga { __typename }',
        target: `ratio ≥ ${TARGET_THREAD_PAGE.toFixed(2)}`,
        met: pageRatio >= TARGET_THREAD_PAGE,
        why: 'see BENCHMARKS.md "Issue 18 targets" (reads): the per-field GraphQL execution and the store reads of 110 records per request.',
      }),
      row({
        bench: 'reads',
        name: 'reads threads(first: 20) with latestTurn: req/s',
        ours: oursList.requestsPerSec,
        unit: '/s',
        better: 'higher',
        baseline: baseline.requestsPerSec,
        baselineName: 'bare Yoga { __typename }',
        target: `ratio ≥ ${TARGET_THREAD_LIST.toFixed(2)}`,
        met: listRatio >= TARGET_THREAD_LIST,
        why: 'see BENCHMARKS.md "Issue 18 targets" (reads).',
      }),
      row({
        bench: 'reads',
        name: `reads thread→turns→items: req/s vs its rows read raw`,
        ours: ours.requestsPerSec,
        unit: '/s',
        better: 'higher',
        baseline: rawPerSec,
        baselineName: 'raw LevelDB, same rows',
      }),
      row({
        bench: 'reads',
        name: `reads thread→turns→items: p99 latency (p50 ${ours.latency.p50} ms)`,
        ours: ours.latency.p99,
        unit: 'ms',
        better: 'lower',
        baseline: baseline.latency.p99,
        baselineName: 'bare Yoga { __typename }',
      }),
      row({
        bench: 'reads',
        name: `reads: store round trips per request (one request alone: ${oneRequest.roundTrips})`,
        ours: roundTripsPerRequest,
        unit: '',
        better: 'lower',
      }),
    ],
    details: { connections: CONNECTIONS, seconds, oneRequest, ours, oursList, roundTripsPerRequest, baseline, rawRowsPerSec: rawPerSec },
  };
}
