import {
  PURGED_EVENT,
  type ApprovalRecord,
  type EventRecord,
  type ImageBlob,
  type ItemRecord,
  type PurgeReason,
  type ThreadRecord,
  type TurnRecord,
} from '../../domain/records.js';
import type { IdempotencyRecord } from '../../domain/idempotency.js';
import type { DeliveryRecord, WebhookRecord } from '../../domain/webhooks.js';
import type { RollupId, UnitOfWork } from '../contract.js';
import { copy, type MemoryState } from './memoryState.js';
import { metadataPrefix } from '../keys.js';

type Change = (state: MemoryState) => void;

/** Adds or removes a stored thread's entries in the metadata index. */
function indexMetadata(state: MemoryState, thread: ThreadRecord | undefined, how: 'add' | 'delete'): void {
  for (const [key, value] of Object.entries(thread?.metadata ?? {})) {
    const prefix = metadataPrefix(key, value);
    const ids = state.threadsByMetadata.get(prefix) ?? new Set<string>();
    if (how === 'add') state.threadsByMetadata.set(prefix, ids.add((thread as ThreadRecord).id));
    else if (ids.delete((thread as ThreadRecord).id) && ids.size === 0) state.threadsByMetadata.delete(prefix);
  }
}

/** The writes of one change for the in-memory store: applied together by the store's commit, or not at all. */
export class MemoryUnitOfWork implements UnitOfWork {
  private readonly changes: Change[] = [];

  constructor(private readonly commitAlone: (unit: MemoryUnitOfWork) => Promise<void>) {}

  get size(): number {
    return this.changes.length;
  }

  /** Applies every change to `state` (called by the store, which has already decided the write goes through). */
  applyTo(state: MemoryState): void {
    for (const change of this.changes) change(state);
  }

  private add(change: Change): this {
    this.changes.push(change);
    return this;
  }

  putThread(next: ThreadRecord, _previous: ThreadRecord | null): this {
    const record = copy(next);
    return this.add((s) => {
      indexMetadata(s, s.threads.get(record.id), 'delete');
      s.threads.set(record.id, record);
      indexMetadata(s, record, 'add');
    });
  }
  deleteThread(thread: ThreadRecord): this {
    return this.add((s) => {
      indexMetadata(s, s.threads.get(thread.id), 'delete');
      s.threads.delete(thread.id);
    });
  }
  putTurn(turn: TurnRecord): this {
    const record = copy(turn);
    return this.add((s) => s.turns.set(record.id, record));
  }
  deleteTurn(turn: TurnRecord): this {
    return this.add((s) => s.turns.delete(turn.id));
  }
  putItem(item: ItemRecord): this {
    const record = copy(item);
    return this.add((s) => s.items.set(record.id, record));
  }
  deleteItem(item: ItemRecord): this {
    return this.add((s) => s.items.delete(item.id));
  }
  tombstoneEvent(event: EventRecord, reason: PurgeReason): this {
    const tombstone = {
      seq: event.seq,
      timestamp: event.timestamp,
      name: PURGED_EVENT,
      threadId: event.threadId,
      turnId: null,
      itemId: null,
      payload: { reason },
    };
    return this.add((s) => s.events.set(event.seq, tombstone as EventRecord));
  }
  deleteThreadEventRow(threadId: string, seq: number): this {
    return this.add((s) => s.threadEvents.get(threadId)?.delete(seq));
  }
  putTurnSnapshots(turnId: string, snapshots: unknown): this {
    const value = copy(snapshots);
    return this.add((s) => s.turnSnapshots.set(turnId, value));
  }
  deleteTurnSnapshots(turnId: string): this {
    return this.add((s) => s.turnSnapshots.delete(turnId));
  }
  putApproval(approval: ApprovalRecord): this {
    const record = copy(approval);
    return this.add((s) => s.approvals.set(record.id, record));
  }
  deleteApproval(approval: ApprovalRecord): this {
    return this.add((s) => s.approvals.delete(approval.id));
  }
  putImage(threadId: string, image: ImageBlob): this {
    const record = copy(image);
    return this.add((s) => {
      const images = s.images.get(threadId) ?? new Map<string, ImageBlob>();
      s.images.set(threadId, images.set(record.sha256, record));
    });
  }
  deleteImage(threadId: string, sha256: string): this {
    return this.add((s) => s.images.get(threadId)?.delete(sha256));
  }
  putWebhook(webhook: WebhookRecord): this {
    const record = copy(webhook);
    return this.add((s) => s.webhooks.set(record.id, record));
  }
  deleteWebhook(id: string): this {
    return this.add((s) => s.webhooks.delete(id));
  }
  putDelivery(delivery: DeliveryRecord): this {
    const record = copy(delivery);
    return this.add((s) => s.deliveries.set(record.id, record));
  }
  putMeta(key: string, value: unknown): this {
    const stored = copy(value);
    return this.add((s) => s.meta.set(key, stored));
  }
  deleteMeta(key: string): this {
    return this.add((s) => s.meta.delete(key));
  }
  putIdempotency(record: IdempotencyRecord): this {
    const stored = copy(record);
    return this.add((s) => s.idempotency.set(stored.key, stored));
  }
  /** The expiry is part of the record here, so without `withRecord` there is nothing to remove. */
  deleteIdempotency(key: string, _expiresAt: string, withRecord: boolean): this {
    return withRecord ? this.add((s) => s.idempotency.delete(key)) : this;
  }
  putUsage(id: RollupId, rollup: unknown, endedAt: string, turnId: string, facts: unknown): this {
    const rollupId = { quarter: id.quarter, threadId: id.threadId, model: id.model };
    const value = copy(rollup);
    const stored = copy(facts);
    return this.add((s) => {
      s.rollups.set(JSON.stringify(rollupId), { id: rollupId, value });
      s.usageFacts.set(`${endedAt}\u0000${turnId}`, { endedAt, turnId, facts: stored });
    });
  }

  write(): Promise<void> {
    return this.commitAlone(this);
  }
}
