/**
 * 4. Writes, as ops/s, each against the same writes done raw (no GraphQL, no runtime) in the same run:
 *  - createThread from 50 concurrent clients (autocannon) vs the batch it writes, written by 50 concurrent loops;
 *  - startTurn (offline engine, no delays, delivery QUEUE) from 50 concurrent clients on 50 threads, counted when
 *    the turns have ended, vs every batch a turn writes from start to end, by 50 concurrent loops;
 *  - forkThread of a 1,000-turn thread vs reading its turns and items and writing the copies in one batch;
 *  - the usage query over 100,000 ended turns vs reading the same rollup and fact rows.
 * `writes-pg` (runPostgres): the createThread and startTurn rows on PostgreSQL, each beside the same transactions
 * (captured from our store's pool) run again by a bare `pg` client on a fresh database, 50 connections.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../src/domain/ids.js';
import type { ItemRecord, ThreadRecord, TurnRecord } from '../src/domain/records.js';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { createThread } from '../src/runtime/threadCommands.js';
import { startTurn } from '../src/runtime/turnCommands.js';
import { lastPart, prefixRange } from '../src/store/keys.js';
import { DURABILITIES, inspectSublevels, Store, type Durability } from '../src/store/store.js';
import { splitRange } from '../src/domain/usageRollup.js';
import type { RunningServer } from '../src/server/server.js';
import { captureBatches, replaySequences } from './lib/capture.js';
import { gql, startOurPgServer, startOurServer, type BenchContext, type BenchResult } from './lib/context.js';
import { captureTransactions, openRawDatabase, replayTransactionSequences } from './lib/pgCapture.js';
import type { LoadResult } from './lib/loadClient.js';
import { forkChild, type Child } from './lib/proc.js';
import { row, type Row } from './lib/report.js';
import { seedLongThread, seedUsage } from './lib/seed.js';
import { fmt, median, now, sleep, timeAlternately, timeRuns } from './lib/stats.js';
import { load } from './reads.js';
import { defined } from '../src/domain/defined.js';

const CLIENTS = 50;

const CREATE_THREAD = `mutation CreateThread { createThread(input: { title: "benchmark thread" }) { __typename ... on CreateThreadPayload { thread { id } } } }`;
const START_TURN = `mutation StartTurn($id: ID!) {
  startTurn(input: { threadId: $id, prompt: "summarise the failing tests", delivery: QUEUE }) {
    __typename ... on StartTurnPayload { turn { id status } queued { position } }
  }
}`;
const FORK = `mutation Fork($id: ID!) { forkThread(input: { threadId: $id }) { __typename ... on ForkThreadPayload { thread { id turns(first: 1) { totalCount } } } } }`;
const USAGE = `query Usage($since: DateTime, $until: DateTime, $groupBy: UsageGroupBy) {
  usage(since: $since, until: $until, groupBy: $groupBy) { totals { turns costUsd cacheHitRate } buckets { key turns costUsd } }
}`;

async function countThreads(store: Store): Promise<number> {
  return (await inspectSublevels(store).threads.keys().all()).length;
}

/** Waits until no turn runs and none is queued. */
async function drain(rt: Runtime): Promise<void> {
  for (;;) {
    if (rt.active.size === 0 && (await rt.store.listThreadsWithQueue()).length === 0) return;
    await sleep(10);
  }
}

/** What the usage query reads for [since, until]: whole-quarter rollup rows and edge fact rows, read raw. */
async function rawUsageRows(store: Store, since: Date | null, until: Date | null): Promise<number> {
  const { full, edges } = splitRange(since?.getTime() ?? null, until?.getTime() ?? null);
  let rows = 0;
  if (full) {
    const gte = full.from === null ? '' : new Date(full.from).toISOString();
    const lt = full.to === null ? '\uffff' : new Date(full.to).toISOString();
    rows += (await inspectSublevels(store).usageRollups.iterator({ gte, lt }).all()).length;
  }
  for (const [a, b] of edges)
    rows += (
      await inspectSublevels(store)
        .usageFacts.values({ gte: new Date(a).toISOString(), lt: new Date(b).toISOString() })
        .all()
    ).length;
  return rows;
}

/** forkThread without GraphQL or the runtime: read the turns and items, write copies (and the thread) in one batch. */
async function rawFork(store: Store, threadId: string): Promise<void> {
  const s = inspectSublevels(store);
  const source = (await s.threads.get(threadId)) as ThreadRecord;
  const turnIds = (await s.threadTurns.keys(prefixRange(threadId)).all()).map((k: string) => lastPart(k));
  const turns = (await s.turns.getMany(turnIds)) as TurnRecord[];
  const itemIds = await Promise.all(turnIds.map(async (t: string) => (await s.turnItems.keys(prefixRange(t)).all()).map((k: string) => lastPart(k))));
  const items = (await s.items.getMany(itemIds.flat())) as ItemRecord[];
  const at = new Date().toISOString();
  const thread: ThreadRecord = {
    ...source,
    id: newId('thread'),
    createdAt: at,
    updatedAt: at,
    forkedFrom: { threadId, turnId: null, depthFromTail: -1 },
  };
  const batch = store.batch();
  let i = 0;
  turns.forEach((turn, k) => {
    const copy = { ...turn, id: `${turn.id}c${thread.id}`, threadId: thread.id };
    batch.putTurn(copy);
    for (const itemId of defined(itemIds[k], `item ids of turn ${turn.id}`))
      batch.putItem({ ...defined(items[i++], `item ${itemId}`), id: `${itemId}c${thread.id}`, turnId: copy.id, threadId: thread.id });
  });
  batch.putThread(thread, null);
  await batch.write();
}

/** What the createThread and startTurn rows run on: our server on one store, and the same writes done raw beside it. */
interface WriteBackend {
  server: RunningServer;
  /** Row label: synced, relaxed, PostgreSQL; `key` names its details. */
  label: string;
  key: string;
  countThreads(): Promise<number>;
  /** Records the store's writes until stop; `replay` writes them raw `repetitions` times, `concurrency` at a time (ms). */
  capture(): { stop(): { writes: number; firstSize: number }; replay(repetitions: number, concurrency: number): Promise<number> };
  /** The baseline's name: the same write as one createThread, or a turn's `writesPerTurn` writes. */
  rawName(writesPerTurn: number | null): string;
  close(): Promise<void>;
}

/** createThread and startTurn against a fresh LevelDB server with `durability`, beside the same batches written raw with the same durability (synced for strict) into a fresh store. */
async function levelBackend(ctx: BenchContext, durability: Durability): Promise<WriteBackend> {
  const server = await startOurServer(await ctx.dir(`writes-${durability}`), new OfflineEngine(0), {}, { durability });
  const rawStore = await Store.open(await ctx.dir(`writes-raw-${durability}`), { durability });
  return {
    server,
    label: durability === 'strict' ? 'synced' : 'relaxed, not synced',
    key: durability,
    countThreads: () => countThreads(server.store),
    capture() {
      const capture = captureBatches(server.store);
      return {
        stop: () => (capture.stop(), { writes: capture.batches.length, firstSize: capture.batches[0]?.ops.length ?? 0 }),
        replay: (repetitions, concurrency) => replaySequences(rawStore, capture.batches, repetitions, concurrency),
      };
    },
    rawName: (n) => `raw LevelDB, ${n === null ? 'same batch' : `a turn's ${n} batches`}, ${durability === 'strict' ? 'synced' : 'not synced'}`,
    close: async () => {
      await rawStore.close();
      await server.stop();
    },
  };
}

/** The same rows on PostgreSQL: our server on a fresh database, beside the same transactions run by a bare `pg` client on another. */
async function postgresBackend(ctx: BenchContext): Promise<WriteBackend> {
  const server = await startOurPgServer(await ctx.dir('writes-pg'), await ctx.database('writes'), new OfflineEngine(0));
  const raw = await openRawDatabase(await ctx.database('writes_raw'));
  let replays = 0;
  return {
    server,
    label: 'PostgreSQL',
    key: 'postgres',
    countThreads: async () => Number((await server.store.pool.query<{ n: string }>('SELECT count(*) AS n FROM threads')).rows[0]?.n),
    capture() {
      const capture = captureTransactions(server.store);
      return {
        stop: () => (capture.stop(), { writes: capture.transactions.length, firstSize: capture.transactions[0]?.statements.length ?? 0 }),
        replay: (repetitions, concurrency) => replayTransactionSequences(raw, capture.transactions, repetitions, concurrency, String(++replays)),
      };
    },
    rawName: (n) => (n === null ? 'raw pg, same transaction' : `raw pg, a turn's ${n} transactions`),
    close: async () => {
      await raw.close();
      await server.stop();
    },
  };
}

/** createThread and startTurn rows on `backend` (see levelBackend, postgresBackend). */
async function writeRows(
  ctx: BenchContext,
  backend: WriteBackend,
  loader: Child,
  rows: Row[],
  details: Record<string, unknown>,
  bench = 'writes',
): Promise<void> {
  const sizes = ctx.sizes;
  const { server, label, key } = backend;
  const rt = server.runtime;
  try {
    // ---- createThread ----
    ctx.log(`  writes (${key}): createThread, ${CLIENTS} clients, ${sizes.loadSeconds} s...`);
    const sample = await gql<{ createThread: { __typename: string } }>(server.url, CREATE_THREAD);
    if (sample.createThread.__typename !== 'CreateThreadPayload') throw new Error(`createThread answered ${sample.createThread.__typename}`);
    const capture = backend.capture();
    await createThread(rt, { title: 'benchmark thread' });
    const threadWrites = capture.stop();
    const before = await backend.countThreads();
    const created = await load(loader, { url: server.url, connections: CLIENTS, durationSec: sizes.loadSeconds, query: CREATE_THREAD });
    const made = (await backend.countThreads()) - before;
    // Requests in flight when the run stops are written but not counted by autocannon (at most one per client).
    if (made < created.total || made > created.total + CLIENTS || created.non2xx) {
      throw new Error(`createThread: ${created.total} responses but ${made} threads (${created.non2xx} non-2xx)`);
    }
    const createRate = created.total / created.durationSec;
    const rawCreateMs = await capture.replay(created.total, CLIENTS);
    const rawCreateRate = created.total / (rawCreateMs / 1000);
    ctx.log(`    ${fmt(createRate)} threads/s (p99 ${created.latency.p99} ms) vs raw ${fmt(rawCreateRate)}/s`);
    rows.push(
      row({
        bench,
        name: `createThread, ${CLIENTS} clients, ${label} (p99 ${created.latency.p99} ms)`,
        ours: createRate,
        unit: 'ops/s',
        better: 'higher',
        baseline: rawCreateRate,
        baselineName: backend.rawName(null),
      }),
    );
    details[`createThread-${key}`] = {
      ours: created,
      oursPerSec: createRate,
      rawPerSec: rawCreateRate,
      batchOps: threadWrites.firstSize,
    };

    // ---- startTurn ----
    const turns = sizes.writeTurns;
    ctx.log(`  writes (${key}): startTurn x ${turns}, ${CLIENTS} clients on ${CLIENTS} threads (offline engine, no delay)...`);
    const threads: string[] = [];
    for (let i = 0; i < CLIENTS; i++) threads.push((await createThread(rt, { title: `turns ${i}` })).id);
    const idsFile = path.join(ctx.tmp, 'turn-threads.json');
    await writeFile(idsFile, JSON.stringify(threads));
    // The writes of one whole turn (start, item, deltas, end), alone, for the raw baseline.
    const lone = await createThread(rt, { title: 'one turn' });
    const turnCapture = backend.capture();
    const { turn } = await startTurn(rt, { threadId: lone.id, prompt: 'summarise the failing tests' });
    await rt.active.byTurnId(turn.id)?.finished;
    await drain(rt);
    const writesPerTurn = turnCapture.stop().writes;
    const startAt = now();
    const started: LoadResult = await load(loader, {
      url: server.url,
      connections: CLIENTS,
      amount: turns,
      query: START_TURN,
      idsFile,
      pick: 'roundRobin',
    });
    const admittedAt = now();
    await drain(rt);
    const endedAt = now();
    const ended = (
      await Promise.all(
        threads.map(async (t) => (await rt.store.getTurns(await rt.store.listTurnIds(t))).filter((x) => x?.status === 'COMPLETED').length),
      )
    ).reduce((a, b) => a + b, 0);
    if (ended !== turns || started.non2xx) throw new Error(`startTurn: ${turns} requests, ${ended} completed turns (${started.non2xx} non-2xx)`);
    const turnRate = turns / ((endedAt - startAt) / 1000);
    const admitRate = turns / ((admittedAt - startAt) / 1000);
    const rawTurnMs = await turnCapture.replay(turns, CLIENTS);
    const rawTurnRate = turns / (rawTurnMs / 1000);
    ctx.log(
      `    ${fmt(turnRate)} turns/s started and ended (admitted ${fmt(admitRate)}/s, p99 ${started.latency.p99} ms) vs raw ${fmt(rawTurnRate)}/s (${writesPerTurn} writes per turn)`,
    );
    rows.push(
      row({
        bench,
        name: `startTurn→ended, ${CLIENTS} clients, ${label} (admitted ${fmt(admitRate)}/s)`,
        ours: turnRate,
        unit: 'ops/s',
        better: 'higher',
        baseline: rawTurnRate,
        baselineName: backend.rawName(writesPerTurn),
      }),
    );
    details[`startTurn-${key}`] = {
      ours: started,
      turnsPerSec: turnRate,
      admittedPerSec: admitRate,
      rawPerSec: rawTurnRate,
      batchesPerTurn: writesPerTurn,
    };
  } finally {
    await backend.close();
  }
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const sizes = ctx.sizes;
  const dataDir = await ctx.dir('writes');
  const server = await startOurServer(dataDir, new OfflineEngine(0));
  const rt = server.runtime;
  const loader = forkChild('loadClient.ts');
  await loader.waitFor('ready');
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  try {
    for (const durability of DURABILITIES) await writeRows(ctx, await levelBackend(ctx, durability), loader, rows, details);

    // ---- forkThread ----
    ctx.log(`  writes: forkThread of a ${sizes.forkTurns.toLocaleString()}-turn thread...`);
    const long = await seedLongThread(server.store, sizes.forkTurns, 4);
    const [forkTimes, rawForkTimes] = await timeAlternately(
      5,
      async () => {
        const r = await gql<{ forkThread: { __typename: string; thread: { turns: { totalCount: number } } } }>(server.url, FORK, { id: long.id });
        if (r.forkThread.thread?.turns.totalCount !== sizes.forkTurns) throw new Error(`fork copied ${JSON.stringify(r.forkThread)}`);
      },
      () => rawFork(server.store, long.id),
    );
    const forkMs = median(forkTimes);
    const rawForkMs = median(rawForkTimes);
    ctx.log(`    fork ${fmt(forkMs)} ms vs raw ${fmt(rawForkMs)} ms`);
    rows.push(
      row({
        bench: 'writes',
        name: `forkThread of ${sizes.forkTurns.toLocaleString()} turns (${fmt(forkMs)} ms each)`,
        ours: 1000 / forkMs,
        unit: 'ops/s',
        better: 'higher',
        baseline: 1000 / rawForkMs,
        baselineName: 'raw LevelDB read + batch',
      }),
    );
    details.fork = { turns: sizes.forkTurns, itemsPerTurn: 4, oursMs: forkMs, rawMs: rawForkMs };

    // ---- usage ----
    ctx.log(`  writes: usage over ${sizes.usageTurns.toLocaleString()} ended turns...`);
    const turnsBefore = (await gql<{ usage: { totals: { turns: number } } }>(server.url, USAGE, { groupBy: 'DAY' })).usage.totals.turns;
    const usage = await seedUsage(server.store, sizes.usageTurns);
    const allTime = await gql<{ usage: { totals: { turns: number } } }>(server.url, USAGE, { groupBy: 'DAY' });
    if (allTime.usage.totals.turns !== turnsBefore + sizes.usageTurns) throw new Error(`usage counted ${allTime.usage.totals.turns} turns`);
    // A window whose edges cut quarters (facts read at both edges), grouped by model.
    const since = new Date(usage.from + 7 * 86_400_000 + 7 * 60_000 + 13_000);
    const until = new Date(usage.to - 3 * 86_400_000 - 11 * 60_000);
    const queries = [
      { label: 'all time by day', vars: { groupBy: 'DAY' }, since: null, until: null },
      { label: 'window by model', vars: { groupBy: 'MODEL', since: since.toISOString(), until: until.toISOString() }, since, until },
    ];
    const usageResults = [];
    for (const q of queries) {
      let rowsRead = 0;
      const [oursTimes, rawTimes] = await timeAlternately(
        10,
        () => gql(server.url, USAGE, q.vars),
        async () => (rowsRead = await rawUsageRows(server.store, q.since, q.until)),
      );
      const oursMs = median(oursTimes);
      const rawMs = median(rawTimes);
      usageResults.push({ label: q.label, oursMs, rawMs, rowsRead });
      ctx.log(`    usage ${q.label}: ${fmt(oursMs)} ms vs raw read of its ${rowsRead.toLocaleString()} rows ${fmt(rawMs)} ms`);
      rows.push(
        row({
          bench: 'writes',
          name: `usage over ${sizes.usageTurns.toLocaleString()} turns, ${q.label} (${fmt(oursMs)} ms)`,
          ours: 1000 / oursMs,
          unit: 'ops/s',
          better: 'higher',
          baseline: 1000 / rawMs,
          baselineName: `raw read of its ${rowsRead.toLocaleString()} rows`,
        }),
      );
    }
    // For scale: summing every per-turn fact (what the rollups avoid).
    const naiveMs = median(await timeRuns(3, async () => (await inspectSublevels(server.store).usageFacts.values().all()).length));
    details.usage = { ...usage, queries: usageResults, naiveScanAllFactsMs: naiveMs };
  } finally {
    await loader.stop();
    await server.stop();
  }
  return { rows, details };
}

/** `writes-pg`: createThread and startTurn on PostgreSQL beside the same transactions run raw. */
export async function runPostgres(ctx: BenchContext): Promise<BenchResult> {
  const loader = forkChild('loadClient.ts');
  await loader.waitFor('ready');
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  try {
    await writeRows(ctx, await postgresBackend(ctx), loader, rows, details, 'writes-pg');
  } finally {
    await loader.stop();
  }
  return { rows, details };
}
