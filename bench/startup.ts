/**
 * 6. Startup: from spawning `node dist/server/main.js` (what `npm start` runs; built first) to the first answered
 * GraphQL request, on the large store (10,000 threads, 1,000,000+ events) — and, as the baseline that shows what
 * does not depend on the store, the same on an empty store. Also the in-process share (startServer: open the
 * store, recover, listen) on both, without module loading.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { gql, startOurServer, type BenchContext, type BenchResult } from './lib/context.js';
import { ROOT } from './lib/proc.js';
import { row } from './lib/report.js';
import { fmt, median, now } from './lib/stats.js';

interface Start {
  listeningMs: number;
  firstAnswerMs: number;
}

const FIRST_QUERY = '{ runtimeInfo { latestSeq } }';

let built: true | undefined;

const OURS = (dataDir: string) => ['dist/server/main.js', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'];
const BARE_YOGA = ['bench/lib/bareYogaServer.mjs'];

/** Spawns the server as `npm start` would (`node <file>`) and times it until it answers a query; then stops it (SIGTERM). */
async function spawnServer(args: string[], expectSeq: number | null): Promise<Start> {
  built ??= (execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' }), true);
  const start = now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const m = /listening on (\S+)/.exec(line);
        if (m?.[1]) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${stderr.slice(0, 500)}`)));
    });
    const listeningMs = now() - start;
    const data = await gql<{ runtimeInfo: { latestSeq: number } }>(url, FIRST_QUERY);
    const firstAnswerMs = now() - start;
    if (expectSeq !== null && data.runtimeInfo.latestSeq !== expectSeq)
      throw new Error(`served latestSeq ${data.runtimeInfo.latestSeq}, expected ${expectSeq}`);
    return { listeningMs, firstAnswerMs };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** startServer in this process (modules already loaded) to the first answered query. */
async function inProcess(dataDir: string): Promise<number> {
  const start = now();
  const server = await startOurServer(dataDir, new OfflineEngine(0));
  try {
    await gql(server.url, FIRST_QUERY);
    return now() - start;
  } finally {
    await server.stop();
  }
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const big = await ctx.bigStore();
  const empty = await ctx.dir('startup-empty');
  await mkdir(path.join(empty, 'runtime'), { recursive: true });
  const runs = ctx.sizes.startupRuns;
  ctx.log(
    `  startup: ${runs} spawns each on the empty and the large store (${big.threads.toLocaleString()} threads, ${big.totalEvents.toLocaleString()} events)...`,
  );
  // One unmeasured start of each: tsx's transform cache and the OS page cache are warm for both alike.
  await spawnServer(OURS(empty), null);
  await spawnServer(OURS(big.dataDir), big.lastSeq);
  await spawnServer(BARE_YOGA, 0);
  const emptyRuns: Start[] = [];
  const bigRuns: Start[] = [];
  const bareRuns: Start[] = [];
  for (let i = 0; i < runs; i++) {
    emptyRuns.push(await spawnServer(OURS(empty), null));
    bigRuns.push(await spawnServer(OURS(big.dataDir), big.lastSeq));
    bareRuns.push(await spawnServer(BARE_YOGA, 0));
  }
  const emptyInProc: number[] = [];
  const bigInProc: number[] = [];
  for (let i = 0; i < runs; i++) {
    emptyInProc.push(await inProcess(empty));
    bigInProc.push(await inProcess(big.dataDir));
  }
  const e = median(emptyRuns.map((r) => r.firstAnswerMs));
  const b = median(bigRuns.map((r) => r.firstAnswerMs));
  const ei = median(emptyInProc);
  const bi = median(bigInProc);
  const bare = median(bareRuns.map((r) => r.firstAnswerMs));
  ctx.log(`    spawn → first answer: large ${fmt(b)} ms, empty ${fmt(e)} ms; in-process open+serve: large ${fmt(bi)} ms, empty ${fmt(ei)} ms`);
  // "Independent of store size": within 20% (+20 ms of noise) of the empty store.
  const independent = (ours: number, base: number) => ours <= base * 1.2 + 20;
  return {
    rows: [
      row({
        bench: 'startup',
        name: 'startup: spawn → first answer (`node dist/server/main.js`, empty store)',
        ours: e,
        unit: 'ms',
        better: 'lower',
        baseline: bare,
        baselineName: 'bare Yoga server, `node` on a .mjs file',
        target: '≤ 1.3× baseline',
        met: e <= 1.3 * bare,
        why: `${fmt(e)} ms against ${fmt(bare)} ms for a bare Yoga server: the rest is loading our modules and their dependencies (profile with node --cpu-prof dist/server/main.js; BENCHMARKS.md lists the import costs).`,
      }),
      row({
        bench: 'startup',
        name: `startup: spawn → first answer, ${big.totalEvents.toLocaleString()}-event store`,
        ours: b,
        unit: 'ms',
        better: 'lower',
        baseline: e,
        baselineName: 'same, empty store',
        target: '< 1000 ms, ≈ empty',
        met: b < 1000 && independent(b, e),
        why: independent(b, e)
          ? `it does not depend on the store (empty store: ${fmt(e)} ms; opening, recovering and serving take ${fmt(bi)} ms in-process): ` +
            'loading the (compiled) modules takes the rest.'
          : `slower than on an empty store (${fmt(e)} ms): see the in-process row and BENCHMARKS.md.`,
      }),
      row({
        bench: 'startup',
        name: `startup: open + recover + serve (in-process), ${big.totalEvents.toLocaleString()}-event store`,
        ours: bi,
        unit: 'ms',
        better: 'lower',
        baseline: ei,
        baselineName: 'same, empty store',
        target: '< 1000 ms, ≈ empty',
        met: bi < 1000 && independent(bi, ei),
        why: `open + recover + serve took ${fmt(bi)} ms against ${fmt(ei)} ms on an empty store: something at open grows with the store (profile startServer).`,
      }),
    ],
    details: { emptyRuns, bigRuns, bareYogaRuns: bareRuns, emptyInProcessMs: emptyInProc, bigInProcessMs: bigInProc },
  };
}
