import { StoredEvent, type AnyStoredEvent } from '../domain/storedEvent.js';
import type { AbstractBatchOptions, AbstractLevel } from 'abstract-level';
import { Level } from 'level';
import path from 'node:path';
import type { ApprovalRecord, EventRecord, ImageBlob, ItemRecord, ThreadRecord, TurnRecord } from '../domain/records.js';
import { SCHEMA_VERSION } from '../domain/records.js';
import type { DeliveryRecord, DeliveryStatus, WebhookRecord } from '../domain/webhooks.js';
import type { IdempotencyRecord } from '../domain/idempotency.js';
import { PendingRows, StoreBatch } from './batch.js';
import type { CommitUnit, RecordStore, RollupId, ThreadListFilter, ThreadOrder, UnitOfWork } from './contract.js';
import { descendingKeys, NEWEST_UPDATED_FIRST, threadCursorKind } from './threadOrder.js';
import { matchesMetadata, type ThreadMetadata } from '../domain/threadMetadata.js';
import { BadCursorError, checkPageCursors, isLevelCursor, type CursorKind } from './cursors.js';
import { childKey, HIGH, lastPart, metadataPrefix, parseRollupKey, prefixRange, rollupKey, seqKey, SEP, threadSeqKey, updatedKey } from './keys.js';
import { migrate, type MigrationTarget } from './migrations.js';
import { pageArray, pageRange, type Page, type PageArgs } from './paging.js';
import { openSublevels, type MetadataIndexValue, type ReadonlySublevels, type Sublevels, type ThreadIndexValue } from './sublevels.js';
import { RecordCache } from './recordCache.js';
import { WriteRecovery } from './writeRecovery.js';

export class StoreLockedError extends Error {
  constructor(readonly directory: string) {
    super(`the data directory ${directory} is in use by another process (its LevelDB LOCK is held); stop that server or choose another --data-dir`);
  }
}

export class StoreVersionError extends Error {}

export { StorageError } from './storageError.js';

export type { ArchivedFilter, ThreadListFilter } from './contract.js';
export { BadCursorError } from './cursors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyLevel = AbstractLevel<any, string, any>;

/** The records kept decoded in memory (recordCache.ts). */
type CachedKind = 'threads' | 'turns' | 'items' | 'usageRollups';

/**
 * `strict` (the default): every write is synced to disk (LevelDB `sync: true`) before it resolves, so nothing is
 * acknowledged or published that a power loss or kernel crash could take back. `relaxed`: writes resolve once
 * LevelDB has them in its log in the OS page cache — they survive the process being killed, not the machine.
 */
export type Durability = 'strict' | 'relaxed';
export const DURABILITIES: readonly Durability[] = ['strict', 'relaxed'];
export const DEFAULT_DURABILITY: Durability = 'strict';

export interface StoreOptions {
  durability?: Durability;
}

let sublevelsOf: (store: Store) => Sublevels;

/**
 * The raw rows of a LevelDB store, read-only: for tests that check the layout (test/support/invariants.ts) and
 * benchmarks that measure the storage limit beside the server. Nothing in the server reads through it.
 */
export function inspectSublevels(store: Store): ReadonlySublevels {
  return sublevelsOf(store);
}

/**
 * The durable record. Only this layer knows keys and sublevels; the runtime reads through named queries and
 * writes through `batch()`. Every public read counts one round trip (`roundTrips`), which tests use to prove
 * that GraphQL requests are batched.
 */
export class Store implements RecordStore {
  roundTrips = 0;
  /** How many threads and turns the store holds (what a thread search reads); kept up to date by every write. */
  readonly counts = { threads: 0, turns: 0 };
  private readonly subs: Sublevels;
  private readonly recovery: WriteRecovery;
  /** Decoded thread, turn, item and usage rollup records (recordCache.ts); this process is the one writer. */
  private readonly records: RecordCache<CachedKind>;
  // classic-level reads `sync`; abstract-level's type does not declare it (memory-level ignores it).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly writeOptions: AbstractBatchOptions<string, any> & { sync: boolean };
  /** The seq the next committed event gets; only `commit` advances it, after its batch is written. */
  private next = 1;
  /** The commit in flight: commits run one after another, so commit order is seq order. */
  private committing: Promise<unknown> = Promise.resolve();
  /** The rows of each batch this store handed out, for the group commit (a batch keeps them private). */
  private readonly pending = new WeakMap<UnitOfWork, PendingRows>();

  static {
    sublevelsOf = (store) => store.subs;
  }

  private constructor(
    readonly db: AnyLevel,
    readonly location: string,
    onDisk: boolean,
    readonly durability: Durability,
  ) {
    this.writeOptions = { sync: durability === 'strict' };
    this.subs = openSublevels(db);
    // Threads and rollup rows are small and read again by the next write (a turn's start and end): kept as written.
    this.records = new RecordCache<CachedKind>(
      { threads: this.subs.threads, turns: this.subs.turns, items: this.subs.items, usageRollups: this.subs.usageRollups },
      { writeThrough: ['threads', 'usageRollups'] },
    );
    this.recovery = new WriteRecovery({ directory: onDisk ? location : null, restore: () => (onDisk ? this.reopen() : this.probeWrite()) });
  }

  /** Opens (creating if needed) the LevelDB under `directory`, checking and migrating its schema version. */
  static async open(directory: string, options: StoreOptions = {}): Promise<Store> {
    const location = path.resolve(directory);
    const db = new Level<string, string>(location);
    try {
      await db.open();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') throw new StoreLockedError(location);
      throw error;
    }
    // abstract-level's generics are invariant in the encodings: a Level<string, unknown> is not an AnyLevel to tsc.
    return Store.attach(db as unknown as AnyLevel, location, true, options);
  }

  /** Any abstract-level database (memory-level in unit tests). */
  static async attach(db: AnyLevel, location = 'memory', onDisk = false, options: StoreOptions = {}): Promise<Store> {
    if (db.status !== 'open') await db.open();
    const store = new Store(db, location, onDisk, options.durability ?? DEFAULT_DURABILITY);
    try {
      await store.checkVersion();
      await store.countRecords();
      store.next = (await store.subs.meta.get('next_seq')) ?? 1;
    } catch (error) {
      await db.close();
      throw error;
    }
    return store;
  }

  async close(): Promise<void> {
    await this.recovery.stop();
    if (this.db.status === 'open') await this.db.close();
  }

  get isOpen(): boolean {
    return this.db.status === 'open';
  }

  /** Why the store refuses writes now (a write failed and it has not recovered yet), or null when it takes them. */
  get writeError(): unknown {
    return this.recovery.error;
  }

  checkCursor(kind: CursorKind, cursor: string): void {
    if (!isLevelCursor(kind, cursor)) throw new BadCursorError(kind, cursor);
  }

  batch(): StoreBatch {
    const rows = new PendingRows();
    const batch = new StoreBatch(this.subs, rows, () => this.write(rows));
    this.pending.set(batch, rows);
    return batch;
  }

  private rowsOf(unit: UnitOfWork): PendingRows {
    const rows = this.pending.get(unit);
    if (!rows) throw new Error('internal error: a unit of work of another store');
    return rows;
  }

  commit(units: readonly CommitUnit[], timestamp: string): Promise<EventRecord[][]> {
    const run = this.committing.then(() => this.commitNow(units, timestamp));
    this.committing = run.catch(() => undefined); // the caller gets the failure; the next commit still runs
    return run;
  }

  private async commitNow(units: readonly CommitUnit[], timestamp: string): Promise<EventRecord[][]> {
    const combined = this.batch();
    const rows = this.rowsOf(combined);
    let seq = this.next;
    const committed = units.map(({ unit, drafts, threadIndexed }) => {
      rows.append(this.rowsOf(unit));
      // Written in the stored layout (storedEvent.ts), whatever the draft's own key order.
      const events = drafts.map(
        ({ name, threadId, turnId, itemId, payload }) => ({ seq: seq++, timestamp, name, threadId, turnId, itemId, payload }) as EventRecord,
      );
      for (const event of events) combined.putEvent(event, threadIndexed !== false);
      return events;
    });
    if (seq !== this.next) combined.putMeta('next_seq', seq);
    await this.write(rows);
    this.next = seq;
    return committed;
  }

  /** Every write: none goes to a database whose last write failed until it has recovered (writeRecovery.ts). */
  private async write(rows: PendingRows): Promise<void> {
    if (!(await this.recovery.recover())) throw this.recovery.error;
    const cacheWrite = this.records.writing(rows.ops);
    try {
      await this.db.batch(rows.ops, this.writeOptions);
    } catch (error) {
      this.records.written(rows.ops, cacheWrite, false);
      this.recovery.failed(error);
      throw error;
    }
    this.records.written(rows.ops, cacheWrite, true);
    this.counts.threads = Math.max(0, this.counts.threads + rows.counts.threads);
    this.counts.turns = Math.max(0, this.counts.turns + rows.counts.turns);
  }

  private async countRecords(): Promise<void> {
    for await (const thread of this.subs.threads.values()) {
      this.counts.threads++;
      this.counts.turns += (thread as ThreadRecord).turnCount ?? 0;
    }
  }

  /** Closes and reopens LevelDB (and its sublevels, which close with it). */
  private async reopen(): Promise<void> {
    this.records.clear();
    if (this.db.status === 'open') await this.db.close();
    await this.db.open();
    await Promise.all(Object.values(this.subs).map((sub) => sub.open()));
  }

  /** A database without sticky errors (in memory) has recovered once a write goes through; this one changes nothing. */
  private async probeWrite(): Promise<void> {
    await this.subs.meta.del('write_probe');
  }

  private async checkVersion(): Promise<void> {
    const stored = (await this.subs.meta.get('schema_version')) as number | undefined;
    if (stored === undefined) {
      const empty = (await this.subs.threads.keys({ limit: 1 }).all()).length === 0;
      // A store without a version row predates versioning: schema version 1.
      if (empty) {
        await this.subs.meta.put('schema_version', SCHEMA_VERSION);
        return;
      }
    }
    const version = stored ?? 1;
    if (version > SCHEMA_VERSION) {
      throw new StoreVersionError(
        `the store at ${this.location} was written by a newer Zagens Runtime (schema version ${version}; this server reads up to ${SCHEMA_VERSION}); upgrade the server`,
      );
    }
    if (version < SCHEMA_VERSION) await migrate(this.migrationTarget(), version);
  }

  private migrationTarget(): MigrationTarget {
    return {
      rows: (kind) => this.subs[kind].iterator() as AsyncIterable<[string, unknown]>,
      rewrite: (kind, records) => {
        const rows = new PendingRows();
        for (const [key, value] of records) rows.ops.push({ type: 'put', sublevel: this.subs[kind], key, value });
        return this.write(rows);
      },
      setVersion: (version) => this.batch().putMeta('schema_version', version).write(),
    };
  }

  // ---- meta ----
  async getMeta<T>(key: string): Promise<T | undefined> {
    this.roundTrips++;
    return (await this.subs.meta.get(key)) as T | undefined;
  }

  /** Meta rows whose key starts with `prefix` (e.g. unfinished operations to complete at open). */
  async listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    this.roundTrips++;
    const rows = await this.subs.meta.iterator({ gte: prefix, lt: `${prefix}${HIGH}` }).all();
    return rows.map(([key, value]: [string, unknown]) => ({ key, value: value as T }));
  }

  /** The seq the next event gets (1 for an empty log). */
  async nextSeq(): Promise<number> {
    return this.next;
  }

  // ---- records by id ----
  private async many<T>(sub: Sublevels[keyof Sublevels], ids: readonly string[]): Promise<(T | null)[]> {
    this.roundTrips++;
    if (ids.length === 0) return [];
    const values = await sub.getMany(ids as string[]);
    return values.map((v: unknown) => (v === undefined ? null : (v as T)));
  }

  /** Records by id through the record cache: LevelDB reads only the ones it does not hold (undefined: none). */
  private async cached<T>(kind: CachedKind, ids: readonly string[]): Promise<(T | undefined)[]> {
    const found = ids.map((id) => this.records.get(kind, id) as T | undefined);
    const missing = ids.filter((_, i) => found[i] === undefined);
    if (missing.length === 0) return found;
    const generation = this.records.generation;
    const values = (await this.subs[kind].getMany(missing)) as (object | undefined)[];
    let next = 0;
    return found.map((hit, i) => {
      if (hit !== undefined) return hit;
      const value = values[next++];
      return value === undefined ? undefined : (this.records.fill(kind, generation, ids[i] as string, value) as T);
    });
  }

  private async cachedOrNull<T>(kind: CachedKind, ids: readonly string[]): Promise<(T | null)[]> {
    this.roundTrips++;
    return (await this.cached<T>(kind, ids)).map((v) => v ?? null);
  }

  getThreads(ids: readonly string[]) {
    return this.cachedOrNull<ThreadRecord>('threads', ids);
  }
  getTurns(ids: readonly string[]) {
    return this.cachedOrNull<TurnRecord>('turns', ids);
  }
  getItems(ids: readonly string[]) {
    return this.cachedOrNull<ItemRecord>('items', ids);
  }
  getApprovals(ids: readonly string[]) {
    return this.many<ApprovalRecord>(this.subs.approvals, ids);
  }
  async getThread(id: string): Promise<ThreadRecord | null> {
    return (await this.getThreads([id]))[0] ?? null;
  }
  async getTurn(id: string): Promise<TurnRecord | null> {
    return (await this.getTurns([id]))[0] ?? null;
  }
  async getItem(id: string): Promise<ItemRecord | null> {
    return (await this.getItems([id]))[0] ?? null;
  }
  async getApproval(id: string): Promise<ApprovalRecord | null> {
    return (await this.getApprovals([id]))[0] ?? null;
  }

  // ---- listings ----

  /**
   * Threads in `order` (newest `updatedAt` first by default). Archive, task and metadata filters read only index
   * rows: by update time `threadsByUpdated`, by creation the records themselves (keyed by id), and with metadata
   * the rows of its first key and value (`threadMetaBy…`), which carry every key. Search reads records.
   */
  async pageThreads(
    filter: ThreadListFilter,
    args: PageArgs,
    order: ThreadOrder = NEWEST_UPDATED_FIRST,
  ): Promise<Page<ThreadRecord> & { total?: number }> {
    checkPageCursors(this, threadCursorKind(order), args);
    this.roundTrips++;
    const accept = threadIndexFilter(filter);
    const descending = descendingKeys(order);
    const byCreation = order.field === 'CREATED_AT';
    const search = filter.search?.trim().toLowerCase();
    if (search) return this.searchThreads(search, accept, args, order);
    const [first] = Object.entries(filter.metadata ?? {});
    if (first) {
      const index = byCreation ? this.subs.threadMetaByCreated : this.subs.threadMetaByUpdated;
      const page = await pageRange<MetadataIndexValue>(index, metadataPrefix(...first), args, accept, descending);
      return this.withRecords(page, filter);
    }
    if (byCreation) return pageRange<ThreadRecord>(this.subs.threads, null, args, accept, descending);
    return this.withRecords(await pageRange<ThreadIndexValue>(this.subs.threadsByUpdated, null, args, accept, descending), filter);
  }

  /** The records of a page of index rows (a cursor ends with the thread id), re-checked against the filter. */
  private async withRecords(page: Page<unknown>, filter: ThreadListFilter): Promise<Page<ThreadRecord>> {
    const records = await this.cached<ThreadRecord>(
      'threads',
      page.entries.map((e) => lastPart(e.cursor)),
    );
    const accept = threadIndexFilter(filter);
    const entries = page.entries.map((e, i) => ({ cursor: e.cursor, value: records[i] as ThreadRecord })).filter((e) => e.value && accept(e.value));
    return { ...page, entries };
  }

  /** Search has no index: collect the matching threads in list order, then page over them. */
  private async searchThreads(
    search: string,
    accept: (v: ThreadIndexValue & { metadata?: ThreadMetadata }) => boolean,
    args: PageArgs,
    order: ThreadOrder,
  ): Promise<Page<ThreadRecord> & { total: number }> {
    const descending = descendingKeys(order);
    const byCreation = order.field === 'CREATED_AT';
    const matching: { cursor: string; value: ThreadRecord }[] = [];
    const index = byCreation ? this.subs.threads : this.subs.threadsByUpdated;
    for await (const [key, value] of index.iterator({ reverse: descending })) {
      if (!accept(value as ThreadIndexValue)) continue;
      const thread = byCreation ? (value as ThreadRecord) : ((await this.subs.threads.get(lastPart(key as string))) as ThreadRecord | undefined);
      if (thread && accept(thread) && (await this.threadMatches(thread, search))) matching.push({ cursor: key as string, value: thread });
    }
    // The scan saw every match: the total comes with the page (a second scan for totalCount would double it).
    return { ...pageArray(matching, args, descending), total: matching.length };
  }

  async countThreads(filter: ThreadListFilter): Promise<number> {
    if (filter.search?.trim()) {
      const all = await this.pageThreads(filter, { first: Number.MAX_SAFE_INTEGER });
      return all.entries.length;
    }
    this.roundTrips++;
    const accept = threadIndexFilter(filter);
    const [first] = Object.entries(filter.metadata ?? {});
    const rows = first ? this.subs.threadMetaByCreated.values(prefixRange(metadataPrefix(...first))) : this.subs.threadsByUpdated.values();
    let count = 0;
    for await (const value of rows) if (accept(value as ThreadIndexValue)) count++;
    return count;
  }

  private async threadMatches(thread: ThreadRecord, needle: string): Promise<boolean> {
    if (thread.title?.toLowerCase().includes(needle)) return true;
    const turnIds = await this.subs.threadTurns.keys(prefixRange(thread.id)).all();
    const turns = await this.subs.turns.getMany(turnIds.map((k: string) => lastPart(k)));
    return turns.some((t: TurnRecord | undefined) => t?.prompt.toLowerCase().includes(needle));
  }

  /** Turns of one thread, oldest first; the cursor is the turn id. */
  async pageTurns(threadId: string, args: PageArgs): Promise<Page<TurnRecord>> {
    return (await this.pageTurnsMany([{ parentId: threadId, args }]))[0] as Page<TurnRecord>;
  }

  /** Items of several turns in one call (one round trip for a page of turns). */
  async pageItemsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<ItemRecord>[]> {
    for (const r of requests) checkPageCursors(this, 'items', r.args);
    return (await this.pageChildrenMany(this.subs.turnItems, 'items', requests)) as Page<ItemRecord>[];
  }

  async pageTurnsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<TurnRecord>[]> {
    for (const r of requests) checkPageCursors(this, 'turns', r.args);
    return (await this.pageChildrenMany(this.subs.threadTurns, 'turns', requests)) as Page<TurnRecord>[];
  }

  private async pageChildrenMany(
    index: Sublevels[keyof Sublevels],
    kind: CachedKind,
    requests: readonly { parentId: string; args: PageArgs }[],
  ): Promise<Page<unknown>[]> {
    this.roundTrips++;
    const pages = await Promise.all(requests.map((r) => pageRange<string>(index, r.parentId, r.args)));
    const ids = pages.flatMap((p) => p.entries.map((e) => e.cursor));
    const values = ids.length ? await this.cached<unknown>(kind, ids) : [];
    let i = 0;
    return pages.map((p) => ({
      ...p,
      entries: p.entries.map((e) => ({ cursor: e.cursor, value: values[i++] })).filter((e) => e.value !== undefined),
    }));
  }

  async listTurnIds(threadId: string): Promise<string[]> {
    this.roundTrips++;
    const keys = await this.subs.threadTurns.keys(prefixRange(threadId)).all();
    return keys.map((k: string) => lastPart(k));
  }

  async listItemIds(turnId: string): Promise<string[]> {
    this.roundTrips++;
    const keys = await this.subs.turnItems.keys(prefixRange(turnId)).all();
    return keys.map((k: string) => lastPart(k));
  }

  /** QUEUED turn ids of a thread in run order: by rank (a moved turn's), else by id (arrival). */
  async listQueuedTurnIds(threadId: string): Promise<string[]> {
    this.roundTrips++;
    const rows = (await this.subs.queue.iterator(prefixRange(threadId)).all()) as [string, string][];
    const ranked = rows.map(([key, rank]) => ({ id: lastPart(key), rank: rank || lastPart(key) }));
    return ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map((r) => r.id);
  }

  /** Threads that have QUEUED turns (restart recovery). */
  async listThreadsWithQueue(): Promise<string[]> {
    this.roundTrips++;
    const threads = new Set<string>();
    for await (const key of this.subs.queue.keys()) threads.add((key as string).slice(0, (key as string).indexOf(SEP)));
    return [...threads];
  }

  /** IN_PROGRESS turn ids (restart recovery reads this index, never every thread). */
  async listOpenTurnIds(): Promise<string[]> {
    this.roundTrips++;
    return (await this.subs.openTurns.keys().all()) as string[];
  }

  async listPendingApprovalIds(threadId: string | null): Promise<string[]> {
    this.roundTrips++;
    const keys = await this.subs.pendingApprovals.keys(threadId ? prefixRange(threadId) : {}).all();
    return keys.map((k: string) => lastPart(k));
  }

  async listApprovalIdsOfThread(threadId: string): Promise<string[]> {
    this.roundTrips++;
    const keys = await this.subs.threadApprovals.keys(prefixRange(threadId)).all();
    return keys.map((k: string) => lastPart(k));
  }

  // ---- images ----

  /** Image data of a thread by hash, in the order asked (null where missing). */
  async getImages(threadId: string, sha256s: readonly string[]): Promise<(ImageBlob | null)[]> {
    this.roundTrips++;
    if (sha256s.length === 0) return [];
    const values = await this.subs.images.getMany(sha256s.map((h) => childKey(threadId, h)));
    return values.map((v: ImageBlob | undefined) => v ?? null);
  }

  async listImageHashesOfThread(threadId: string): Promise<string[]> {
    this.roundTrips++;
    const keys = await this.subs.images.keys(prefixRange(threadId)).all();
    return keys.map((k: string) => lastPart(k));
  }

  // ---- events ----

  /** Events with seq > afterSeq, ascending: of one thread, or of all threads when threadId is null. */
  async readEvents(threadId: string | null, afterSeq: number, limit: number): Promise<EventRecord[]> {
    this.roundTrips++;
    if (limit <= 0) return [];
    if (threadId === null) {
      return (await this.subs.events.values({ gt: seqKey(afterSeq), limit }).all()) as EventRecord[];
    }
    const { lt } = prefixRange(threadId);
    return (await this.subs.threadEvents.values({ gt: threadSeqKey(threadId, afterSeq), lt, limit }).all()) as EventRecord[];
  }

  async readStoredEvents(threadId: string | null, afterSeq: number, limit: number): Promise<AnyStoredEvent[]> {
    this.roundTrips++;
    if (limit <= 0) return [];
    const range = threadId === null ? { gt: seqKey(afterSeq), limit } : { gt: threadSeqKey(threadId, afterSeq), lt: prefixRange(threadId).lt, limit };
    const rows = (await (threadId === null ? this.subs.eventsText : this.subs.threadEventsText).values(range).all()) as string[];
    return rows.map((text) => StoredEvent.fromText(text));
  }

  /** The seq of the newest event of each thread (0 when it has none). */
  async latestSeqs(threadIds: readonly string[]): Promise<number[]> {
    this.roundTrips++;
    return Promise.all(
      threadIds.map(async (id) => {
        const [key] = await this.subs.threadEvents.keys({ ...prefixRange(id), reverse: true, limit: 1 }).all();
        return key ? Number(lastPart(key as string)) : 0;
      }),
    );
  }

  /** Seqs of a thread's replay rows (deleting a thread removes them). */
  async listThreadEventSeqs(threadId: string): Promise<number[]> {
    this.roundTrips++;
    const keys = await this.subs.threadEvents.keys(prefixRange(threadId)).all();
    return keys.map((k: string) => Number(lastPart(k)));
  }

  // ---- retention (background maintenance: its reads are not request round trips, so not counted) ----

  /** Threads whose `expiresAt` is at or before `now` (ISO), soonest first. */
  async listExpiredThreadIds(now: string, limit = 100): Promise<string[]> {
    const keys = await this.subs.threadExpiry.keys({ lt: `${now}${SEP}${HIGH}`, limit }).all();
    return keys.map((k: string) => lastPart(k));
  }

  /** Archived threads last updated before `cutoff` (ISO), oldest first (the index sorts newest first). */
  async listArchivedThreadIdsBefore(cutoff: string, limit = 100): Promise<string[]> {
    const ids: string[] = [];
    for await (const [key, value] of this.subs.threadsByUpdated.iterator({ gt: updatedKey(cutoff, HIGH), reverse: true })) {
      if ((value as ThreadIndexValue).archived) ids.push(lastPart(key as string));
      if (ids.length >= limit) break;
    }
    return ids;
  }

  // ---- webhooks ----
  async listWebhooks(): Promise<WebhookRecord[]> {
    this.roundTrips++;
    return (await this.subs.webhooks.values().all()) as WebhookRecord[];
  }

  getWebhooks(ids: readonly string[]) {
    return this.many<WebhookRecord>(this.subs.webhooks, ids);
  }

  getDeliveries(ids: readonly string[]) {
    return this.many<DeliveryRecord>(this.subs.webhookDeliveries, ids);
  }

  /** Deliveries still to make, oldest first. */
  async listPendingDeliveryIds(limit: number): Promise<string[]> {
    this.roundTrips++;
    return (await this.subs.webhookPending.keys({ limit }).all()) as string[];
  }

  /** Deliveries newest first, optionally of one webhook and in one status. */
  async listDeliveries(filter: { webhookId?: string | null; status?: DeliveryStatus | null }, limit: number): Promise<DeliveryRecord[]> {
    this.roundTrips++;
    const accept = (d: DeliveryRecord | undefined): d is DeliveryRecord =>
      !!d && (!filter.webhookId || d.webhookId === filter.webhookId) && (!filter.status || d.status === filter.status);
    if (filter.status === 'PENDING') {
      // The pending index is small; the other statuses are read from newest back.
      const ids = (await this.subs.webhookPending.keys({ reverse: true }).all()) as string[];
      return ((await this.subs.webhookDeliveries.getMany(ids)) as (DeliveryRecord | undefined)[]).filter(accept).slice(0, limit);
    }
    const out: DeliveryRecord[] = [];
    for await (const value of this.subs.webhookDeliveries.values({ reverse: true })) {
      if (accept(value as DeliveryRecord)) out.push(value as DeliveryRecord);
      if (out.length >= limit) break;
    }
    return out;
  }

  // ---- workspace snapshots ----
  getTurnSnapshots<T>(turnIds: readonly string[]): Promise<(T | null)[]> {
    return this.many<T>(this.subs.turnSnapshots, turnIds);
  }

  // ---- idempotency keys ----
  async getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    this.roundTrips++;
    return ((await this.subs.idempotency.get(key)) as IdempotencyRecord | undefined) ?? null;
  }

  /** Background maintenance (the retention sweep): not counted as request round trips. */
  async listExpiredIdempotency(now: string, limit: number): Promise<{ key: string; expiresAt: string }[]> {
    const keys = (await this.subs.idempotencyExpiry.keys({ lt: `${now}${SEP}${HIGH}`, limit }).all()) as string[];
    // The expiry (ISO time) has no separator; the key after it may.
    return keys.map((k) => ({ expiresAt: k.slice(0, k.indexOf(SEP)), key: k.slice(k.indexOf(SEP) + 1) }));
  }

  // ---- usage ----
  async getRollup(id: RollupId): Promise<unknown> {
    this.roundTrips++;
    return (await this.cached<object>('usageRollups', [rollupKey(id)]))[0];
  }

  /** Rollup rows are keyed by their quarter's ISO time first, so a range of quarters is one range read. */
  async readRollups(fromQuarter: string | null, toQuarter: string | null): Promise<{ id: RollupId; value: unknown }[]> {
    this.roundTrips++;
    const rows = await this.subs.usageRollups.iterator({ gte: fromQuarter ?? '', lt: toQuarter ?? HIGH }).all();
    return rows.map(([key, value]: [string, unknown]) => ({ id: parseRollupKey(key), value }));
  }

  /** Per-turn usage facts of turns that ended in [gte, lt) (ISO times). */
  async readUsageFacts(gte: string, lt: string): Promise<unknown[]> {
    this.roundTrips++;
    return this.subs.usageFacts.values({ gte, lt }).all();
  }
}

/**
 * What the archive, task and metadata filters keep, on an index row or a record. Rows without `metadata`
 * (`threadsByUpdated`) pass the metadata check; their records are checked after they are read.
 */
function threadIndexFilter(filter: ThreadListFilter): (v: ThreadIndexValue & { metadata?: ThreadMetadata }) => boolean {
  const archived = filter.archived ?? 'ACTIVE_ONLY';
  const taskId = filter.taskId ?? null;
  const metadata = filter.metadata && Object.keys(filter.metadata).length ? filter.metadata : null;
  return (v) => {
    if (archived === 'ACTIVE_ONLY' && v.archived) return false;
    if (archived === 'ARCHIVED_ONLY' && !v.archived) return false;
    if (taskId !== null && v.taskId !== taskId) return false;
    if (metadata !== null && 'metadata' in v && !matchesMetadata(v.metadata, metadata)) return false;
    return true;
  };
}
