import type { AbstractBatchOperation } from 'abstract-level';
import {
  PURGED_EVENT,
  type ApprovalRecord,
  type EventRecord,
  type ImageBlob,
  type ItemRecord,
  type PurgeReason,
  type ThreadRecord,
  type TurnRecord,
} from '../domain/records.js';
import { childKey, metadataPrefix, rollupKey, seqKey, threadSeqKey, updatedKey } from './keys.js';
import { sameMetadata } from '../domain/threadMetadata.js';
import type { RollupId, UnitOfWork } from './contract.js';
import type { Sublevels } from './sublevels.js';
import type { DeliveryRecord, WebhookRecord } from '../domain/webhooks.js';
import type { MetadataIndexValue, ThreadIndexValue } from './sublevels.js';
import type { IdempotencyRecord } from '../domain/idempotency.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LevelOp = AbstractBatchOperation<any, string, any>;

/**
 * The LevelDB rows of writes not made yet. Only the store sees them: a StoreBatch keeps its rows private and the
 * store finds them by the batch it handed out, so no raw op is put from outside this folder.
 */
export class PendingRows {
  readonly ops: LevelOp[] = [];
  /** Threads and turns these rows add (negative: remove), for the store's counts of what a full scan reads. */
  readonly counts = { threads: 0, turns: 0 };

  /** Appends every row of `other` (group commit of several changes). */
  append(other: PendingRows): void {
    for (const op of other.ops) this.ops.push(op);
    this.counts.threads += other.counts.threads;
    this.counts.turns += other.counts.turns;
  }
}

/**
 * The writes of one state change. Records are copied when put, so a pending batch holds the state of that
 * moment even if the caller keeps changing its object. Index rows are derived from the records here, so a caller cannot put a
 * record without its index rows; `write()` commits everything in one atomic LevelDB batch.
 */
export class StoreBatch implements UnitOfWork {
  private readonly ops: LevelOp[];
  private readonly counts: PendingRows['counts'];

  constructor(
    private readonly subs: Sublevels,
    rows: PendingRows,
    private readonly commit: () => Promise<void>,
  ) {
    this.ops = rows.ops;
    this.counts = rows.counts;
  }

  get size(): number {
    return this.ops.length;
  }

  putThread(next: ThreadRecord, previous: ThreadRecord | null): this {
    if (!previous) this.counts.threads++;
    this.counts.turns += next.turnCount - (previous?.turnCount ?? 0);
    this.ops.push({ type: 'put', sublevel: this.subs.threads, key: next.id, value: { ...next } });
    if (previous && previous.updatedAt !== next.updatedAt) {
      this.ops.push({ type: 'del', sublevel: this.subs.threadsByUpdated, key: updatedKey(previous.updatedAt, previous.id) });
    }
    const indexValue: ThreadIndexValue = { archived: next.archived, taskId: next.taskId };
    this.ops.push({ type: 'put', sublevel: this.subs.threadsByUpdated, key: updatedKey(next.updatedAt, next.id), value: indexValue });
    if (previous?.expiresAt && previous.expiresAt !== next.expiresAt) {
      this.ops.push({ type: 'del', sublevel: this.subs.threadExpiry, key: childKey(previous.expiresAt, previous.id) });
    }
    if (next.expiresAt) this.ops.push({ type: 'put', sublevel: this.subs.threadExpiry, key: childKey(next.expiresAt, next.id), value: '' });
    this.putMetadataRows(next, previous);
    return this;
  }

  /**
   * A thread's metadata index rows: for each key and value one row by creation and one by update time, each
   * holding what listings filter on. Rows by creation change only with the metadata, archived or taskId; rows by
   * update time also move with updatedAt. A thread without metadata has none.
   */
  private putMetadataRows(next: ThreadRecord, previous: ThreadRecord | null): void {
    const filtersChanged =
      !previous || !sameMetadata(previous.metadata, next.metadata) || previous.archived !== next.archived || previous.taskId !== next.taskId;
    const moved = filtersChanged || previous?.updatedAt !== next.updatedAt;
    if (previous && filtersChanged) this.metadataRows(previous, 'del', 'created');
    if (previous && moved) this.metadataRows(previous, 'del', 'updated');
    if (filtersChanged) this.metadataRows(next, 'put', 'created');
    if (moved) this.metadataRows(next, 'put', 'updated');
  }

  private metadataRows(thread: ThreadRecord, type: 'put' | 'del', order: 'created' | 'updated'): void {
    const sublevel = order === 'created' ? this.subs.threadMetaByCreated : this.subs.threadMetaByUpdated;
    const position = order === 'created' ? thread.id : updatedKey(thread.updatedAt, thread.id);
    const metadata = thread.metadata ?? {};
    const value: MetadataIndexValue = { archived: thread.archived, taskId: thread.taskId, metadata };
    for (const [k, v] of Object.entries(metadata)) {
      const key = childKey(metadataPrefix(k, v), position);
      this.ops.push(type === 'put' ? { type, sublevel, key, value } : { type, sublevel, key });
    }
  }

  deleteThread(thread: ThreadRecord): this {
    this.counts.threads--;
    this.counts.turns -= thread.turnCount;
    this.ops.push({ type: 'del', sublevel: this.subs.threads, key: thread.id });
    this.ops.push({ type: 'del', sublevel: this.subs.threadsByUpdated, key: updatedKey(thread.updatedAt, thread.id) });
    if (thread.expiresAt) this.ops.push({ type: 'del', sublevel: this.subs.threadExpiry, key: childKey(thread.expiresAt, thread.id) });
    this.metadataRows(thread, 'del', 'created');
    this.metadataRows(thread, 'del', 'updated');
    return this;
  }

  putTurn(turn: TurnRecord): this {
    const s = this.subs;
    this.ops.push({ type: 'put', sublevel: s.turns, key: turn.id, value: { ...turn } });
    this.ops.push({ type: 'put', sublevel: s.threadTurns, key: childKey(turn.threadId, turn.id), value: '' });
    const queueKey = childKey(turn.threadId, turn.id);
    // The value is the turn's rank in the queue ('' : by turn id), so a move rewrites no key.
    this.ops.push(
      turn.status === 'QUEUED'
        ? { type: 'put', sublevel: s.queue, key: queueKey, value: turn.queueRank ?? '' }
        : { type: 'del', sublevel: s.queue, key: queueKey },
    );
    this.ops.push(
      turn.status === 'IN_PROGRESS'
        ? { type: 'put', sublevel: s.openTurns, key: turn.id, value: '' }
        : { type: 'del', sublevel: s.openTurns, key: turn.id },
    );
    return this;
  }

  deleteTurn(turn: TurnRecord): this {
    const s = this.subs;
    const key = childKey(turn.threadId, turn.id);
    this.ops.push({ type: 'del', sublevel: s.turns, key: turn.id });
    this.ops.push({ type: 'del', sublevel: s.threadTurns, key });
    this.ops.push({ type: 'del', sublevel: s.queue, key });
    this.ops.push({ type: 'del', sublevel: s.openTurns, key: turn.id });
    return this;
  }

  putItem(item: ItemRecord): this {
    this.ops.push({ type: 'put', sublevel: this.subs.items, key: item.id, value: { ...item } });
    this.ops.push({ type: 'put', sublevel: this.subs.turnItems, key: childKey(item.turnId, item.id), value: '' });
    return this;
  }

  deleteItem(item: ItemRecord): this {
    this.ops.push({ type: 'del', sublevel: this.subs.items, key: item.id });
    this.ops.push({ type: 'del', sublevel: this.subs.turnItems, key: childKey(item.turnId, item.id) });
    return this;
  }

  /** The event row and its per-thread replay row (a copy, so a thread's replay is one range read). */
  putEvent(event: EventRecord, indexForThread = true): this {
    this.ops.push({ type: 'put', sublevel: this.subs.events, key: seqKey(event.seq), value: event });
    if (indexForThread) {
      this.ops.push({ type: 'put', sublevel: this.subs.threadEvents, key: threadSeqKey(event.threadId, event.seq), value: event });
    }
    return this;
  }

  /** Replaces a global event row with a content-free one of the same seq (purge keeps seq gapless). */
  tombstoneEvent(event: EventRecord, reason: PurgeReason): this {
    const tombstone: EventRecord = {
      seq: event.seq,
      timestamp: event.timestamp,
      name: PURGED_EVENT,
      threadId: event.threadId,
      turnId: null,
      itemId: null,
      payload: { reason },
    };
    this.ops.push({ type: 'put', sublevel: this.subs.events, key: seqKey(event.seq), value: tombstone });
    return this;
  }

  putTurnSnapshots(turnId: string, snapshots: unknown): this {
    this.ops.push({ type: 'put', sublevel: this.subs.turnSnapshots, key: turnId, value: snapshots });
    return this;
  }

  deleteTurnSnapshots(turnId: string): this {
    this.ops.push({ type: 'del', sublevel: this.subs.turnSnapshots, key: turnId });
    return this;
  }

  deleteThreadEventRow(threadId: string, seq: number): this {
    this.ops.push({ type: 'del', sublevel: this.subs.threadEvents, key: threadSeqKey(threadId, seq) });
    return this;
  }

  putApproval(approval: ApprovalRecord): this {
    const s = this.subs;
    this.ops.push({ type: 'put', sublevel: s.approvals, key: approval.id, value: { ...approval } });
    const key = childKey(approval.threadId, approval.id);
    this.ops.push({ type: 'put', sublevel: s.threadApprovals, key, value: '' });
    this.ops.push(
      approval.status === 'PENDING'
        ? { type: 'put', sublevel: s.pendingApprovals, key, value: '' }
        : { type: 'del', sublevel: s.pendingApprovals, key },
    );
    return this;
  }

  deleteApproval(approval: ApprovalRecord): this {
    this.ops.push({ type: 'del', sublevel: this.subs.approvals, key: approval.id });
    this.ops.push({ type: 'del', sublevel: this.subs.pendingApprovals, key: childKey(approval.threadId, approval.id) });
    this.ops.push({ type: 'del', sublevel: this.subs.threadApprovals, key: childKey(approval.threadId, approval.id) });
    return this;
  }

  /** Image data of a thread's messages, once per thread and hash (items keep only the hash). */
  putImage(threadId: string, image: ImageBlob): this {
    this.ops.push({ type: 'put', sublevel: this.subs.images, key: childKey(threadId, image.sha256), value: { ...image } });
    return this;
  }

  deleteImage(threadId: string, sha256: string): this {
    this.ops.push({ type: 'del', sublevel: this.subs.images, key: childKey(threadId, sha256) });
    return this;
  }

  putWebhook(webhook: WebhookRecord): this {
    this.ops.push({ type: 'put', sublevel: this.subs.webhooks, key: webhook.id, value: { ...webhook } });
    return this;
  }

  deleteWebhook(id: string): this {
    this.ops.push({ type: 'del', sublevel: this.subs.webhooks, key: id });
    return this;
  }

  /** A delivery and its place in the pending index (only while PENDING). */
  putDelivery(delivery: DeliveryRecord): this {
    this.ops.push({ type: 'put', sublevel: this.subs.webhookDeliveries, key: delivery.id, value: { ...delivery } });
    this.ops.push(
      delivery.status === 'PENDING'
        ? { type: 'put', sublevel: this.subs.webhookPending, key: delivery.id, value: '' }
        : { type: 'del', sublevel: this.subs.webhookPending, key: delivery.id },
    );
    return this;
  }

  /** A client request key with what it made, and its place in the expiry index. */
  putIdempotency(record: IdempotencyRecord): this {
    this.ops.push({ type: 'put', sublevel: this.subs.idempotency, key: record.key, value: { ...record } });
    this.ops.push({ type: 'put', sublevel: this.subs.idempotencyExpiry, key: childKey(record.expiresAt, record.key), value: '' });
    return this;
  }

  /** Forgets a key's expiry row and (`withRecord`) the key; without: a row left by a record written again since. */
  deleteIdempotency(key: string, expiresAt: string, withRecord: boolean): this {
    if (withRecord) this.ops.push({ type: 'del', sublevel: this.subs.idempotency, key });
    this.ops.push({ type: 'del', sublevel: this.subs.idempotencyExpiry, key: childKey(expiresAt, key) });
    return this;
  }

  deleteMeta(key: string): this {
    this.ops.push({ type: 'del', sublevel: this.subs.meta, key });
    return this;
  }

  putMeta(key: string, value: unknown): this {
    this.ops.push({ type: 'put', sublevel: this.subs.meta, key, value });
    return this;
  }

  /**
   * A turn's contribution to usage: its facts under its end time (exact range edges) and the updated
   * accumulator of its quarter-hour rollup row (everything in between).
   */
  putUsage(id: RollupId, rollup: unknown, endedAt: string, turnId: string, facts: unknown): this {
    this.ops.push({ type: 'put', sublevel: this.subs.usageRollups, key: rollupKey(id), value: rollup });
    this.ops.push({ type: 'put', sublevel: this.subs.usageFacts, key: childKey(endedAt, turnId), value: facts });
    return this;
  }

  write(): Promise<void> {
    return this.commit();
  }
}
