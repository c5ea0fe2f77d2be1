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
import { updatedKey } from '../keys.js';
import { RequestKeyTakenError } from '../../domain/errors.js';

/** One SQL statement of a unit of work. */
export interface Statement {
  text: string;
  values: unknown[];
  /** A statement that must change a row: when it changes none, the transaction fails with this error. */
  unlessChanged?: () => Error;
}

/** An event waiting for its seq, which the commit transaction assigns. */
export interface PendingEvent {
  event: EventRecord;
  inThread: boolean;
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * The writes of one state change on PostgreSQL, as the statements of one transaction (in the order they were
 * put, so a put then a delete of one row ends deleted). Events are kept apart: the commit numbers them while it
 * holds the seq counter row (pgStore.ts).
 */
export class PgUnitOfWork implements UnitOfWork {
  readonly statements: Statement[] = [];
  readonly events: PendingEvent[] = [];
  /** Threads and turns this unit adds (negative: removes), for the store's counts. */
  readonly counts = { threads: 0, turns: 0 };

  constructor(
    private readonly nodeId: string,
    private readonly commit: (unit: PgUnitOfWork) => Promise<void>,
  ) {}

  get size(): number {
    return this.statements.length + this.events.length;
  }

  private add(text: string, ...values: unknown[]): this {
    this.statements.push({ text, values });
    return this;
  }

  putThread(next: ThreadRecord, previous: ThreadRecord | null): this {
    if (!previous) this.counts.threads++;
    this.counts.turns += next.turnCount - (previous?.turnCount ?? 0);
    return this.add(
      `INSERT INTO threads (id, updated_key, archived, task_id, expires_at, record, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET updated_key = EXCLUDED.updated_key, archived = EXCLUDED.archived, task_id = EXCLUDED.task_id,
         expires_at = EXCLUDED.expires_at, record = EXCLUDED.record, metadata = EXCLUDED.metadata`,
      next.id,
      updatedKey(next.updatedAt, next.id),
      next.archived,
      next.taskId,
      next.expiresAt ?? null,
      json(next),
      json(next.metadata ?? {}),
    );
  }

  deleteThread(thread: ThreadRecord): this {
    this.counts.threads--;
    this.counts.turns -= thread.turnCount;
    return this.add('DELETE FROM threads WHERE id = $1', thread.id);
  }

  /** A turn put IN_PROGRESS is owned by the node that puts it (its heartbeat keeps the turn alive). */
  putTurn(turn: TurnRecord): this {
    return this.add(
      `INSERT INTO turns (id, thread_id, status, node_id, record) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET thread_id = EXCLUDED.thread_id, status = EXCLUDED.status, node_id = EXCLUDED.node_id, record = EXCLUDED.record`,
      turn.id,
      turn.threadId,
      turn.status,
      turn.status === 'IN_PROGRESS' ? this.nodeId : null,
      json(turn),
    );
  }

  deleteTurn(turn: TurnRecord): this {
    return this.add('DELETE FROM turns WHERE id = $1', turn.id);
  }

  putItem(item: ItemRecord): this {
    return this.add(
      `INSERT INTO items (id, turn_id, record) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET turn_id = EXCLUDED.turn_id, record = EXCLUDED.record`,
      item.id,
      item.turnId,
      json(item),
    );
  }

  deleteItem(item: ItemRecord): this {
    return this.add('DELETE FROM items WHERE id = $1', item.id);
  }

  putEvent(event: EventRecord, indexForThread = true): this {
    this.events.push({ event: { ...event }, inThread: indexForThread });
    return this;
  }

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
    return this.add('UPDATE events SET record = $2 WHERE seq = $1', event.seq, json(tombstone));
  }

  deleteThreadEventRow(threadId: string, seq: number): this {
    return this.add('UPDATE events SET in_thread = false WHERE seq = $1 AND thread_id = $2', seq, threadId);
  }

  putTurnSnapshots(turnId: string, snapshots: unknown): this {
    return this.add(
      'INSERT INTO turn_snapshots (turn_id, value) VALUES ($1, $2) ON CONFLICT (turn_id) DO UPDATE SET value = EXCLUDED.value',
      turnId,
      json(snapshots),
    );
  }

  deleteTurnSnapshots(turnId: string): this {
    return this.add('DELETE FROM turn_snapshots WHERE turn_id = $1', turnId);
  }

  putApproval(approval: ApprovalRecord): this {
    return this.add(
      `INSERT INTO approvals (id, thread_id, status, record) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET thread_id = EXCLUDED.thread_id, status = EXCLUDED.status, record = EXCLUDED.record`,
      approval.id,
      approval.threadId,
      approval.status,
      json(approval),
    );
  }

  deleteApproval(approval: ApprovalRecord): this {
    return this.add('DELETE FROM approvals WHERE id = $1', approval.id);
  }

  putImage(threadId: string, image: ImageBlob): this {
    return this.add(
      'INSERT INTO images (thread_id, sha256, record) VALUES ($1, $2, $3) ON CONFLICT (thread_id, sha256) DO UPDATE SET record = EXCLUDED.record',
      threadId,
      image.sha256,
      json(image),
    );
  }

  deleteImage(threadId: string, sha256: string): this {
    return this.add('DELETE FROM images WHERE thread_id = $1 AND sha256 = $2', threadId, sha256);
  }

  putWebhook(webhook: WebhookRecord): this {
    return this.add(
      'INSERT INTO webhooks (id, record) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record',
      webhook.id,
      json(webhook),
    );
  }

  deleteWebhook(id: string): this {
    return this.add('DELETE FROM webhooks WHERE id = $1', id);
  }

  putDelivery(delivery: DeliveryRecord): this {
    return this.add(
      `INSERT INTO webhook_deliveries (id, webhook_id, status, record) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET webhook_id = EXCLUDED.webhook_id, status = EXCLUDED.status, record = EXCLUDED.record`,
      delivery.id,
      delivery.webhookId,
      delivery.status,
      json(delivery),
    );
  }

  putMeta(key: string, value: unknown): this {
    return this.add('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', key, json(value));
  }

  deleteMeta(key: string): this {
    return this.add('DELETE FROM settings WHERE key = $1', key);
  }

  /**
   * Insert or fail: a key already recorded (by a request racing this one on another node) refuses the whole
   * unit, so racing duplicates have exactly one effect. Only a record that had expired when this request
   * claimed the key is replaced.
   */
  putIdempotency(record: IdempotencyRecord): this {
    this.add(
      `INSERT INTO idempotency (key, expires_at, record) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at, record = EXCLUDED.record WHERE idempotency.expires_at <= $4`,
      record.key,
      record.expiresAt,
      json(record),
      record.createdAt,
    );
    this.statements.at(-1)!.unlessChanged = () => new RequestKeyTakenError(record.key);
    return this;
  }

  /** The expiry is a column of the key's row, so without `withRecord` there is no stale index row to remove. */
  deleteIdempotency(key: string, _expiresAt: string, withRecord: boolean): this {
    return withRecord ? this.add('DELETE FROM idempotency WHERE key = $1', key) : this;
  }

  putUsage(id: RollupId, rollup: unknown, endedAt: string, turnId: string, facts: unknown): this {
    this.add(
      `INSERT INTO usage_rollups (quarter, thread_id, model, value) VALUES ($1, $2, $3, $4)
       ON CONFLICT (quarter, thread_id, model) DO UPDATE SET value = EXCLUDED.value`,
      id.quarter,
      id.threadId,
      id.model,
      json(rollup),
    );
    return this.add(
      'INSERT INTO usage_facts (ended_at, turn_id, value) VALUES ($1, $2, $3) ON CONFLICT (ended_at, turn_id) DO UPDATE SET value = EXCLUDED.value',
      endedAt,
      turnId,
      json(facts),
    );
  }

  /** Appends every write of `other` (group commit of several changes). */
  append(other: PgUnitOfWork): this {
    this.statements.push(...other.statements);
    this.events.push(...other.events);
    this.counts.threads += other.counts.threads;
    this.counts.turns += other.counts.turns;
    return this;
  }

  write(): Promise<void> {
    return this.commit(this);
  }
}
