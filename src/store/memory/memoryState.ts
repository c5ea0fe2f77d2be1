import type { ApprovalRecord, EventRecord, ImageBlob, ItemRecord, ThreadRecord, TurnRecord } from '../../domain/records.js';
import type { IdempotencyRecord } from '../../domain/idempotency.js';
import type { DeliveryRecord, WebhookRecord } from '../../domain/webhooks.js';

/** Everything an in-memory store holds. Listings are derived from the records when read (no index rows). */
export interface MemoryState {
  meta: Map<string, unknown>;
  threads: Map<string, ThreadRecord>;
  /** Thread ids by metadata key and value (keys.ts `metadataPrefix`): a metadata listing reads only its matches. */
  threadsByMetadata: Map<string, Set<string>>;
  turns: Map<string, TurnRecord>;
  items: Map<string, ItemRecord>;
  approvals: Map<string, ApprovalRecord>;
  /** The global log by seq; a thread's replay rows are the seqs in `threadEvents`. */
  events: Map<number, EventRecord>;
  threadEvents: Map<string, Set<number>>;
  /** Per thread, by sha256. */
  images: Map<string, Map<string, ImageBlob>>;
  turnSnapshots: Map<string, unknown>;
  webhooks: Map<string, WebhookRecord>;
  deliveries: Map<string, DeliveryRecord>;
  idempotency: Map<string, IdempotencyRecord>;
  /** Rollups by JSON of their RollupId; facts by end time then turn id. */
  rollups: Map<string, { id: { quarter: string; threadId: string; model: string }; value: unknown }>;
  usageFacts: Map<string, { endedAt: string; turnId: string; facts: unknown }>;
}

export function emptyMemoryState(): MemoryState {
  return {
    meta: new Map(),
    threads: new Map(),
    threadsByMetadata: new Map(),
    turns: new Map(),
    items: new Map(),
    approvals: new Map(),
    events: new Map(),
    threadEvents: new Map(),
    images: new Map(),
    turnSnapshots: new Map(),
    webhooks: new Map(),
    deliveries: new Map(),
    idempotency: new Map(),
    rollups: new Map(),
    usageFacts: new Map(),
  };
}

/** A deep copy, as a stored record is: the caller's object can change afterwards without changing the store. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
