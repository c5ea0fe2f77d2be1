/** Small statistics and formatting helpers shared by the benchmarks. */

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes of this machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The p-th percentile (0..100) of an ascending array (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? NaN;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Sorts `values` in place (a typed array sorts numerically) and returns its percentiles. */
export function percentilesOf(values: Float64Array): Percentiles {
  values.sort();
  return {
    count: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.at(-1) ?? NaN,
  };
}

/** A growable Float64Array (latency samples without boxing). */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  clear(): void {
    this.length = 0;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Human formatting: 3 significant digits, thousands separators for big numbers. */
export function fmt(value: number | null | undefined, digits = 3): string {
  if (value == null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs === 0) return '0';
  return Number(value.toPrecision(digits)).toString();
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${fmt(bytes / (1 << 30))} GiB`;
  if (bytes >= 1 << 20) return `${fmt(bytes / (1 << 20))} MiB`;
  if (bytes >= 1 << 10) return `${fmt(bytes / (1 << 10))} KiB`;
  return `${Math.round(bytes)} B`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `fn` `times` times (after `warmup` unmeasured runs) and returns each run's duration in ms. */
export async function timeRuns(times: number, fn: (i: number) => Promise<unknown>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = now();
    await fn(i);
    durations.push(now() - start);
  }
  return durations;
}

/** Times `a` and `b` alternately (`times` each, after one unmeasured run of each), so drift affects both alike. */
export async function timeAlternately(times: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < times; i++) {
    let start = now();
    await a();
    ta.push(now() - start);
    start = now();
    await b();
    tb.push(now() - start);
  }
  return [ta, tb];
}
