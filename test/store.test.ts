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
import { newId } from '../src/domain/ids.js';
import type { EventRecord, ThreadRecord, TurnRecord } from '../src/domain/records.js';
import { SCHEMA_VERSION } from '../src/domain/records.js';
import { childKey, updatedKey } from '../src/store/keys.js';
import { inspectSublevels, Store, StoreLockedError, StoreVersionError } from '../src/store/store.js';
import { defined } from '../src/domain/defined.js';
import { ALL, approval, at, failureOf, ids, item, thread, turn } from './support/storeFixtures.js';

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

/** A thread record as LevelDB holds it, read past the store (and its record cache). */
async function storedThread(store: Store, id: string): Promise<ThreadRecord> {
  return defined((await store.db.sublevel<string, ThreadRecord>('threads', { valueEncoding: 'json' }).get(id)) ?? undefined, 'the stored thread');
}

/** A labelled row: the store keeps events whatever their name (outside the event table). */
function event(seq: number, threadId: string, name = 'turn.updated'): EventRecord {
  return { seq, timestamp: at(seq), name, threadId, turnId: null, itemId: null, payload: { seq } } as unknown as EventRecord;
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
// The record cache (src/store/recordCache.ts): reads never see a record older than the last write
// ---------------------------------------------------------------------------------------------------------

describe.each(backends)('the record cache ($name)', (backend) => {
  it('a thread, turn or item read again after a write is the written one, through every read; a deleted one is gone', async () => {
    const { store } = await backend.create();
    const t = thread({ title: 'first' });
    const u = turn(t, 'prompt', 'QUEUED');
    const i = item(u, 'old text');
    await store.batch().putThread(t, null).putTurn(u).putItem(i).write();
    // Read each once so it is cached.
    expect(await store.getThread(t.id)).toEqual(t);
    expect((await store.pageTurns(t.id, {})).entries.map((e) => e.value)).toEqual([u]);
    expect((await store.pageItemsMany([{ parentId: u.id, args: {} }]))[0]?.entries.map((e) => e.value)).toEqual([i]);

    const t2 = { ...t, title: 'second', updatedAt: at(1) };
    const u2: TurnRecord = { ...u, status: 'COMPLETED' };
    const i2 = { ...i, text: 'new text' };
    await store.batch().putThread(t2, t).putTurn(u2).putItem(i2).write();
    expect(await store.getThread(t.id)).toEqual(t2);
    expect((await store.pageThreads(ALL, {})).entries.map((e) => e.value)).toEqual([t2]);
    expect(await store.getTurns([u.id])).toEqual([u2]);
    expect((await store.pageTurns(t.id, {})).entries.map((e) => e.value)).toEqual([u2]);
    expect(await store.getItem(i.id)).toEqual(i2);
    expect((await store.pageItemsMany([{ parentId: u.id, args: {} }]))[0]?.entries.map((e) => e.value)).toEqual([i2]);

    await store.batch().deleteItem(i2).deleteTurn(u2).deleteThread(t2).write();
    expect(await store.getThread(t.id)).toBeNull();
    expect(await store.getTurn(u.id)).toBeNull();
    expect(await store.getItem(i.id)).toBeNull();
  });

  it('a caller changing a record it read does not change what the next read returns', async () => {
    const { store } = await backend.create();
    const t = thread({ title: 'kept' });
    await store.batch().putThread(t, null).write();
    const read = defined((await store.getThreads([t.id]))[0] ?? undefined, 'the thread');
    read.title = 'changed by the caller';
    const again = defined((await store.getThreads([t.id]))[0] ?? undefined, 'the thread');
    expect(again.title).toBe('kept');
    again.title = 'changed again';
    expect((await store.getThread(t.id))?.title).toBe('kept');
  });

  it('a read in flight while a write lands never leaves the older record cached', async () => {
    const { store } = await backend.create();
    let current = thread({ title: 'v0' });
    await store.batch().putThread(current, null).write();
    for (let n = 1; n <= 20; n++) {
      const next = { ...current, title: `v${n}`, updatedAt: at(n) };
      const reading = store.getThread(current.id);
      await Promise.all([reading, store.batch().putThread(next, current).write()]);
      current = next;
      expect((await store.getThread(current.id))?.title).toBe(`v${n}`);
    }
  });

  it('a thread or rollup row kept as written is the stored one, whatever the caller changes in its objects later', async () => {
    const { store } = await backend.create();
    const t: ThreadRecord = { ...thread({ title: 'written' }), metadata: { owner: 'ann' } };
    const key = { quarter: '2026-03-01T12:00:00.000Z', threadId: t.id, model: 'm' };
    const rollup = { turns: 1, nested: { inputTokens: 5 } };
    await store.batch().putThread(t, null).putUsage(key, rollup, at(1), 'turn_1', {}).write();
    (t.metadata as Record<string, unknown>).owner = 'changed after the write';
    rollup.nested.inputTokens = 99;
    const read = await store.getThread(t.id);
    expect(read?.metadata).toEqual({ owner: 'ann' });
    expect(await store.getRollup(key)).toEqual({ turns: 1, nested: { inputTokens: 5 } });
    // What a read gives is what LevelDB holds, key for key (undefined fields dropped as JSON drops them).
    expect(Object.keys(read ?? {})).toEqual(Object.keys(await storedThread(store, t.id)));
  });

  it('two writes of one thread in flight at once: the read after both is what the store holds', async () => {
    const { store } = await backend.create();
    let current = thread({ title: 'v0' });
    await store.batch().putThread(current, null).write();
    for (let n = 1; n <= 20; n++) {
      const a = { ...current, title: `a${n}`, updatedAt: at(2 * n) };
      const b = { ...current, title: `b${n}`, updatedAt: at(2 * n + 1) };
      await Promise.all([store.batch().putThread(a, current).write(), store.batch().putThread(b, current).write()]);
      const raw = await storedThread(store, current.id);
      expect((await store.getThread(current.id))?.title).toBe(raw.title);
      current = raw;
    }
  });

  it('a write that fails leaves the cached record as it was stored', async () => {
    const { store } = await backend.create();
    const t = thread({ title: 'stored' });
    await store.batch().putThread(t, null).write();
    expect((await store.getThread(t.id))?.title).toBe('stored');
    const bad = store
      .batch()
      .putThread({ ...t, title: 'never stored' }, t)
      .putMeta(undefined as unknown as string, 1);
    await failureOf(() => bad.write());
    expect((await store.getThread(t.id))?.title).toBe('stored');
  });
});

// ---------------------------------------------------------------------------------------------------------
// LevelDB index rows (what every backend must do is in the shared suite, test/support/storeSuite.ts)
// ---------------------------------------------------------------------------------------------------------

describe('thread index rows', () => {
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
    expect(await inspectSublevels(store).threadsByUpdated.keys().all()).toHaveLength(3);
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
    expect(await inspectSublevels(store).threadsByUpdated.keys().all()).toHaveLength(1);
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

/** Writes the v1 records and their index rows straight into LevelDB, with or without a version row (older stores had none). */
async function writeVersion1Store(
  dir: string,
  { thread1, turn1, item1 }: ReturnType<typeof version1Records>,
  { versionRow }: { versionRow: boolean },
) {
  const raw = new Level<string, string>(dir);
  const json = (name: string) => raw.sublevel<string, unknown>(name, { valueEncoding: 'json' });
  const utf8 = (name: string) => raw.sublevel<string, string>(name, { valueEncoding: 'utf8' });
  await json('threads').put(thread1.id, thread1);
  await json('threadsByUpdated').put(updatedKey(thread1.updatedAt, thread1.id), { archived: false, taskId: thread1.taskId });
  await json('turns').put(turn1.id, turn1);
  await utf8('threadTurns').put(childKey(thread1.id, turn1.id), '');
  await json('items').put(item1.id, item1);
  await utf8('turnItems').put(childKey(turn1.id, item1.id), '');
  if (versionRow) await json('meta').put('schema_version', 1);
  await raw.close();
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
    // Write the store by hand as a v1 server left it.
    await writeVersion1Store(dir, v1, { versionRow: true });

    const store = await openDisk(dir);
    await expectMigrated(store, v1);

    // Migrating is done once: reopening changes nothing.
    await store.close();
    await expectMigrated(await openDisk(dir), v1);
  });

  it('treats a non-empty store without a version row as version 1 and migrates it', async () => {
    const dir = await tempDir();
    const v1 = version1Records();
    await writeVersion1Store(dir, v1, { versionRow: false });

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
    ['getRollup', () => store.getRollup({ quarter: '2026-03-01T12:00:00.000Z', threadId: t.id, model: 'm' })],
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
