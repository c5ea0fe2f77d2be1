/**
 * 7. Sandbox: what bubblewrap (namespaces, binds, the command's cgroup) adds to one shell command, against
 * spawning the same `bash -c true` directly (no sandbox, no cgroup). Alternating runs, medians.
 */
import { spawn } from 'node:child_process';
import { detectSandbox } from '../src/engine/tools/sandbox.js';
import { runShell } from '../src/engine/tools/shell.js';
import type { BenchContext, BenchResult } from './lib/context.js';
import { row } from './lib/report.js';
import { fmt, median, now } from './lib/stats.js';

function plainSpawn(cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', 'true'], { cwd, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = now();
  await fn();
  return now() - start;
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const support = await detectSandbox();
  if (!support.available) throw new Error(`the sandbox is unavailable here: ${support.problem}`);
  const ws = await ctx.dir('sandbox-ws');
  const runs = ctx.quick ? 20 : 100;
  ctx.log(`  sandbox: ${runs} × \`true\` plain, sandboxed, sandboxed with network (${support.version}, limits by ${support.limits.mechanism})...`);
  const plain: number[] = [];
  const sandboxed: number[] = [];
  const withNetwork: number[] = [];
  const command = { command: 'true', cwd: ws, textPolicy: false } as const;
  await plainSpawn(ws);
  await runShell(command);
  for (let i = 0; i < runs; i++) {
    plain.push(await timed(() => plainSpawn(ws)));
    sandboxed.push(await timed(() => runShell(command)));
    withNetwork.push(await timed(() => runShell({ ...command, networkAccess: true })));
  }
  const p = median(plain);
  const s = median(sandboxed);
  const n = median(withNetwork);
  ctx.log(`    per command: plain spawn ${fmt(p)} ms, sandbox ${fmt(s)} ms (${fmt(s / p)}×), sandbox with network ${fmt(n)} ms (${fmt(n / p)}×)`);
  const common = {
    bench: 'sandbox',
    unit: 'ms',
    better: 'lower',
    baseline: p,
    baselineName: 'plain spawn of bash -c true',
    target: 'reported (cost of confinement)',
    met: null,
  } as const;
  return {
    rows: [
      row({ ...common, name: 'sandbox: one command under bwrap, no network (WORKSPACE_WRITE)', ours: s }),
      row({ ...common, name: 'sandbox: one command under bwrap, with network', ours: n }),
    ],
    details: { runs, plainMs: plain, sandboxedMs: sandboxed, withNetworkMs: withNetwork, limits: support.limits.mechanism },
  };
}
