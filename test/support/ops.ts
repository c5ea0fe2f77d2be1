import type { TestServer } from './harness.js';
import { waitFor } from './harness.js';
import { isFinalStatus } from '../../src/domain/enums.js';

/** Small GraphQL helpers for tests, in the words of the API. */

export async function createThread(server: TestServer, input: Record<string, unknown> = {}): Promise<string> {
  const r = await server.gql(
    `mutation($input: CreateThreadInput!) { createThread(input: $input) { __typename ... on CreateThreadPayload { thread { id } } ... on UserError { code message } } }`,
    { input },
  );
  const result = r.data?.createThread;
  if (result?.__typename !== 'CreateThreadPayload') throw new Error(`createThread failed: ${JSON.stringify(r)}`);
  return result.thread.id;
}

export const START_TURN = `mutation($input: StartTurnInput!) {
  startTurn(input: $input) {
    __typename
    ... on StartTurnPayload { turn { id status model } queued { position } }
    ... on UserError { code message }
  }
}`;

export async function startTurn(server: TestServer, input: Record<string, unknown>) {
  const r = await server.gql(START_TURN, { input });
  if (!r.data) throw new Error(JSON.stringify(r));
  return r.data.startTurn as {
    __typename: string;
    turn?: { id: string; status: string; model: string };
    queued?: { position: number } | null;
    code?: string;
    message?: string;
  };
}

export async function turnState(server: TestServer, id: string) {
  const r = await server.gql(
    `query($id: ID!) { turn(id: $id) { id status error steerCount durationMs endedAt costUsd usage { inputTokens outputTokens cachedTokens missTokens reasoningTokens }
      items(first: 500) { totalCount nodes { __typename id kind status summary
        ... on UserMessageItem { text } ... on AgentMessageItem { text reasoning }
        ... on ToolCallItem { toolName arguments output } ... on CommandExecutionItem { command exitCode output }
        ... on FileChangeItem { path changeKind diff } ... on ContextCompactionItem { reason text }
        ... on StatusItem { message } } } } }`,
    { id },
  );
  if (!r.data?.turn) throw new Error(`turn ${id}: ${JSON.stringify(r)}`);
  return r.data.turn;
}

export async function waitForTurnEnd(server: TestServer, id: string, timeoutMs = 10_000) {
  return waitFor(
    async () => {
      const t = await turnState(server, id);
      return isFinalStatus(t.status) ? t : null;
    },
    timeoutMs,
    `turn ${id} to end`,
  );
}

export async function threadEvents(server: TestServer, threadId: string, sinceSeq = 0) {
  const r = await server.gql(`query($t: ID!, $s: SafeInt) { events(threadId: $t, sinceSeq: $s, limit: 5000) { seq name turnId itemId payload } }`, {
    t: threadId,
    s: sinceSeq,
  });
  return r.data!.events as { seq: number; name: string; turnId: string | null; itemId: string | null; payload: any }[];
}
