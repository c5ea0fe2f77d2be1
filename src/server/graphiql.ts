import { renderGraphiQL as renderSelfHostedGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL at GET /graphql (Accept: text/html): the operations it opens with, the variables and headers they
 * need, and a self-hosted page (the editor's scripts are inlined: the page works with no CDN reachable).
 */

/** The operations GraphiQL opens with: create a thread, start a turn, follow it live. */
export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Zagens Runtime.
#
# Run an operation: put the cursor in it and press
# Ctrl+Enter, or press ▶ and pick it from the list.
#
# 1. CreateThread. Copy the id it returns into
#    "threadId" under Variables (below).
# 2. StartTurn: the agent answers "prompt".
# 3. FollowThread: replays the thread's events, then
#    streams new ones live (graphql-ws). The answer
#    grows in turn.latestItem until "turn.completed".
#    Press ■ to stop following.
#
# Auth: if the server runs with --auth-token, set the
# header under Headers (below):
#   {"Authorization": "Bearer <token>"}
#
# Docs (book icon, left) has the whole schema.

mutation CreateThread {
  createThread(input: { title: "My first thread" }) {
    __typename
    ... on CreateThreadPayload {
      thread { id title model status }
    }
    ... on UserError { code message }
  }
}

mutation StartTurn($threadId: ID!, $prompt: String!) {
  startTurn(input: {
    threadId: $threadId
    prompt: $prompt
    delivery: QUEUE # waits its turn if one is running
  }) {
    __typename
    ... on StartTurnPayload {
      turn { id status }
      queued { position }
    }
    ... on UserError { code message }
  }
}

subscription FollowThread(
  $threadId: ID!
  $sinceSeq: SafeInt = 0
) {
  threadEvents(threadId: $threadId, sinceSeq: $sinceSeq) {
    seq
    name
    payload
    turn {
      id
      status
      latestItem: items(last: 1) {
        nodes {
          kind
          ... on AgentMessageItem { text }
        }
      }
    }
  }
}

query Thread($threadId: ID!) {
  thread(id: $threadId) {
    id
    title
    status
    latestSeq
    usage { inputTokens outputTokens costUsd turns }
    turns(last: 5) {
      nodes {
        id
        status
        inputSummary
        items {
          nodes {
            kind
            summary
            ... on AgentMessageItem { text }
          }
        }
      }
    }
  }
}

query Threads {
  threads(first: 10) {
    totalCount
    nodes { id title status updatedAt }
  }
}
`;

/** The variables the operations above start with. */
export const GRAPHIQL_DEFAULT_VARIABLES = `{
  "threadId": "paste the thread id returned by CreateThread",
  "prompt": "Hello! What can you do?"
}`;

/** The Headers tab when the server requires a token: the shape is there, the token is for the user to fill in. */
export const GRAPHIQL_AUTH_HEADERS = `{
  "Authorization": "Bearer <paste the server's --auth-token here>"
}`;

export interface GraphiQLSetup {
  /** The server requires `Authorization: Bearer <token>` (--auth-token). */
  authRequired?: boolean;
}

/**
 * Yoga's `graphiql` option. Subscriptions go over graphql-ws; with auth on they go over SSE instead, because a
 * browser's WebSocket cannot carry the Headers tab's Authorization header while an SSE request does.
 */
export function graphiqlOptions({ authRequired = false }: GraphiQLSetup = {}): ZagensGraphiQLOptions {
  return {
    title: 'Zagens Runtime',
    defaultQuery: GRAPHIQL_DEFAULT_QUERY,
    variables: GRAPHIQL_DEFAULT_VARIABLES,
    headers: authRequired ? GRAPHIQL_AUTH_HEADERS : undefined,
    defaultEditorToolsVisibility: 'variables',
    subscriptionsProtocol: authRequired ? 'SSE' : 'WS',
  };
}

/** Yoga's page also takes `variables`: the Variables editor's initial text (Yoga's type leaves it out). */
export type ZagensGraphiQLOptions = GraphiQLOptions & { variables?: string };

const rendered = new Map<string, string>();

/**
 * Yoga's `renderGraphiQL` option: the page with GraphiQL's scripts and styles inlined (several MB, rendered once
 * per distinct options and kept), so GraphiQL works offline and behind firewalls, unlike Yoga's default page
 * that loads them from a CDN.
 */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const key = JSON.stringify(options);
  let page = rendered.get(key);
  if (!page) {
    page = renderSelfHostedGraphiQL(options);
    if (rendered.size > 8) rendered.clear();
    rendered.set(key, page);
  }
  return page;
}
