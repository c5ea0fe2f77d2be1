import type { ApprovalRecord, EventDraft, EventRecord, ImageBlob, ItemRecord, PurgeReason, ThreadRecord, TurnRecord } from '../domain/records.js';
import type { IdempotencyRecord } from '../domain/idempotency.js';
import type { AnyStoredEvent } from '../domain/storedEvent.js';
import type { ThreadMetadata } from '../domain/threadMetadata.js';
import type { DeliveryRecord, DeliveryStatus, WebhookRecord } from '../domain/webhooks.js';
import type { CursorKind } from './cursors.js';
import type { Page, PageArgs } from './paging.js';
import type { ArchivedFilter, OrderDirection, ThreadOrderField } from '../domain/enums.js';

/**
 * What the runtime and the schema may ask of a store (docs/DESIGN.md "Store contract"). A backend implements this and the
 * unit of work below, and passes the shared suite in test/support/storeSuite.ts.
 *
 * - Reads are named; none takes or returns a storage key. Cursors are opaque: `checkCursor` says whether this
 *   store handed one out for that connection (throwing `BadCursorError`), nobody else parses them.
 * - Writes go through `batch()`: a unit of work of semantic puts that commits atomically (all or nothing),
 *   alone (`write()`) or with events through `commit()`, which assigns their seqs.
 * - Lists of ids come back in the order the method documents (ids, seqs, ISO times sort as strings).
 */
export interface RecordStore {
  readonly isOpen: boolean;
  /** Why writes are refused now (a failed write not recovered yet), or null when they are taken. */
  readonly writeError: unknown;
  /** How many threads and turns are stored (what a full thread search reads). */
  readonly counts: { readonly threads: number; readonly turns: number };
  close(): Promise<void>;

  batch(): UnitOfWork;

  /**
   * Commits `units` as one atomic write together with their event drafts, which get consecutive seqs after
   * the newest committed event, in order, stamped `timestamp`. Returns each unit's committed events in its
   * place. Commits are serialised by the store, so commit order is seq order; a refused commit writes nothing
   * and uses no seq (the next commit gets the same seqs).
   */
  commit(units: readonly CommitUnit[], timestamp: string): Promise<EventRecord[][]>;

  /** Throws `BadCursorError` unless `cursor` could have come from this store's paging of `kind`. */
  checkCursor(kind: CursorKind, cursor: string): void;

  getMeta<T>(key: string): Promise<T | undefined>;
  listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]>;
  /** The seq the next committed event gets (1 for an empty log). */
  nextSeq(): Promise<number>;

  getThreads(ids: readonly string[]): Promise<(ThreadRecord | null)[]>;
  getTurns(ids: readonly string[]): Promise<(TurnRecord | null)[]>;
  getItems(ids: readonly string[]): Promise<(ItemRecord | null)[]>;
  getApprovals(ids: readonly string[]): Promise<(ApprovalRecord | null)[]>;
  getThread(id: string): Promise<ThreadRecord | null>;
  getTurn(id: string): Promise<TurnRecord | null>;
  getItem(id: string): Promise<ItemRecord | null>;
  getApproval(id: string): Promise<ApprovalRecord | null>;

  /**
   * Threads in `order` (default newest `updatedAt` first; Relay paging; a search also returns its total). The
   * cursors of an order are those of its field (`threadCursorKind`): either direction takes them.
   */
  pageThreads(filter: ThreadListFilter, args: PageArgs, order?: ThreadOrder): Promise<Page<ThreadRecord> & { total?: number }>;
  countThreads(filter: ThreadListFilter): Promise<number>;
  /** Turns of a thread / items of turns, oldest first. */
  pageTurns(threadId: string, args: PageArgs): Promise<Page<TurnRecord>>;
  pageTurnsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<TurnRecord>[]>;
  pageItemsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<ItemRecord>[]>;
  listTurnIds(threadId: string): Promise<string[]>;
  listItemIds(turnId: string): Promise<string[]>;
  /** QUEUED turns of a thread in run order (by `queueRank`, else by id); threads that have any; IN_PROGRESS turns (restart recovery). */
  listQueuedTurnIds(threadId: string): Promise<string[]>;
  listThreadsWithQueue(): Promise<string[]>;
  listOpenTurnIds(): Promise<string[]>;
  listPendingApprovalIds(threadId: string | null): Promise<string[]>;
  listApprovalIdsOfThread(threadId: string): Promise<string[]>;

  getImages(threadId: string, sha256s: readonly string[]): Promise<(ImageBlob | null)[]>;
  listImageHashesOfThread(threadId: string): Promise<string[]>;

  /** Events with seq > afterSeq, ascending, of one thread (its replay rows) or of the global log (null). */
  readEvents(threadId: string | null, afterSeq: number, limit: number): Promise<EventRecord[]>;
  /**
   * The same events as readEvents, as stored: each a StoredEvent (the fields filters read and the JSON text in the
   * stored layout), so a replay can pass the text through without parse and serialize.
   */
  readStoredEvents(threadId: string | null, afterSeq: number, limit: number): Promise<AnyStoredEvent[]>;
  latestSeqs(threadIds: readonly string[]): Promise<number[]>;
  listThreadEventSeqs(threadId: string): Promise<number[]>;

  /** Retention: threads expired at `now`, soonest first; archived threads updated before `cutoff`, oldest first. */
  listExpiredThreadIds(now: string, limit?: number): Promise<string[]>;
  listArchivedThreadIdsBefore(cutoff: string, limit?: number): Promise<string[]>;

  listWebhooks(): Promise<WebhookRecord[]>;
  getWebhooks(ids: readonly string[]): Promise<(WebhookRecord | null)[]>;
  getDeliveries(ids: readonly string[]): Promise<(DeliveryRecord | null)[]>;
  listPendingDeliveryIds(limit: number): Promise<string[]>;
  listDeliveries(filter: { webhookId?: string | null; status?: DeliveryStatus | null }, limit: number): Promise<DeliveryRecord[]>;

  getTurnSnapshots<T>(turnIds: readonly string[]): Promise<(T | null)[]>;

  /** A client request key's record (expired or not), null when none is stored. */
  getIdempotency(key: string): Promise<IdempotencyRecord | null>;
  /** Keys whose expiry is at or before `now` (ISO), soonest first, with the expiry their index row has. */
  listExpiredIdempotency(now: string, limit: number): Promise<{ key: string; expiresAt: string }[]>;

  getRollup(id: RollupId): Promise<unknown>;
  /** Rollups of the quarters in [fromQuarter, toQuarter) (ISO times; null: unbounded). */
  readRollups(fromQuarter: string | null, toQuarter: string | null): Promise<{ id: RollupId; value: unknown }[]>;
  readUsageFacts(gte: string, lt: string): Promise<unknown[]>;
}

/**
 * The writes of one state change, committed atomically by `write()` (or as part of the event log's group
 * commit). Records are copied when put; index rows are derived by the store, never by the caller.
 */
export interface UnitOfWork {
  readonly size: number;
  putThread(next: ThreadRecord, previous: ThreadRecord | null): this;
  deleteThread(thread: ThreadRecord): this;
  putTurn(turn: TurnRecord): this;
  deleteTurn(turn: TurnRecord): this;
  putItem(item: ItemRecord): this;
  deleteItem(item: ItemRecord): this;
  tombstoneEvent(event: EventRecord, reason: PurgeReason): this;
  deleteThreadEventRow(threadId: string, seq: number): this;
  putTurnSnapshots(turnId: string, snapshots: unknown): this;
  deleteTurnSnapshots(turnId: string): this;
  putApproval(approval: ApprovalRecord): this;
  deleteApproval(approval: ApprovalRecord): this;
  putImage(threadId: string, image: ImageBlob): this;
  deleteImage(threadId: string, sha256: string): this;
  putWebhook(webhook: WebhookRecord): this;
  deleteWebhook(id: string): this;
  putDelivery(delivery: DeliveryRecord): this;
  putMeta(key: string, value: unknown): this;
  deleteMeta(key: string): this;
  putIdempotency(record: IdempotencyRecord): this;
  deleteIdempotency(key: string, expiresAt: string, withRecord: boolean): this;
  putUsage(id: RollupId, rollup: unknown, endedAt: string, turnId: string, facts: unknown): this;
  /** Commits this unit alone; a refused write changes nothing. */
  write(): Promise<void>;
}

/** One change for `RecordStore.commit`: its writes and the events that announce it. */
export interface CommitUnit {
  unit: UnitOfWork;
  drafts: readonly EventDraft[];
  /** false: the events stay in the global log without per-thread replay rows (events of a deleted thread). */
  threadIndexed?: boolean;
}

/** A usage rollup row: one thread's usage of one model in one quarter hour (ISO start time). */
export interface RollupId {
  quarter: string;
  threadId: string;
  model: string;
}

export type { ArchivedFilter };

export interface ThreadListFilter {
  archived?: ArchivedFilter | null;
  search?: string | null;
  taskId?: string | null;
  /** Threads whose metadata has every one of these keys with exactly this value (indexed by each key and value). */
  metadata?: ThreadMetadata | null;
}

export type { OrderDirection, ThreadOrderField };

/** The order of a thread list; CREATED_AT is thread id order (ids sort by creation time). */
export interface ThreadOrder {
  field: ThreadOrderField;
  direction: OrderDirection;
}
