import { StoredEvent, type AnyStoredEvent } from '../../domain/storedEvent.js';
import pg from 'pg';
import type { ApprovalRecord, EventDraft, EventRecord, ImageBlob, ItemRecord, ThreadRecord, TurnRecord } from '../../domain/records.js';
import type { IdempotencyRecord } from '../../domain/idempotency.js';
import type { DeliveryRecord, DeliveryStatus, WebhookRecord } from '../../domain/webhooks.js';
import type { CommitUnit, RecordStore, RollupId, ThreadListFilter, ThreadOrder } from '../contract.js';
import { descendingKeys, NEWEST_UPDATED_FIRST, threadCursorKind } from '../threadOrder.js';
import { BadCursorError, checkPageCursors, isLevelCursor, type CursorKind } from '../cursors.js';
import { HIGH, updatedKey } from '../keys.js';
import { pageArray, type Page, type PageArgs } from '../paging.js';
import { TurnActiveError, UserError } from '../../domain/errors.js';
import { StorageError } from '../storageError.js';
import { migrate } from './migrations.js';
import { isDatabaseUnreachable } from './pgErrors.js';
import { pageSql } from './pgPaging.js';
import { PgUnitOfWork, type PendingEvent } from './pgUnitOfWork.js';

export interface PgStoreOptions {
  /** This server node (turns it puts IN_PROGRESS are its own). */
  nodeId: string;
  /** A node whose heartbeat is older than this has lost its turns (ms). */
  leaseMs: number;
  /** Connections in the pool. */
  poolSize?: number;
}

/** The NOTIFY channel each commit with events signals on; the payload is the newest committed seq. */
export const EVENTS_CHANNEL = 'zagens_events';

const toNumber = (value: unknown) => Number(value);

/**
 * The record store on PostgreSQL (docs/DESIGN.md "PostgreSQL store"): the same contract as the LevelDB store,
 * with a relational schema (migrations.ts) and one transaction per unit of work. Cursors use the LevelDB
 * store's formats (thread index key, record id), so both stores order and page identically.
 *
 * Seqs are assigned inside the commit transaction: it increments the one seq_counter row, which stays locked
 * until COMMIT, so commits on every node are serialised at that point, commit order is seq order, and a
 * transaction that fails gives its seqs back (the increment rolls back with it).
 */
export class PgStore implements RecordStore {
  roundTrips = 0;
  readonly counts = { threads: 0, turns: 0 };
  private open = true;
  private lastWriteError: unknown = null;

  private constructor(
    readonly pool: pg.Pool,
    readonly options: PgStoreOptions,
  ) {}

  /** Connects, applies the migrations this database lacks, and counts what a thread search reads. */
  static async open(url: string, options: PgStoreOptions): Promise<PgStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle client whose server connection drops must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const store = new PgStore(pool, options);
    try {
      await migrate(pool);
      await store.countRecords();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  get isOpen(): boolean {
    return this.open;
  }

  get writeError(): unknown {
    return this.lastWriteError;
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.pool.end();
  }

  private async countRecords(): Promise<void> {
    const rows = await this.rows<{ threads: string; turns: string }>(
      'SELECT (SELECT count(*) FROM threads) AS threads, (SELECT count(*) FROM turns) AS turns',
      [],
    );
    this.counts.threads = Number(rows[0]?.threads ?? 0);
    this.counts.turns = Number(rows[0]?.turns ?? 0);
  }

  /**
   * One read. A database that cannot be reached is STORAGE_UNAVAILABLE for the caller and makes `writeError`
   * (what /health reports) say so until a statement succeeds again.
   */
  private async rows<R>(text: string, values: unknown[]): Promise<R[]> {
    let result;
    try {
      result = await this.pool.query(text, values);
    } catch (error) {
      throw this.unavailable(error) ?? error;
    }
    this.lastWriteError = null;
    return result.rows as R[];
  }

  /** The StorageError for a database that cannot be reached (recorded for /health), else null. */
  private unavailable(error: unknown): StorageError | null {
    if (error instanceof StorageError) return error;
    if (!isDatabaseUnreachable(error)) return null;
    this.lastWriteError = error;
    return new StorageError(error, 'the database cannot be reached, nothing was changed');
  }

  private readonly query = <R>(text: string, values: unknown[]) => this.rows<R>(text, values);

  batch(): PgUnitOfWork {
    return new PgUnitOfWork(this.options.nodeId, (unit) => this.commitUnits([unit], []).then(() => undefined));
  }

  /**
   * Commits `units` with their event drafts in one transaction; returns each unit's events with their seqs
   * (see `commitUnits`).
   */
  async commit(units: readonly CommitUnit[], timestamp: string): Promise<EventRecord[][]> {
    const committed = units.map(({ drafts }) => drafts.map((draft) => ({ seq: 0, timestamp, ...draft }) as EventRecord));
    const events = units.flatMap(({ threadIndexed }, i) => committed[i]!.map((event) => ({ event, inThread: threadIndexed !== false })));
    // Units come from this store's batch(): a unit of another store is a programming error.
    await this.commitUnits(
      units.map((u) => u.unit as PgUnitOfWork),
      events,
    );
    return committed;
  }

  /**
   * One transaction: the units' statements, then (when there are events) the seq counter incremented by their
   * number — its row stays locked until COMMIT, so commits on every node pass this point one at a time — the
   * events numbered from it, and a NOTIFY of the newest seq (PostgreSQL delivers it at commit, in commit
   * order). A transaction that fails rolls the increment back with everything else: no seq is used.
   */
  private async commitUnits(units: readonly PgUnitOfWork[], extra: readonly PendingEvent[]): Promise<void> {
    if (!this.open) throw new Error('the store is closed');
    const events = [...units.flatMap((u) => u.events), ...extra];
    let client: pg.PoolClient | undefined;
    // The server may end the connection between two statements (a restart): pg reports it as an 'error' event
    // of the checked-out client, which would crash the process unhandled. The next statement fails with it.
    const ignore = () => {};
    try {
      client = await this.pool.connect();
      client.on('error', ignore);
      await client.query('BEGIN');
      for (const unit of units) {
        for (const statement of unit.statements) {
          const result = await client.query(statement.text, statement.values);
          if (statement.unlessChanged && result.rowCount === 0) throw statement.unlessChanged();
        }
      }
      const n = events.length;
      if (n > 0) {
        const counter = await client.query<{ last_seq: string }>('UPDATE seq_counter SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq', [
          n,
        ]);
        const last = Number(counter.rows[0]?.last_seq);
        const records = events.map((pending, i) => ({ ...pending.event, seq: last - n + 1 + i }));
        await client.query(
          `INSERT INTO events (seq, thread_id, in_thread, record)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::json[])`,
          [records.map((e) => e.seq), records.map((e) => e.threadId), events.map((p) => p.inThread), records.map((e) => JSON.stringify(e))],
        );
        await client.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(last)]);
        await client.query('COMMIT');
        records.forEach((record, i) => (events[i]!.event.seq = record.seq));
      } else {
        await client.query('COMMIT');
      }
      this.lastWriteError = null;
    } catch (error) {
      const refused = error instanceof UserError ? error : await this.turnActiveRefusal(error);
      if (refused) {
        // A rollback that cannot reach the server is moot: the server aborts the transaction with the connection.
        await client?.query('ROLLBACK').catch(() => {});
        client?.off('error', ignore);
        client?.release();
        client = undefined;
        throw refused;
      }
      this.lastWriteError = error;
      // A rollback that cannot reach the server is moot: the server aborts the transaction with the connection.
      await client?.query('ROLLBACK').catch(() => {});
      client?.off('error', ignore);
      client?.release(true);
      client = undefined;
      throw this.unavailable(error) ?? new StorageError(error);
    } finally {
      client?.off('error', ignore);
      client?.release();
    }
    for (const unit of units) {
      this.counts.threads = Math.max(0, this.counts.threads + unit.counts.threads);
      this.counts.turns = Math.max(0, this.counts.turns + unit.counts.turns);
    }
  }

  /**
   * A commit refused by `turns_one_running` (another node's turn of that thread is IN_PROGRESS) is a typed
   * TURN_ACTIVE naming that turn, not a storage failure.
   */
  private async turnActiveRefusal(error: unknown): Promise<TurnActiveError | null> {
    const e = error as { code?: string; constraint?: string; detail?: string };
    if (e.code !== '23505' || e.constraint !== 'turns_one_running') return null;
    const threadId = /\(thread_id\)=\(([^)]+)\)/.exec(e.detail ?? '')?.[1];
    const rows = threadId
      ? await this.rows<{ id: string }>("SELECT id FROM turns WHERE thread_id = $1 AND status = 'IN_PROGRESS'", [threadId]).catch(() => [])
      : [];
    return new TurnActiveError(rows[0]?.id ?? 'unknown');
  }

  checkCursor(kind: CursorKind, cursor: string): void {
    if (!isLevelCursor(kind, cursor)) throw new BadCursorError(kind, cursor);
  }

  // ---- meta ----
  async getMeta<T>(key: string): Promise<T | undefined> {
    this.roundTrips++;
    const rows = await this.rows<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    this.roundTrips++;
    return this.rows<{ key: string; value: T }>('SELECT key, value FROM settings WHERE starts_with(key, $1) ORDER BY key', [prefix]);
  }

  async nextSeq(): Promise<number> {
    const rows = await this.rows<{ last_seq: string }>('SELECT last_seq FROM seq_counter WHERE id = 1', []);
    return Number(rows[0]?.last_seq ?? 0) + 1;
  }

  // ---- records by id ----
  private async many<T>(table: string, key: string, column: string, ids: readonly string[]): Promise<(T | null)[]> {
    this.roundTrips++;
    if (ids.length === 0) return [];
    const rows = await this.rows<{ id: string; value: T }>(`SELECT ${key} AS id, ${column} AS value FROM ${table} WHERE ${key} = ANY($1::text[])`, [
      ids,
    ]);
    const byId = new Map(rows.map((row) => [row.id, row.value]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  getThreads(ids: readonly string[]) {
    return this.many<ThreadRecord>('threads', 'id', 'record', ids);
  }
  getTurns(ids: readonly string[]) {
    return this.many<TurnRecord>('turns', 'id', 'record', ids);
  }
  getItems(ids: readonly string[]) {
    return this.many<ItemRecord>('items', 'id', 'record', ids);
  }
  getApprovals(ids: readonly string[]) {
    return this.many<ApprovalRecord>('approvals', 'id', 'record', ids);
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
  /** Threads in `order`: CREATED_AT pages by id, UPDATED_AT by updated_key; metadata is `@>` on the GIN-indexed jsonb column. */
  async pageThreads(
    filter: ThreadListFilter,
    args: PageArgs,
    order: ThreadOrder = NEWEST_UPDATED_FIRST,
  ): Promise<Page<ThreadRecord> & { total?: number }> {
    checkPageCursors(this, threadCursorKind(order), args);
    this.roundTrips++;
    const { where, values } = threadFilter(filter);
    const key = order.field === 'CREATED_AT' ? 'id' : 'updated_key';
    const descending = descendingKeys(order);
    if (!filter.search?.trim()) {
      return pageSql<ThreadRecord>(this.query, { from: 'threads', key, record: 'record', where, values, descending }, args);
    }
    // Search: every match in order, then the page (its total comes with it, as on LevelDB).
    const matching = await this.rows<{ cursor: string; value: ThreadRecord }>(
      `SELECT ${key} AS cursor, record AS value FROM threads WHERE ${where} ORDER BY ${key} ${descending ? 'DESC' : 'ASC'}`,
      values,
    );
    return { ...pageArray(matching, args, descending), total: matching.length };
  }

  async countThreads(filter: ThreadListFilter): Promise<number> {
    this.roundTrips++;
    const { where, values } = threadFilter(filter);
    const rows = await this.rows<{ n: string }>(`SELECT count(*) AS n FROM threads WHERE ${where}`, values);
    return Number(rows[0]?.n ?? 0);
  }

  async pageTurns(threadId: string, args: PageArgs): Promise<Page<TurnRecord>> {
    return (await this.pageTurnsMany([{ parentId: threadId, args }]))[0] as Page<TurnRecord>;
  }

  async pageTurnsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<TurnRecord>[]> {
    for (const r of requests) checkPageCursors(this, 'turns', r.args);
    this.roundTrips++;
    return Promise.all(
      requests.map((r) =>
        pageSql<TurnRecord>(this.query, { from: 'turns', key: 'id', record: 'record', where: 'thread_id = $1', values: [r.parentId] }, r.args),
      ),
    );
  }

  async pageItemsMany(requests: readonly { parentId: string; args: PageArgs }[]): Promise<Page<ItemRecord>[]> {
    for (const r of requests) checkPageCursors(this, 'items', r.args);
    this.roundTrips++;
    return Promise.all(
      requests.map((r) =>
        pageSql<ItemRecord>(this.query, { from: 'items', key: 'id', record: 'record', where: 'turn_id = $1', values: [r.parentId] }, r.args),
      ),
    );
  }

  private async ids(text: string, values: unknown[]): Promise<string[]> {
    this.roundTrips++;
    return (await this.rows<{ id: string }>(text, values)).map((row) => row.id);
  }

  listTurnIds(threadId: string): Promise<string[]> {
    return this.ids('SELECT id FROM turns WHERE thread_id = $1 ORDER BY id', [threadId]);
  }

  listItemIds(turnId: string): Promise<string[]> {
    return this.ids('SELECT id FROM items WHERE turn_id = $1 ORDER BY id', [turnId]);
  }

  listQueuedTurnIds(threadId: string): Promise<string[]> {
    // Run order: a moved turn's rank (TurnRecord.queueRank), else its id (arrival order).
    return this.ids(`SELECT id FROM turns WHERE thread_id = $1 AND status = 'QUEUED' ORDER BY COALESCE(record->>'queueRank', id) COLLATE "C", id`, [
      threadId,
    ]);
  }

  listThreadsWithQueue(): Promise<string[]> {
    return this.ids("SELECT DISTINCT thread_id AS id FROM turns WHERE status = 'QUEUED' ORDER BY thread_id", []);
  }

  /**
   * IN_PROGRESS turns nobody else runs — of this node, of no node, or of a node whose heartbeat is older than
   * the lease — claimed for this node in the same statement (restart recovery and takeover interrupt exactly
   * these). Two nodes asking at once get disjoint lists: the second UPDATE re-checks the rows after the first.
   */
  listOpenTurnIds(): Promise<string[]> {
    return this.ids(
      `WITH claimed AS (
         UPDATE turns t SET node_id = $1 WHERE status = 'IN_PROGRESS' AND (node_id IS NULL OR node_id = $1 OR NOT EXISTS (
           SELECT 1 FROM nodes n WHERE n.id = t.node_id AND n.heartbeat_at > now() - make_interval(secs => $2::float8 / 1000)))
         RETURNING id)
       SELECT id FROM claimed ORDER BY id`,
      [this.options.nodeId, this.options.leaseMs],
    );
  }

  listPendingApprovalIds(threadId: string | null): Promise<string[]> {
    return threadId
      ? this.ids("SELECT id FROM approvals WHERE thread_id = $1 AND status = 'PENDING' ORDER BY id", [threadId])
      : this.ids("SELECT id FROM approvals WHERE status = 'PENDING' ORDER BY thread_id, id", []);
  }

  listApprovalIdsOfThread(threadId: string): Promise<string[]> {
    return this.ids('SELECT id FROM approvals WHERE thread_id = $1 ORDER BY id', [threadId]);
  }

  // ---- images ----
  async getImages(threadId: string, sha256s: readonly string[]): Promise<(ImageBlob | null)[]> {
    this.roundTrips++;
    if (sha256s.length === 0) return [];
    const rows = await this.rows<{ sha256: string; record: ImageBlob }>(
      'SELECT sha256, record FROM images WHERE thread_id = $1 AND sha256 = ANY($2::text[])',
      [threadId, sha256s],
    );
    const byHash = new Map(rows.map((row) => [row.sha256, row.record]));
    return sha256s.map((h) => byHash.get(h) ?? null);
  }

  listImageHashesOfThread(threadId: string): Promise<string[]> {
    return this.ids('SELECT sha256 AS id FROM images WHERE thread_id = $1 ORDER BY sha256', [threadId]);
  }

  // ---- events ----
  async readEvents(threadId: string | null, afterSeq: number, limit: number): Promise<EventRecord[]> {
    this.roundTrips++;
    if (limit <= 0) return [];
    const rows =
      threadId === null
        ? await this.rows<{ record: EventRecord }>('SELECT record FROM events WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit])
        : await this.rows<{ record: EventRecord }>(
            'SELECT record FROM events WHERE thread_id = $1 AND in_thread AND seq > $2 ORDER BY seq LIMIT $3',
            [threadId, afterSeq, limit],
          );
    return rows.map((row) => row.record);
  }

  async readStoredEvents(threadId: string | null, afterSeq: number, limit: number): Promise<AnyStoredEvent[]> {
    // jsonb keeps no key order: the text is laid out from the record.
    return (await this.readEvents(threadId, afterSeq, limit)).map((event) => StoredEvent.fromRecord(event));
  }

  async latestSeqs(threadIds: readonly string[]): Promise<number[]> {
    this.roundTrips++;
    if (threadIds.length === 0) return [];
    const rows = await this.rows<{ seq: string | null }>(
      `SELECT (SELECT max(seq) FROM events e WHERE e.thread_id = t.id AND e.in_thread) AS seq
       FROM unnest($1::text[]) WITH ORDINALITY AS t(id, ord) ORDER BY t.ord`,
      [threadIds],
    );
    return rows.map((row) => (row.seq === null ? 0 : Number(row.seq)));
  }

  async listThreadEventSeqs(threadId: string): Promise<number[]> {
    this.roundTrips++;
    const rows = await this.rows<{ seq: string }>('SELECT seq FROM events WHERE thread_id = $1 AND in_thread ORDER BY seq', [threadId]);
    return rows.map((row) => toNumber(row.seq));
  }

  // ---- retention ----
  async listExpiredThreadIds(now: string, limit = 100): Promise<string[]> {
    return (await this.rows<{ id: string }>('SELECT id FROM threads WHERE expires_at <= $1 ORDER BY expires_at, id LIMIT $2', [now, limit])).map(
      (r) => r.id,
    );
  }

  async listArchivedThreadIdsBefore(cutoff: string, limit = 100): Promise<string[]> {
    const rows = await this.rows<{ id: string }>('SELECT id FROM threads WHERE archived AND updated_key > $1 ORDER BY updated_key DESC LIMIT $2', [
      updatedKey(cutoff, HIGH),
      limit,
    ]);
    return rows.map((r) => r.id);
  }

  // ---- webhooks ----
  async listWebhooks(): Promise<WebhookRecord[]> {
    this.roundTrips++;
    return (await this.rows<{ record: WebhookRecord }>('SELECT record FROM webhooks ORDER BY id', [])).map((r) => r.record);
  }

  getWebhooks(ids: readonly string[]) {
    return this.many<WebhookRecord>('webhooks', 'id', 'record', ids);
  }

  getDeliveries(ids: readonly string[]) {
    return this.many<DeliveryRecord>('webhook_deliveries', 'id', 'record', ids);
  }

  listPendingDeliveryIds(limit: number): Promise<string[]> {
    return this.ids("SELECT id FROM webhook_deliveries WHERE status = 'PENDING' ORDER BY id LIMIT $1", [limit]);
  }

  async listDeliveries(filter: { webhookId?: string | null; status?: DeliveryStatus | null }, limit: number): Promise<DeliveryRecord[]> {
    this.roundTrips++;
    const rows = await this.rows<{ record: DeliveryRecord }>(
      `SELECT record FROM webhook_deliveries WHERE ($1::text IS NULL OR webhook_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY id DESC LIMIT $3`,
      [filter.webhookId || null, filter.status || null, limit],
    );
    return rows.map((r) => r.record);
  }

  // ---- workspace snapshots ----
  getTurnSnapshots<T>(turnIds: readonly string[]): Promise<(T | null)[]> {
    return this.many<T>('turn_snapshots', 'turn_id', 'value', turnIds);
  }

  // ---- idempotency keys ----
  async getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    this.roundTrips++;
    const rows = await this.rows<{ record: IdempotencyRecord }>('SELECT record FROM idempotency WHERE key = $1', [key]);
    return rows[0]?.record ?? null;
  }

  listExpiredIdempotency(now: string, limit: number): Promise<{ key: string; expiresAt: string }[]> {
    return this.rows<{ key: string; expiresAt: string }>(
      'SELECT key, expires_at AS "expiresAt" FROM idempotency WHERE expires_at <= $1 ORDER BY expires_at, key LIMIT $2',
      [now, limit],
    );
  }

  // ---- usage ----
  async getRollup(id: RollupId): Promise<unknown> {
    this.roundTrips++;
    const rows = await this.rows<{ value: unknown }>('SELECT value FROM usage_rollups WHERE quarter = $1 AND thread_id = $2 AND model = $3', [
      id.quarter,
      id.threadId,
      id.model,
    ]);
    return rows[0]?.value;
  }

  async readRollups(fromQuarter: string | null, toQuarter: string | null): Promise<{ id: RollupId; value: unknown }[]> {
    this.roundTrips++;
    const rows = await this.rows<RollupId & { value: unknown }>(
      `SELECT quarter, thread_id AS "threadId", model, value FROM usage_rollups
       WHERE ($1::text IS NULL OR quarter >= $1) AND ($2::text IS NULL OR quarter < $2) ORDER BY quarter, thread_id, model`,
      [fromQuarter, toQuarter],
    );
    return rows.map(({ value, ...id }) => ({ id, value }));
  }

  async readUsageFacts(gte: string, lt: string): Promise<unknown[]> {
    this.roundTrips++;
    const rows = await this.rows<{ value: unknown }>(
      'SELECT value FROM usage_facts WHERE ended_at >= $1 AND ended_at < $2 ORDER BY ended_at, turn_id',
      [gte, lt],
    );
    return rows.map((r) => r.value);
  }
}

/** WHERE clause of a thread listing: archive state, task, and (search) title or any turn's prompt containing the text. */
function threadFilter(filter: ThreadListFilter): { where: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const archived = filter.archived ?? 'ACTIVE_ONLY';
  if (archived === 'ACTIVE_ONLY') conditions.push('NOT archived');
  if (archived === 'ARCHIVED_ONLY') conditions.push('archived');
  if (filter.taskId != null) {
    values.push(filter.taskId);
    conditions.push(`task_id = $${values.length}`);
  }
  if (filter.metadata && Object.keys(filter.metadata).length) {
    values.push(JSON.stringify(filter.metadata));
    conditions.push(`metadata @> $${values.length}::jsonb`);
  }
  const search = filter.search?.trim().toLowerCase();
  if (search) {
    values.push(search);
    const n = `$${values.length}`;
    conditions.push(
      `(strpos(lower(record->>'title'), ${n}) > 0 OR EXISTS (SELECT 1 FROM turns WHERE turns.thread_id = threads.id AND strpos(lower(turns.record->>'prompt'), ${n}) > 0))`,
    );
  }
  return { where: conditions.length ? conditions.join(' AND ') : 'true', values };
}
