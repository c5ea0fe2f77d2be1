import type { ThreadRecord } from '../domain/records.js';

/**
 * Thread records with a write in flight: until the write settles they are what writers read, so two writes of
 * one thread in one group commit build on each other (Runtime.commit, Runtime.threadForWrite).
 */
export class PendingThreads {
  readonly #byId = new Map<string, { record: ThreadRecord; writes: number }>();

  /** A write of these records starts. */
  begin(threads: readonly ThreadRecord[]): void {
    for (const t of threads) {
      const entry = this.#byId.get(t.id);
      this.#byId.set(t.id, { record: t, writes: (entry?.writes ?? 0) + 1 });
    }
  }

  /** The write was refused: the records in memory may be ahead of the store, so the next writer reads the store. */
  forget(threads: readonly ThreadRecord[]): void {
    for (const t of threads) this.#byId.delete(t.id);
  }

  /** The write settled (either way); a record is dropped when its last write in flight settles. */
  end(threads: readonly ThreadRecord[]): void {
    for (const t of threads) {
      const entry = this.#byId.get(t.id);
      if (entry && --entry.writes <= 0) this.#byId.delete(t.id);
    }
  }

  /** A copy of the newest record with a write in flight, if any. */
  get(id: string): ThreadRecord | undefined {
    const entry = this.#byId.get(id);
    return entry ? { ...entry.record } : undefined;
  }
}
