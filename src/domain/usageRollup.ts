/**
 * Usage is rolled up per quarter hour (every time zone's offset is a multiple of 15 minutes, so a quarter
 * never straddles a local midnight), per thread and per model. A range query reads whole quarters from the
 * rollups and the partial quarters at its edges from per-turn facts, so it is exact and its cost does not grow
 * with the number of turns.
 */
export const QUARTER_MS = 15 * 60 * 1000;

export function quarterStart(ms: number): number {
  return Math.floor(ms / QUARTER_MS) * QUARTER_MS;
}

/** The quarter hour (ISO start time) a turn that ended at `endedAt` is rolled up in. */
export function rollupQuarter(endedAt: string): string {
  return new Date(quarterStart(Date.parse(endedAt))).toISOString();
}

/**
 * Splits [since, until] (inclusive, either open; epoch ms) into the whole quarters [from, to) read from rollups
 * (null: none; a null bound: unbounded) and the edge ranges [a, b) read from per-turn facts.
 */
export function splitRange(since: number | null, until: number | null) {
  const end = until === null ? null : until + 1;
  const from = since === null ? null : Math.ceil(since / QUARTER_MS) * QUARTER_MS;
  const to = end === null ? null : Math.floor(end / QUARTER_MS) * QUARTER_MS;
  if (from !== null && to !== null && from >= to) {
    return { full: null, edges: since! < end! ? [[since!, end!] as [number, number]] : [] };
  }
  const edges: [number, number][] = [];
  if (since !== null && since < from!) edges.push([since, from!]);
  if (end !== null && to! < end) edges.push([to!, end]);
  return { full: { from, to }, edges };
}
