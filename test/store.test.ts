/**
 * The store's promises (src/store): atomic batches, listing order, Relay paging, thread filters, the event
 * log, schema versions, the data-directory lock, durability across reopen and round-trip counting.
 *
 * Real parts only: a real LevelDB (classic-level) in a temp dir where the backend matters, memory-level
 * where it does not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Level } from 'level';
import { MemoryLevel } from 'memory-level';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newItemRecord, newThreadRecord, newTurnRecord } from '../src/domain/factories.js';
import { newId } from '../src/domain/ids.js';
import type { ApprovalRecord, EventRecord, ItemRecord, ThreadRecord, TurnRecord, TurnStatus } from '../src/domain/records.js';
import { SCHEMA_VERSION } from '../src/domain/records.js';
import { childKey, updatedKey } from '../src/store/keys.js';
import type { Page, PageArgs } from '../src/store/paging.js';
import { Store, StoreLockedError, StoreVersionError, type ThreadListFilter } from '../src/store/store.js';
import { defined } from '../src/domain/defined.js';

// ---------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  // Last in, first out: stores close before their directory is removed.
  while (cleanup.length) await cleanup.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zagens-store-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function tracked(opening: Promise<Store>): Promise<Store> {
  const store = await opening;
  cleanup.push(() => store.close());
  return store;
}

const openDisk = (dir: string) => tracked(Store.open(dir));
const memoryStore = () => tracked(Store.attach(new MemoryLevel()));

/** A store plus a way to close and reopen it on the same data. */
interface Backend {
  name: string;
  create(): Promise<{ store: Store; reopen(): Promise<Store> }>;
}

const backends: Backend[] = [
  {
    name: 'memory-level',
    async create() {
      const db = new MemoryLevel();
      return { store: await tracked(Store.attach(db)), reopen: () => tracked(Store.attach(db)) };
    },
  },
  {
    name: 'LevelDB on disk',
    async create() {
      const dir = await tempDir();
      return { store: await openDisk(dir), reopen: () => openDisk(dir) };
    },
  },
];

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
/** An ISO time `minutes` after a fixed origin. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function thread(fields: Partial<ThreadRecord> = {}, now = at(0)): ThreadRecord {
  return newThreadRecord({ model: 'deepseek-v4-flash', mode: 'agent', workspace: '/ws', ...fields }, now);
}

function turn(of: ThreadRecord, prompt = 'hello', status: TurnStatus = 'COMPLETED', now = at(0)): TurnRecord {
  return newTurnRecord({ threadId: of.id, prompt, model: of.model, mode: of.mode, options: {}, status }, now);
}

function item(of: TurnRecord, text = 'answer'): ItemRecord {
  return newItemRecord(of, { kind: 'AGENT_MESSAGE', text }, at(0));
}

/** A labelled row: the store keeps events whatever their name (outside the event table). */
function event(seq: number, threadId: string, name = 'turn.updated'): EventRecord {
  return { seq, timestamp: at(seq), name, threadId, turnId: null, itemId: null, payload: { seq } } as unknown as EventRecord;
}

function approval(of: TurnRecord, status: ApprovalRecord['status'] = 'PENDING'): ApprovalRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: newId('approval'),
    threadId: of.threadId,
    turnId: of.id,
    itemId: null,
    toolName: 'shell',
    arguments: { command: 'ls' },
    reason: null,
    status,
    createdAt: at(0),
    expiresAt: at(10),
    resolvedAt: null,
  };
}

const ids = (page: Page<{ id: string }>) => page.entries.map((e) => e.value.id);
const shape = (page: Page<{ id: string }>) => ({ ids: ids(page), hasPreviousPage: page.hasPreviousPage, hasNextPage: page.hasNextPage });
const ALL: ThreadListFilter = { archived: 'INCLUDE_ARCHIVED' };

/** Resolves to the rejection of `run` (synchronous throws included), failing when it resolves. */
async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

// ---------------------------------------------------------------------------------------------------------
// Atomic batches
// ---------------------------------------------------------------------------------------------------------

describe.each(backends)('a store batch is atomic ($name)', (backend) => {
  /** One state change: a thread, its queued turn, an item and an event. */
  function change() {
    const t = thread({ title: 'atomic' });
    const u = turn(t, 'first prompt', 'QUEUED');
    const i = item(u);
    const e = event(1, t.id);
    return { t, u, i, e };
  }

  async function expectNothingOf(store: Store, { t, u, i }: ReturnType<typeof change>) {
    expect(await store.getThread(t.id)).toBeNull();
    expect((await store.pageThreads(ALL, {})).entries).toEqual([]);
    expect(await store.countThreads(ALL)).toBe(0);
    expect(await store.getTurn(u.id)).toBeNull();
    expect(await store.listTurnIds(t.id)).toEqual([]);
    expect(await store.listQueuedTurnIds(t.id)).toEqual([]);
    expect(await store.getItem(i.id)).toBeNull();
    expect(await store.listItemIds(u.id)).toEqual([]);
    expect(await store.readEvents(null, 0, 100)).toEqual([]);
    expect(await store.readEvents(t.id, 0, 100)).toEqual([]);
  }

  it('writes a record together with all of its index rows', async () => {
    const { store } = await backend.create();
    const c = change();
    await store.batch().putThread(c.t, null).putTurn(c.u).putItem(c.i).putEvent(c.e).write();

    expect(await store.getThread(c.t.id)).toEqual(c.t);
    expect(ids(await store.pageThreads(ALL, {}))).toEqual([c.t.id]);
    expect(await store.getTurn(c.u.id)).toEqual(c.u);
    expect(await store.listTurnIds(c.t.id)).toEqual([c.u.id]);
    expect(await store.listQueuedTurnIds(c.t.id)).toEqual([c.u.id]);
    expect(await store.getItem(c.i.id)).toEqual(c.i);
    expect(await store.listItemIds(c.u.id)).toEqual([c.i.id]);
    expect(await store.readEvents(c.t.id, 0, 100)).toEqual([c.e]);
  });

  it('leaves nothing behind when one op has an invalid key (null id)', async () => {
    const { store } = await backend.create();
    const c = change();
    const bad = { ...item(c.u), id: null as unknown as string };
    const batch = store.batch().putThread(c.t, null).putTurn(c.u).putItem(c.i).putEvent(c.e).putItem(bad);

    const error = await failureOf(() => batch.write());
    expect((error as { code?: string }).code).toBe('LEVEL_INVALID_KEY');
    await expectNothingOf(store, c);
  });

  it('leaves nothing behind when one op has an undefined key', async () => {
    const { store } = await backend.create();
    const c = change();
    const batch = store
      .batch()
      .putThread(c.t, null)
      .putTurn(c.u)
      .putMeta(undefined as unknown as string, 1);

    await failureOf(() => batch.write());
    await expectNothingOf(store, c);
  });

  it('leaves nothing behind when a value cannot be JSON-encoded (BigInt)', async () => {
    const { store } = await backend.create();
    const c = change();
    const unencodable = { ...event(2, c.t.id), payload: { tokens: 10n } } as unknown as EventRecord;
    const batch = store.batch().putThread(c.t, null).putTurn(c.u).putItem(c.i).putEvent(c.e).putEvent(unencodable);

    await failureOf(() => batch.write());
    await expectNothingOf(store, c);
  });

  it('leaves nothing behind when the database closed before write()', async () => {
    const { store, reopen } = await backend.create();
    const c = change();
    const batch = store.batch().putThread(c.t, null).putTurn(c.u).putItem(c.i).putEvent(c.e);
    await store.close();

    const error = await failureOf(() => batch.write());
    expect((error as { code?: string }).code).toBe('LEVEL_DATABASE_NOT_OPEN');
    await expectNothingOf(await reopen(), c);
  });

  it('keeps the record as it was when put, even if the caller changes its object before write()', async () => {
    const { store } = await backend.create();
    const t = thread({ title: 'as put' });
    const batch = store.batch().putThread(t, null);
    t.title = 'changed later';
    await batch.write();
    expect((await store.getThread(t.id))?.title).toBe('as put');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Listing order
// ---------------------------------------------------------------------------------------------------------

describe('listings are ordered', () => {
  it('lists threads newest updatedAt first, whatever the write order', async () => {
    const store = await memoryStore();
    const old = thread({ title: 'old' }, at(1));
    const newest = thread({ title: 'newest' }, at(3));
    const middle = thread({ title: 'middle' }, at(2));
    await store.batch().putThread(old, null).putThread(newest, null).putThread(middle, null).write();

    expect(ids(await store.pageThreads({}, {}))).toEqual([newest.id, middle.id, old.id]);
  });

  it('moves an updated thread to the front and drops its old index row (no duplicates)', async () => {
    const store = await memoryStore();
    const a = thread({ title: 'a' }, at(1));
    const b = thread({ title: 'b' }, at(2));
    const c = thread({ title: 'c' }, at(3));
    await store.batch().putThread(a, null).putThread(b, null).putThread(c, null).write();

    const updated: ThreadRecord = { ...a, title: 'a, renamed', updatedAt: at(4) };
    await store.batch().putThread(updated, a).write();

    const page = await store.pageThreads({}, {});
    expect(ids(page)).toEqual([a.id, c.id, b.id]);
    expect(page.entries[0]?.value.title).toBe('a, renamed');
    expect(page.entries[0]?.cursor).toBe(updatedKey(updated.updatedAt, a.id));
    expect(await store.countThreads({})).toBe(3);
    expect(await store.sublevels.threadsByUpdated.keys().all()).toHaveLength(3);
  });

  it('rewrites the index row in place when updatedAt is unchanged (e.g. archiving)', async () => {
    const store = await memoryStore();
    const a = thread({ title: 'a' }, at(1));
    await store.batch().putThread(a, null).write();
    await store
      .batch()
      .putThread({ ...a, archived: true }, a)
      .write();

    expect(ids(await store.pageThreads({}, {}))).toEqual([]);
    expect(ids(await store.pageThreads({ archived: 'ARCHIVED_ONLY' }, {}))).toEqual([a.id]);
    expect(await store.sublevels.threadsByUpdated.keys().all()).toHaveLength(1);
  });

  it('lists the turns of a thread oldest first (the cursor is the turn id)', async () => {
    const store = await memoryStore();
    const t = thread();
    const turns = Array.from({ length: 5 }, (_, n) => turn(t, `prompt ${n}`));
    const batch = store.batch().putThread(t, null);
    for (const u of [...turns].reverse()) batch.putTurn(u);
    await batch.write();

    const page = await store.pageTurns(t.id, {});
    expect(ids(page)).toEqual(turns.map((u) => u.id));
    expect(page.entries.map((e) => e.cursor)).toEqual(turns.map((u) => u.id));
    expect(await store.listTurnIds(t.id)).toEqual(turns.map((u) => u.id));
  });

  it("lists only the thread's own turns", async () => {
    const store = await memoryStore();
    const a = thread();
    const b = thread();
    const aTurns = [turn(a), turn(a)];
    const bTurns = [turn(b), turn(b)];
    await store
      .batch()
      .putThread(a, null)
      .putThread(b, null)
      .putTurn(defined(aTurns[0], 'a0'))
      .putTurn(defined(bTurns[0], 'b0'))
      .putTurn(defined(aTurns[1], 'a1'))
      .putTurn(defined(bTurns[1], 'b1'))
      .write();

    expect(ids(await store.pageTurns(a.id, {}))).toEqual(aTurns.map((u) => u.id));
    expect(ids(await store.pageTurns(b.id, {}))).toEqual(bTurns.map((u) => u.id));
  });

  it('lists the items of a turn in creation order, one page per requested turn', async () => {
    const store = await memoryStore();
    const t = thread();
    const u1 = turn(t);
    const u2 = turn(t);
    // Created within the same millisecond: monotonic ids still sort in creation order.
    const items1 = Array.from({ length: 10 }, (_, n) => item(u1, `one ${n}`));
    const items2 = Array.from({ length: 3 }, (_, n) => item(u2, `two ${n}`));
    const batch = store.batch().putThread(t, null).putTurn(u1).putTurn(u2);
    for (const i of [...items1, ...items2].sort(() => Math.random() - 0.5)) batch.putItem(i);
    await batch.write();

    const [page1, page2] = await store.pageItemsMany([
      { parentId: u1.id, args: {} },
      { parentId: u2.id, args: {} },
    ]);
    expect(ids(defined(page1, 'page 1'))).toEqual(items1.map((i) => i.id));
    expect(ids(defined(page2, 'page 2'))).toEqual(items2.map((i) => i.id));
  });

  it('reads events in ascending seq (numeric, not lexical: 10 after 9)', async () => {
    const store = await memoryStore();
    const t = thread();
    const seqs = [12, 3, 10, 1, 9, 2, 11, 4, 8, 5, 7, 6];
    const batch = store.batch().putThread(t, null);
    for (const seq of seqs) batch.putEvent(event(seq, t.id));
    await batch.write();

    const ascending = Array.from({ length: 12 }, (_, n) => n + 1);
    expect((await store.readEvents(null, 0, 100)).map((e) => e.seq)).toEqual(ascending);
    expect((await store.readEvents(t.id, 0, 100)).map((e) => e.seq)).toEqual(ascending);
  });

  it('keeps the queued and open-turn indexes in step with the turn status', async () => {
    const store = await memoryStore();
    const t = thread();
    const first = turn(t, 'first', 'QUEUED');
    const second = turn(t, 'second', 'QUEUED');
    await store.batch().putThread(t, null).putTurn(first).putTurn(second).write();
    expect(await store.listQueuedTurnIds(t.id)).toEqual([first.id, second.id]);
    expect(await store.listThreadsWithQueue()).toEqual([t.id]);
    expect(await store.listOpenTurnIds()).toEqual([]);

    await store
      .batch()
      .putTurn({ ...first, status: 'IN_PROGRESS' })
      .write();
    expect(await store.listQueuedTurnIds(t.id)).toEqual([second.id]);
    expect(await store.listOpenTurnIds()).toEqual([first.id]);

    await store
      .batch()
      .putTurn({ ...first, status: 'COMPLETED' })
      .putTurn({ ...second, status: 'CANCELED' })
      .write();
    expect(await store.listQueuedTurnIds(t.id)).toEqual([]);
    expect(await store.listThreadsWithQueue()).toEqual([]);
    expect(await store.listOpenTurnIds()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------------------------

describe('paging follows Relay connection semantics', () => {
  let store: Store;
  let t: ThreadRecord;
  let turns: TurnRecord[];
  let empty: ThreadRecord;
  const turnIds = (...n: number[]) => n.map((i) => turns[i]?.id);

  beforeAll(async () => {
    store = await Store.attach(new MemoryLevel());
    t = thread();
    empty = thread();
    turns = Array.from({ length: 7 }, (_, n) => turn(t, `prompt ${n}`));
    const batch = store.batch().putThread(t, null).putThread(empty, null);
    for (const u of turns) batch.putTurn(u);
    await batch.write();
  });
  afterAll(() => store.close());

  it('walks forward through 7 turns in pages of 3 (first/after)', async () => {
    const p1 = await store.pageTurns(t.id, { first: 3 });
    const p2 = await store.pageTurns(t.id, { first: 3, after: p1.entries.at(-1)!.cursor });
    const p3 = await store.pageTurns(t.id, { first: 3, after: p2.entries.at(-1)!.cursor });
    expect([p1, p2, p3].map(shape)).toEqual([
      { ids: turnIds(0, 1, 2), hasPreviousPage: false, hasNextPage: true },
      { ids: turnIds(3, 4, 5), hasPreviousPage: true, hasNextPage: true },
      { ids: turnIds(6), hasPreviousPage: true, hasNextPage: false },
    ]);
  });

  it('walks backward through 7 turns in pages of 3 (last/before), each page still oldest first', async () => {
    const p1 = await store.pageTurns(t.id, { last: 3 });
    const p2 = await store.pageTurns(t.id, { last: 3, before: p1.entries[0]?.cursor });
    const p3 = await store.pageTurns(t.id, { last: 3, before: p2.entries[0]?.cursor });
    expect([p1, p2, p3].map(shape)).toEqual([
      { ids: turnIds(4, 5, 6), hasPreviousPage: true, hasNextPage: false },
      { ids: turnIds(1, 2, 3), hasPreviousPage: true, hasNextPage: true },
      { ids: turnIds(0), hasPreviousPage: false, hasNextPage: true },
    ]);
  });

  it('returns an empty page with hasNextPage false after the last turn', async () => {
    const page = await store.pageTurns(t.id, { first: 3, after: turns[6]?.id });
    expect(shape(page)).toEqual({ ids: [], hasPreviousPage: true, hasNextPage: false });
  });

  it('returns an empty page with hasPreviousPage false before the first turn', async () => {
    const page = await store.pageTurns(t.id, { last: 3, before: turns[0]?.id });
    expect(shape(page)).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: true });
  });

  it('pages an exact fit without claiming a next page', async () => {
    expect(shape(await store.pageTurns(t.id, { first: 7 }))).toEqual({
      ids: turnIds(0, 1, 2, 3, 4, 5, 6),
      hasPreviousPage: false,
      hasNextPage: false,
    });
    expect(shape(await store.pageTurns(t.id, { last: 7 }))).toEqual({
      ids: turnIds(0, 1, 2, 3, 4, 5, 6),
      hasPreviousPage: false,
      hasNextPage: false,
    });
  });

  it('returns an empty page for a thread without turns, either way', async () => {
    for (const args of [{}, { first: 3 }, { last: 3 }] as PageArgs[]) {
      expect(shape(await store.pageTurns(empty.id, args))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: false });
    }
  });

  it('returns no rows for first: 0, telling whether any exist through hasNextPage', async () => {
    expect(shape(await store.pageTurns(t.id, { first: 0 }))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: true });
    expect(shape(await store.pageTurns(empty.id, { first: 0 }))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: false });
  });

  it('caps a page without first or last at 50 rows', async () => {
    const s = await memoryStore();
    const big = thread();
    const batch = s.batch().putThread(big, null);
    for (let n = 0; n < 55; n++) batch.putTurn(turn(big));
    await batch.write();
    const page = await s.pageTurns(big.id, {});
    expect(page.entries).toHaveLength(50);
    expect(page.hasNextPage).toBe(true);
  });

  describe.each([
    { how: 'by the index', search: null },
    { how: 'with a search (paged in memory)', search: 'needle' },
  ])('threads page the same way $how', ({ search }) => {
    let s: Store;
    let threads: ThreadRecord[]; // newest first
    const threadIds = (...n: number[]) => n.map((i) => threads[i]?.id);
    const filter = () => ({ search });

    beforeAll(async () => {
      s = await Store.attach(new MemoryLevel());
      threads = Array.from({ length: 7 }, (_, n) => thread({ title: `Needle ${n}` }, at(100 - n)));
      const batch = s.batch().putThread(thread({ title: 'other', archived: true }, at(200)), null);
      for (const x of threads) batch.putThread(x, null);
      await batch.write();
    });
    afterAll(() => s.close());

    it('forward in pages of 3', async () => {
      const p1 = await s.pageThreads(filter(), { first: 3 });
      const p2 = await s.pageThreads(filter(), { first: 3, after: p1.entries.at(-1)!.cursor });
      const p3 = await s.pageThreads(filter(), { first: 3, after: p2.entries.at(-1)!.cursor });
      const p4 = await s.pageThreads(filter(), { first: 3, after: p3.entries.at(-1)!.cursor });
      expect([p1, p2, p3, p4].map(shape)).toEqual([
        { ids: threadIds(0, 1, 2), hasPreviousPage: false, hasNextPage: true },
        { ids: threadIds(3, 4, 5), hasPreviousPage: true, hasNextPage: true },
        { ids: threadIds(6), hasPreviousPage: true, hasNextPage: false },
        { ids: [], hasPreviousPage: true, hasNextPage: false },
      ]);
    });

    it('backward in pages of 3', async () => {
      const p1 = await s.pageThreads(filter(), { last: 3 });
      const p2 = await s.pageThreads(filter(), { last: 3, before: p1.entries[0]?.cursor });
      const p3 = await s.pageThreads(filter(), { last: 3, before: p2.entries[0]?.cursor });
      expect([p1, p2, p3].map(shape)).toEqual([
        { ids: threadIds(4, 5, 6), hasPreviousPage: true, hasNextPage: false },
        { ids: threadIds(1, 2, 3), hasPreviousPage: true, hasNextPage: true },
        { ids: threadIds(0), hasPreviousPage: false, hasNextPage: true },
      ]);
    });

    it('first: 0', async () => {
      expect(shape(await s.pageThreads(filter(), { first: 0 }))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: true });
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Thread filters
// ---------------------------------------------------------------------------------------------------------

describe('thread filters', () => {
  let store: Store;
  // Newest first: parserFix, docs, refactor, oldParser.
  let parserFix: ThreadRecord; // active, task-1, title matches "parser"
  let docs: ThreadRecord; // archived, task-1
  let refactor: ThreadRecord; // active, no task, untitled, a turn prompt matches "parser"
  let oldParser: ThreadRecord; // archived, task-2, title matches "parser"

  beforeAll(async () => {
    store = await Store.attach(new MemoryLevel());
    parserFix = thread({ title: 'Fix the Parser', taskId: 'task-1' }, at(4));
    docs = thread({ title: 'Write docs', taskId: 'task-1', archived: true }, at(3));
    refactor = thread({}, at(2));
    oldParser = thread({ title: 'old PARSER work', taskId: 'task-2', archived: true }, at(1));
    await store
      .batch()
      .putThread(parserFix, null)
      .putThread(docs, null)
      .putThread(refactor, null)
      .putThread(oldParser, null)
      .putTurn(turn(refactor, 'Tidy up first'))
      .putTurn(turn(refactor, 'Then refactor the pArSeR module'))
      .putTurn(turn(docs, 'no match here'))
      .write();
  });
  afterAll(() => store.close());

  const cases: { name: string; filter: ThreadListFilter; expected: () => ThreadRecord[] }[] = [
    { name: 'lists only active threads by default', filter: {}, expected: () => [parserFix, refactor] },
    { name: 'ACTIVE_ONLY lists active threads', filter: { archived: 'ACTIVE_ONLY' }, expected: () => [parserFix, refactor] },
    { name: 'INCLUDE_ARCHIVED lists every thread', filter: { archived: 'INCLUDE_ARCHIVED' }, expected: () => [parserFix, docs, refactor, oldParser] },
    { name: 'ARCHIVED_ONLY lists archived threads', filter: { archived: 'ARCHIVED_ONLY' }, expected: () => [docs, oldParser] },
    { name: 'taskId keeps the threads of that task', filter: { taskId: 'task-1' }, expected: () => [parserFix] },
    {
      name: 'taskId combines with the archive filter',
      filter: { taskId: 'task-1', archived: 'INCLUDE_ARCHIVED' },
      expected: () => [parserFix, docs],
    },
    { name: 'an unknown taskId matches nothing', filter: { taskId: 'task-9', archived: 'INCLUDE_ARCHIVED' }, expected: () => [] },
    { name: 'search matches titles and turn prompts, case-insensitively', filter: { search: 'parser' }, expected: () => [parserFix, refactor] },
    { name: 'search is trimmed and ignores case in the needle too', filter: { search: '  PARSER ' }, expected: () => [parserFix, refactor] },
    {
      name: 'search combines with the archive filter',
      filter: { search: 'Parser', archived: 'INCLUDE_ARCHIVED' },
      expected: () => [parserFix, refactor, oldParser],
    },
    { name: 'search combines with taskId', filter: { search: 'parser', taskId: 'task-2', archived: 'ARCHIVED_ONLY' }, expected: () => [oldParser] },
    { name: 'search matches any turn of the thread, not only the first', filter: { search: 'refactor the' }, expected: () => [refactor] },
    { name: 'a blank search is no search', filter: { search: '   ' }, expected: () => [parserFix, refactor] },
    { name: 'a search without match lists nothing', filter: { search: 'zebra', archived: 'INCLUDE_ARCHIVED' }, expected: () => [] },
  ];

  it.each(cases)('$name, and countThreads agrees', async ({ filter, expected }) => {
    const want = expected().map((x) => x.id);
    expect(ids(await store.pageThreads(filter, {}))).toEqual(want);
    expect(await store.countThreads(filter)).toBe(want.length);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------

describe('the event log', () => {
  let store: Store;
  let a: ThreadRecord;
  let b: ThreadRecord;
  let quiet: ThreadRecord;
  const seqs = (events: EventRecord[]) => events.map((e) => e.seq);

  beforeAll(async () => {
    store = await Store.attach(new MemoryLevel());
    a = thread();
    b = thread();
    quiet = thread();
    const batch = store.batch().putThread(a, null).putThread(b, null).putThread(quiet, null);
    // Odd seqs belong to a, even ones to b.
    for (let seq = 1; seq <= 10; seq++) batch.putEvent(event(seq, seq % 2 ? a.id : b.id));
    await batch.write();
  });
  afterAll(() => store.close());

  it('reads every event of all threads when threadId is null', async () => {
    const events = await store.readEvents(null, 0, 100);
    expect(seqs(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events[0]).toEqual(event(1, a.id));
  });

  it('reads the events of one thread only', async () => {
    expect(seqs(await store.readEvents(a.id, 0, 100))).toEqual([1, 3, 5, 7, 9]);
    expect(seqs(await store.readEvents(b.id, 0, 100))).toEqual([2, 4, 6, 8, 10]);
    expect(await store.readEvents(quiet.id, 0, 100)).toEqual([]);
  });

  it('reads only events after afterSeq, at most limit of them', async () => {
    expect(seqs(await store.readEvents(null, 4, 3))).toEqual([5, 6, 7]);
    expect(seqs(await store.readEvents(a.id, 3, 2))).toEqual([5, 7]);
    expect(seqs(await store.readEvents(a.id, 4, 100))).toEqual([5, 7, 9]);
    expect(seqs(await store.readEvents(b.id, 9, 100))).toEqual([10]);
  });

  it('reads nothing past the end or with limit 0', async () => {
    expect(await store.readEvents(null, 10, 100)).toEqual([]);
    expect(await store.readEvents(a.id, 9, 100)).toEqual([]);
    expect(await store.readEvents(null, 0, 0)).toEqual([]);
    expect(await store.readEvents(a.id, 0, 0)).toEqual([]);
  });

  it('tells the latest seq of each thread, 0 for a thread without events', async () => {
    expect(await store.latestSeqs([a.id, b.id, quiet.id])).toEqual([9, 10, 0]);
    expect(await store.latestSeqs([])).toEqual([]);
  });

  it('keeps an event out of the thread replay when written with indexForThread false', async () => {
    const s = await memoryStore();
    const t = thread();
    await s.batch().putThread(t, null).putEvent(event(1, t.id)).putEvent(event(2, t.id), false).write();
    expect(seqs(await s.readEvents(null, 0, 100))).toEqual([1, 2]);
    expect(seqs(await s.readEvents(t.id, 0, 100))).toEqual([1]);
    expect(await s.listThreadEventSeqs(t.id)).toEqual([1]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Schema versions
// ---------------------------------------------------------------------------------------------------------

/** Records as a schema-version-1 server wrote them (before task types, scratchpads, usage, ...). */
function version1Records() {
  const threadId = newId('thread');
  const turnId = newId('turn');
  const itemId = newId('item');
  const thread1 = {
    schemaVersion: 1,
    id: threadId,
    title: 'Written by v1',
    model: 'deepseek-chat',
    mode: 'agent',
    workspace: '/legacy',
    allowShell: true,
    trustMode: false,
    autoApprove: false,
    archived: false,
    systemPrompt: 'be brief',
    taskId: 'legacy-task',
    createdAt: at(0),
    updatedAt: at(5),
    activeTurnId: null,
    latestTurnId: turnId,
    turnCount: 1,
  };
  const turn1 = {
    schemaVersion: 1,
    id: turnId,
    threadId,
    status: 'COMPLETED',
    prompt: 'legacy prompt',
    inputSummary: 'legacy prompt',
    model: 'deepseek-chat',
    mode: 'agent',
    options: {},
    createdAt: at(1),
    startedAt: at(1),
    endedAt: at(2),
    durationMs: 60_000,
    usage: null,
    costUsd: 0.01,
    error: null,
    steerCount: 0,
    itemCount: 1,
  };
  const item1 = {
    schemaVersion: 1,
    id: itemId,
    turnId,
    threadId,
    kind: 'AGENT_MESSAGE',
    status: 'COMPLETED',
    summary: 'legacy answer',
    detail: null,
    startedAt: at(1),
    endedAt: at(2),
    text: 'legacy answer',
  };
  return { thread1, turn1, item1 };
}

async function expectMigrated(store: Store, { thread1, turn1, item1 }: ReturnType<typeof version1Records>) {
  expect(await store.getThread(thread1.id)).toEqual({
    ...thread1,
    schemaVersion: 2,
    taskType: 'CODE',
    scratchpadRunId: null,
    scratchpadRunHistory: [],
    checklist: null,
    plan: null,
    forkedFrom: null,
    usage: null,
  });
  expect(await store.getTurn(turn1.id)).toEqual({
    ...turn1,
    schemaVersion: 2,
    purpose: 'PROMPT',
    supersededBy: null,
    costCny: null,
    costUsdWithoutCache: null,
    costCnyWithoutCache: null,
    price: null,
  });
  expect(await store.getItem(item1.id)).toEqual({ ...item1, schemaVersion: 2, artifactRefs: [], metadata: null });
  expect(await store.getMeta('schema_version')).toBe(SCHEMA_VERSION);
  // Index rows written by v1 still lead to the migrated records.
  expect(ids(await store.pageThreads({}, {}))).toEqual([thread1.id]);
  expect(ids(await store.pageTurns(thread1.id, {}))).toEqual([turn1.id]);
  expect(ids(defined((await store.pageItemsMany([{ parentId: turn1.id, args: {} }]))[0], 'the page'))).toEqual([item1.id]);
}

describe('schema versions', () => {
  it('is at schema version 2', () => {
    expect(SCHEMA_VERSION).toBe(2);
  });

  it('stamps a new, empty store with the current schema version', async () => {
    const store = await openDisk(await tempDir());
    expect(await store.getMeta('schema_version')).toBe(SCHEMA_VERSION);
  });

  it('migrates version-1 records on open, filling defaults and keeping the original fields', async () => {
    const dir = await tempDir();
    const v1 = version1Records();
    const { thread1, turn1, item1 } = v1;
    // Write the store by hand as a v1 server left it.
    const writer = await Store.open(dir);
    const subs = writer.sublevels;
    await subs.threads.put(thread1.id, thread1);
    await subs.threadsByUpdated.put(updatedKey(thread1.updatedAt, thread1.id), { archived: false, taskId: thread1.taskId });
    await subs.turns.put(turn1.id, turn1);
    await subs.threadTurns.put(childKey(thread1.id, turn1.id), '');
    await subs.items.put(item1.id, item1);
    await subs.turnItems.put(childKey(turn1.id, item1.id), '');
    await subs.meta.put('schema_version', 1);
    await writer.close();

    const store = await openDisk(dir);
    await expectMigrated(store, v1);

    // Migrating is done once: reopening changes nothing.
    await store.close();
    await expectMigrated(await openDisk(dir), v1);
  });

  it('treats a non-empty store without a version row as version 1 and migrates it', async () => {
    const dir = await tempDir();
    const v1 = version1Records();
    const { thread1, turn1, item1 } = v1;
    const raw = new Level<string, string>(dir);
    const json = (name: string) => raw.sublevel<string, unknown>(name, { valueEncoding: 'json' });
    const utf8 = (name: string) => raw.sublevel<string, string>(name, { valueEncoding: 'utf8' });
    await json('threads').put(thread1.id, thread1);
    await json('threadsByUpdated').put(updatedKey(thread1.updatedAt, thread1.id), { archived: false, taskId: thread1.taskId });
    await json('turns').put(turn1.id, turn1);
    await utf8('threadTurns').put(childKey(thread1.id, turn1.id), '');
    await json('items').put(item1.id, item1);
    await utf8('turnItems').put(childKey(turn1.id, item1.id), '');
    await raw.close();

    await expectMigrated(await openDisk(dir), v1);
  });

  it('refuses a store written by a newer version, asking to upgrade, and leaves it untouched', async () => {
    const dir = await tempDir();
    const writer = await Store.open(dir);
    const t = thread();
    await writer.batch().putThread(t, null).putMeta('schema_version', 99).write();
    await writer.close();

    const error = await failureOf(() => Store.open(dir));
    expect(error).toBeInstanceOf(StoreVersionError);
    expect((error as Error).message).toMatch(/newer/);
    expect((error as Error).message).toMatch(/upgrade/);
    expect((error as Error).message).toContain('99');

    // The refused store was closed (the directory is free again) and not rewritten.
    const raw = new Level<string, string>(dir);
    cleanup.push(() => raw.close());
    expect(await raw.sublevel<string, unknown>('meta', { valueEncoding: 'json' }).get('schema_version')).toBe(99);
    expect(await raw.sublevel<string, unknown>('threads', { valueEncoding: 'json' }).get(t.id)).toEqual(t);
  });

  it('refuses a newer version through attach() as well, closing the database', async () => {
    const db = new MemoryLevel();
    await db.sublevel<string, unknown>('meta', { valueEncoding: 'json' }).put('schema_version', 99);
    await expect(Store.attach(db)).rejects.toBeInstanceOf(StoreVersionError);
    expect(db.status).toBe('closed');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The data-directory lock
// ---------------------------------------------------------------------------------------------------------

describe('the data directory lock', () => {
  it('refuses a second open of a directory in use with StoreLockedError naming the directory', async () => {
    const dir = await tempDir();
    const first = await openDisk(dir);

    const error = await failureOf(() => Store.open(dir));
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as StoreLockedError).directory).toBe(path.resolve(dir));
    expect((error as Error).message).toContain(path.resolve(dir));

    // The first store is unaffected, and the directory opens again once it is closed.
    const t = thread();
    await first.batch().putThread(t, null).write();
    await first.close();
    const again = await openDisk(dir);
    expect(await again.getThread(t.id)).toEqual(t);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Durability
// ---------------------------------------------------------------------------------------------------------

describe('reopening a store on disk', () => {
  it('starts an empty event log at seq 1', async () => {
    const store = await openDisk(await tempDir());
    expect(await store.nextSeq()).toBe(1);
  });

  it('keeps every record, index row and event, and nextSeq() continues', async () => {
    const dir = await tempDir();
    const store = await openDisk(dir);

    const older = thread({ title: 'older', taskId: 'task-1' }, at(1));
    const newer = thread({ title: 'newer', archived: true }, at(2));
    const done = turn(older, 'done', 'COMPLETED');
    const running = turn(older, 'running', 'IN_PROGRESS');
    const waiting = turn(older, 'waiting', 'QUEUED');
    const items = [item(done, 'a'), item(done, 'b'), item(running, 'c')];
    const pending = approval(running);
    const events = Array.from({ length: 5 }, (_, n) => event(n + 1, n % 2 ? newer.id : older.id));

    const batch = store.batch().putThread(older, null).putThread(newer, null).putTurn(done).putTurn(running).putTurn(waiting).putApproval(pending);
    for (const i of items) batch.putItem(i);
    for (const e of events) batch.putEvent(e);
    await batch.putMeta('next_seq', 6).write();
    await store.close();
    expect(store.isOpen).toBe(false);

    const reopened = await openDisk(dir);
    expect(reopened.isOpen).toBe(true);
    expect(await reopened.getThreads([older.id, newer.id])).toEqual([older, newer]);
    expect(ids(await reopened.pageThreads(ALL, {}))).toEqual([newer.id, older.id]);
    expect(ids(await reopened.pageThreads({ taskId: 'task-1' }, {}))).toEqual([older.id]);
    expect(await reopened.getTurns([done.id, running.id, waiting.id])).toEqual([done, running, waiting]);
    expect((await reopened.pageTurns(older.id, {})).entries.map((e) => e.value)).toEqual([done, running, waiting]);
    expect(await reopened.getItems(items.map((i) => i.id))).toEqual(items);
    const [doneItems, runningItems] = await reopened.pageItemsMany([
      { parentId: done.id, args: {} },
      { parentId: running.id, args: {} },
    ]);
    expect(doneItems?.entries.map((e) => e.value)).toEqual(items.slice(0, 2));
    expect(runningItems?.entries.map((e) => e.value)).toEqual(items.slice(2));
    expect(await reopened.getApproval(pending.id)).toEqual(pending);
    expect(await reopened.listPendingApprovalIds(older.id)).toEqual([pending.id]);
    expect(await reopened.listQueuedTurnIds(older.id)).toEqual([waiting.id]);
    expect(await reopened.listOpenTurnIds()).toEqual([running.id]);
    expect(await reopened.readEvents(null, 0, 100)).toEqual(events);
    expect(await reopened.latestSeqs([older.id, newer.id])).toEqual([5, 4]);
    expect(await reopened.nextSeq()).toBe(6);
  });

  it('reports unknown ids as null, in request order', async () => {
    const store = await openDisk(await tempDir());
    const t = thread();
    await store.batch().putThread(t, null).write();
    expect(await store.getThreads(['thr_missing', t.id])).toEqual([null, t]);
    expect(await store.getThreads([])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------------------

describe('roundTrips counts one per public read call', () => {
  let store: Store;
  let t: ThreadRecord;
  let turns: TurnRecord[];

  beforeAll(async () => {
    store = await Store.attach(new MemoryLevel());
    t = thread({ title: 'counted' });
    turns = Array.from({ length: 10 }, (_, n) => turn(t, `prompt ${n}`));
    const batch = store.batch().putThread(t, null);
    for (const u of turns) batch.putTurn(u).putItem(item(u)).putItem(item(u));
    for (let seq = 1; seq <= 3; seq++) batch.putEvent(event(seq, t.id));
    batch.putApproval(approval(defined(turns[0], 'turn 0')));
    await batch.write();
  });
  afterAll(() => store.close());

  const calls: [string, () => Promise<unknown>][] = [
    ['getThreads of several ids', () => store.getThreads([t.id, 'thr_x', 'thr_y'])],
    ['getThread', () => store.getThread(t.id)],
    ['getTurns of 10 ids', () => store.getTurns(turns.map((u) => u.id))],
    ['getItems', () => store.getItems(['item_x'])],
    ['getApprovals', () => store.getApprovals(['appr_x'])],
    ['getMeta', () => store.getMeta('schema_version')],
    ['nextSeq', () => store.nextSeq()],
    ['pageThreads', () => store.pageThreads({}, { first: 5 })],
    ['pageThreads with a search', () => store.pageThreads({ search: 'prompt 9' }, {})],
    ['countThreads', () => store.countThreads({})],
    ['countThreads with a search', () => store.countThreads({ search: 'counted' })],
    ['pageTurns', () => store.pageTurns(t.id, { first: 3 })],
    [
      'pageTurnsMany',
      () =>
        store.pageTurnsMany([
          { parentId: t.id, args: {} },
          { parentId: 'thr_x', args: {} },
        ]),
    ],
    ['pageItemsMany over 10 turns', () => store.pageItemsMany(turns.map((u) => ({ parentId: u.id, args: {} })))],
    ['listTurnIds', () => store.listTurnIds(t.id)],
    ['listItemIds', () => store.listItemIds(defined(turns[0], 'turn 0').id)],
    ['listQueuedTurnIds', () => store.listQueuedTurnIds(t.id)],
    ['listThreadsWithQueue', () => store.listThreadsWithQueue()],
    ['listOpenTurnIds', () => store.listOpenTurnIds()],
    ['listPendingApprovalIds', () => store.listPendingApprovalIds(null)],
    ['listApprovalIdsOfThread', () => store.listApprovalIdsOfThread(t.id)],
    ['readEvents of a thread', () => store.readEvents(t.id, 0, 10)],
    ['readEvents of all threads', () => store.readEvents(null, 0, 10)],
    ['latestSeqs of 3 threads', () => store.latestSeqs([t.id, 'thr_x', 'thr_y'])],
    ['listThreadEventSeqs', () => store.listThreadEventSeqs(t.id)],
    ['getRollup', () => store.getRollup('2026-03-01T12:00')],
    ['readRollups', () => store.readRollups('2026', '2027')],
    ['readUsageFacts', () => store.readUsageFacts('2026', '2027')],
  ];

  it.each(calls)('%s counts 1', async (_name, call) => {
    const before = store.roundTrips;
    await call();
    expect(store.roundTrips - before).toBe(1);
  });

  it('pageItemsMany over 10 turns returns every page from that one round trip', async () => {
    const before = store.roundTrips;
    const pages = await store.pageItemsMany(turns.map((u) => ({ parentId: u.id, args: {} })));
    expect(store.roundTrips - before).toBe(1);
    expect(pages.map((p) => p.entries.length)).toEqual(Array(10).fill(2));
  });

  it('writes count no round trip', async () => {
    const before = store.roundTrips;
    await store
      .batch()
      .putThread({ ...t, updatedAt: at(9) }, t)
      .write();
    expect(store.roundTrips).toBe(before);
  });

  it('a new store starts at 0 (opening and version checks are not counted)', async () => {
    const s = await memoryStore();
    expect(s.roundTrips).toBe(0);
  });
});
