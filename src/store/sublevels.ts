import type { AbstractLevel } from 'abstract-level';
import type { AnySublevel } from './paging.js';

/** Value of a `threadsByUpdated` row: what thread listings filter on without reading the record. */
export interface ThreadIndexValue {
  archived: boolean;
  taskId: string | null;
}

export interface Sublevels {
  meta: AnySublevel;
  threads: AnySublevel;
  threadsByUpdated: AnySublevel;
  turns: AnySublevel;
  threadTurns: AnySublevel;
  items: AnySublevel;
  turnItems: AnySublevel;
  events: AnySublevel;
  threadEvents: AnySublevel;
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function openSublevels(db: AbstractLevel<any, string, any>): Sublevels {
  const json = (name: string) => db.sublevel<string, unknown>(name, { valueEncoding: 'json' }) as unknown as AnySublevel;
  const index = (name: string) => db.sublevel<string, string>(name, { valueEncoding: 'utf8' }) as unknown as AnySublevel;
  return {
    meta: json('meta'),
    threads: json('threads'),
    threadsByUpdated: json('threadsByUpdated'),
    turns: json('turns'),
    threadTurns: index('threadTurns'),
    items: json('items'),
    turnItems: index('turnItems'),
    events: json('events'),
    threadEvents: json('threadEvents'),
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
