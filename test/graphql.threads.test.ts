/**
 * Threads over the real GraphQL API (HTTP + graphql-ws against a real server with a LevelDB in a temp dir and
 * the offline engine): create/update/delete, listing and Relay paging, node lookups, runtime events, restart.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { defined } from '../src/domain/defined.js';
import { graphqlError, mutate, narrow, startedTurn, threadCount, threadState, turnState, type SdkServer } from './support/ops.js';
import {
  CreateThreadDocument,
  DeleteThreadDocument,
  EventsDocument,
  ItemDocument,
  NodeDocument,
  NodesDocument,
  RuntimeEventsDocument,
  RuntimeInfoDocument,
  ThreadDocument,
  ThreadTurnsDocument,
  ThreadsDocument,
  TurnDocument,
  TurnItemsDocument,
  UpdateThreadDocument,
  type ArchivedFilter,
  type CreateThreadInput,
  type ThreadFilter,
  type UpdateThreadInput,
} from '../sdk/generated/graphql.js';

/** Well-formed ids (right prefix, valid ULID) that no record has. */
const UNKNOWN = {
  thread: 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  turn: 'turn_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  item: 'item_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  approval: 'appr_01ARZ3NDEKTSV4RRFFQ69G5FAV',
};

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

type Json = any;

interface PageArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

interface Connection {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The `data` of a request that must succeed without errors (for the Node query written out below). */
async function data(s: TestServer, query: string, variables?: Record<string, unknown>): Promise<Json> {
  const body = await s.gql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

async function createThread(s: SdkServer, input: CreateThreadInput = {}) {
  const { createThread: result } = await s.sdk.request(CreateThreadDocument, { input });
  expect(result.__typename, JSON.stringify(result)).toBe('CreateThreadPayload');
  return narrow(result, 'CreateThreadPayload').thread;
}

const updateThread = (s: SdkServer, input: UpdateThreadInput) => mutate(s, UpdateThreadDocument, input);
const updated = async (s: SdkServer, input: UpdateThreadInput) => narrow(await updateThread(s, input), 'UpdateThreadPayload').thread;
const deleteThread = (s: SdkServer, threadId: string) => mutate(s, DeleteThreadDocument, { threadId });
const listThreads = async (s: SdkServer, variables: PageArgs & { filter?: ThreadFilter }) =>
  (await s.sdk.request(ThreadsDocument, variables)).threads;
const latestSeq = async (s: SdkServer) => (await s.sdk.request(RuntimeInfoDocument)).runtimeInfo.latestSeq;

/** Starts a turn and waits until the thread is IDLE again (the offline engine answers in a few ms). */
async function runTurn(s: SdkServer, threadId: string, prompt = 'Hello there'): Promise<string> {
  const turn = await startedTurn(s, { threadId, prompt });
  await waitFor(async () => (await threadState(s, threadId)).status === 'IDLE', 5000, 'the turn to finish');
  return turn.id;
}

/** A value no other test uses (threads are scoped by taskId so that tests do not see each other's threads). */
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** updatedAt has millisecond resolution: a pause keeps "newest first" unambiguous. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

const ids = (c: Connection) => c.edges.map((e) => e.node.id);

/** Server-wide facts that a rejected request must leave alone. */
async function storeSnapshot(s: SdkServer) {
  return { threads: await threadCount(s, { archived: 'INCLUDE_ARCHIVED' }), latestSeq: await latestSeq(s) };
}

/** Resolves once the server has opened an event stream (so a mutation made afterwards is delivered live). */
function nextEventStreamOpened(s: TestServer): Promise<void> {
  const runtime = s.runtime;
  const original = runtime.events;
  return new Promise((resolve) => {
    runtime.events = function (this: typeof runtime, ...args: Parameters<typeof original>) {
      runtime.events = original;
      const stream = original.apply(this, args);
      resolve();
      return stream;
    };
  });
}

// ---------------------------------------------------------------------------------------------------------

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('createThread', () => {
  it('with `input: {}` gets the server defaults', async () => {
    const thread = await createThread(server);
    expect(thread.id).toMatch(/^thr_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(thread).toMatchObject({
      title: null,
      model: 'deepseek-chat',
      mode: 'agent',
      workspace: server.workspace,
      allowShell: false,
      trustMode: false,
      autoApprove: false,
      archived: false,
      systemPrompt: null,
      taskId: null,
      taskType: 'CODE',
      status: 'IDLE',
      scratchpadRunId: null,
      scratchpadRunHistory: [],
    });
    // thread.started was logged with the thread.
    expect(thread.latestSeq).toBeGreaterThan(0);
    expect(thread.createdAt).toBe(thread.updatedAt);
    expect(new Date(thread.createdAt).toISOString()).toBe(thread.createdAt);
  });

  it('with every field set', async () => {
    const workspace = path.join(server.workspace, 'every-field');
    await mkdir(workspace);
    const input = {
      title: 'Release notes',
      model: 'deepseek-reasoner',
      mode: 'plan',
      workspace,
      systemPrompt: 'Answer in haiku.',
      allowShell: true,
      trustMode: true,
      autoApprove: true,
      archived: true,
      taskId: 'task-42',
      taskType: 'CODE',
    } as const;
    const thread = await createThread(server, input);
    expect(thread).toMatchObject({ ...input, status: 'IDLE' });
  });

  it('with `taskType: OFFICE` (and AUTO means CODE)', async () => {
    expect((await createThread(server, { taskType: 'OFFICE' })).taskType).toBe('OFFICE');
    expect((await createThread(server, { taskType: 'AUTO' })).taskType).toBe('CODE');
  });

  it('resolves a relative workspace against the default workspace', async () => {
    await mkdir(path.join(server.workspace, 'relative-sub', 'deeper'), { recursive: true });
    expect((await createThread(server, { workspace: 'relative-sub' })).workspace).toBe(path.join(server.workspace, 'relative-sub'));
    expect((await createThread(server, { workspace: './relative-sub/deeper/' })).workspace).toBe(
      path.join(server.workspace, 'relative-sub', 'deeper'),
    );
  });

  it('answers WORKSPACE_INVALID for a missing path and for a file, and stores nothing', async () => {
    const file = path.join(server.workspace, 'not-a-dir.txt');
    await writeFile(file, 'hello');
    const before = await storeSnapshot(server);

    for (const [workspace, resolved] of [
      ['does-not-exist', path.join(server.workspace, 'does-not-exist')],
      ['/definitely/not/here', '/definitely/not/here'],
      [file, file],
    ]) {
      const result = await mutate(server, CreateThreadDocument, { workspace });
      expect(result).toMatchObject({ __typename: 'WorkspaceInvalidError', code: 'WORKSPACE_INVALID', path: resolved });
      expect(narrow(result, 'WorkspaceInvalidError').message).toContain(resolved);
    }
    expect(await storeSnapshot(server)).toEqual(before);
  });
});

describe('updateThread', () => {
  it('changes each field', async () => {
    const thread = await createThread(server);
    const workspace = path.join(server.workspace, 'update-target');
    await mkdir(workspace);
    const changes: Record<string, unknown> = {
      title: 'Renamed',
      model: 'deepseek-reasoner',
      mode: 'plan',
      workspace,
      systemPrompt: 'Be brief.',
      allowShell: true,
      trustMode: true,
      autoApprove: true,
      scratchpadRunId: 'run-1',
    };
    for (const [field, value] of Object.entries(changes)) {
      const result = await updateThread(server, { threadId: thread.id, [field]: value });
      expect(result.__typename, JSON.stringify(result)).toBe('UpdateThreadPayload');
      expect((narrow(result, 'UpdateThreadPayload').thread as Record<string, unknown>)[field]).toEqual(value);
    }
    const final = await threadState(server, thread.id);
    expect(final).toMatchObject(changes);
    expect(final.updatedAt > thread.updatedAt).toBe(true);
    expect(final.latestSeq).toBeGreaterThan(thread.latestSeq);
  });

  it('clears title and systemPrompt with an empty string', async () => {
    const thread = await createThread(server, { title: 'Temporary', systemPrompt: 'Temporary prompt' });
    expect(await updated(server, { threadId: thread.id, title: '', systemPrompt: '' })).toMatchObject({ title: null, systemPrompt: null });
  });

  it('pushes the previous scratchpadRunId into scratchpadRunHistory', async () => {
    const thread = await createThread(server);
    await updateThread(server, { threadId: thread.id, scratchpadRunId: 'run-a' });
    expect(await updated(server, { threadId: thread.id, scratchpadRunId: 'run-b' })).toMatchObject({
      scratchpadRunId: 'run-b',
      scratchpadRunHistory: ['run-a'],
    });
    expect(await updated(server, { threadId: thread.id, scratchpadRunId: '' })).toMatchObject({
      scratchpadRunId: null,
      scratchpadRunHistory: ['run-a', 'run-b'],
    });
  });

  it('answers VALIDATION for an input with only `id`', async () => {
    const thread = await createThread(server);
    const before = await storeSnapshot(server);
    expect(await updateThread(server, { threadId: thread.id })).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    expect(await storeSnapshot(server)).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown id and VALIDATION for a malformed one', async () => {
    expect(await updateThread(server, { threadId: UNKNOWN.thread, title: 'x' })).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      kind: 'thread',
      missingId: UNKNOWN.thread,
    });
    for (const id of [UNKNOWN.turn, 'abc', '', 'thr_not-a-ulid']) {
      expect(await updateThread(server, { threadId: id, title: 'x' }), id).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    }
  });

  it('archives: the thread leaves the default list and shows in ARCHIVED_ONLY and INCLUDE_ARCHIVED', async () => {
    const taskId = unique('archive');
    const thread = await createThread(server, { taskId });
    const listed = async (archived?: ArchivedFilter) => ids(await listThreads(server, { filter: { taskId, ...(archived ? { archived } : {}) } }));

    expect(await listed()).toEqual([thread.id]);
    expect((await updated(server, { threadId: thread.id, archived: true })).archived).toBe(true);
    expect(await listed()).toEqual([]);
    expect(await listed('ACTIVE_ONLY')).toEqual([]);
    expect(await listed('ARCHIVED_ONLY')).toEqual([thread.id]);
    expect(await listed('INCLUDE_ARCHIVED')).toEqual([thread.id]);

    await updateThread(server, { threadId: thread.id, archived: false });
    expect(await listed()).toEqual([thread.id]);
    expect(await listed('ARCHIVED_ONLY')).toEqual([]);
  });
});

describe('deleteThread', () => {
  it('removes the thread with its turns, items and replay events', async () => {
    const thread = await createThread(server);
    const turnId = await runTurn(server, thread.id);
    const itemIds = (await turnState(server, turnId)).items.nodes.map((i) => i.id);
    expect(itemIds).toHaveLength(2);

    expect(await deleteThread(server, thread.id)).toEqual({ __typename: 'DeleteThreadPayload', deletedThreadId: thread.id });

    const request = server.sdk.request;
    const itemId = defined(itemIds[1], 'the agent message');
    const after = {
      thread: (await request(ThreadDocument, { id: thread.id })).thread,
      node: (await request(NodeDocument, { id: thread.id })).node,
      turn: (await request(TurnDocument, { id: turnId })).turn,
      turnNode: (await request(NodeDocument, { id: turnId })).node,
      item: (await request(ItemDocument, { id: itemId })).item,
      itemNode: (await request(NodeDocument, { id: itemId })).node,
      events: (await request(EventsDocument, { threadId: thread.id })).events,
    };
    expect(after).toEqual({ thread: null, node: null, turn: null, turnNode: null, item: null, itemNode: null, events: [] });
  });

  it('answers NOT_FOUND the second time, VALIDATION for a malformed id', async () => {
    const thread = await createThread(server);
    expect((await deleteThread(server, thread.id)).__typename).toBe('DeleteThreadPayload');
    expect(await deleteThread(server, thread.id)).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await deleteThread(server, 'abc')).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
  });
});

describe('threads listing', () => {
  it('lists newest updatedAt first; an update moves a thread to the front', async () => {
    const taskId = unique('order');
    const created = [];
    for (let i = 0; i < 4; i++) {
      created.push((await createThread(server, { taskId, title: `t${i}` })).id);
      await tick();
    }
    const list = async () => ids(await listThreads(server, { filter: { taskId } }));
    expect(await list()).toEqual([...created].reverse());

    await updateThread(server, { threadId: defined(created[1], 'the second thread'), title: 'touched' });
    expect(await list()).toEqual([created[1], created[3], created[2], created[0]]);
  });

  it('searches titles and prompts, case-insensitively', async () => {
    const word = unique('Quokka');
    const byTitle = await createThread(server, { title: `Notes about ${word.toUpperCase()} habitats` });
    const byPrompt = await createThread(server, { title: 'Something else' });
    await runTurn(server, byPrompt.id, `Tell me everything about the ${word} please`);
    await createThread(server, { title: 'Unrelated' });

    const found = await listThreads(server, { filter: { search: word.toLowerCase() } });
    expect(new Set(ids(found))).toEqual(new Set([byTitle.id, byPrompt.id]));
    expect(found.totalCount).toBe(2);
    // The prompt turn updated its thread last, so it comes first.
    expect(ids(found)).toEqual([byPrompt.id, byTitle.id]);

    const none = await listThreads(server, { filter: { search: unique('nothing-matches') } });
    expect(none).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('filters by taskId, with a totalCount per filter', async () => {
    const [taskA, taskB] = [unique('task-a'), unique('task-b')];
    const a1 = await createThread(server, { taskId: taskA });
    const a2 = await createThread(server, { taskId: taskA });
    const a3 = await createThread(server, { taskId: taskA, archived: true });
    const b1 = await createThread(server, { taskId: taskB });

    const count = async (filter: ThreadFilter) => (await listThreads(server, { first: 1, filter })).totalCount;
    expect(new Set(ids(await listThreads(server, { filter: { taskId: taskA } })))).toEqual(new Set([a1.id, a2.id]));
    expect(await count({ taskId: taskA })).toBe(2);
    expect(await count({ taskId: taskA, archived: 'ARCHIVED_ONLY' })).toBe(1);
    expect(await count({ taskId: taskA, archived: 'INCLUDE_ARCHIVED' })).toBe(3);
    expect(await count({ taskId: taskB })).toBe(1);
    expect(ids(await listThreads(server, { filter: { taskId: taskB } }))).toEqual([b1.id]);
    expect(await count({ taskId: unique('no-such-task') })).toBe(0);
    expect(a3.archived).toBe(true);

    // Without filters totalCount counts every active thread (first: 1 does not limit it).
    const all = await storeSnapshot(server);
    expect(await count({ archived: 'INCLUDE_ARCHIVED' })).toBe(all.threads);
  });

  it('refuses a taskId, scratchpadRunId or metadata string with an unpaired surrogate (no UTF-8 form to index), and writes nothing', async () => {
    const lone = 'task-\udfff';
    const thread = await createThread(server, { taskId: unique('paired-\u{1F600}') });
    const before = await storeSnapshot(server);
    const refused = [
      await mutate(server, CreateThreadDocument, { taskId: lone }),
      await mutate(server, CreateThreadDocument, { metadata: { team: lone } }),
      await updateThread(server, { threadId: thread.id, scratchpadRunId: lone }),
      await updateThread(server, { threadId: thread.id, metadata: { team: lone } }),
    ];
    for (const result of refused) {
      expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', message: expect.stringMatching(/unpaired surrogate/) });
    }
    expect(await storeSnapshot(server)).toEqual(before);
  });
});

describe('Relay pagination', () => {
  interface Case {
    name: string;
    /** The connection under test and the ids it must list, in order. */
    setup(): Promise<{ page: (args: PageArgs) => Promise<Connection>; expected: string[]; pageSize: number; extremes: [string, string, string] }>;
  }

  const cases: Case[] = [
    {
      name: 'threads (newest first)',
      async setup() {
        const taskId = unique('paging');
        const created: string[] = [];
        for (let i = 0; i < 7; i++) {
          created.push((await createThread(server, { taskId })).id);
          await tick();
        }
        const page = (args: PageArgs) => listThreads(server, { ...args, filter: { taskId } });
        return { page, expected: created.reverse(), pageSize: 2, extremes: [`0000000000000!thr_${LOW}`, `9999999999999!thr_${HIGH}`, `turn_${LOW}`] };
      },
    },
    {
      name: 'thread.turns (oldest first)',
      async setup() {
        const thread = await createThread(server);
        const turns: string[] = [];
        for (let i = 0; i < 5; i++) turns.push(await runTurn(server, thread.id, `prompt ${i}`));
        const page = async (args: PageArgs) =>
          defined((await server.sdk.request(ThreadTurnsDocument, { id: thread.id, ...args, itemsFirst: 1 })).thread ?? undefined, 'the thread').turns;
        return { page, expected: turns, pageSize: 2, extremes: [`turn_${LOW}`, `turn_${HIGH}`, `item_${LOW}`] };
      },
    },
    {
      name: 'turn.items (in order of creation)',
      async setup() {
        const thread = await createThread(server);
        const turnId = await runTurn(server, thread.id, 'items please');
        const page = async (args: PageArgs) =>
          defined((await server.sdk.request(TurnItemsDocument, { id: turnId, ...args })).turn ?? undefined, 'the turn').items;
        const all = await page({});
        expect(all.edges.map((e) => narrow(e.node, e.node.__typename).__typename)).toEqual(['UserMessageItem', 'AgentMessageItem']);
        return { page, expected: ids(all), pageSize: 1, extremes: [`item_${LOW}`, `item_${HIGH}`, `thr_${LOW}`] };
      },
    },
  ];

  // Well-formed cursors before and after every real one (the smallest and largest ULIDs).
  const LOW = '0'.repeat(26);
  const HIGH = '7' + 'Z'.repeat(25);

  describe.each(cases)('$name', ({ setup }) => {
    let page: (args: PageArgs) => Promise<Connection>;
    let expected: string[];
    let size: number;
    let firstCursor: string;
    let lastCursor: string;
    let foreignCursor: string;

    beforeAll(async () => {
      const c = await setup();
      [firstCursor, lastCursor, foreignCursor] = c.extremes;
      page = c.page;
      expected = c.expected;
      size = c.pageSize;
    });

    it('lists everything in one page, with totalCount', async () => {
      const all = await page({ first: 500 });
      expect(ids(all)).toEqual(expected);
      expect(all.totalCount).toBe(expected.length);
      expect(all.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: all.edges[0]?.cursor,
        endCursor: all.edges[all.edges.length - 1]?.cursor,
      });
    });

    it('walks forward with first/after and backward with last/before to the same list', async () => {
      const forward: string[] = [];
      let after: string | undefined;
      for (let n = 0; ; n++) {
        const p = await page({ first: size, after });
        expect(p.edges.length).toBeLessThanOrEqual(size);
        expect(p.pageInfo.hasPreviousPage).toBe(n > 0);
        expect(p.totalCount).toBe(expected.length);
        forward.push(...ids(p));
        if (!p.pageInfo.hasNextPage) break;
        expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1]?.cursor);
        after = p.pageInfo.endCursor!;
      }
      expect(forward).toEqual(expected);

      const backward: string[] = [];
      let before: string | undefined;
      for (let n = 0; ; n++) {
        const p = await page({ last: size, before });
        expect(p.edges.length).toBeLessThanOrEqual(size);
        expect(p.pageInfo.hasNextPage).toBe(n > 0);
        backward.unshift(...ids(p));
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor!;
      }
      expect(backward).toEqual(expected);
    });

    it('gives an empty page after the last cursor and before the first', async () => {
      const all = await page({ first: 500 });
      const afterLast = await page({ first: 10, after: all.pageInfo.endCursor! });
      expect(afterLast.edges).toEqual([]);
      expect(afterLast.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });

      const beforeFirst = await page({ last: 10, before: all.pageInfo.startCursor! });
      expect(beforeFirst.edges).toEqual([]);
      expect(beforeFirst.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    });

    it('gives an empty page for `first: 0` (totalCount unchanged)', async () => {
      const zero = await page({ first: 0 });
      expect(zero.edges).toEqual([]);
      expect(zero.totalCount).toBe(expected.length);
      expect((await page({ last: 0 })).edges).toEqual([]);
    });

    it('rejects more than 500 or a negative count with OUT_OF_RANGE', async () => {
      for (const args of [{ first: 501 }, { last: 501 }, { first: -1 }, { last: -5 }]) {
        expect((await graphqlError(page(args))).code, JSON.stringify(args)).toBe('OUT_OF_RANGE');
      }
      // 500 is allowed.
      expect((await page({ last: 500 })).edges).toHaveLength(expected.length);
    });

    it('refuses a cursor that is not of this connection with VALIDATION', async () => {
      for (const cursor of ['bogus', 'zzzz', '~', '0', '!', '\u00e9t\u00e9', 'x'.repeat(201), foreignCursor]) {
        for (const args of [
          { first: 3, after: cursor },
          { last: 3, before: cursor },
        ]) {
          expect((await graphqlError(page(args))).code, JSON.stringify(args)).toBe('VALIDATION');
        }
      }
    });

    it('gives an empty page for a well-formed cursor past every row', async () => {
      expect((await page({ first: 3, after: lastCursor })).edges).toEqual([]);
      expect((await page({ last: 3, before: firstCursor })).edges).toEqual([]);
    });
  });
});

describe('node and nodes', () => {
  let thread: Awaited<ReturnType<typeof createThread>>;
  let turnId: string;
  let itemIds: string[];

  beforeAll(async () => {
    thread = await createThread(server, { title: 'Node lookups' });
    turnId = await runTurn(server, thread.id, 'Who am I?');
    itemIds = (await turnState(server, turnId)).items.nodes.map((i) => i.id);
  });

  // Written out: one selection across every Node type (Relay's object identification) is the subject.
  const NODE = `query Node($id: ID!) {
    node(id: $id) {
      __typename id
      ... on Thread { title }
      ... on Turn { prompt turnStatus: status }
      ... on Item { kind itemStatus: status }
      ... on UserMessageItem { text }
      ... on AgentMessageItem { text }
    }
  }`;

  it('resolves each type with the right __typename', async () => {
    expect((await data(server, NODE, { id: thread.id })).node).toEqual({ __typename: 'Thread', id: thread.id, title: 'Node lookups' });
    expect((await data(server, NODE, { id: turnId })).node).toEqual({ __typename: 'Turn', id: turnId, prompt: 'Who am I?', turnStatus: 'COMPLETED' });

    const user = (await data(server, NODE, { id: itemIds[0] })).node;
    expect(user).toEqual({ __typename: 'UserMessageItem', id: itemIds[0], kind: 'USER_MESSAGE', itemStatus: 'COMPLETED', text: 'Who am I?' });
    const agent = (await data(server, NODE, { id: itemIds[1] })).node;
    expect(agent).toMatchObject({ __typename: 'AgentMessageItem', id: itemIds[1], kind: 'AGENT_MESSAGE', itemStatus: 'COMPLETED' });
    expect(agent.text).toContain('Who am I?');
  });

  it('answers null (not an error) for unknown well-formed ids and for garbage', async () => {
    const garbage = ['abc', '', 'thr_', 'thr_not-a-ulid', 'xyz_01ARZ3NDEKTSV4RRFFQ69G5FAV', '_', '\u0000', 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV_x'];
    for (const id of [...Object.values(UNKNOWN), ...garbage]) {
      expect(await server.sdk.request(NodeDocument, { id }), JSON.stringify(id)).toEqual({ node: null });
    }
  });

  it('answers nodes in the order asked, null where unknown', async () => {
    const asked = [itemIds[1], 'garbage', thread.id, UNKNOWN.thread, turnId, itemIds[0], thread.id];
    const { nodes } = await server.sdk.request(NodesDocument, { ids: asked.map((id) => defined(id, 'an id')) });
    expect(nodes).toEqual([
      { __typename: 'AgentMessageItem', id: itemIds[1] },
      null,
      { __typename: 'Thread', id: thread.id },
      null,
      { __typename: 'Turn', id: turnId },
      { __typename: 'UserMessageItem', id: itemIds[0] },
      { __typename: 'Thread', id: thread.id },
    ]);
    expect((await server.sdk.request(NodesDocument, { ids: [] })).nodes).toEqual([]);
  });

  it('rejects more than 500 ids with OUT_OF_RANGE', async () => {
    const error = await graphqlError(server.sdk.request(NodesDocument, { ids: Array<string>(501).fill(thread.id) }));
    expect(error.code).toBe('OUT_OF_RANGE');
  });

  it('thread/turn/item(id:) answer null for an id of another type', async () => {
    const request = server.sdk.request;
    const item = defined(itemIds[0], 'the user message');
    const d = [
      (await request(ThreadDocument, { id: turnId })).thread,
      (await request(ThreadDocument, { id: item })).thread,
      (await request(TurnDocument, { id: thread.id })).turn,
      (await request(TurnDocument, { id: item })).turn,
      (await request(ItemDocument, { id: thread.id })).item,
      (await request(ItemDocument, { id: turnId })).item,
    ];
    expect(d).toEqual([null, null, null, null, null, null]);
  });

  it('runtimeInfo names the offline engine; latestSeq is the newest event seq', async () => {
    // Nothing else writes meanwhile, so the last event of this turn is the newest of all.
    await runTurn(server, thread.id, 'one more');
    const { runtimeInfo } = await server.sdk.request(RuntimeInfoDocument);
    const { events } = await server.sdk.request(EventsDocument, { threadId: thread.id });
    expect(runtimeInfo).toMatchObject({ engine: 'offline', defaultModel: 'deepseek-chat', activeThreads: 0, maxActiveThreads: 8 });
    expect(runtimeInfo.latestSeq).toBe(Math.max(...events.map((e) => e.seq)));
    expect(events.at(-1)?.name).toBe('turn.completed');
    expect(runtimeInfo.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(runtimeInfo.schemaVersion).toBeGreaterThan(0);
    expect(runtimeInfo.eventSchemaVersion).toBeGreaterThan(0);
  });
});

describe('runtimeEvents over graphql-ws', () => {
  it('streams thread.started, thread.updated and thread.deleted of mutations made over HTTP', async () => {
    const client = server.ws();
    let threadId = '';
    const opened = nextEventStreamOpened(server);
    const sub = subscribe(
      client,
      RuntimeEventsDocument,
      {},
      (v) => v.runtimeEvents.name === 'thread.deleted' && v.runtimeEvents.threadId === threadId,
    );
    await opened;

    const thread = await createThread(server, { title: 'Watched' });
    threadId = thread.id;
    await updateThread(server, { threadId: thread.id, title: 'Watched closely' });
    await deleteThread(server, thread.id);

    const events = (await sub.done).map((v) => v.runtimeEvents);
    const mine = events.filter((e) => e.threadId === thread.id);
    expect(mine.map((e) => e.name)).toEqual(['thread.started', 'thread.updated', 'thread.deleted']);
    expect(mine[0]).toMatchObject({
      turnId: null,
      itemId: null,
      payload: { title: 'Watched', model: 'deepseek-chat', taskType: 'CODE', archived: false },
    });
    expect(mine[1]?.payload).toEqual({ changed: ['title'], title: 'Watched closely' });
    // The deletion announces itself without the thread's content.
    expect(mine[2]?.payload).toEqual({ reason: 'DELETED', purgedEvents: 2 });
    // Live events are gapless and ascending.
    events.forEach((e, i) => i > 0 && expect(e.seq).toBe(defined(events[i - 1], 'the previous event').seq + 1));
    expect(mine[2]?.seq).toBe((await storeSnapshot(server)).latestSeq);
  });

  it('replays from `sinceSeq: 0` in order, with consecutive seqs', async () => {
    const thread = await createThread(server);
    await updateThread(server, { threadId: thread.id, archived: true });
    await deleteThread(server, thread.id);
    const { latestSeq } = await storeSnapshot(server);

    const sub = subscribe(server.ws(), RuntimeEventsDocument, { sinceSeq: 0 }, (v) => v.runtimeEvents.seq === latestSeq);
    const events = (await sub.done).map((v) => v.runtimeEvents);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: latestSeq }, (_, i) => i + 1));
    // The deleted thread's events are content-free tombstones in the replay, seq kept.
    expect(events.filter((e) => e.threadId === thread.id).map((e) => e.name)).toEqual([
      'event.purged',
      'event.purged',
      'event.purged',
      'thread.deleted',
    ]);
    expect(events.find((e) => e.name === 'event.purged')).toMatchObject({ turnId: null, itemId: null, payload: { reason: 'DELETED' } });

    // A replay from a later seq starts right after it.
    const tail = subscribe(server.ws(), RuntimeEventsDocument, { sinceSeq: latestSeq - 2 }, (v) => v.runtimeEvents.seq === latestSeq);
    expect((await tail.done).map((v) => v.runtimeEvents.seq)).toEqual([latestSeq - 1, latestSeq]);
  });
});

describe('restart', () => {
  it('serves the same thread, turns, items and events from the same data directory, on a released port', async () => {
    const first = await startTestServer();
    let second: TestServer | undefined;
    try {
      const thread = await createThread(first, { title: 'Survives restarts', taskId: 'restart' });
      await runTurn(first, thread.id, 'Remember me');
      const snapshot = async (s: SdkServer) => ({
        thread: await threadState(s, thread.id),
        turns: defined((await s.sdk.request(ThreadTurnsDocument, { id: thread.id, first: 20, itemsFirst: 100 })).thread ?? undefined, 'the thread')
          .turns,
        events: (await s.sdk.request(EventsDocument, { threadId: thread.id })).events,
        threads: await listThreads(s, { filter: { taskId: 'restart' } }),
        latestSeq: await latestSeq(s),
      });
      const before = await snapshot(first);
      const oldPort = first.port;

      second = await first.restart();
      const after = await snapshot(second);
      expect(after).toEqual(before);
      expect(after.turns.edges[0]?.node.items.totalCount).toBe(2);

      // The old port is free again (unless the new server happened to get it, which proves the same).
      if (second.port !== oldPort) {
        const probe = net.createServer();
        await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(oldPort, '127.0.0.1', resolve));
        await new Promise((resolve) => probe.close(resolve));
      }
      // New events continue the old seq.
      const more = await createThread(second);
      expect(more.latestSeq).toBe(before.latestSeq + 1);
    } finally {
      await (second ?? first).close();
    }
  });
});
