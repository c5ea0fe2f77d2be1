import type { EventRecord } from '../domain/records.js';
import type { RuntimePubSub } from './eventLog.js';

/**
 * Where committed events go on their way to this node's subscribers (docs/DESIGN.md "Event log"). The event log
 * hands every commit's events to the bus; the bus delivers each seq once, in seq order, to the runtime's pubsub.
 * One process needs nothing more than `LocalEventBus`; a shared store plugs in a bus that also delivers the
 * commits of other nodes in between (e.g. src/store/postgres/pgEventFeed.ts).
 */
export interface EventBus {
  /** Events this node just committed: consecutive seqs, ascending, already durable. */
  committed(events: readonly EventRecord[]): void;
}

/** Delivers one event to the subscribers of every event and of its thread. */
export function publishEvent(pubsub: RuntimePubSub, event: EventRecord): void {
  pubsub.publish('threadEvents', event.threadId, event);
  pubsub.publish('events', event);
}

/** One process: its own commits are the whole log, and the store serialises them, so they go out at once. */
export class LocalEventBus implements EventBus {
  constructor(private readonly pubsub: RuntimePubSub) {}

  committed(events: readonly EventRecord[]): void {
    for (const event of events) publishEvent(this.pubsub, event);
  }
}
