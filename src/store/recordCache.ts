import type { AbstractBatchOperation } from 'abstract-level';
import { LRUCache } from 'lru-cache';

/** Records of each kind kept decoded (the most recently read or written). */
export const RECORD_CACHE_ENTRIES = 10_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type BatchOperation = AbstractBatchOperation<any, string, any>;

/** A batch being written: the records it fills the cache with once it is written (write-through kinds). */
export interface CacheWrite<Kind extends string> {
  readonly fills: readonly { kind: Kind; id: string; flight: Flight; record: object }[];
  readonly flights: readonly Flight[];
}

/** The writes in flight of one record: one that overlapped another write of its record does not fill. */
interface Flight {
  key: string;
  count: number;
  overlapped: boolean;
}

/**
 * Decoded records by id in front of one LevelDB sublevel each (docs/DESIGN.md "Record cache"). Safe only because
 * this process is the store's one writer: every write goes through `Store.write`, which calls `writing` before and
 * `written` after it with its operations, so an entry is dropped as soon as its record changes, and the records
 * of write-through kinds are kept as written (a copy decoded from their JSON, what a read would return). A read
 * that raced a write does not fill (its value may be the older one): `fill` takes the write count seen when the
 * read started. Callers get a shallow copy of each record: the runtime changes records it holds before it writes them.
 */
export class RecordCache<Kind extends string> {
  private readonly caches = new Map<Kind, LRUCache<string, object>>();
  private readonly kindOf = new Map<unknown, Kind>();
  private readonly writeThrough: ReadonlySet<Kind>;
  /** Write-through records with a write in flight, by kind and id. */
  private readonly flights = new Map<string, Flight>();
  private writes = 0;

  constructor(
    sublevels: Record<Kind, unknown>,
    { max = RECORD_CACHE_ENTRIES, writeThrough = [] }: { max?: number; writeThrough?: readonly Kind[] } = {},
  ) {
    for (const [kind, sublevel] of Object.entries(sublevels) as [Kind, unknown][]) {
      this.caches.set(kind, new LRUCache({ max }));
      this.kindOf.set(sublevel, kind);
    }
    this.writeThrough = new Set(writeThrough);
  }

  /** Pass to `fill` with what a read that starts now returns. */
  get generation(): number {
    return this.writes;
  }

  /** A copy of the cached record, or undefined. */
  get(kind: Kind, id: string): object | undefined {
    const hit = this.caches.get(kind)?.get(id);
    return hit && { ...hit };
  }

  /** Keeps a record read from LevelDB, unless a write landed since the read started. Returns a copy to hand out. */
  fill(kind: Kind, generation: number, id: string, record: object): object {
    if (generation === this.writes) this.caches.get(kind)?.set(id, record);
    return { ...record };
  }

  /** A batch is about to be written: copies its write-through records as they are now (the last put of each wins). */
  writing(ops: readonly BatchOperation[]): CacheWrite<Kind> {
    const last = new Map<string, { kind: Kind; op: BatchOperation }>();
    for (const op of ops) {
      const kind = this.kindOfOp(op);
      if (kind !== undefined && this.writeThrough.has(kind)) last.set(`${kind}\u0000${op.key}`, { kind, op });
    }
    const fills: { kind: Kind; id: string; flight: Flight; record: object }[] = [];
    const flights: Flight[] = [];
    for (const [key, { kind, op }] of last) {
      let flight = this.flights.get(key);
      if (flight) flight.overlapped = true;
      else this.flights.set(key, (flight = { key, count: 0, overlapped: false }));
      flight.count++;
      flights.push(flight);
      if (op.type === 'put') fills.push({ kind, id: op.key, flight, record: JSON.parse(JSON.stringify(op.value)) as object });
    }
    return { fills, flights };
  }

  /**
   * A batch was written (`ok`), or failed: then what it touched is not trusted and nothing is filled. A record
   * another write of it overlapped is dropped, not filled: which of the two LevelDB applied last is not known here.
   */
  written(ops: readonly BatchOperation[], write: CacheWrite<Kind>, ok: boolean): void {
    this.writes++;
    for (const op of ops) {
      const kind = this.kindOfOp(op);
      if (kind) this.caches.get(kind)?.delete(op.key);
    }
    if (ok) for (const { kind, id, flight, record } of write.fills) if (!flight.overlapped) this.caches.get(kind)?.set(id, record);
    for (const flight of write.flights) if (--flight.count === 0) this.flights.delete(flight.key);
  }

  clear(): void {
    this.writes++;
    for (const cache of this.caches.values()) cache.clear();
  }

  private kindOfOp(op: BatchOperation): Kind | undefined {
    return 'sublevel' in op ? this.kindOf.get(op.sublevel) : undefined;
  }
}
