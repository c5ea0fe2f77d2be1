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
  const pubsub = createPubSub<{ events: [EventRecord]; threadEvents: [threadId: string, event: EventRecord] }>({ eventTarget });
  // Plain listeners of a topic share one EventTarget listener: an event reaches all of them in one synchronous
  // loop, with no async iterator per subscriber (event streams, eventStream.ts).
  const listeners = new Map<string, Set<(event: EventRecord) => void>>();
  const dispatch = (event: Event) => {
    const set = listeners.get(event.type);
    if (set) for (const listener of set) listener((event as CustomEvent<EventRecord>).detail);
  };
  /** Calls `listener` with each event of the thread (every thread's when null) until the returned function is called. */
  const listen = (threadId: string | null, listener: (event: EventRecord) => void): (() => void) => {
    const topic = threadId === null ? 'events' : `threadEvents:${threadId}`;
    let set = listeners.get(topic);
    if (!set) {
      listeners.set(topic, (set = new Set()));
      eventTarget.addEventListener(topic, dispatch);
    }
    set.add(listener);
    return () => {
      if (!set.delete(listener) || set.size) return;
      listeners.delete(topic);
      eventTarget.removeEventListener(topic, dispatch);
    };
  };
  return Object.assign(pubsub, { listen });
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
  /**
   * The turn whose writes this is: a refused write of a turn refuses the writes of that turn queued after it and
   * not committed yet, so a turn's end queued behind its last items is never written over a lost item
   * (docs/DESIGN.md "Event log").
   */
  turnId?: string;
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

  /** Seq of the newest durable event known here (0 for an empty log): this node's commits and those `observed`. */
  get latestSeq(): number {
    return this.latest;
  }

  /** An event another node committed reached this node (the shared store's feed): the log is at least that long. */
  observed(seq: number): void {
    if (seq > this.latest) this.latest = seq;
  }

  commit(batch: UnitOfWork, drafts: EventDraft[], options: CommitOptions = {}): Promise<EventRecord[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, drafts, resolve, reject, ...options });
      this.schedule();
    });
  }

  /**
   * Resolves once the units committed so far have gone to the store (their write under way, not yet durable): a
   * turn builds its provider request while its start is synced, not before the start is sent.
   */
  sent(): Promise<void> {
    // The group commit is a setImmediate queued before this one; its store write starts in the microtasks after it.
    return this.scheduled ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve();
  }

  /** Units waiting for the next group commit (the one in flight not counted). */
  get queued(): number {
    return this.pending.length;
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
      results = await this.commitGroup(group, timestamp);
    } catch (error) {
      // One unit refused (e.g. another node started a turn first) must not fail the others of its tick: each
      // is committed alone then, and only the refused one (and what its turn queued after it) gets the refusal.
      if (error instanceof UserError && group.length > 1) return this.commitEachAlone(group, timestamp);
      for (const p of group) p.reject(refusal(error));
      this.refuseQueuedAfter(new Map(group.flatMap((p) => (p.turnId === undefined ? [] : [[p.turnId, error] as const]))));
      return;
    }
    this.published(group, results);
  }

  /**
   * Rejects the queued units of turns that just had a unit refused (turn id → that refusal): they were queued
   * before the refusal was known. Units queued once it is known (e.g. the turn's end recorded FAILED) are kept.
   */
  private refuseQueuedAfter(refusedTurns: ReadonlyMap<string, unknown>): void {
    if (refusedTurns.size === 0) return;
    const kept: (Pending & CommitOptions)[] = [];
    for (const p of this.pending) {
      if (p.turnId !== undefined && refusedTurns.has(p.turnId)) p.reject(refusal(refusedTurns.get(p.turnId)));
      else kept.push(p);
    }
    this.pending = kept;
  }

  private async commitGroup(group: readonly (Pending & CommitOptions)[], timestamp: string): Promise<EventRecord[][]> {
    return this.store.commit(
      group.map((p) => ({ unit: p.batch, drafts: p.drafts, threadIndexed: p.threadIndexed })),
      timestamp,
    );
  }

  private async commitEachAlone(group: readonly (Pending & CommitOptions)[], timestamp: string): Promise<void> {
    /** Turns with a refused unit in this group, and that refusal: their later units are refused unwritten. */
    const refusedTurns = new Map<string, unknown>();
    for (const p of group) {
      if (p.turnId !== undefined && refusedTurns.has(p.turnId)) {
        p.reject(refusal(refusedTurns.get(p.turnId)));
        continue;
      }
      try {
        this.published([p], await this.commitGroup([p], timestamp));
      } catch (error) {
        p.reject(refusal(error));
        if (p.turnId === undefined) continue;
        refusedTurns.set(p.turnId, error);
        // At once: what is queued now was queued before the refusal was known.
        this.refuseQueuedAfter(new Map([[p.turnId, error]]));
      }
    }
  }

  private published(group: readonly Pending[], results: EventRecord[][]): void {
    const last = results.flat().at(-1)?.seq;
    if (last !== undefined && last > this.latest) this.latest = last;
    for (const events of results) this.bus.committed(events);
    group.forEach((p, i) => p.resolve(defined(results[i], 'events of a committed batch')));
  }
}

/** A typed refusal goes to the caller as is; anything else is the store being unavailable. */
function refusal(error: unknown): unknown {
  return error instanceof StorageError || error instanceof UserError ? error : new StorageError(error);
}
