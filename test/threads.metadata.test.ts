/**
 * Thread metadata through the typed SDK against a real server (LevelDB in a temp dir): set on create, merged on
 * update (thread.updated), copied by forkThread, bounded (typed VALIDATION errors that change nothing), and
 * `threads(filter: { metadata }, orderBy)` with Relay paging in every order, also after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateThreadDocument,
  ForkThreadDocument,
  ThreadDocument,
  ThreadsDocument,
  UpdateThreadDocument,
  type ThreadFilter,
  type ThreadOrder,
  type ThreadsQueryVariables,
} from '../sdk/generated/graphql.js';
import { expectPayload, ZagensGraphQLError } from '../sdk/client.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { eventsNamed, narrow, threadEvents } from './support/ops.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const create = async (input: Parameters<typeof createResult>[0]) => expectPayload(await createResult(input), 'CreateThreadPayload').thread;
const createResult = async (input: { metadata?: unknown; taskId?: string; title?: string; archived?: boolean }) =>
  (await server.sdk.request(CreateThreadDocument, { input })).createThread;
const update = async (threadId: string, metadata: unknown) =>
  (await server.sdk.request(UpdateThreadDocument, { input: { threadId, metadata } })).updateThread;
const metadataOf = async (id: string) => (await server.sdk.request(ThreadDocument, { id })).thread?.metadata;
const list = async (variables: ThreadsQueryVariables) => (await server.sdk.request(ThreadsDocument, variables)).threads;
const listIds = async (variables: ThreadsQueryVariables) => (await list(variables)).edges.map((e) => e.node.id);
/** The GraphQL error a query fails with. */
async function refusal(run: () => Promise<unknown>): Promise<ZagensGraphQLError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZagensGraphQLError);
  return error as ZagensGraphQLError;
}

describe('metadata on createThread and updateThread', () => {
  it('is stored with sorted keys, announced by thread.started, and {} when none was given', async () => {
    const thread = await create({ metadata: { tier: 2, project: 'apollo', pinned: true } });
    expect(thread.metadata).toEqual({ pinned: true, project: 'apollo', tier: 2 });
    expect(Object.keys(thread.metadata as object)).toEqual(['pinned', 'project', 'tier']);
    const [started] = eventsNamed(await threadEvents(server, thread.id), 'thread.started');
    expect(started?.payload.metadata).toEqual({ pinned: true, project: 'apollo', tier: 2 });
    expect((await create({})).metadata).toEqual({});
  });

  it('updateThread merges: a value sets a key, null removes it, other keys stay; thread.updated carries the whole result', async () => {
    const thread = await create({ metadata: { project: 'apollo', owner: 'ann', tier: 1 } });
    const updated = narrow(await update(thread.id, { owner: null, tier: 2, stage: 'review' }), 'UpdateThreadPayload').thread;
    expect(updated.metadata).toEqual({ project: 'apollo', stage: 'review', tier: 2 });
    expect(await metadataOf(thread.id)).toEqual({ project: 'apollo', stage: 'review', tier: 2 });
    const changes = eventsNamed(await threadEvents(server, thread.id), 'thread.updated');
    expect(changes.map((e) => e.payload)).toEqual([{ changed: ['metadata'], metadata: { project: 'apollo', stage: 'review', tier: 2 } }]);

    // The same values again (and removing a key it does not have) change nothing: no event.
    narrow(await update(thread.id, { tier: 2, owner: null }), 'UpdateThreadPayload');
    expect(eventsNamed(await threadEvents(server, thread.id), 'thread.updated')).toHaveLength(1);
    // With another setting in the same call, both are named.
    const both = (await server.sdk.request(UpdateThreadDocument, { input: { threadId: thread.id, title: 'Apollo', metadata: { stage: null } } }))
      .updateThread;
    expect(narrow(both, 'UpdateThreadPayload').thread.metadata).toEqual({ project: 'apollo', tier: 2 });
    expect(eventsNamed(await threadEvents(server, thread.id), 'thread.updated').at(-1)?.payload).toEqual({
      changed: ['title', 'metadata'],
      title: 'Apollo',
      metadata: { project: 'apollo', tier: 2 },
    });
  });

  it('forkThread copies the source metadata', async () => {
    const source = await create({ metadata: { project: 'gemini' } });
    const fork = expectPayload((await server.sdk.request(ForkThreadDocument, { input: { threadId: source.id } })).forkThread, 'ForkThreadPayload');
    expect(fork.thread.metadata).toEqual({ project: 'gemini' });
    expect(await listIds({ filter: { metadata: { project: 'gemini' } } })).toEqual([fork.thread.id, source.id]);
  });

  const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, n) => [`k${n}`, n]));
  const bad: { name: string; metadata: unknown; message: RegExp }[] = [
    { name: 'a nested object', metadata: { owner: { name: 'ann' } }, message: /strings, numbers, booleans/ },
    { name: 'an array value', metadata: { tags: ['a', 'b'] }, message: /strings, numbers, booleans/ },
    { name: 'not an object', metadata: ['project'], message: /metadata/ },
    { name: 'a string', metadata: 'project=apollo', message: /metadata/ },
    { name: 'too many keys', metadata: { ...sixteen, k16: 16 }, message: /keys is over the limit of 16/ },
    {
      name: 'too big',
      metadata: Object.fromEntries(Array.from({ length: 5 }, (_, n) => [`k${n}`, 'x'.repeat(500)])),
      message: /over the limit of 2048/,
    },
    { name: 'a string value over 512 characters', metadata: { note: 'x'.repeat(513) }, message: /at most 512 characters/ },
    { name: 'a key with a space', metadata: { 'my key': 1 }, message: /keys are 1 to 64 characters/ },
    { name: 'a key over 64 characters', metadata: { ['k'.repeat(65)]: 1 }, message: /keys are 1 to 64 characters/ },
    { name: 'an empty key', metadata: { '': 1 }, message: /keys are 1 to 64 characters/ },
  ];

  it.each(bad)('createThread refuses $name with a typed VALIDATION error and creates nothing', async ({ metadata, message }) => {
    const before = (await list({ filter: { archived: 'INCLUDE_ARCHIVED' } })).totalCount;
    const result = narrow(await createResult({ metadata }), 'ValidationError');
    expect(result.code).toBe('VALIDATION');
    expect(result.field).toMatch(/^metadata/);
    expect(result.message).toMatch(message);
    expect((await list({ filter: { archived: 'INCLUDE_ARCHIVED' } })).totalCount).toBe(before);
  });

  it.each(bad)('updateThread refuses $name and changes nothing', async ({ metadata, message }) => {
    const thread = await create({ metadata: { project: 'apollo' } });
    const result = narrow(await update(thread.id, metadata), 'ValidationError');
    expect(result.message).toMatch(message);
    expect(result.field).toMatch(/^metadata/);
    expect(await metadataOf(thread.id)).toEqual({ project: 'apollo' });
    expect(eventsNamed(await threadEvents(server, thread.id), 'thread.updated')).toEqual([]);
  });

  it('checks the bounds after the merge: a 17th key is refused, replacing one of 16 is not', async () => {
    const thread = await create({ metadata: sixteen });
    expect(narrow(await update(thread.id, { extra: true }), 'ValidationError').message).toMatch(/17 keys/);
    expect(await metadataOf(thread.id)).toEqual(sixteen);
    const { k0: _dropped, ...rest } = sixteen;
    expect(narrow(await update(thread.id, { k0: null, extra: true }), 'UpdateThreadPayload').thread.metadata).toEqual({ ...rest, extra: true });
  });
});

describe('threads(filter: { metadata }, orderBy)', () => {
  let s: TestServer;
  /** In creation order; updated afterwards in the order of `updateOrder`, so the two orders differ. */
  const ids: string[] = [];
  const meta: Record<string, unknown>[] = [
    { project: 'apollo', tier: 1 },
    { project: 'apollo', tier: '1' },
    { project: 'gemini', tier: 1 },
    { project: 'apollo', tier: 1 },
    {},
    { project: 'apollo', tier: 1 },
    { project: 'apollo' },
  ];
  const updateOrder = [3, 0, 6, 1, 5, 2, 4];
  const apollo = [0, 1, 3, 5, 6];

  beforeAll(async () => {
    s = await startTestServer();
    for (const [n, metadata] of meta.entries()) {
      const { createThread } = await s.sdk.request(CreateThreadDocument, { input: { metadata, title: `t${n}`, taskId: n % 2 ? 'odd' : 'even' } });
      ids.push(expectPayload(createThread, 'CreateThreadPayload').thread.id);
    }
    for (const n of updateOrder) await s.sdk.request(UpdateThreadDocument, { input: { threadId: ids[n]!, title: `t${n} updated` } });
  });
  afterAll(() => s.close());

  const threadsOf = async (variables: ThreadsQueryVariables) => (await s.sdk.request(ThreadsDocument, variables)).threads;
  const inOrder = (order: ThreadOrder, n: number[]) => {
    const key = (i: number) => (order.field === 'CREATED_AT' ? i : updateOrder.indexOf(i));
    const sorted = [...n].sort((a, b) => key(a) - key(b));
    return (order.direction === 'ASC' ? sorted : sorted.reverse()).map((i) => ids[i]);
  };
  const ORDERS: ThreadOrder[] = [
    { field: 'UPDATED_AT', direction: 'DESC' },
    { field: 'UPDATED_AT', direction: 'ASC' },
    { field: 'CREATED_AT', direction: 'ASC' },
    { field: 'CREATED_AT', direction: 'DESC' },
  ];

  /** Every page of 2 forward, then backward; each page's flags checked. */
  async function walk(filter: ThreadFilter, orderBy: ThreadOrder): Promise<{ forward: string[]; backward: string[]; totals: number[] }> {
    const forward: string[] = [];
    const totals: number[] = [];
    let after: string | null | undefined;
    for (let n = 0; n < 20; n++) {
      const page = await threadsOf({ filter, orderBy, first: 2, after });
      expect(page.pageInfo.hasPreviousPage).toBe(n > 0);
      forward.push(...page.edges.map((e) => e.node.id));
      totals.push(page.totalCount);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const backward: string[] = [];
    let before: string | null | undefined;
    for (let n = 0; n < 20; n++) {
      const page = await threadsOf({ filter, orderBy, last: 2, before });
      expect(page.pageInfo.hasNextPage).toBe(n > 0);
      backward.unshift(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    return { forward, backward, totals };
  }

  it.each(ORDERS)('pages a metadata filter forward and backward in $field $direction, with the total on every page', async (orderBy) => {
    const { forward, backward, totals } = await walk({ metadata: { project: 'apollo' } }, orderBy);
    expect(forward).toEqual(inOrder(orderBy, apollo));
    expect(backward).toEqual(inOrder(orderBy, apollo));
    expect(new Set(totals)).toEqual(new Set([apollo.length]));
  });

  it.each(ORDERS)('lists every thread in $field $direction', async (orderBy) => {
    const { forward, backward } = await walk({}, orderBy);
    expect(forward).toEqual(inOrder(orderBy, [0, 1, 2, 3, 4, 5, 6]));
    expect(backward).toEqual(forward);
  });

  it('matches every key exactly (1 is not "1") and combines with taskId and the archive filter', async () => {
    expect(await threadsOf({ filter: { metadata: { project: 'apollo', tier: 1 } } }).then((p) => p.edges.map((e) => e.node.id))).toEqual(
      inOrder(ORDERS[0]!, [0, 3, 5]),
    );
    expect((await threadsOf({ filter: { metadata: { tier: '1' } } })).edges.map((e) => e.node.id)).toEqual([ids[1]]);
    expect((await threadsOf({ filter: { metadata: { project: 'apollo' }, taskId: 'odd' } })).totalCount).toBe(3);
    const archived = await s.sdk.request(UpdateThreadDocument, { input: { threadId: ids[5]!, archived: true } });
    narrow(archived.updateThread, 'UpdateThreadPayload');
    try {
      const active = await threadsOf({ filter: { metadata: { project: 'apollo', tier: 1 } }, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
      expect(active.edges.map((e) => e.node.id)).toEqual([ids[0], ids[3]]);
      const onlyArchived = await threadsOf({ filter: { metadata: { project: 'apollo' }, archived: 'ARCHIVED_ONLY' } });
      expect(onlyArchived.edges.map((e) => e.node.id)).toEqual([ids[5]]);
    } finally {
      await s.sdk.request(UpdateThreadDocument, { input: { threadId: ids[5]!, archived: false } });
      // Unarchiving moved it to the front of the update order.
      updateOrder.splice(updateOrder.indexOf(5), 1);
      updateOrder.push(5);
    }
  });

  it("takes a cursor in both directions of its field; the other field's cursor is a VALIDATION error", async () => {
    const filter = { metadata: { project: 'apollo' } };
    const newest = await threadsOf({ filter, first: 2 });
    const byUpdate = newest.pageInfo.endCursor;
    // Ascending after the second newest: only the newest is left.
    const asc = await threadsOf({ filter, orderBy: { field: 'UPDATED_AT', direction: 'ASC' }, after: byUpdate });
    expect(asc.edges.map((e) => e.node.id)).toEqual([newest.edges[0]?.node.id]);
    expect(asc.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const error = await refusal(() => threadsOf({ orderBy: { field: 'CREATED_AT', direction: 'ASC' }, after: byUpdate }));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/after is not a cursor/);
  });

  it.each([
    { name: 'an empty object', metadata: {}, message: /at least one key/ },
    { name: 'a nested value', metadata: { project: { name: 'apollo' } }, message: /strings, numbers or booleans/ },
    { name: 'null as a value', metadata: { project: null }, message: /strings, numbers or booleans/ },
    { name: 'too many keys', metadata: Object.fromEntries(Array.from({ length: 17 }, (_, n) => [`k${n}`, n])), message: /at most 16 keys/ },
    { name: 'an array', metadata: ['project'], message: /filter\.metadata/ },
  ])('refuses a filter with $name (VALIDATION, field filter.metadata)', async ({ metadata, message }) => {
    const error = await refusal(() => threadsOf({ filter: { metadata } }));
    expect(error.code).toBe('VALIDATION');
    expect(error.errors[0]?.extensions?.field).toBe('filter.metadata');
    expect(error.message).toMatch(message);
  });

  it('keeps metadata and its index across a restart', async () => {
    s = await s.restart();
    expect((await threadsOf({ filter: { metadata: { project: 'apollo', tier: 1 } } })).totalCount).toBe(3);
    expect(await threadsOf({ filter: { metadata: { project: 'gemini' } } }).then((p) => p.edges.map((e) => e.node.metadata))).toEqual([
      { project: 'gemini', tier: 1 },
    ]);
  });
});
