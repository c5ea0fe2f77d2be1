import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { EventDraft, EventRecord } from '../domain/records.js';
import type { RecordStore, UnitOfWork } from '../store/contract.js';
import { StorageError } from '../store/store.js';
import { defined } from '../domain/defined.js';
import type { EventBus } from './eventBus.js';
import { UserError } from '../domain/errors.js';

export type RuntimePubSub = ReturnType<typeof createRuntimePubSub>;

/** One topic for every event and one per thread: this node's subscribers (fed by the EventBus, eventBus.ts). */
export function createRuntimePubSub() {
  const eventTarget = new EventTarget();
  // Every subscriber is a listener on it: hundreds of them on one thread are normal, not a leak.
  setMaxListeners(0, eventTarget);
  return createPubSub<{ events: [EventRecord]; threadEvents: [threadId: string, event: EventRecord] }>({ eventTarget });
}

interface Pending {
  batch: UnitOfWork;
  drafts: EventDraft[];
  resolve: (events: EventRecord[]) => void;
  reject: (error: unknown) => void;
}

export interface CommitOptions {
  /** Events of a deleted thread stay in the global log but get no per-thread replay row. */
  threadIndexed?: boolean;
}

/**
 * The event log (docs/DESIGN.md "Event log"). Changes committed in the same tick go to the store as one commit
 * (group commit), which writes them atomically with their events and gives those consecutive seqs; events are
 * published only after the commit is durable, in seq order. A failed commit rejects its changes and uses no seq.
 */
export class EventLog {
  private pending: (Pending & CommitOptions)[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  private latest: number;

  constructor(
    private readonly store: RecordStore,
    private readonly bus: EventBus,
    latestSeq: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.latest = latestSeq;
  }

  /** Seq of the newest durable event (0 for an empty log). */
  get latestSeq(): number {
    return this.latest;
  }

  commit(batch: UnitOfWork, drafts: EventDraft[], options: CommitOptions = {}): Promise<EventRecord[]> {
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
    const timestamp = new Date(this.clock()).toISOString();
    let results: EventRecord[][];
    try {
      results = await this.store.commit(
        group.map((p) => ({ unit: p.batch, drafts: p.drafts, threadIndexed: p.threadIndexed })),
        timestamp,
      );
    } catch (error) {
      // A typed refusal (e.g. another node started a turn first) goes to the caller as is.
      const refused = error instanceof StorageError || error instanceof UserError ? error : new StorageError(error);
      for (const p of group) p.reject(refused);
      return;
    }
    this.latest = results.flat().at(-1)?.seq ?? this.latest;
    for (const events of results) this.bus.committed(events);
    group.forEach((p, i) => p.resolve(defined(results[i], 'events of a committed batch')));
  }
}
