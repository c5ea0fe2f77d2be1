/**
 * Profiling aid for the replay benchmark: seeds (once) a store with EVENTS events of one thread under DIR, then
 * ROUNDS times: a raw range read of the thread's rows, and `threadEvents(sinceSeq: 0)` read by one graphql-ws
 * client (child process) to the newest event; prints both rates and the ratio.
 * With PROFILE=FILE, the first subscription window is CPU-profiled into FILE (read it with cpuprofile.ts).
 *   [PROFILE=replay.cpuprofile] node --import tsx bench/tools/replayProfile.ts DIR [EVENTS=100000] [ROUNDS=3]
 */
import { Session } from 'node:inspector/promises';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OfflineEngine } from '../../src/engine/offlineEngine.js';
import { prefixRange } from '../../src/store/keys.js';
import { inspectSublevels, Store } from '../../src/store/store.js';
import { startOurServer } from '../lib/context.js';
import { forkChild } from '../lib/proc.js';
import { seedBigStore } from '../lib/seed.js';
import { now } from '../lib/stats.js';
import { SUBSCRIPTION } from '../replay.js';

const [dir = '/tmp/replay-profile', eventsArg = '100000', roundsArg = '3'] = process.argv.slice(2);
const infoFile = path.join(dir, 'replay.json');
if (!existsSync(infoFile)) {
  const big = await seedBigStore({ dataDir: dir, threads: 10, turnsPerThread: 2, itemsPerTurn: 2, replayEvents: Number(eventsArg) }, console.log);
  writeFileSync(infoFile, JSON.stringify({ threadId: big.replayThreadId, lastSeq: big.lastSeq }));
}
const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { threadId: string; lastSeq: number };

async function rawRead(): Promise<{ count: number; ms: number }> {
  const store = await Store.open(path.join(dir, 'runtime'));
  const start = now();
  let count = 0;
  const iterator = inspectSublevels(store).threadEvents.values(prefixRange(info.threadId));
  for (;;) {
    const page = await iterator.nextv(1000);
    if (page.length === 0) break;
    count += page.length;
  }
  await iterator.close();
  const ms = now() - start;
  await store.close();
  return { count, ms };
}

const session = process.env.PROFILE ? new Session() : null;
session?.connect();
await session?.post('Profiler.enable');
const totals = { raw: 0, ours: 0 };
for (let i = 0; i < Number(roundsArg); i++) {
  const raw = await rawRead();
  const server = await startOurServer(dir, new OfflineEngine(0));
  const client = forkChild('subscriberClient.ts');
  await client.waitFor('ready');
  if (session && i === 0) await session.post('Profiler.start');
  const open = await client.call<{ ms: number }>({
    cmd: 'open',
    kind: 'graphql',
    url: server.url.replace(/^http/, 'ws'),
    n: 1,
    query: SUBSCRIPTION,
    variables: { threadId: info.threadId, sinceSeq: 0 },
  });
  const start = now() - open.ms;
  const done = await client.call<{ lastMatchedAt: number }>({ cmd: 'waitAll', predicate: { seqAtLeast: info.lastSeq }, timeoutMs: 600_000 }, 610_000);
  if (session && i === 0) writeFileSync(process.env.PROFILE!, JSON.stringify((await session.post('Profiler.stop')).profile));
  const stats = await client.call<{ events: { total: number }; errorCount: number; errors: string[] }>({ cmd: 'stats' });
  if (stats.errorCount) throw new Error(stats.errors.join(' | '));
  const ms = done.lastMatchedAt - start;
  await client.stop();
  await server.stop();
  const rawRate = raw.count / (raw.ms / 1000);
  const oursRate = stats.events.total / (ms / 1000);
  totals.raw += rawRate;
  totals.ours += oursRate;
  console.log(
    `  round ${i + 1}: raw ${rawRate.toFixed(0)}/s, ours ${oursRate.toFixed(0)}/s (${stats.events.total} events), ratio ${(oursRate / rawRate).toFixed(2)}`,
  );
}
console.log(`replay: mean ratio ${(totals.ours / totals.raw).toFixed(2)}`);
session?.disconnect();
