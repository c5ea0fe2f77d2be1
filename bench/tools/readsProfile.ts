/**
 * Profiling aid for the reads benchmark: seeds (once) a store under DIR, starts our server and a bare Yoga
 * server in this process and loads them in turn (autocannon in a child process, 50 connections), ROUNDS times
 * SECONDS each, so both see the same machine load; prints req/s of each and the ratio.
 * With PROFILE=FILE, our server's windows are CPU-profiled into FILE (read it with cpuprofile.ts).
 *   [PROFILE=reads.cpuprofile] node --import tsx bench/tools/readsProfile.ts DIR thread|list [SECONDS=2] [ROUNDS=3]
 */
import { Session } from 'node:inspector/promises';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OfflineEngine } from '../../src/engine/offlineEngine.js';
import { startOurServer } from '../lib/context.js';
import type { LoadRequest, LoadResult } from '../lib/loadClient.js';
import { forkChild } from '../lib/proc.js';
import { seedBigStore } from '../lib/seed.js';
import { startBareYoga, THREAD_QUERY, THREADS_QUERY } from '../reads.js';

const [dir = '/tmp/reads-profile', which = 'thread', secondsArg = '2', roundsArg = '3'] = process.argv.slice(2);
const seconds = Number(secondsArg);
const idsFile = path.join(dir, 'thread-ids.json');
if (!existsSync(idsFile)) {
  const big = await seedBigStore({ dataDir: dir, threads: 1000, turnsPerThread: 10, itemsPerTurn: 10, replayEvents: 1000 }, console.log);
  writeFileSync(idsFile, JSON.stringify(big.threadIds));
}
const loader = forkChild('loadClient.ts');
await loader.waitFor('ready');
const server = await startOurServer(dir, new OfflineEngine(0));
const bare = await startBareYoga();
const ours: LoadRequest = {
  url: server.url,
  connections: 50,
  query: which === 'list' ? THREADS_QUERY : THREAD_QUERY,
  ...(which === 'list' ? {} : { idsFile, pick: 'random' as const }),
};
const base: LoadRequest = { url: bare.url, connections: 50, query: '{ __typename }' };
const run = (r: LoadRequest, durationSec: number) => loader.call<LoadResult>({ cmd: 'run', ...r, durationSec }, 120_000);
await run(ours, 2);
await run(base, 1);
const session = process.env.PROFILE ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
}
const totals = { ours: 0, base: 0, non2xx: 0, p99: 0, oursCpu: 0, baseCpu: 0 };
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
for (let i = 0; i < Number(roundsArg); i++) {
  if (session) await session.post('Profiler.start');
  let c0 = cpu();
  const r = await run(ours, seconds);
  totals.oursCpu += cpu() - c0;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    if (i === 0) writeFileSync(process.env.PROFILE!, JSON.stringify(profile));
  }
  c0 = cpu();
  const b = await run(base, seconds);
  totals.baseCpu += cpu() - c0;
  totals.ours += r.total;
  totals.base += b.total;
  totals.non2xx += r.non2xx + r.errors;
  totals.p99 = Math.max(totals.p99, r.latency.p99);
  console.log(
    `  round ${i + 1}: ours ${r.requestsPerSec.toFixed(0)} req/s, bare ${b.requestsPerSec.toFixed(0)} req/s, ratio ${(r.total / b.total).toFixed(2)}`,
  );
}
console.log(
  `CPU per request (this process, µs): ours ${(totals.oursCpu / totals.ours).toFixed(0)}, bare ${(totals.baseCpu / totals.base).toFixed(0)}, ratio ${(totals.baseCpu / totals.base / (totals.oursCpu / totals.ours)).toFixed(2)}`,
);
console.log(
  `${which}: ours ${totals.ours} vs bare ${totals.base} requests, ratio ${(totals.ours / totals.base).toFixed(2)}, worst p99 ${totals.p99} ms, bad ${totals.non2xx}`,
);
session?.disconnect();
await server.stop();
bare.server.close();
await loader.stop();
