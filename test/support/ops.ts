import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CreateThreadDocument,
  EventsDocument,
  PendingApprovalsDocument,
  ResolveApprovalDocument,
  StartTurnDocument,
  ThreadDocument,
  ThreadTurnsDocument,
  ThreadsDocument,
  TurnDiffDocument,
  TurnDocument,
  type CreateThreadInput,
  type EventFieldsFragment,
  type ResolveApprovalInput,
  type ResolveApprovalMutation,
  type StartTurnInput,
  type StartTurnMutation,
  type ThreadFilter,
  type ThreadQuery,
  type TurnQuery,
} from '../../sdk/generated/graphql.js';
import { expectPayload, ZagensGraphQLError } from '../../sdk/client.js';
import type { EventName, EventPayloads } from '../../sdk/generated/events.js';
import type { TestServer } from './harness.js';
import { waitFor } from './harness.js';
import { isFinalStatus } from '../../src/domain/enums.js';

/** Small helpers for tests, in the words of the API, through the typed SDK (sdk/). */

/** Any server a test talks to through the SDK (in-process, spawned, flaky store). */
export type SdkServer = Pick<TestServer, 'sdk'>;

/**
 * Narrows a union (an item, a mutation result) by `__typename`; fails the test with what came instead. Stronger
 * than reading an optional field: `narrow(turn.items.nodes[1], 'AgentMessageItem').text`.
 */
export function narrow<T extends { __typename?: string }, N extends NonNullable<T['__typename']>>(
  value: T | null | undefined,
  typename: N,
): Extract<T, { __typename?: N }> {
  if (value?.__typename !== typename) throw new Error(`expected a ${typename}, got ${JSON.stringify(value)}`);
  return value as Extract<T, { __typename?: N }>;
}

/**
 * The named fields of a result, so a test compares exactly the fields it is about while the SDK's documents
 * select more: `expect(pick(turn, 'id', 'status')).toEqual({ id, status: 'QUEUED' })`.
 */
export function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

/** The `code` of a mutation result's typed error (`TURN_ACTIVE`, `NOT_FOUND`...), or undefined for the payload. */
export function codeOf(result: { __typename?: string } | null | undefined): string | undefined {
  const code = (result as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs one of the SDK's mutations with its `input`: the mutation's result union (payload or typed error),
 * `await mutate(server, ForkThreadDocument, { threadId })`.
 */
export async function mutate<TResult extends object, TInput>(
  server: SdkServer,
  document: TypedDocumentNode<TResult, { input: TInput }>,
  input: TInput,
): Promise<TResult[keyof TResult]> {
  const data = await server.sdk.request(document as TypedDocumentNode<TResult, { input: unknown }>, { input });
  const [result] = Object.values(data) as TResult[keyof TResult][];
  if (result === undefined) throw new Error(`no result in ${JSON.stringify(data)}`);
  return result;
}

/** The GraphQL error (`errors` in the response) an SDK request must fail with; fails the test if it succeeded. */
export async function graphqlError(request: Promise<unknown>): Promise<ZagensGraphQLError> {
  const outcome = await request.then(
    (data) => new Error(`expected a GraphQL error, got ${JSON.stringify(data)}`),
    (error: unknown) => error,
  );
  if (outcome instanceof ZagensGraphQLError) return outcome;
  throw outcome;
}

export async function createThread(server: SdkServer, input: CreateThreadInput = {}): Promise<string> {
  const { createThread } = await server.sdk.request(CreateThreadDocument, { input });
  return expectPayload(createThread, 'CreateThreadPayload').thread.id;
}

export type StartTurnResult = StartTurnMutation['startTurn'];

export async function startTurn(server: SdkServer, input: StartTurnInput): Promise<StartTurnResult> {
  return (await server.sdk.request(StartTurnDocument, { input })).startTurn;
}

/** startTurn that must be admitted (started or queued): the turn. */
export async function startedTurn(server: SdkServer, input: StartTurnInput) {
  return expectPayload(await startTurn(server, input), 'StartTurnPayload').turn;
}

export type TurnState = NonNullable<TurnQuery['turn']>;
export type TurnItem = TurnState['items']['nodes'][number];

export async function turnState(server: SdkServer, id: string): Promise<TurnState> {
  const { turn } = await server.sdk.request(TurnDocument, { id });
  if (!turn) throw new Error(`turn ${id} not found`);
  return turn;
}

export type ThreadState = NonNullable<ThreadQuery['thread']>;

export async function threadState(server: SdkServer, id: string): Promise<ThreadState> {
  const { thread } = await server.sdk.request(ThreadDocument, { id });
  if (!thread) throw new Error(`thread ${id} not found`);
  return thread;
}

/** How many threads the filter selects (default: the unarchived ones). */
export async function threadCount(server: SdkServer, filter?: ThreadFilter): Promise<number> {
  return (await server.sdk.request(ThreadsDocument, { first: 1, filter })).threads.totalCount;
}

/** How many turns a thread has. */
export async function turnCount(server: SdkServer, threadId: string): Promise<number> {
  const { thread } = await server.sdk.request(ThreadTurnsDocument, { id: threadId, first: 1, itemsFirst: 1 });
  if (!thread) throw new Error(`thread ${threadId} not found`);
  return thread.turns.totalCount;
}

export async function pendingApprovals(server: SdkServer, threadId?: string) {
  return (await server.sdk.request(PendingApprovalsDocument, { threadId })).pendingApprovals;
}

export type ResolveApprovalResult = ResolveApprovalMutation['resolveApproval'];

export async function resolveApproval(server: SdkServer, input: ResolveApprovalInput): Promise<ResolveApprovalResult> {
  return (await server.sdk.request(ResolveApprovalDocument, { input })).resolveApproval;
}

/** A turn's workspace diff and changed files (null: a turn without snapshots, or still running). */
export async function turnDiff(server: SdkServer, id: string) {
  const { turn } = await server.sdk.request(TurnDiffDocument, { id });
  if (!turn) throw new Error(`turn ${id} not found`);
  return { diff: turn.diff, changedFiles: turn.changedFiles };
}

export async function waitForTurnEnd(server: SdkServer, id: string, timeoutMs = 10_000): Promise<TurnState> {
  return waitFor(
    async () => {
      const t = await turnState(server, id);
      return isFinalStatus(t.status) ? t : null;
    },
    timeoutMs,
    `turn ${id} to end`,
  );
}

/** A stored event as the tests compare it: a union by `name`, so `if (e.name === 'turn.completed')` types `e.payload`. */
export type StoredEvent = {
  [N in EventName]: { seq: number; name: N; turnId?: string | null; itemId?: string | null; payload: EventPayloads[N] };
}[EventName];

/** The stored events of one name, payloads typed: `eventsNamed(events, 'item.delta').map((e) => e.payload.delta)`. */
export function eventsNamed<N extends EventName>(events: StoredEvent[], name: N): Extract<StoredEvent, { name: N }>[] {
  return events.filter((e): e is Extract<StoredEvent, { name: N }> => e.name === name);
}

/**
 * An event (stored or streamed: the SDK's EventFields) as the tests compare it, so that stored and streamed events
 * compare equal. The server's event table fixes each name's payload (EventPayloads); the JSON scalar cannot say so.
 */
export function storedEvent({ seq, name, turnId, itemId, payload }: EventFieldsFragment): StoredEvent {
  return { seq, name, turnId, itemId, payload } as StoredEvent;
}

export async function threadEvents(server: SdkServer, threadId: string, sinceSeq = 0): Promise<StoredEvent[]> {
  const { events } = await server.sdk.request(EventsDocument, { threadId, sinceSeq, limit: 5000 });
  return events.map(storedEvent);
}

/** The latest turn of a thread, with its items (fails the test if the thread has none). */
export async function latestTurn(server: SdkServer, threadId: string): Promise<TurnState> {
  const latest = (await threadState(server, threadId)).latestTurn;
  if (!latest) throw new Error(`thread ${threadId} has no turn`);
  return turnState(server, latest.id);
}

/** The first agent message of a turn (fails the test if there is none). */
export function agentMessage(turn: TurnState) {
  return narrow(
    turn.items.nodes.find((item) => item.kind === 'AGENT_MESSAGE'),
    'AgentMessageItem',
  );
}
