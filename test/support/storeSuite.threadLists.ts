/**
 * Part of the shared store suite (storeSuite.ts): thread lists by metadata and in each order, with Relay paging
 * whose cursors hold under every order (docs/DESIGN.md "Thread metadata").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadRecord } from '../../src/domain/records.js';
import type { RecordStore, ThreadListFilter, ThreadOrder } from '../../src/store/contract.js';
import { BadCursorError } from '../../src/store/cursors.js';
import { defined } from '../../src/domain/defined.js';
import { ALL, at, failureOf, ids, thread } from './storeFixtures.js';
import type { StoreUnderTest } from './storeSuite.js';

const ORDERS: ThreadOrder[] = [
  { field: 'UPDATED_AT', direction: 'DESC' },
  { field: 'UPDATED_AT', direction: 'ASC' },
  { field: 'CREATED_AT', direction: 'ASC' },
  { field: 'CREATED_AT', direction: 'DESC' },
];
const label = (o: ThreadOrder) => `${o.field} ${o.direction}`;

/** Every page forward (first/after) and backward (last/before), checking the flags of each page on the way. */
async function walk(
  store: RecordStore,
  filter: ThreadListFilter,
  order: ThreadOrder,
  size: number,
): Promise<{ forward: string[]; backward: string[] }> {
  const forward: string[] = [];
  let after: string | undefined;
  for (let n = 0; n < 100; n++) {
    const page = await store.pageThreads(filter, { first: size, after }, order);
    expect(page.hasPreviousPage).toBe(n > 0);
    forward.push(...ids(page));
    if (!page.hasNextPage) break;
    expect(page.entries).toHaveLength(size);
    after = page.entries.at(-1)?.cursor;
  }
  const backward: string[] = [];
  let before: string | undefined;
  for (let n = 0; n < 100; n++) {
    const page = await store.pageThreads(filter, { last: size, before }, order);
    expect(page.hasNextPage).toBe(n > 0);
    backward.unshift(...ids(page));
    if (!page.hasPreviousPage) break;
    before = page.entries[0]?.cursor;
  }
  return { forward, backward };
}

export function describeThreadListSuite(open: () => Promise<StoreUnderTest>): void {
  describe('thread metadata and list order', () => {
    let s: StoreUnderTest;
    /** In creation (id) order; updatedAt is a different order: t[n] was last updated at `updated[n]` minutes. */
    let t: ThreadRecord[];
    const updated = [5, 1, 7, 3, 6, 2, 4, 8];
    const metadataOf: Record<string, string | number | boolean>[] = [
      { project: 'apollo', tier: 1 },
      { project: 'apollo', tier: '1' },
      { project: 'gemini', tier: 1, pinned: true },
      { project: 'apollo', tier: 1, pinned: true },
      {},
      { project: 'apollo', pinned: false },
      { project: 'apollo', tier: 1 },
      { project: 'apollo!~', tier: 1.0 },
    ];
    const byId = (...n: number[]) => n.map((i) => t[i]?.id);
    /** Ids in `order` of the threads numbered `n` (whatever order they are given in). */
    const inOrder = (order: ThreadOrder, n: number[]) => {
      const key = (i: number) => (order.field === 'CREATED_AT' ? i : (updated[i] ?? 0));
      const sorted = [...n].sort((a, b) => key(a) - key(b));
      return byId(...(order.direction === 'ASC' ? sorted : sorted.reverse()));
    };

    beforeAll(async () => {
      s = await open();
      t = metadataOf.map((metadata, n) => ({
        ...thread({ title: `needle ${n}`, taskId: n % 2 ? 'odd' : 'even', archived: n === 6 }, at(0)),
        metadata,
        updatedAt: at(updated[n] ?? 0),
      }));
      const batch = s.store.batch();
      for (const x of [...t].reverse()) batch.putThread(x, null);
      await batch.write();
    });
    afterAll(() => s.close());

    const cases: { name: string; filter: ThreadListFilter; expected: number[] }[] = [
      { name: 'one key', filter: { metadata: { project: 'apollo' } }, expected: [0, 1, 3, 5] },
      { name: 'every key must match', filter: { metadata: { project: 'apollo', tier: 1 } }, expected: [0, 3] },
      { name: 'a number is not its string', filter: { metadata: { tier: '1' } }, expected: [1] },
      { name: 'a boolean is matched exactly', filter: { metadata: { pinned: false } }, expected: [5] },
      { name: 'true is not 1', filter: { metadata: { pinned: 1 } }, expected: [] },
      { name: '1.0 is the number 1', filter: { metadata: { tier: 1.0, pinned: true } }, expected: [2, 3] },
      { name: 'values with separator characters', filter: { metadata: { project: 'apollo!~' } }, expected: [7] },
      { name: 'a prefix of a value is not the value', filter: { metadata: { project: 'apol' } }, expected: [] },
      { name: 'with archived threads', filter: { metadata: { project: 'apollo', tier: 1 }, archived: 'INCLUDE_ARCHIVED' }, expected: [0, 3, 6] },
      { name: 'archived only', filter: { metadata: { tier: 1 }, archived: 'ARCHIVED_ONLY' }, expected: [6] },
      { name: 'with taskId', filter: { metadata: { project: 'apollo' }, taskId: 'odd' }, expected: [1, 3, 5] },
      { name: 'with a search', filter: { metadata: { project: 'apollo' }, search: 'NEEDLE 3' }, expected: [3] },
      { name: 'an unknown key', filter: { metadata: { owner: 'x' } }, expected: [] },
    ];

    it.each(cases)('metadata filter: $name, in every order, and countThreads agrees', async ({ filter, expected }) => {
      for (const order of ORDERS) expect(ids(await s.store.pageThreads(filter, {}, order)), label(order)).toEqual(inOrder(order, expected));
      expect(ids(await s.store.pageThreads(filter, {}))).toEqual(inOrder(ORDERS[0]!, expected));
      expect(await s.store.countThreads(filter)).toBe(expected.length);
    });

    it.each(ORDERS)('lists every thread in $field $direction', async (order) => {
      expect(ids(await s.store.pageThreads(ALL, {}, order))).toEqual(inOrder(order, [0, 1, 2, 3, 4, 5, 6, 7]));
    });

    describe.each([
      { how: 'every thread', filter: ALL, all: [0, 1, 2, 3, 4, 5, 6, 7] },
      { how: 'by metadata', filter: { metadata: { project: 'apollo' }, archived: 'INCLUDE_ARCHIVED' } as ThreadListFilter, all: [0, 1, 3, 5, 6] },
      {
        how: 'by metadata and a search',
        filter: { metadata: { tier: 1 }, search: 'needle', archived: 'INCLUDE_ARCHIVED' } as ThreadListFilter,
        all: [0, 2, 3, 6, 7],
      },
    ])('pages $how', ({ filter, all }) => {
      it.each(ORDERS)('forward and backward in pages of 2 in $field $direction', async (order) => {
        const { forward, backward } = await walk(s.store, filter, order, 2);
        expect(forward).toEqual(inOrder(order, all));
        expect(backward).toEqual(inOrder(order, all));
      });
    });

    it("takes a cursor in either direction of its field and refuses the other field's cursors", async () => {
      const [updatedDesc, updatedAsc, createdAsc, createdDesc] = ORDERS as [ThreadOrder, ThreadOrder, ThreadOrder, ThreadOrder];
      const filter: ThreadListFilter = { metadata: { project: 'apollo' } };
      const byUpdate = defined((await s.store.pageThreads(filter, { first: 2 }, updatedDesc)).entries[1]?.cursor, 'a cursor');
      const byCreation = defined((await s.store.pageThreads(filter, { first: 2 }, createdAsc)).entries[1]?.cursor, 'a cursor');
      // apollo and active, newest update first: 0 (5), 3 (3), 5 (2), 1 (1); by creation: 0, 1, 3, 5.
      expect(ids(await s.store.pageThreads(filter, { first: 5, after: byUpdate }, updatedDesc))).toEqual(byId(5, 1));
      expect(ids(await s.store.pageThreads(filter, { first: 5, after: byUpdate }, updatedAsc))).toEqual(byId(0));
      expect(ids(await s.store.pageThreads(filter, { first: 5, after: byCreation }, createdDesc))).toEqual(byId(0));
      expect(ids(await s.store.pageThreads(filter, { last: 5, before: byCreation }, createdDesc))).toEqual(byId(5, 3));
      // The same lists without the filter take the filtered list's cursors (they are positions in one order).
      expect(ids(await s.store.pageThreads({}, { first: 1, after: byCreation }, createdAsc))).toEqual(byId(2));
      expect(await failureOf(() => s.store.pageThreads(filter, { after: byUpdate }, createdAsc))).toBeInstanceOf(BadCursorError);
      expect(await failureOf(() => s.store.pageThreads(filter, { before: byCreation }, updatedAsc))).toBeInstanceOf(BadCursorError);
      expect(await failureOf(() => s.store.pageThreads({}, { after: byCreation }))).toBeInstanceOf(BadCursorError);
    });
  });

  describe('metadata index follows every write', () => {
    const apollo: ThreadListFilter = { metadata: { project: 'apollo' } };
    const created: ThreadOrder = { field: 'CREATED_AT', direction: 'ASC' };

    it('a changed, removed or added key moves the thread between listings, once each', async () => {
      await withStore(open, async (s) => {
        const a = { ...thread({ title: 'a' }, at(1)), metadata: { project: 'apollo', owner: 'ann' } };
        const b = { ...thread({ title: 'b' }, at(2)), metadata: { project: 'apollo' } };
        await s.store.batch().putThread(a, null).putThread(b, null).write();
        expect(ids(await s.store.pageThreads(apollo, {}))).toEqual([b.id, a.id]);

        // A turn's end: only updatedAt moves; the thread moves to the front of the metadata listing, no duplicate.
        const a2 = { ...a, updatedAt: at(3) };
        await s.store.batch().putThread(a2, a).write();
        expect(ids(await s.store.pageThreads(apollo, {}))).toEqual([a.id, b.id]);
        expect(ids(await s.store.pageThreads(apollo, {}, created))).toEqual([a.id, b.id]);
        expect(await s.store.countThreads(apollo)).toBe(2);

        const a3 = { ...a2, metadata: { project: 'gemini' }, updatedAt: at(4) };
        await s.store.batch().putThread(a3, a2).write();
        expect(ids(await s.store.pageThreads(apollo, {}))).toEqual([b.id]);
        expect(ids(await s.store.pageThreads(apollo, {}, created))).toEqual([b.id]);
        expect(ids(await s.store.pageThreads({ metadata: { owner: 'ann' } }, {}))).toEqual([]);
        expect(ids(await s.store.pageThreads({ metadata: { project: 'gemini' } }, {}, created))).toEqual([a.id]);
        expect(await s.store.countThreads({ metadata: { owner: 'ann' } })).toBe(0);

        // Metadata removed altogether: in no metadata listing, still in the plain one.
        const b2 = { ...b, metadata: {}, updatedAt: at(5) };
        await s.store.batch().putThread(b2, b).write();
        expect(ids(await s.store.pageThreads(apollo, {}))).toEqual([]);
        expect(ids(await s.store.pageThreads({}, {}))).toEqual([b.id, a.id]);
      });
    });

    it('archiving keeps the thread in the metadata index with its new flag; deleting removes it', async () => {
      await withStore(open, async (s) => {
        const a = { ...thread({}, at(1)), metadata: { project: 'apollo' } };
        await s.store.batch().putThread(a, null).write();
        const archived = { ...a, archived: true };
        await s.store.batch().putThread(archived, a).write();
        expect(ids(await s.store.pageThreads(apollo, {}))).toEqual([]);
        expect(ids(await s.store.pageThreads({ ...apollo, archived: 'ARCHIVED_ONLY' }, {}, created))).toEqual([a.id]);
        await s.store.batch().deleteThread(archived).write();
        expect(ids(await s.store.pageThreads({ ...apollo, archived: 'INCLUDE_ARCHIVED' }, {}))).toEqual([]);
        expect(ids(await s.store.pageThreads({ ...apollo, archived: 'INCLUDE_ARCHIVED' }, {}, created))).toEqual([]);
        expect(await s.store.countThreads({ ...apollo, archived: 'INCLUDE_ARCHIVED' })).toBe(0);
      });
    });

    it('a refused write leaves the metadata listings as they were', async () => {
      await withStore(open, async (s) => {
        const a = { ...thread({}, at(1)), metadata: { project: 'apollo' } };
        await s.store.batch().putThread(a, null).write();
        s.failNextWrite();
        await failureOf(() =>
          s.store
            .batch()
            .putThread({ ...a, metadata: { project: 'gemini' }, updatedAt: at(2) }, a)
            .write(),
        );
        expect(ids(await s.store.pageThreads(apollo, {}))).toEqual([a.id]);
        expect(ids(await s.store.pageThreads({ metadata: { project: 'gemini' } }, {}, created))).toEqual([]);
        expect((await s.store.getThread(a.id))?.metadata).toEqual({ project: 'apollo' });
      });
    });
  });
}

async function withStore(open: () => Promise<StoreUnderTest>, run: (s: StoreUnderTest) => Promise<void>): Promise<void> {
  const s = await open();
  try {
    await run(s);
  } finally {
    await s.close();
  }
}
