/**
 * 2. Replay: `threadEvents(threadId, sinceSeq: 0)` over a thread with 1,000,000 events, read by one graphql-ws
 * client in a separate process, until it has the newest event. Baseline in the same run: a raw LevelDB range
 * read of the same keys (the thread's replay rows), values decoded as the store decodes them.
 */
import path from 'node:path';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { prefixRange } from '../src/store/keys.js';
import { inspectSublevels, Store } from '../src/store/store.js';
import { startOurServer, type BenchContext, type BenchResult } from './lib/context.js';
import { forkChild } from './lib/proc.js';
import { row } from './lib/report.js';
import { fmt, median, now } from './lib/stats.js';

export const SUBSCRIPTION = `subscription Replay($threadId: ID!, $sinceSeq: SafeInt) {
  threadEvents(threadId: $threadId, sinceSeq: $sinceSeq) { seq timestamp name threadId turnId itemId payload }
}`;

/** Reads every replay row of the thread (nextv pages of 1,000, values JSON-decoded), `runs` times; the median run. */
async function rawRangeRead(store: Store, threadId: string, runs: number): Promise<{ count: number; ms: number }> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    count = 0;
    const start = now();
    const iterator = inspectSublevels(store).threadEvents.values(prefixRange(threadId));
    for (;;) {
      const page = await iterator.nextv(1000);
      if (page.length === 0) break;
      count += page.length;
    }
    await iterator.close();
    times.push(now() - start);
  }
  return { count, ms: median(times) };
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const big = await ctx.bigStore();
  ctx.log(`  replay: ${big.replayEvents.toLocaleString()} events of one thread...`);

  // Baseline first, on a freshly opened store (the OS page cache is warm for both: the store was just seeded).
  const raw = await Store.open(path.join(big.dataDir, 'runtime'));
  const baseline = await rawRangeRead(raw, big.replayThreadId, 3);
  await raw.close();
  ctx.log(`    raw range read: ${baseline.count.toLocaleString()} rows in ${fmt(baseline.ms)} ms`);

  const server = await startOurServer(big.dataDir, new OfflineEngine(0));
  const client = forkChild('subscriberClient.ts');
  let ours: { ms: number; events: number };
  try {
    await client.waitFor('ready');
    const url = server.url.replace(/^http/, 'ws');
    const open = await client.call<{ ms: number }>({
      cmd: 'open',
      kind: 'graphql',
      url,
      n: 1,
      query: SUBSCRIPTION,
      variables: { threadId: big.replayThreadId, sinceSeq: 0 },
    });
    const start = now() - open.ms; // the subscription was sent when the connection opened
    const done = await client.call<{ lastMatchedAt: number }>(
      { cmd: 'waitAll', predicate: { seqAtLeast: big.lastSeq }, timeoutMs: 900_000 },
      910_000,
    );
    const stats = await client.call<{ events: { total: number }; errorCount: number; errors: string[] }>({ cmd: 'stats' });
    if (stats.errorCount) throw new Error(`replay errors: ${stats.errors.join(' | ')}`);
    ours = { ms: done.lastMatchedAt - start, events: stats.events.total };
  } finally {
    await client.stop();
    await server.stop();
  }
  const oursRate = ours.events / (ours.ms / 1000);
  const rawRate = baseline.count / (baseline.ms / 1000);
  ctx.log(
    `    threadEvents(sinceSeq: 0): ${ours.events.toLocaleString()} events in ${fmt(ours.ms)} ms (${fmt(oursRate)}/s) vs raw ${fmt(rawRate)}/s`,
  );
  return {
    rows: [
      row({
        bench: 'replay',
        name: `replay ${big.replayEvents.toLocaleString()} events: events/s to client`,
        ours: oursRate,
        unit: '/s',
        better: 'higher',
        baseline: rawRate,
        baselineName: 'raw LevelDB range read',
        target: 'ratio ≥ 0.40',
        met: oursRate / rawRate >= 0.4,
        why:
          `reading the rows is ${fmt((100 * baseline.ms) / ours.ms)} % of our time; the rest is per event: a GraphQL execution, a graphql-ws message, and a WebSocket write awaited before the next event. ` +
          'Fix: send replayed events in batches (a page per message), pass the stored JSON through for the fixed Event selection, and do not await every send (cork per tick).',
      }),
    ],
    details: { events: ours.events, oursMs: ours.ms, rawRows: baseline.count, rawMs: baseline.ms, oursPerSec: oursRate, rawPerSec: rawRate },
  };
}
