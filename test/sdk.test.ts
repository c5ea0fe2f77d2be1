/**
 * The generated typed SDK (sdk/generated, GraphQL Code Generator client preset) against a real server:
 * documents are sent with `print(doc)` over fetch / graphql-ws, and results are typed from the documents.
 */
import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import {
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  print,
  validate,
  type GraphQLInputObjectType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as sdk from '../sdk/generated/graphql.js';
import {
  CreateThreadDocument,
  DeleteThreadDocument,
  EventsDocument,
  NodesDocument,
  StartTurnDocument,
  ThreadDocument,
  ThreadsDocument,
  TurnDocument,
  TurnEventsDocument,
  UpdateThreadDocument,
} from '../sdk/generated/graphql.js';
import { schema } from '../src/schema/index.js';
import { startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { defined } from '../src/domain/defined.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** A typed client in a few lines: the document fixes both the variables and the result type. */
async function execute<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: TResult; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  expect(res.status).toBe(200);
  return body.data!;
}

/** Narrows a result union by `__typename` (fails the test otherwise). */
function expectTypename<T extends { __typename: string }, N extends T['__typename']>(
  value: T,
  typename: N,
): asserts value is Extract<T, { __typename: N }> {
  expect(value.__typename, JSON.stringify(value)).toBe(typename);
}

type CreateThreadResult = ResultOf<typeof CreateThreadDocument>['createThread'];
type Thread = Extract<CreateThreadResult, { __typename: 'CreateThreadPayload' }>['thread'];

async function newThread(input: VariablesOf<typeof CreateThreadDocument>['input'] = {}): Promise<Thread> {
  const { createThread } = await execute(CreateThreadDocument, { input });
  expectTypename(createThread, 'CreateThreadPayload');
  return createThread.thread;
}

describe('typed SDK documents', () => {
  it('every generated document is valid against the live schema', () => {
    const documents = Object.entries(sdk).filter(([name]) => name.endsWith('Document'));
    expect(documents.length).toBeGreaterThanOrEqual(20);
    for (const [name, document] of documents) {
      expect(
        validate(schema, document as TypedDocumentNode).map((e) => e.message),
        name,
      ).toEqual([]);
    }
  });

  it('names ids so normalized caches stay correct: `id` only on Node types, `<kind>Id` in every input', () => {
    const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
    const node = schema.getType('Node') as GraphQLInterfaceType;
    // Apollo, Relay and urql's graphcache key records by `id`: an error (or any non-Node type) carrying one
    // would be merged into the cached record with that id.
    const idWithoutIdentity = types
      .filter((t): t is GraphQLObjectType | GraphQLInterfaceType => isObjectType(t) || isInterfaceType(t))
      .filter((t) => t !== node && 'id' in t.getFields() && !t.getInterfaces().includes(node))
      .map((t) => t.name);
    expect(idWithoutIdentity).toEqual([]);
    const bareIdInputs = types.filter((t): t is GraphQLInputObjectType => isInputObjectType(t) && 'id' in t.getFields()).map((t) => t.name);
    expect(bareIdInputs).toEqual([]);
    expect(Object.keys((schema.getType('NotFoundError') as GraphQLObjectType).getFields())).toContain('missingId');
  });

  it('types results from the documents', () => {
    expectTypeOf<CreateThreadResult['__typename']>().toEqualTypeOf<
      'CreateThreadPayload' | 'ValidationError' | 'WorkspaceInvalidError' | 'ConflictError'
    >();
    expectTypeOf<Thread['taskType']>().toEqualTypeOf<'CODE' | 'OFFICE'>();
    expectTypeOf<ResultOf<typeof EventsDocument>['events'][number]['seq']>().toEqualTypeOf<number>();
    expectTypeOf<VariablesOf<typeof StartTurnDocument>['input']['prompt']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<ResultOf<typeof ThreadDocument>['thread']>['latestTurn']>().toMatchTypeOf<{ id: string } | null>();
  });

  it('CreateThread → StartTurn → Thread → Turn → Events', async () => {
    const thread = await newThread({ title: 'SDK thread', taskId: 'sdk', taskType: 'OFFICE' });
    expect(thread).toMatchObject({
      title: 'SDK thread',
      taskId: 'sdk',
      taskType: 'OFFICE',
      model: 'deepseek-chat',
      status: 'IDLE',
      forkedFrom: null,
    });

    const { startTurn } = await execute(StartTurnDocument, { input: { threadId: thread.id, prompt: 'Hello from the SDK', inputSummary: 'hello' } });
    expectTypename(startTurn, 'StartTurnPayload');
    expect(startTurn.queued).toBeNull();
    expect(startTurn.turn).toMatchObject({
      prompt: 'Hello from the SDK',
      inputSummary: 'hello',
      purpose: 'PROMPT',
      status: 'IN_PROGRESS',
      endedAt: null,
    });

    const finished = await waitFor(async () => {
      const { thread: t } = await execute(ThreadDocument, { id: thread.id });
      return t?.status === 'IDLE' ? t : null;
    });
    expect(finished.activeTurn).toBeNull();
    expect(finished.queuedTurns).toEqual([]);
    expect(finished.latestTurn).toMatchObject({ id: startTurn.turn.id, status: 'COMPLETED', error: null });
    expect(finished.latestTurn!.durationMs).toBeGreaterThanOrEqual(0);
    expect(finished.latestTurn!.usage!.outputTokens).toBeGreaterThan(0);
    expect(finished.usage.turns).toBe(1);
    expect(finished.usage.outputTokens).toBe(finished.latestTurn!.usage!.outputTokens);

    const { turn } = await execute(TurnDocument, { id: startTurn.turn.id });
    expect(turn!.thread.id).toBe(thread.id);
    expect(turn!.items.totalCount).toBe(2);
    // ItemFields selects no __typename: narrow the item union by the fields it has.
    const [user, agent] = turn!.items.nodes;
    expect([user?.kind, agent?.kind]).toEqual(['USER_MESSAGE', 'AGENT_MESSAGE']);
    if (!user || !agent || !('text' in user) || !('text' in agent)) throw new Error('message items have text');
    expect(user.text).toBe('Hello from the SDK');
    expect(agent.text).toContain('"Hello from the SDK"');
    expect(agent.status).toBe('COMPLETED');

    const { events } = await execute(EventsDocument, { threadId: thread.id });
    expect(events[0]).toMatchObject({ name: 'thread.started', threadId: thread.id, turnId: null });
    expect(events.at(-1)).toMatchObject({ name: 'turn.completed', turnId: startTurn.turn.id, payload: { status: 'COMPLETED' } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => defined(events[0], 'the first event').seq + i));
    expect(events.at(-1)!.seq).toBe(finished.latestSeq);
    // Item deltas reassemble the agent's text.
    const deltas = events.filter((e) => e.name === 'item.delta' && e.itemId === agent.id).map((e) => (e.payload as { delta: string }).delta);
    expect(deltas.join('')).toBe(agent.text);

    const { events: tail } = await execute(EventsDocument, { threadId: thread.id, sinceSeq: events.at(-3)!.seq, limit: 1 });
    expect(tail).toEqual([events.at(-2)]);
  });

  it('returns typed errors as union members', async () => {
    const { createThread } = await execute(CreateThreadDocument, { input: { workspace: '/no/such/dir' } });
    expectTypename(createThread, 'WorkspaceInvalidError');
    expect(createThread.code).toBe('WORKSPACE_INVALID');

    const { startTurn } = await execute(StartTurnDocument, { input: { threadId: 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV', prompt: 'hi' } });
    expectTypename(startTurn, 'NotFoundError');
    expect(startTurn.code).toBe('NOT_FOUND');

    const archived = await newThread({ archived: true });
    const { startTurn: refused } = await execute(StartTurnDocument, { input: { threadId: archived.id, prompt: 'hi' } });
    expectTypename(refused, 'ThreadArchivedError');
    expect(refused.code).toBe('THREAD_ARCHIVED');
  });

  it('UpdateThread, Threads, Nodes and DeleteThread', async () => {
    const thread = await newThread({ taskId: 'sdk-list' });
    const { updateThread } = await execute(UpdateThreadDocument, { input: { threadId: thread.id, title: 'Renamed by SDK' } });
    expectTypename(updateThread, 'UpdateThreadPayload');
    expect(updateThread.thread.title).toBe('Renamed by SDK');

    const { threads } = await execute(ThreadsDocument, { first: 10, filter: { taskId: 'sdk-list' } });
    expect(threads.totalCount).toBe(1);
    expect(threads.edges[0]?.node).toMatchObject({ id: thread.id, title: 'Renamed by SDK' });
    expect(threads.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false, startCursor: threads.edges[0]?.cursor });

    const { nodes } = await execute(NodesDocument, { ids: [thread.id, 'nope'] });
    expect(nodes).toEqual([{ __typename: 'Thread', id: thread.id }, null]);

    const { deleteThread } = await execute(DeleteThreadDocument, { input: { threadId: thread.id } });
    expectTypename(deleteThread, 'DeleteThreadPayload');
    expect(deleteThread.deletedThreadId).toBe(thread.id);
    expect((await execute(ThreadDocument, { id: thread.id })).thread).toBeNull();
  });

  it('TurnEvents over graphql-ws follows a turn and completes when it ends', async () => {
    const thread = await newThread();
    const { startTurn } = await execute(StartTurnDocument, { input: { threadId: thread.id, prompt: 'Stream me' } });
    expectTypename(startTurn, 'StartTurnPayload');

    const sub = subscribe<ResultOf<typeof TurnEventsDocument>>(server.ws(), print(TurnEventsDocument), { turnId: startTurn.turn.id });
    const events = (await sub.done).map((v) => v.turnEvents);
    expect(events[0]?.name).toBe('turn.started');
    expect(events.at(-1)).toMatchObject({ name: 'turn.completed', payload: { status: 'COMPLETED' } });
    expect(events.every((e) => e.turnId === startTurn.turn.id)).toBe(true);
    for (const [i, e] of events.entries()) if (i > 0) expect(e.seq).toBeGreaterThan(defined(events[i - 1], 'the previous event').seq);
  });
});
