import { StoredEvent, type AnyStoredEvent } from '../../domain/storedEvent.js';
import type { ApprovalRecord, EventRecord, ImageBlob, ItemRecord, ThreadRecord, TurnRecord } from '../../domain/records.js';
import type { IdempotencyRecord } from '../../domain/idempotency.js';
import { isIdOf } from '../../domain/ids.js';
import type { DeliveryRecord, DeliveryStatus, WebhookRecord } from '../../domain/webhooks.js';
import type { CommitUnit, RecordStore, RollupId, ThreadListFilter, ThreadOrder } from '../contract.js';
import { descendingKeys, NEWEST_UPDATED_FIRST, threadCursorKind } from '../threadOrder.js';
import { metadataPrefix } from '../keys.js';
import { matchesMetadata } from '../../domain/threadMetadata.js';
import { BadCursorError, checkPageCursors, type CursorKind } from '../cursors.js';
import { pageArray, type Page, type PageArgs } from '../paging.js';
import { copy, emptyMemoryState, type MemoryState } from './memoryState.js';
import { MemoryUnitOfWork } from './memoryUnitOfWork.js';

const TIME_MAX = 9_999_999_999_999;

/** A thread list cursor: the inverted update time (so ascending cursors are newest first), `:`, the id. */
function threadCursor(thread: ThreadRecord): string {
  return `${String(TIME_MAX - Date.parse(thread.updatedAt)).padStart(13, '0')}:${thread.id}`;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The store contract held in memory, for tests and for running without a disk: nothing survives the process.
 * Listings are computed from the records when read; commits are serialised like any other store's, so the
 * seq rules hold (see docs/DESIGN.md "Store contract").
 */
export class MemoryStore implements RecordStore {
  private readonly state: MemoryState = emptyMemoryState();
  private next = 1;
  private committing: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set by tests: the next write is refused, as a full disk would refuse it. */
  failNextWrite = false;

  get isOpen(): boolean {
    return !this.closed;
  }

  get writeError(): unknown {
    return null;
  }

  get counts(): { threads: number; turns: number } {
    let turns = 0;
    for (const thread of this.state.threads.values()) turns += thread.turnCount;
    return { threads: this.state.threads.size, turns };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  batch(): MemoryUnitOfWork {
    return new MemoryUnitOfWork((unit) => this.commit([{ unit, drafts: [] }], new Date().toISOString()).then(() => undefined));
  }

  commit(units: readonly CommitUnit[], timestamp: string): Promise<EventRecord[][]> {
    const run = this.committing.then(() => this.commitNow(units, timestamp));
    this.committing = run.catch(() => undefined); // the caller gets the failure; the next commit still runs
    return run;
  }

  private async commitNow(units: readonly CommitUnit[], timestamp: string): Promise<EventRecord[][]> {
    if (this.closed) throw new Error('the store is closed');
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('the write was refused');
    }
    // Everything that can fail (the checks above, copying the drafts) comes before the first change is applied,
    // and applying cannot fail (values were copied when put): all or nothing.
    let seq = this.next;
    const committed = units.map(({ drafts }) => drafts.map((draft) => copy({ seq: seq++, timestamp, ...draft }) as EventRecord));
    units.forEach(({ unit, threadIndexed }, i) => {
      (unit as MemoryUnitOfWork).applyTo(this.state);
      for (const event of committed[i] ?? []) {
        this.state.events.set(event.seq, event);
        if (threadIndexed === false) continue;
        const rows = this.state.threadEvents.get(event.threadId) ?? new Set<number>();
        this.state.threadEvents.set(event.threadId, rows.add(event.seq));
      }
    });
    this.next = seq;
    return copy(committed);
  }

  checkCursor(kind: CursorKind, cursor: string): void {
    const ok =
      kind === 'threads'
        ? /^\d{13}:/.test(cursor) && isIdOf('thread', cursor.slice(14))
        : isIdOf(kind === 'threadsByCreated' ? 'thread' : kind === 'turns' ? 'turn' : 'item', cursor);
    if (!ok || cursor.length > 200) throw new BadCursorError(kind, cursor);
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return copy(this.state.meta.get(key)) as T | undefined;
  }

  async listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    return [...this.state.meta.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value: copy(value) as T }));
  }

  async nextSeq(): Promise<number> {
    return this.next;
  }

  private many<T>(map: Map<string, T>, ids: readonly string[]): (T | null)[] {
    return ids.map((id) => (map.has(id) ? copy(map.get(id) as T) : null));
  }

  async getThreads(ids: readonly string[]) {
    return this.many(this.state.threads, ids);
  }
  async getTurns(ids: readonly string[]) {
    return this.many(this.state.turns, ids);
  }
  async getItems(ids: readonly string[]) {
    return this.many(this.state.items, ids);
  }
  async getApprovals(ids: readonly string[]) {
    return this.many(this.state.approvals, ids);
  }
  async getThread(id: string): Promise<ThreadRecord | null> {
    return this.many(this.state.threads, [id])[0] ?? null;
  }
  async getTurn(id: string): Promise<TurnRecord | null> {
    return this.many(this.state.turns, [id])[0] ?? null;
  }
  async getItem(id: string): Promise<ItemRecord | null> {
    return this.many(this.state.items, [id])[0] ?? null;
  }
  async getApproval(id: string): Promise<ApprovalRecord | null> {
    return this.many(this.state.approvals, [id])[0] ?? null;
  }

  /** The threads a filter keeps, in `order` (with metadata: only the threads of its first key and value are read). */
  private listThreads(filter: ThreadListFilter, order: ThreadOrder = NEWEST_UPDATED_FIRST): { cursor: string; value: ThreadRecord }[] {
    const archived = filter.archived ?? 'ACTIVE_ONLY';
    const search = filter.search?.trim().toLowerCase();
    const metadata = filter.metadata ?? {};
    const [first] = Object.entries(metadata);
    const candidates = first
      ? [...(this.state.threadsByMetadata.get(metadataPrefix(...first)) ?? [])].map((id) => this.state.threads.get(id) as ThreadRecord)
      : [...this.state.threads.values()];
    const turns = search ? [...this.state.turns.values()] : [];
    const cursorOf = order.field === 'CREATED_AT' ? (t: ThreadRecord) => t.id : threadCursor;
    const rows = candidates
      .filter((t) => (archived === 'ACTIVE_ONLY' ? !t.archived : archived === 'ARCHIVED_ONLY' ? t.archived : true))
      .filter((t) => filter.taskId == null || t.taskId === filter.taskId)
      .filter((t) => matchesMetadata(t.metadata, metadata))
      .filter(
        (t) =>
          !search || !!t.title?.toLowerCase().includes(search) || turns.some((u) => u.threadId === t.id && u.prompt.toLowerCase().includes(search)),
      )
      .map((t) => ({ cursor: cursorOf(t), value: copy(t) }))
      .sort((a, b) => (a.cursor < b.cursor ? -1 : 1));
    return descendingKeys(order) ? rows.reverse() : rows;
  }

  async pageThreads(
    filter: ThreadListFilter,
    args: PageArgs,
    order: ThreadOrder = NEWEST_UPDATED_FIRST,
  ): Promise<Page<ThreadRecord> & { total?: number }> {
    checkPageCursors(this, threadCursorKind(order), args);
    const rows = this.listThreads(filter, order);
    return { ...pageArray(rows, args, descendingKeys(order)), total: rows.length };
  }

  async countThreads(filter: ThreadListFilter): Promise<number> {
    return this.listThreads(filter).length;
  }

  private childrenOf<T extends { id: string }>(map: Map<string, T>, parent: (record: T) => string, parentId: string): T[] {
    return [...map.values()].filter((r) => parent(r) === parentId).sort(byId);
  }

  private pageChildren<T extends { id: string }>(records: T[], args: PageArgs): Page<T> {
    return pageArray(
      records.map((r) => ({ cursor: r.id, value: copy(r) })),
      args,
    );
  }

  async pageTurns(threadId: string, args: PageArgs): Promise<Page<TurnRecord>> {
    return (await this.pageTurnsMany([{ parentId: threadId, args }]))[0] as Page<TurnRecord>;
  }

  async pageTurnsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<TurnRecord>[]> {
    for (const r of requests) checkPageCursors(this, 'turns', r.args);
    return requests.map((r) =>
      this.pageChildren(
        this.childrenOf(this.state.turns, (t) => t.threadId, r.parentId),
        r.args,
      ),
    );
  }

  async pageItemsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<ItemRecord>[]> {
    for (const r of requests) checkPageCursors(this, 'items', r.args);
    return requests.map((r) =>
      this.pageChildren(
        this.childrenOf(this.state.items, (i) => i.turnId, r.parentId),
        r.args,
      ),
    );
  }

  async listTurnIds(threadId: string): Promise<string[]> {
    return this.childrenOf(this.state.turns, (t) => t.threadId, threadId).map((t) => t.id);
  }

  async listItemIds(turnId: string): Promise<string[]> {
    return this.childrenOf(this.state.items, (i) => i.turnId, turnId).map((i) => i.id);
  }

  async listQueuedTurnIds(threadId: string): Promise<string[]> {
    // Run order: a moved turn's rank, else its id (arrival); equal ranks by id.
    const rank = (t: TurnRecord) => t.queueRank ?? t.id;
    return this.childrenOf(this.state.turns, (t) => t.threadId, threadId)
      .filter((t) => t.status === 'QUEUED')
      .sort((a, b) => (rank(a) === rank(b) ? byId(a, b) : rank(a) < rank(b) ? -1 : 1))
      .map((t) => t.id);
  }

  async listThreadsWithQueue(): Promise<string[]> {
    const threads = new Set([...this.state.turns.values()].filter((t) => t.status === 'QUEUED').map((t) => t.threadId));
    return [...threads].sort();
  }

  async listOpenTurnIds(): Promise<string[]> {
    return [...this.state.turns.values()]
      .filter((t) => t.status === 'IN_PROGRESS')
      .sort(byId)
      .map((t) => t.id);
  }

  async listPendingApprovalIds(threadId: string | null): Promise<string[]> {
    return [...this.state.approvals.values()]
      .filter((a) => a.status === 'PENDING' && (threadId === null || a.threadId === threadId))
      .sort((a, b) => (a.threadId === b.threadId ? byId(a, b) : a.threadId < b.threadId ? -1 : 1))
      .map((a) => a.id);
  }

  async listApprovalIdsOfThread(threadId: string): Promise<string[]> {
    return this.childrenOf(this.state.approvals, (a) => a.threadId, threadId).map((a) => a.id);
  }

  async getImages(threadId: string, sha256s: readonly string[]): Promise<(ImageBlob | null)[]> {
    const images = this.state.images.get(threadId);
    return sha256s.map((h) => (images?.has(h) ? copy(images.get(h) as ImageBlob) : null));
  }

  async listImageHashesOfThread(threadId: string): Promise<string[]> {
    return [...(this.state.images.get(threadId)?.keys() ?? [])].sort();
  }

  async readEvents(threadId: string | null, afterSeq: number, limit: number): Promise<EventRecord[]> {
    if (limit <= 0) return [];
    const seqs = threadId === null ? [...this.state.events.keys()] : [...(this.state.threadEvents.get(threadId) ?? [])];
    return seqs
      .filter((seq) => seq > afterSeq)
      .sort((a, b) => a - b)
      .slice(0, limit)
      .map((seq) => copy(this.state.events.get(seq) as EventRecord));
  }

  async readStoredEvents(threadId: string | null, afterSeq: number, limit: number): Promise<AnyStoredEvent[]> {
    return (await this.readEvents(threadId, afterSeq, limit)).map((event) => StoredEvent.fromRecord(event));
  }

  async latestSeqs(threadIds: readonly string[]): Promise<number[]> {
    return threadIds.map((id) => Math.max(0, ...(this.state.threadEvents.get(id) ?? [])));
  }

  async listThreadEventSeqs(threadId: string): Promise<number[]> {
    return [...(this.state.threadEvents.get(threadId) ?? [])].sort((a, b) => a - b);
  }

  async listExpiredThreadIds(now: string, limit = 100): Promise<string[]> {
    return [...this.state.threads.values()]
      .filter((t) => t.expiresAt != null && t.expiresAt <= now)
      .sort((a, b) => ((a.expiresAt as string) < (b.expiresAt as string) ? -1 : 1))
      .slice(0, limit)
      .map((t) => t.id);
  }

  async listArchivedThreadIdsBefore(cutoff: string, limit = 100): Promise<string[]> {
    return [...this.state.threads.values()]
      .filter((t) => t.archived && t.updatedAt < cutoff)
      .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1))
      .slice(0, limit)
      .map((t) => t.id);
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    return [...this.state.webhooks.values()].sort(byId).map(copy);
  }

  async getWebhooks(ids: readonly string[]) {
    return this.many(this.state.webhooks, ids);
  }

  async getDeliveries(ids: readonly string[]) {
    return this.many(this.state.deliveries, ids);
  }

  async listPendingDeliveryIds(limit: number): Promise<string[]> {
    return [...this.state.deliveries.values()]
      .filter((d) => d.status === 'PENDING')
      .sort(byId)
      .slice(0, limit)
      .map((d) => d.id);
  }

  async listDeliveries(filter: { webhookId?: string | null; status?: DeliveryStatus | null }, limit: number): Promise<DeliveryRecord[]> {
    return [...this.state.deliveries.values()]
      .filter((d) => (!filter.webhookId || d.webhookId === filter.webhookId) && (!filter.status || d.status === filter.status))
      .sort((a, b) => byId(b, a))
      .slice(0, limit)
      .map(copy);
  }

  async getTurnSnapshots<T>(turnIds: readonly string[]): Promise<(T | null)[]> {
    return this.many(this.state.turnSnapshots, turnIds) as (T | null)[];
  }

  async getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    return this.many(this.state.idempotency, [key])[0] ?? null;
  }

  async listExpiredIdempotency(now: string, limit: number): Promise<{ key: string; expiresAt: string }[]> {
    return [...this.state.idempotency.values()]
      .filter((r) => r.expiresAt <= now)
      .sort((a, b) => (a.expiresAt === b.expiresAt ? (a.key < b.key ? -1 : 1) : a.expiresAt < b.expiresAt ? -1 : 1))
      .slice(0, limit)
      .map((r) => ({ key: r.key, expiresAt: r.expiresAt }));
  }

  async getRollup(id: RollupId): Promise<unknown> {
    return copy(this.state.rollups.get(JSON.stringify({ quarter: id.quarter, threadId: id.threadId, model: id.model }))?.value);
  }

  async readRollups(fromQuarter: string | null, toQuarter: string | null): Promise<{ id: RollupId; value: unknown }[]> {
    return [...this.state.rollups.values()]
      .filter((r) => (fromQuarter === null || r.id.quarter >= fromQuarter) && (toQuarter === null || r.id.quarter < toQuarter))
      .sort((a, b) => {
        const ka = `${a.id.quarter}\u0000${a.id.threadId}\u0000${a.id.model}`;
        const kb = `${b.id.quarter}\u0000${b.id.threadId}\u0000${b.id.model}`;
        return ka < kb ? -1 : 1;
      })
      .map((r) => copy({ id: r.id, value: r.value }));
  }

  async readUsageFacts(gte: string, lt: string): Promise<unknown[]> {
    return [...this.state.usageFacts.values()]
      .filter((f) => f.endedAt >= gte && f.endedAt < lt)
      .sort((a, b) => (a.endedAt === b.endedAt ? (a.turnId < b.turnId ? -1 : 1) : a.endedAt < b.endedAt ? -1 : 1))
      .map((f) => copy(f.facts));
  }
}
