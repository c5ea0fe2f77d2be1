/**
 * The store contract (src/store/contract.ts, docs/DESIGN.md "Store contract") as one suite that every backend runs:
 * `describeStoreSuite(name, open)`. A new backend is proven by a test file that calls it with its own `open`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PURGED_EVENT, type EventDraft, type EventRecord, type ImageBlob, type ThreadRecord, type TurnRecord } from '../../src/domain/records.js';
import type { CommitUnit, RecordStore, ThreadListFilter } from '../../src/store/contract.js';
import { BadCursorError } from '../../src/store/cursors.js';
import type { IdempotencyRecord } from '../../src/domain/idempotency.js';
import type { DeliveryRecord, WebhookRecord } from '../../src/domain/webhooks.js';
import { defined } from '../../src/domain/defined.js';
import { describeThreadListSuite } from './storeSuite.threadLists.js';
import { ALL, approval, at, failureOf, ids, item, shape, thread, turn } from './storeFixtures.js';

export interface StoreUnderTest {
  store: RecordStore;
  /** Makes the next write the store attempts fail (as a full disk or a lost connection would). */
  failNextWrite(): void;
  close(): Promise<void>;
}

/** A labelled event draft: the store keeps events whatever their name and payload. */
function draft(threadId: string, n: number, name = 'thread.updated'): EventDraft {
  return { name, threadId, turnId: null, itemId: null, payload: { n } } as unknown as EventDraft;
}

const seqs = (events: EventRecord[]) => events.map((e) => e.seq);

export function describeStoreSuite(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`the store contract: ${name}`, () => {
    const opened: StoreUnderTest[] = [];
    afterEach(async () => {
      while (opened.length) await opened.pop()?.close();
    });
    async function fresh(): Promise<StoreUnderTest> {
      const s = await open();
      opened.push(s);
      return s;
    }
    const freshStore = async () => (await fresh()).store;
    /** Commits each draft alone, so each gets its own commit (and timestamp `at(n)`). */
    async function commitEach(store: RecordStore, drafts: EventDraft[]): Promise<EventRecord[]> {
      const out: EventRecord[] = [];
      for (const [n, d] of drafts.entries()) out.push(...defined((await store.commit([{ unit: store.batch(), drafts: [d] }], at(n)))[0], 'events'));
      return out;
    }

    describe('commits and seqs', () => {
      it('gives the drafts of one commit consecutive seqs from nextSeq, in unit order, with the timestamp', async () => {
        const store = await freshStore();
        const t = thread();
        expect(await store.nextSeq()).toBe(1);
        const units: CommitUnit[] = [
          { unit: store.batch().putThread(t, null), drafts: [draft(t.id, 1), draft(t.id, 2)] },
          { unit: store.batch(), drafts: [] },
          { unit: store.batch(), drafts: [draft(t.id, 3)] },
        ];
        const committed = await store.commit(units, at(5));
        expect(committed.map(seqs)).toEqual([[1, 2], [], [3]]);
        expect(committed.flat().every((e) => e.timestamp === at(5))).toBe(true);
        expect(committed[0]?.[0]).toMatchObject({ name: 'thread.updated', threadId: t.id, payload: { n: 1 } });
        expect(await store.readEvents(null, 0, 100)).toEqual(committed.flat());
        expect(await store.getThread(t.id)).toEqual(t);
        expect(await store.nextSeq()).toBe(4);
      });

      it('keeps seqs gapless and in commit order under 20 concurrent commits', async () => {
        const store = await freshStore();
        const t = thread();
        await store.batch().putThread(t, null).write();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, n) => store.commit([{ unit: store.batch(), drafts: [draft(t.id, n), draft(t.id, n)] }], at(n))),
        );
        const all = results.flatMap((r) => defined(r[0], 'events'));
        expect(seqs(all).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        // The two events of one commit are adjacent: a commit is never split by another.
        for (const r of results)
          expect(seqs(defined(r[0], 'events'))).toEqual([defined(r[0]?.[0], 'first event').seq, defined(r[0]?.[0], 'first event').seq + 1]);
        expect(seqs(await store.readEvents(t.id, 0, 100))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      });

      it('a refused commit writes nothing of its units and uses no seq', async () => {
        const s = await fresh();
        const t = thread();
        const u = turn(t, 'queued', 'QUEUED');
        await commitEach(s.store, [draft(t.id, 0)]);
        s.failNextWrite();
        await failureOf(() =>
          s.store.commit([{ unit: s.store.batch().putThread(t, null).putTurn(u).putItem(item(u)), drafts: [draft(t.id, 1)] }], at(1)),
        );
        expect(await s.store.getThread(t.id)).toBeNull();
        expect(await s.store.getTurn(u.id)).toBeNull();
        expect(await s.store.listQueuedTurnIds(t.id)).toEqual([]);
        expect(seqs(await s.store.readEvents(null, 0, 100))).toEqual([1]);

        // The store takes writes again (at once or after recovering); the next commit gets seq 2.
        let next: EventRecord[][] | null = null;
        for (let attempt = 0; attempt < 50 && !next; attempt++) {
          next = await s.store.commit([{ unit: s.store.batch().putThread(t, null), drafts: [draft(t.id, 2)] }], at(2)).catch(() => null);
          if (!next) await new Promise((r) => setTimeout(r, 100));
        }
        expect(next?.flat().map((e) => e.seq)).toEqual([2]);
        expect(seqs(await s.store.readEvents(t.id, 0, 100))).toEqual([1, 2]);
      });

      it('a refused write() changes nothing', async () => {
        const s = await fresh();
        const t = thread();
        s.failNextWrite();
        await failureOf(() => s.store.batch().putThread(t, null).write());
        expect(await s.store.getThread(t.id)).toBeNull();
        expect(await s.store.countThreads(ALL)).toBe(0);
      });

      it('keeps a record as it was when put, even if the caller changes its object before the write', async () => {
        const store = await freshStore();
        const t = thread({ title: 'as put' });
        const batch = store.batch().putThread(t, null);
        t.title = 'changed later';
        await batch.write();
        expect((await store.getThread(t.id))?.title).toBe('as put');
      });

      it('keeps events out of the thread replay when committed with threadIndexed false', async () => {
        const store = await freshStore();
        const t = thread();
        await store.commit([{ unit: store.batch().putThread(t, null), drafts: [draft(t.id, 1)] }], at(1));
        await store.commit([{ unit: store.batch(), drafts: [draft(t.id, 2)], threadIndexed: false }], at(2));
        expect(seqs(await store.readEvents(null, 0, 100))).toEqual([1, 2]);
        expect(seqs(await store.readEvents(t.id, 0, 100))).toEqual([1]);
        expect(await store.listThreadEventSeqs(t.id)).toEqual([1]);
      });
    });

    describe('the event log', () => {
      let s: StoreUnderTest;
      let a: ThreadRecord;
      let b: ThreadRecord;
      let quiet: ThreadRecord;
      let written: EventRecord[];

      beforeAll(async () => {
        s = await open();
        a = thread();
        b = thread();
        quiet = thread();
        await s.store.batch().putThread(a, null).putThread(b, null).putThread(quiet, null).write();
        // Odd seqs belong to a, even ones to b; 12 of them, so 10 must sort after 9.
        written = await commitEach(
          s.store,
          Array.from({ length: 12 }, (_, n) => draft(n % 2 ? b.id : a.id, n)),
        );
      });
      afterAll(() => s.close());

      it('reads every event of all threads in ascending seq when threadId is null (10 after 9)', async () => {
        const events = await s.store.readEvents(null, 0, 100);
        expect(seqs(events)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
        expect(events).toEqual(written);
      });

      it('reads the events of one thread only', async () => {
        expect(seqs(await s.store.readEvents(a.id, 0, 100))).toEqual([1, 3, 5, 7, 9, 11]);
        expect(seqs(await s.store.readEvents(b.id, 0, 100))).toEqual([2, 4, 6, 8, 10, 12]);
        expect(await s.store.readEvents(quiet.id, 0, 100)).toEqual([]);
        expect(await s.store.listThreadEventSeqs(b.id)).toEqual([2, 4, 6, 8, 10, 12]);
      });

      it('reads only events after afterSeq, at most limit of them', async () => {
        expect(seqs(await s.store.readEvents(null, 4, 3))).toEqual([5, 6, 7]);
        expect(seqs(await s.store.readEvents(a.id, 3, 2))).toEqual([5, 7]);
        expect(seqs(await s.store.readEvents(a.id, 4, 100))).toEqual([5, 7, 9, 11]);
        expect(seqs(await s.store.readEvents(b.id, 11, 100))).toEqual([12]);
      });

      it('reads nothing past the end or with limit 0', async () => {
        expect(await s.store.readEvents(null, 12, 100)).toEqual([]);
        expect(await s.store.readEvents(a.id, 11, 100)).toEqual([]);
        expect(await s.store.readEvents(null, 0, 0)).toEqual([]);
        expect(await s.store.readEvents(a.id, 0, 0)).toEqual([]);
      });

      it('reads the same events as stored (readStoredEvents): the head filters read and the JSON text in the stored layout', async () => {
        const layout = (e: EventRecord) =>
          JSON.stringify({
            seq: e.seq,
            timestamp: e.timestamp,
            name: e.name,
            threadId: e.threadId,
            turnId: e.turnId,
            itemId: e.itemId,
            payload: e.payload,
          });
        for (const [threadId, after, limit] of [
          [null, 0, 100],
          [a.id, 0, 100],
          [null, 4, 3],
          [a.id, 3, 2],
          [b.id, 11, 100],
          [null, 12, 100],
          [a.id, 0, 0],
        ] as const) {
          const records = await s.store.readEvents(threadId, after, limit);
          const stored = await s.store.readStoredEvents(threadId, after, limit);
          expect(stored.map((e) => e.json)).toEqual(records.map(layout));
          expect(stored.map((e) => ({ seq: e.seq, name: e.name, threadId: e.threadId, turnId: e.turnId, itemId: e.itemId }))).toEqual(
            records.map((e) => ({ seq: e.seq, name: e.name, threadId: e.threadId, turnId: e.turnId, itemId: e.itemId })),
          );
          expect(stored.map((e) => [e.timestamp, e.payload])).toEqual(records.map((e) => [e.timestamp, e.payload]));
        }
      });

      it('tells the latest seq of each thread, 0 for a thread without events', async () => {
        expect(await s.store.latestSeqs([a.id, b.id, quiet.id])).toEqual([11, 12, 0]);
        expect(await s.store.latestSeqs([])).toEqual([]);
        expect(await s.store.nextSeq()).toBe(13);
      });

      it('a purge keeps the seq with a content-free tombstone and drops the replay row', async () => {
        const store = await freshStore();
        const t = thread();
        const [first] = await commitEach(store, [draft(t.id, 1), draft(t.id, 2)]);
        const event = defined(first, 'event 1');
        await store.batch().deleteThreadEventRow(t.id, event.seq).tombstoneEvent(event, 'DELETED').write();
        const global = await store.readEvents(null, 0, 100);
        expect(seqs(global)).toEqual([1, 2]);
        expect(global[0]).toMatchObject({ seq: 1, name: PURGED_EVENT, threadId: t.id, payload: { reason: 'DELETED' } });
        expect(seqs(await store.readEvents(t.id, 0, 100))).toEqual([2]);
        const [tombstone] = await store.readStoredEvents(null, 0, 1);
        expect(JSON.parse(defined(tombstone, 'the tombstone').json)).toEqual(global[0]);
        expect(tombstone).toMatchObject({ seq: 1, name: PURGED_EVENT, threadId: t.id, turnId: null, itemId: null });
      });
    });

    describe('records and their listings', () => {
      it('reads records by id, unknown ids as null in request order', async () => {
        const store = await freshStore();
        const t = thread();
        const u = turn(t);
        const i = item(u);
        const p = approval(u);
        await store.batch().putThread(t, null).putTurn(u).putItem(i).putApproval(p).write();
        expect(await store.getThreads(['thr_none', t.id])).toEqual([null, t]);
        expect(await store.getTurns([u.id, 'turn_none'])).toEqual([u, null]);
        expect(await store.getItems([i.id])).toEqual([i]);
        expect(await store.getApprovals([p.id, 'ap_none'])).toEqual([p, null]);
        expect(await store.getThread(t.id)).toEqual(t);
        expect(await store.getTurn(u.id)).toEqual(u);
        expect(await store.getItem(i.id)).toEqual(i);
        expect(await store.getApproval(p.id)).toEqual(p);
        expect(await store.getThread('thr_none')).toBeNull();
      });

      it('lists threads newest updatedAt first, whatever the write order', async () => {
        const store = await freshStore();
        const old = thread({ title: 'old' }, at(1));
        const newest = thread({ title: 'newest' }, at(3));
        const middle = thread({ title: 'middle' }, at(2));
        await store.batch().putThread(old, null).putThread(newest, null).putThread(middle, null).write();
        expect(ids(await store.pageThreads({}, {}))).toEqual([newest.id, middle.id, old.id]);
        expect(store.counts.threads).toBe(3);
      });

      it('moves an updated thread to the front without a duplicate; archiving in place moves it out of the default list', async () => {
        const store = await freshStore();
        const a = thread({ title: 'a' }, at(1));
        const b = thread({ title: 'b' }, at(2));
        const c = thread({ title: 'c' }, at(3));
        await store.batch().putThread(a, null).putThread(b, null).putThread(c, null).write();
        const updated: ThreadRecord = { ...a, title: 'a, renamed', updatedAt: at(4) };
        await store.batch().putThread(updated, a).write();
        const page = await store.pageThreads({}, {});
        expect(ids(page)).toEqual([a.id, c.id, b.id]);
        expect(page.entries[0]?.value.title).toBe('a, renamed');
        expect(await store.countThreads({})).toBe(3);

        await store
          .batch()
          .putThread({ ...c, archived: true }, c)
          .write();
        expect(ids(await store.pageThreads({}, {}))).toEqual([a.id, b.id]);
        expect(ids(await store.pageThreads({ archived: 'ARCHIVED_ONLY' }, {}))).toEqual([c.id]);
        expect(await store.countThreads(ALL)).toBe(3);
      });

      it("lists a thread's own turns oldest first and a turn's items in creation order, one page per request", async () => {
        const store = await freshStore();
        const t = thread();
        const other = thread();
        const turns = Array.from({ length: 5 }, (_, n) => turn(t, `prompt ${n}`));
        const otherTurn = turn(other);
        const items1 = Array.from({ length: 10 }, (_, n) => item(defined(turns[0], 'a turn'), `one ${n}`));
        const items2 = Array.from({ length: 3 }, (_, n) => item(defined(turns[1], 'a turn'), `two ${n}`));
        const batch = store.batch().putThread(t, null).putThread(other, null).putTurn(otherTurn);
        for (const u of [...turns].reverse()) batch.putTurn(u);
        for (const i of [...items1, ...items2].reverse()) batch.putItem(i);
        await batch.write();

        expect(ids(await store.pageTurns(t.id, {}))).toEqual(turns.map((u) => u.id));
        expect(await store.listTurnIds(t.id)).toEqual(turns.map((u) => u.id));
        expect(ids(await store.pageTurns(other.id, {}))).toEqual([otherTurn.id]);
        const [p1, p2, none] = await store.pageItemsMany([
          { parentId: defined(turns[0], 'a turn').id, args: {} },
          { parentId: defined(turns[1], 'a turn').id, args: { first: 2 } },
          { parentId: otherTurn.id, args: {} },
        ]);
        expect(ids(defined(p1, 'a page'))).toEqual(items1.map((i) => i.id));
        expect(shape(defined(p2, 'a page'))).toEqual({ ids: items2.slice(0, 2).map((i) => i.id), hasPreviousPage: false, hasNextPage: true });
        expect(ids(defined(none, 'a page'))).toEqual([]);
        expect(await store.listItemIds(defined(turns[1], 'a turn').id)).toEqual(items2.map((i) => i.id));
        const [many] = await store.pageTurnsMany([{ parentId: t.id, args: { last: 2 } }]);
        expect(ids(defined(many, 'a page'))).toEqual(turns.slice(3).map((u) => u.id));
      });

      it('keeps the queued, open-turn and pending-approval lists in step with status', async () => {
        const store = await freshStore();
        const t = thread();
        const first = turn(t, 'first', 'QUEUED');
        const second = turn(t, 'second', 'QUEUED');
        const p = approval(first);
        await store.batch().putThread(t, null).putTurn(first).putTurn(second).putApproval(p).write();
        expect(await store.listQueuedTurnIds(t.id)).toEqual([first.id, second.id]);
        expect(await store.listThreadsWithQueue()).toEqual([t.id]);
        expect(await store.listOpenTurnIds()).toEqual([]);
        expect(await store.listPendingApprovalIds(t.id)).toEqual([p.id]);
        expect(await store.listPendingApprovalIds(null)).toEqual([p.id]);

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
          .putApproval({ ...p, status: 'APPROVED', resolvedAt: at(2) })
          .write();
        expect(await store.listQueuedTurnIds(t.id)).toEqual([]);
        expect(await store.listThreadsWithQueue()).toEqual([]);
        expect(await store.listOpenTurnIds()).toEqual([]);
        expect(await store.listPendingApprovalIds(null)).toEqual([]);
        expect(await store.listApprovalIdsOfThread(t.id)).toEqual([p.id]);
      });

      it("lists a queue by a moved turn's rank, then by arrival; a turn leaving the queue leaves the list", async () => {
        const store = await freshStore();
        const t = thread();
        const [a, b, c] = ['a', 'b', 'c'].map((p) => turn(t, p, 'QUEUED')) as [TurnRecord, TurnRecord, TurnRecord];
        await store.batch().putThread(t, null).putTurn(a).putTurn(b).putTurn(c).write();
        expect(await store.listQueuedTurnIds(t.id)).toEqual([a.id, b.id, c.id]);
        const ranked = [c, a, b].map((u, i) => ({ ...u, queueRank: `q${String(i).padStart(8, '0')}` }));
        const move = store.batch();
        for (const u of ranked) move.putTurn(u);
        await move.write();
        expect(await store.listQueuedTurnIds(t.id)).toEqual([c.id, a.id, b.id]);
        const d = turn(t, 'd', 'QUEUED');
        await store.batch().putTurn(d).write();
        expect(await store.listQueuedTurnIds(t.id)).toEqual([c.id, a.id, b.id, d.id]);
        await store
          .batch()
          .putTurn({ ...defined(ranked[0], 'c ranked'), status: 'IN_PROGRESS' })
          .write();
        expect(await store.listQueuedTurnIds(t.id)).toEqual([a.id, b.id, d.id]);
      });

      it('deletes records with everything that lists them', async () => {
        const store = await freshStore();
        const t = thread({ expiresAt: at(30) });
        const u = turn(t, 'q', 'QUEUED');
        const i = item(u);
        const p = approval(u);
        await store.batch().putThread(t, null).putTurn(u).putItem(i).putApproval(p).write();
        await store.batch().deleteItem(i).deleteApproval(p).deleteTurn(u).deleteThread(t).write();
        expect(await store.getThread(t.id)).toBeNull();
        expect(await store.pageThreads(ALL, {})).toMatchObject({ entries: [] });
        expect(await store.countThreads(ALL)).toBe(0);
        expect(await store.listTurnIds(t.id)).toEqual([]);
        expect(await store.listQueuedTurnIds(t.id)).toEqual([]);
        expect(await store.listItemIds(u.id)).toEqual([]);
        expect(await store.listPendingApprovalIds(null)).toEqual([]);
        expect(await store.listApprovalIdsOfThread(t.id)).toEqual([]);
        expect(await store.listExpiredThreadIds(at(60))).toEqual([]);
        expect(store.counts.threads).toBe(0);
      });
    });

    describe('Relay paging', () => {
      let s: StoreUnderTest;
      let t: TurnRecord[];
      let parent: ThreadRecord;
      let empty: ThreadRecord;
      const turnIds = (...n: number[]) => n.map((i) => t[i]?.id);

      beforeAll(async () => {
        s = await open();
        parent = thread();
        empty = thread();
        t = Array.from({ length: 7 }, (_, n) => turn(parent, `prompt ${n}`));
        const batch = s.store.batch().putThread(parent, null).putThread(empty, null);
        for (const u of t) batch.putTurn(u);
        await batch.write();
      });
      afterAll(() => s.close());

      it('walks forward through 7 turns in pages of 3 (first/after)', async () => {
        const p1 = await s.store.pageTurns(parent.id, { first: 3 });
        const p2 = await s.store.pageTurns(parent.id, { first: 3, after: p1.entries.at(-1)?.cursor });
        const p3 = await s.store.pageTurns(parent.id, { first: 3, after: p2.entries.at(-1)?.cursor });
        expect([p1, p2, p3].map(shape)).toEqual([
          { ids: turnIds(0, 1, 2), hasPreviousPage: false, hasNextPage: true },
          { ids: turnIds(3, 4, 5), hasPreviousPage: true, hasNextPage: true },
          { ids: turnIds(6), hasPreviousPage: true, hasNextPage: false },
        ]);
      });

      it('walks backward in pages of 3 (last/before), each page still oldest first', async () => {
        const p1 = await s.store.pageTurns(parent.id, { last: 3 });
        const p2 = await s.store.pageTurns(parent.id, { last: 3, before: p1.entries[0]?.cursor });
        const p3 = await s.store.pageTurns(parent.id, { last: 3, before: p2.entries[0]?.cursor });
        expect([p1, p2, p3].map(shape)).toEqual([
          { ids: turnIds(4, 5, 6), hasPreviousPage: true, hasNextPage: false },
          { ids: turnIds(1, 2, 3), hasPreviousPage: true, hasNextPage: true },
          { ids: turnIds(0), hasPreviousPage: false, hasNextPage: true },
        ]);
      });

      it('answers empty pages at the ends, for first: 0 and for a parent without rows', async () => {
        const last = await s.store.pageTurns(parent.id, { first: 10 });
        expect(shape(await s.store.pageTurns(parent.id, { first: 3, after: last.entries.at(-1)?.cursor }))).toEqual({
          ids: [],
          hasPreviousPage: true,
          hasNextPage: false,
        });
        expect(shape(await s.store.pageTurns(parent.id, { first: 0 }))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: true });
        expect(shape(await s.store.pageTurns(empty.id, { first: 3 }))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: false });
        expect(shape(await s.store.pageTurns(empty.id, { last: 3 }))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: false });
      });

      it('accepts the cursors it hands out and refuses others with BadCursorError', async () => {
        const page = await s.store.pageTurns(parent.id, { first: 1 });
        const threads = await s.store.pageThreads(ALL, { first: 1 });
        expect(() => s.store.checkCursor('turns', defined(page.entries[0], 'an entry').cursor)).not.toThrow();
        expect(() => s.store.checkCursor('threads', defined(threads.entries[0], 'an entry').cursor)).not.toThrow();
        expect(() => s.store.checkCursor('threads', 'not a cursor')).toThrow(BadCursorError);
        await expect(s.store.pageThreads(ALL, { after: 'not a cursor' })).rejects.toBeInstanceOf(BadCursorError);
        await expect(s.store.pageThreads(ALL, { before: '' })).rejects.toBeInstanceOf(BadCursorError);
      });

      it('returns an empty page with hasPreviousPage false before the first turn', async () => {
        const first = await s.store.pageTurns(parent.id, { first: 1 });
        expect(shape(await s.store.pageTurns(parent.id, { last: 3, before: first.entries[0]?.cursor }))).toEqual({
          ids: [],
          hasPreviousPage: false,
          hasNextPage: true,
        });
      });

      it('pages an exact fit without claiming a next page', async () => {
        const p1 = await s.store.pageTurns(parent.id, { first: 7 });
        expect(shape(p1)).toEqual({ ids: turnIds(0, 1, 2, 3, 4, 5, 6), hasPreviousPage: false, hasNextPage: false });
        const p2 = await s.store.pageTurns(parent.id, { last: 7 });
        expect(shape(p2)).toEqual({ ids: turnIds(0, 1, 2, 3, 4, 5, 6), hasPreviousPage: false, hasNextPage: false });
      });

      it('reads every row for first: Number.MAX_SAFE_INTEGER (what the runtime asks to load a whole conversation)', async () => {
        expect(shape(await s.store.pageTurns(parent.id, { first: Number.MAX_SAFE_INTEGER }))).toEqual({
          ids: turnIds(0, 1, 2, 3, 4, 5, 6),
          hasPreviousPage: false,
          hasNextPage: false,
        });
        expect(shape(await s.store.pageTurns(parent.id, { first: Number.MAX_SAFE_INTEGER, after: t[4]?.id }))).toMatchObject({ ids: turnIds(5, 6) });
      });

      it('caps a page without first or last at 50 rows', async () => {
        const store = await freshStore();
        const big = thread();
        const batch = store.batch().putThread(big, null);
        for (let n = 0; n < 55; n++) batch.putTurn(turn(big));
        await batch.write();
        const page = await store.pageTurns(big.id, {});
        expect(page.entries).toHaveLength(50);
        expect(page.hasNextPage).toBe(true);
      });

      describe.each([
        { how: 'by the list', search: null },
        { how: 'with a search', search: 'needle' },
      ])('threads page the same way $how', ({ search }) => {
        let ts: StoreUnderTest;
        let threads: ThreadRecord[]; // newest first
        const threadIds = (...n: number[]) => n.map((i) => threads[i]?.id);
        const filter = () => ({ search });

        beforeAll(async () => {
          ts = await open();
          threads = Array.from({ length: 7 }, (_, n) => thread({ title: `Needle ${n}` }, at(100 - n)));
          const batch = ts.store.batch().putThread(thread({ title: 'other', archived: true }, at(200)), null);
          for (const x of threads) batch.putThread(x, null);
          await batch.write();
        });
        afterAll(() => ts.close());

        it('forward and backward in pages of 3', async () => {
          const p1 = await ts.store.pageThreads(filter(), { first: 3 });
          const p2 = await ts.store.pageThreads(filter(), { first: 3, after: p1.entries.at(-1)?.cursor });
          const p3 = await ts.store.pageThreads(filter(), { first: 3, after: p2.entries.at(-1)?.cursor });
          expect([p1, p2, p3].map(shape)).toEqual([
            { ids: threadIds(0, 1, 2), hasPreviousPage: false, hasNextPage: true },
            { ids: threadIds(3, 4, 5), hasPreviousPage: true, hasNextPage: true },
            { ids: threadIds(6), hasPreviousPage: true, hasNextPage: false },
          ]);
          const b1 = await ts.store.pageThreads(filter(), { last: 3 });
          const b2 = await ts.store.pageThreads(filter(), { last: 3, before: b1.entries[0]?.cursor });
          expect([b1, b2].map(shape)).toEqual([
            { ids: threadIds(4, 5, 6), hasPreviousPage: true, hasNextPage: false },
            { ids: threadIds(1, 2, 3), hasPreviousPage: true, hasNextPage: true },
          ]);
          expect(shape(await ts.store.pageThreads(filter(), { first: 0 }))).toEqual({ ids: [], hasPreviousPage: false, hasNextPage: true });
        });
      });
    });

    describe('thread filters', () => {
      let s: StoreUnderTest;
      // Newest first: parserFix, docs, refactor, oldParser.
      let parserFix: ThreadRecord; // active, task-1, title matches "parser"
      let docs: ThreadRecord; // archived, task-1
      let refactor: ThreadRecord; // active, no task, untitled, a turn prompt matches "parser"
      let oldParser: ThreadRecord; // archived, task-2, title matches "parser"

      beforeAll(async () => {
        s = await open();
        parserFix = thread({ title: 'Fix the Parser', taskId: 'task-1' }, at(4));
        docs = thread({ title: 'Write docs', taskId: 'task-1', archived: true }, at(3));
        refactor = thread({}, at(2));
        oldParser = thread({ title: 'old PARSER work', taskId: 'task-2', archived: true }, at(1));
        await s.store
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
      afterAll(() => s.close());

      const cases: { name: string; filter: ThreadListFilter; expected: () => ThreadRecord[] }[] = [
        { name: 'lists only active threads by default', filter: {}, expected: () => [parserFix, refactor] },
        { name: 'ACTIVE_ONLY lists active threads', filter: { archived: 'ACTIVE_ONLY' }, expected: () => [parserFix, refactor] },
        {
          name: 'INCLUDE_ARCHIVED lists every thread',
          filter: { archived: 'INCLUDE_ARCHIVED' },
          expected: () => [parserFix, docs, refactor, oldParser],
        },
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
        {
          name: 'search combines with taskId',
          filter: { search: 'parser', taskId: 'task-2', archived: 'ARCHIVED_ONLY' },
          expected: () => [oldParser],
        },
        { name: 'search matches any turn of the thread, not only the first', filter: { search: 'refactor the' }, expected: () => [refactor] },
        { name: 'a blank search is no search', filter: { search: '   ' }, expected: () => [parserFix, refactor] },
        { name: 'a search without match lists nothing', filter: { search: 'zebra', archived: 'INCLUDE_ARCHIVED' }, expected: () => [] },
      ];

      it.each(cases)('$name, and countThreads agrees', async ({ filter, expected }) => {
        const want = expected().map((x) => x.id);
        expect(ids(await s.store.pageThreads(filter, {}))).toEqual(want);
        expect(await s.store.countThreads(filter)).toBe(want.length);
      });
    });

    describeThreadListSuite(open);

    describe('everything else a runtime keeps', () => {
      it('meta: put, get, list by prefix, delete', async () => {
        const store = await freshStore();
        await store.batch().putMeta('op:b', { n: 2 }).putMeta('op:a', { n: 1 }).putMeta('other', 3).write();
        expect(await store.getMeta('op:a')).toEqual({ n: 1 });
        expect(await store.getMeta('missing')).toBeUndefined();
        expect(await store.listMeta('op:')).toEqual([
          { key: 'op:a', value: { n: 1 } },
          { key: 'op:b', value: { n: 2 } },
        ]);
        await store.batch().deleteMeta('op:a').write();
        expect(await store.listMeta('op:')).toEqual([{ key: 'op:b', value: { n: 2 } }]);
      });

      it('usage: rollups by quarter range and facts by end time', async () => {
        const store = await freshStore();
        const q = (m: number) => at(m * 15);
        await store
          .batch()
          .putUsage({ quarter: q(0), threadId: 'thr_a', model: 'm1' }, { turns: 1 }, at(1), 'turn_1', { f: 1 })
          .putUsage({ quarter: q(1), threadId: 'thr_a', model: 'm/2!x' }, { turns: 2 }, at(16), 'turn_2', { f: 2 })
          .putUsage({ quarter: q(2), threadId: 'thr_b', model: 'm1' }, { turns: 3 }, at(31), 'turn_3', { f: 3 })
          .write();
        expect(await store.getRollup({ quarter: q(1), threadId: 'thr_a', model: 'm/2!x' })).toEqual({ turns: 2 });
        expect(await store.getRollup({ quarter: q(1), threadId: 'thr_b', model: 'm1' })).toBeUndefined();
        expect(await store.readRollups(q(1), q(3))).toEqual([
          { id: { quarter: q(1), threadId: 'thr_a', model: 'm/2!x' }, value: { turns: 2 } },
          { id: { quarter: q(2), threadId: 'thr_b', model: 'm1' }, value: { turns: 3 } },
        ]);
        expect((await store.readRollups(null, q(1))).map((r) => r.value)).toEqual([{ turns: 1 }]);
        expect((await store.readRollups(q(2), null)).map((r) => r.value)).toEqual([{ turns: 3 }]);
        expect(await store.readUsageFacts(at(0), at(31))).toEqual([{ f: 1 }, { f: 2 }]);
      });

      it('idempotency keys: get, expired list soonest first, delete', async () => {
        const store = await freshStore();
        const key = (k: string, expiresAt: string): IdempotencyRecord => ({
          key: k,
          operation: 'startTurn',
          inputHash: 'h',
          result: { kind: 'turn', id: 'turn_1' } as unknown as IdempotencyRecord['result'],
          createdAt: at(0),
          expiresAt,
        });
        await store
          .batch()
          .putIdempotency(key('late', at(20)))
          .putIdempotency(key('a!b', at(10)))
          .write();
        expect((await store.getIdempotency('a!b'))?.expiresAt).toBe(at(10));
        expect(await store.getIdempotency('none')).toBeNull();
        expect(await store.listExpiredIdempotency(at(15), 10)).toEqual([{ key: 'a!b', expiresAt: at(10) }]);
        expect((await store.listExpiredIdempotency(at(30), 10)).map((r) => r.key)).toEqual(['a!b', 'late']);
        await store.batch().deleteIdempotency('a!b', at(10), true).write();
        expect(await store.getIdempotency('a!b')).toBeNull();
        expect((await store.listExpiredIdempotency(at(30), 10)).map((r) => r.key)).toEqual(['late']);
      });

      it('images, turn snapshots, webhooks and deliveries', async () => {
        const store = await freshStore();
        const t = thread();
        const image: ImageBlob = { sha256: 'abc', mimeType: 'image/png', data: 'AAAA', byteSize: 3 };
        const hook: WebhookRecord = {
          id: 'wh_1',
          url: 'http://127.0.0.1/x',
          events: ['*'],
          secret: 's',
          description: null,
          createdAt: at(0),
          afterSeq: 0,
        };
        const delivery = (id: string, status: DeliveryRecord['status']): DeliveryRecord => ({
          id,
          webhookId: hook.id,
          seq: 1,
          eventName: 'thread.updated',
          threadId: t.id,
          status,
          attempts: 0,
          createdAt: at(0),
          nextAttemptAt: null,
          deliveredAt: null,
          lastStatusCode: null,
          lastError: null,
        });
        await store
          .batch()
          .putThread(t, null)
          .putImage(t.id, image)
          .putTurnSnapshots('turn_1', { files: 1 })
          .putWebhook(hook)
          .putDelivery(delivery('dl_1', 'PENDING'))
          .putDelivery(delivery('dl_2', 'DELIVERED'))
          .write();
        expect(await store.getImages(t.id, ['abc', 'none'])).toEqual([image, null]);
        expect(await store.listImageHashesOfThread(t.id)).toEqual(['abc']);
        expect(await store.getTurnSnapshots(['turn_1', 'turn_2'])).toEqual([{ files: 1 }, null]);
        expect(await store.listWebhooks()).toEqual([hook]);
        expect(await store.getWebhooks([hook.id, 'wh_none'])).toEqual([hook, null]);
        expect(await store.listPendingDeliveryIds(10)).toEqual(['dl_1']);
        expect((await store.listDeliveries({ webhookId: hook.id, status: 'DELIVERED' }, 10)).map((d) => d.id)).toEqual(['dl_2']);
        expect((await store.getDeliveries(['dl_1']))[0]?.status).toBe('PENDING');

        await store
          .batch()
          .deleteImage(t.id, 'abc')
          .deleteTurnSnapshots('turn_1')
          .deleteWebhook(hook.id)
          .putDelivery(delivery('dl_1', 'FAILED'))
          .write();
        expect(await store.listImageHashesOfThread(t.id)).toEqual([]);
        expect(await store.getTurnSnapshots(['turn_1'])).toEqual([null]);
        expect(await store.listWebhooks()).toEqual([]);
        expect(await store.listPendingDeliveryIds(10)).toEqual([]);
      });

      it('retention lists: expired threads soonest first, archived threads updated before a cutoff oldest first', async () => {
        const store = await freshStore();
        const soon = thread({ expiresAt: at(10) });
        const later = thread({ expiresAt: at(20) });
        const never = thread();
        const oldArchived = thread({ archived: true }, at(1));
        const newArchived = thread({ archived: true }, at(50));
        await store
          .batch()
          .putThread(later, null)
          .putThread(soon, null)
          .putThread(never, null)
          .putThread(oldArchived, null)
          .putThread(newArchived, null)
          .write();
        expect(await store.listExpiredThreadIds(at(15))).toEqual([soon.id]);
        expect(await store.listExpiredThreadIds(at(25))).toEqual([soon.id, later.id]);
        expect(await store.listExpiredThreadIds(at(25), 1)).toEqual([soon.id]);
        expect(await store.listArchivedThreadIdsBefore(at(30))).toEqual([oldArchived.id]);
      });
    });
  });
}
