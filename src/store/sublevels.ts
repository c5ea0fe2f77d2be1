import type { AbstractLevel } from 'abstract-level';
import type { AnySublevel } from './paging.js';
import type { ThreadMetadata } from '../domain/threadMetadata.js';

/** Value of a `threadsByUpdated` row: what thread listings filter on without reading the record. */
export interface ThreadIndexValue {
  archived: boolean;
  taskId: string | null;
}

/** Value of a metadata index row: what a metadata listing filters on (its other keys too) without reading the record. */
export interface MetadataIndexValue extends ThreadIndexValue {
  metadata: ThreadMetadata;
}

/** The read methods of a sublevel: all that tests and benchmarks may do with raw rows (`inspectSublevels` in store.ts). */
export type ReadonlySublevel = Pick<AnySublevel, 'get' | 'getMany' | 'keys' | 'values' | 'iterator'>;

export interface Sublevels {
  meta: AnySublevel;
  threads: AnySublevel;
  threadsByUpdated: AnySublevel;
  /** Per metadata key and value: rows by update time (`prefix!updatedKey`) and by creation (`prefix!threadId`). */
  threadMetaByUpdated: AnySublevel;
  threadMetaByCreated: AnySublevel;
  turns: AnySublevel;
  threadTurns: AnySublevel;
  items: AnySublevel;
  turnItems: AnySublevel;
  events: AnySublevel;
  threadEvents: AnySublevel;
  /** The rows of events / threadEvents as their JSON text (for passing them through). */
  eventsText: AnySublevel;
  threadEventsText: AnySublevel;
  queue: AnySublevel;
  openTurns: AnySublevel;
  approvals: AnySublevel;
  pendingApprovals: AnySublevel;
  threadApprovals: AnySublevel;
  usageRollups: AnySublevel;
  usageFacts: AnySublevel;
  images: AnySublevel;
  threadExpiry: AnySublevel;
  turnSnapshots: AnySublevel;
  webhooks: AnySublevel;
  webhookDeliveries: AnySublevel;
  webhookPending: AnySublevel;
  idempotency: AnySublevel;
  idempotencyExpiry: AnySublevel;
}

export type ReadonlySublevels = { readonly [K in keyof Sublevels]: ReadonlySublevel };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function openSublevels(db: AbstractLevel<any, string, any>): Sublevels {
  // abstract-level's generics are invariant in the encodings: one AnySublevel type holds json and utf8 sublevels.
  const json = (name: string) => db.sublevel<string, unknown>(name, { valueEncoding: 'json' }) as unknown as AnySublevel;
  const index = (name: string) => db.sublevel<string, string>(name, { valueEncoding: 'utf8' }) as unknown as AnySublevel;
  return {
    meta: json('meta'),
    threads: json('threads'),
    threadsByUpdated: json('threadsByUpdated'),
    threadMetaByUpdated: json('threadMetaByUpdated'),
    threadMetaByCreated: json('threadMetaByCreated'),
    turns: json('turns'),
    threadTurns: index('threadTurns'),
    items: json('items'),
    turnItems: index('turnItems'),
    events: json('events'),
    threadEvents: json('threadEvents'),
    eventsText: index('events'),
    threadEventsText: index('threadEvents'),
    queue: index('queue'),
    openTurns: index('openTurns'),
    approvals: json('approvals'),
    pendingApprovals: index('pendingApprovals'),
    threadApprovals: index('threadApprovals'),
    usageRollups: json('usageRollups'),
    usageFacts: json('usageFacts'),
    images: json('images'),
    threadExpiry: index('threadExpiry'),
    turnSnapshots: json('turnSnapshots'),
    webhooks: json('webhooks'),
    webhookDeliveries: json('webhookDeliveries'),
    webhookPending: index('webhookPending'),
    idempotency: json('idempotency'),
    idempotencyExpiry: index('idempotencyExpiry'),
  };
}
