import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { EventDraft, EventRecord } from '../domain/records.js';
import type { StoreBatch } from '../store/batch.js';
import { StorageError, type Store } from '../store/store.js';
import { defined } from '../domain/defined.js';

export type RuntimePubSub = ReturnType<typeof createRuntimePubSub>;

/** One topic for every event and one per thread. The event target is where a shared bus plugs in. */
export function createRuntimePubSub() {
  const eventTarget = new EventTarget();
  // Every subscriber is a listener on it: hundreds of them on one thread are normal, not a leak.
  setMaxListeners(0, eventTarget);
  return createPubSub<{ events: [EventRecord]; threadEvents: [threadId: string, event: EventRecord] }>({ eventTarget });
}

interface Pending {
  batch: StoreBatch;
  drafts: EventDraft[];
  resolve: (events: EventRecord[]) => void;
  reject: (error: unknown) => void;
}

export interface CommitOptions {
  /** Events of a deleted thread stay in the global log but get no per-thread replay row. */
  threadIndexed?: boolean;
}

/**
 * The event log (docs/DESIGN.md "Event log"). Changes committed in the same tick are written in one LevelDB batch (group
 * commit) together with their events, which get consecutive seqs there; events are published only after the
 * batch is durable, in seq order. A failed batch rejects its commits and uses no seq, so seq stays gapless.
 */
export class EventLog {
  private pending: (Pending & CommitOptions)[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  private next: number;

  constructor(
    private readonly store: Store,
    readonly pubsub: RuntimePubSub,
    nextSeq: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.next = nextSeq;
  }

  /** Seq of the newest durable event (0 for an empty log). */
  get latestSeq(): number {
    return this.next - 1;
  }

  commit(batch: StoreBatch, drafts: EventDraft[], options: CommitOptions = {}): Promise<EventRecord[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, drafts, resolve, reject, ...options });
      this.schedule();
    });
  }

  /** Resolves when everything committed so far is written. */
  async drain(): Promise<void> {
    while (this.pending.length || this.flushing || this.scheduled) {
      await (this.flushing ?? new Promise((r) => setImmediate(r)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.pending.length) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    const combined = this.store.batch();
    const results: EventRecord[][] = [];
    let seq = this.next;
    for (const p of group) {
      combined.append(p.batch);
      const timestamp = new Date(this.clock()).toISOString();
      const events = p.drafts.map((d) => ({ seq: seq++, timestamp, ...d }));
      for (const event of events) combined.putEvent(event, p.threadIndexed !== false);
      results.push(events);
    }
    if (seq !== this.next) combined.putMeta('next_seq', seq);
    try {
      await combined.write();
    } catch (error) {
      const refused = new StorageError(error);
      for (const p of group) p.reject(refused);
      return;
    }
    this.next = seq;
    for (const events of results) {
      for (const event of events) {
        this.pubsub.publish('threadEvents', event.threadId, event);
        this.pubsub.publish('events', event);
      }
    }
    group.forEach((p, i) => p.resolve(defined(results[i], 'events of a committed batch')));
  }
}
