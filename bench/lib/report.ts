import os from 'node:os';
import { fmt } from './stats.js';

/**
 * One line of the results table. `ratio` is always "ours as a fraction of the baseline" with higher = better:
 * ours / baseline for throughputs, baseline / ours for times and sizes (`better: 'lower'`).
 */
export interface Row {
  /** Benchmark file this row comes from (pipeline, replay, reads, writes, connections, startup, sandbox). */
  bench: string;
  name: string;
  ours: number;
  unit: string;
  better: 'higher' | 'lower';
  baseline?: number | null;
  /** What the baseline is (raw LevelDB, raw ws, ...). */
  baselineName?: string;
  ratio?: number | null;
  /** Human-readable target, e.g. "ratio ≥ 0.50" or "< 20 ms". */
  target?: string;
  /** null: no target for this row (reported for information). */
  met?: boolean | null;
  /** For a missed target: why, and what would fix it (printed in the closing note). */
  why?: string;
}

export function row(r: Omit<Row, 'ratio'> & { ratio?: number | null }): Row {
  let ratio = r.ratio;
  if (ratio === undefined) {
    if (r.baseline == null || !r.ours || !r.baseline) ratio = null;
    else ratio = r.better === 'higher' ? r.ours / r.baseline : r.baseline / r.ours;
  }
  const met = r.met ?? null;
  return { ...r, ratio, met, why: met === false ? r.why : undefined };
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  platform: string;
  kernel: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: os.release(),
  };
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform} ${m.kernel}`;
}

function cells(r: Row): string[] {
  const unit = r.unit ? ` ${r.unit}` : '';
  return [
    r.name,
    `${fmt(r.ours)}${unit}`,
    r.baseline == null ? '—' : `${fmt(r.baseline)}${unit}`,
    r.baselineName ?? '—',
    r.ratio == null ? '—' : r.ratio.toFixed(2),
    r.target ?? '—',
    r.met == null ? '—' : r.met ? 'yes' : 'NO',
  ];
}

const HEADERS = ['Benchmark', 'Ours', 'Baseline', 'Baseline is', 'Ratio', 'Target', 'Met?'];

/** A fixed-width text table for the terminal. */
export function textTable(rows: Row[]): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((line) => line[i]?.length ?? 0)));
  const numeric = new Set([1, 2, 4]);
  const render = (line: string[]) => line.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [render(HEADERS), rule, ...rows.map((r) => render(cells(r)))].join('\n');
}

/** The same table in Markdown (for BENCHMARKS.md). */
export function markdownTable(rows: Row[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const lines = [`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map((_, i) => ([1, 2, 4].includes(i) ? '---:' : '---')).join('|')}|`];
  for (const r of rows) lines.push(`| ${cells(r).map(esc).join(' | ')} |`);
  return lines.join('\n');
}
