import type { AbstractBatchOperation } from 'abstract-level';
import { LRUCache } from 'lru-cache';

/** Records of each kind kept decoded (the most recently read). */
export const RECORD_CACHE_ENTRIES = 10_000;

/**
 * Decoded records by id in front of one LevelDB sublevel each (docs/DESIGN.md "Record cache"). Safe only because
 * this process is the store's one writer: every write goes through `Store.write`, which calls `written` with its
 * operations, so an entry is dropped as soon as its record changes. A read that raced a write does not fill
 * (its value may be the older one): `fill` takes the write count seen when the read started.
 * Callers get a shallow copy of each record: the runtime changes records it holds before it writes them.
 */
export class RecordCache<Kind extends string> {
  private readonly caches = new Map<Kind, LRUCache<string, object>>();
  private readonly kindOf = new Map<unknown, Kind>();
  private writes = 0;

  constructor(sublevels: Record<Kind, unknown>, max = RECORD_CACHE_ENTRIES) {
    for (const [kind, sublevel] of Object.entries(sublevels) as [Kind, unknown][]) {
      this.caches.set(kind, new LRUCache({ max }));
      this.kindOf.set(sublevel, kind);
    }
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

  /** A batch was written (or failed: then too, what it touched is not trusted). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  written(ops: readonly AbstractBatchOperation<any, string, any>[]): void {
    this.writes++;
    for (const op of ops) {
      const kind = 'sublevel' in op ? this.kindOf.get(op.sublevel) : undefined;
      if (kind) this.caches.get(kind)?.delete(op.key);
    }
  }

  clear(): void {
    this.writes++;
    for (const cache of this.caches.values()) cache.clear();
  }
}
