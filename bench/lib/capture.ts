import { inspectSublevels, type Store } from '../../src/store/store.js';
import { openSublevels, type Sublevels } from '../../src/store/sublevels.js';
import { now } from './stats.js';

/** One op of a LevelDB batch our server wrote, with its sublevel by name (so it can be written to another store). */
export interface CapturedOp {
  type: 'put' | 'del';
  sub: keyof Sublevels;
  key: string;
  value?: unknown;
}

export interface CapturedBatch {
  /** When the server called db.batch, and when that write completed. */
  at: number;
  doneAt: number;
  ops: CapturedOp[];
}

/**
 * Records every `db.batch([...])` the store makes until `stop()`: the exact writes of a scenario, which the
 * storage baselines then write raw (no runtime, no GraphQL) to measure the storage limit for the same records.
 */
export function captureBatches(store: Store): { batches: CapturedBatch[]; stop: () => void } {
  const names = new Map<unknown, keyof Sublevels>();
  for (const [name, sub] of Object.entries(inspectSublevels(store))) names.set(sub, name as keyof Sublevels);

  const db = store.db as any;
  const original = db.batch;
  const batches: CapturedBatch[] = [];
  db.batch = function (this: unknown, ...args: unknown[]) {
    const ops = args[0];
    if (!Array.isArray(ops)) return original.apply(this, args);
    const captured: CapturedBatch = {
      at: now(),
      doneAt: NaN,
      ops: ops.map((op: { type: 'put' | 'del'; sublevel: unknown; key: string; value?: unknown }) => ({
        type: op.type,
        sub: names.get(op.sublevel)!,
        key: op.key,
        value: op.value,
      })),
    };
    batches.push(captured);
    const result = original.apply(this, args);
    void Promise.resolve(result).then(
      () => (captured.doneAt = now()),
      () => undefined,
    );
    return result;
  };
  return {
    batches,
    stop: () => {
      db.batch = original;
    },
  };
}

/** Writes `ops` in one LevelDB batch, synced when `target` is strict (as the store's own writes are). */
export function rawBatch(target: Store, ops: any[]): Promise<void> {
  // classic-level reads `sync`; abstract-level's option type does not declare it.
  return target.db.batch(ops, { sync: target.durability === 'strict' } as never);
}

const writeSublevels = new WeakMap<Store, Sublevels>();

/** Sublevels of `target`'s database for raw writes (the same names and encodings as the store's own), opened once per store. */
function rawWriteSublevels(target: Store): Sublevels {
  let subs = writeSublevels.get(target);
  if (!subs) writeSublevels.set(target, (subs = openSublevels(target.db)));
  return subs;
}

/** `db.batch` ops for `target`, keys suffixed with `suffix` (to write the same records again under new keys). */

export function toOps(target: Store, batch: CapturedBatch, suffix = ''): any[] {
  const subs = rawWriteSublevels(target);
  return batch.ops.map((op) =>
    op.type === 'put'
      ? { type: 'put', sublevel: subs[op.sub], key: op.key + suffix, value: op.value }
      : { type: 'del', sublevel: subs[op.sub], key: op.key + suffix },
  );
}

/**
 * Writes `sequence` (the batches of one operation, in order) `repetitions` times into `target`, `concurrency`
 * sequences at a time, each repetition under its own key suffix. Returns elapsed ms.
 */
export async function replaySequences(target: Store, sequence: CapturedBatch[], repetitions: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const rep = next++;
      if (rep >= repetitions) return;
      for (const batch of sequence) await rawBatch(target, toOps(target, batch, `~r${rep}`));
    }
  };
  const start = now();
  await Promise.all(Array.from({ length: Math.min(concurrency, repetitions) }, worker));
  return now() - start;
}
