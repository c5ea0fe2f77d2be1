import type { AbstractSublevel } from 'abstract-level';
import { SEP } from './keys.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  entries: { cursor: string; value: T }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySublevel = AbstractSublevel<any, any, string, any>;

export const DEFAULT_PAGE = 50;
const READ_CHUNK = 1000;

/**
 * One page of the rows under `prefix!` (or the whole sublevel when prefix is null), by key range: the cursor is
 * the key without the prefix, so `after`/`before` become range bounds and no page scans rows outside it.
 * `accept` filters rows by their index value without a second read. Relay semantics: `first` then `last`.
 * `descending`: the list runs from the highest key down (its `after` is a smaller key).
 * Rows are read with `nextv` in chunks of what the page still needs (one read for an unfiltered page).
 */
export async function pageRange<V>(
  sub: AnySublevel,
  prefix: string | null,
  args: PageArgs,
  accept?: (value: V) => boolean,
  descending = false,
): Promise<Page<V>> {
  const base = prefix === null ? '' : `${prefix}${SEP}`;
  const end = base + '\uffff';
  // Bounds in key terms: the rows before the list's `after` and after its `before` are left out.
  const low = descending ? args.before : args.after;
  const high = descending ? args.after : args.before;
  const lower = low != null ? { gt: base + low } : { gte: base };
  const upper = high != null ? { lt: base + high } : { lt: end };
  const backward = args.first == null && args.last != null;
  const want = backward ? args.last! : (args.first ?? DEFAULT_PAGE);

  const rows: { cursor: string; value: V }[] = [];
  // A page can ask for everything (first: MAX_SAFE_INTEGER): reads go in chunks of at most READ_CHUNK rows.
  const bounded = !accept && want < READ_CHUNK;
  const iterator = sub.iterator({ ...lower, ...upper, reverse: backward !== descending, ...(bounded ? { limit: want + 1 } : {}) });
  try {
    let chunk = Math.min(READ_CHUNK, want + 1);
    while (rows.length <= want) {
      const entries = (await iterator.nextv(chunk)) as [string, V][];
      for (const [key, value] of entries) {
        if (accept && !accept(value)) continue;
        rows.push({ cursor: key.slice(base.length), value });
        if (rows.length > want) break;
      }
      if (entries.length < chunk) break;
      chunk = Math.min(READ_CHUNK, chunk * 2); // rows were filtered out: read further in bigger chunks
    }
  } finally {
    await iterator.close();
  }
  const more = rows.length > want;
  if (more) rows.pop();
  if (backward) rows.reverse();

  let hasNextPage = backward ? false : more;
  let hasPreviousPage = backward ? more : false;
  // The side we did not page towards: is there anything beyond the cursor we started from?
  if (!backward && args.after != null) {
    const range = descending ? { gte: base + args.after, lt: end } : { gte: base, lte: base + args.after, reverse: true };
    hasPreviousPage = await anyRow(sub, range, accept);
  }
  if (backward && args.before != null) {
    const range = descending ? { gte: base, lte: base + args.before, reverse: true } : { gte: base + args.before, lt: end };
    hasNextPage = await anyRow(sub, range, accept);
  }
  if (!backward && args.last != null && rows.length > args.last) {
    rows.splice(0, rows.length - args.last);
    hasPreviousPage = true;
  }
  return { entries: rows, hasNextPage, hasPreviousPage };
}

async function anyRow<V>(sub: AnySublevel, range: object, accept?: (value: V) => boolean): Promise<boolean> {
  if (!accept) return (await sub.keys({ ...range, limit: 1 }).all()).length > 0;
  for await (const [, value] of sub.iterator(range)) {
    if (accept(value as V)) return true;
  }
  return false;
}

/** Relay paging over rows already in memory, in list order: cursors ascending, or descending with `descending`. */
export function pageArray<T>(rows: { cursor: string; value: T }[], args: PageArgs, descending = false): Page<T> {
  const beyond = (cursor: string, bound: string) => (descending ? cursor < bound : cursor > bound);
  let start = 0;
  let end = rows.length;
  if (args.after != null) start = rows.findIndex((r) => beyond(r.cursor, args.after!));
  if (start < 0) start = rows.length;
  if (args.before != null) {
    const i = rows.findIndex((r) => r.cursor === args.before || beyond(r.cursor, args.before!));
    end = i < 0 ? rows.length : i;
  }
  let slice = rows.slice(start, Math.max(start, end));
  let hasNextPage = end < rows.length;
  let hasPreviousPage = start > 0;
  if (args.first != null) {
    hasNextPage = slice.length > args.first;
    slice = slice.slice(0, args.first);
  } else if (args.last == null) {
    hasNextPage = slice.length > DEFAULT_PAGE;
    slice = slice.slice(0, DEFAULT_PAGE);
  }
  if (args.last != null) {
    hasPreviousPage = slice.length > args.last;
    slice = slice.slice(Math.max(0, slice.length - args.last));
  }
  return { entries: slice, hasNextPage, hasPreviousPage };
}
