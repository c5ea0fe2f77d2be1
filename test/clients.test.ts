/**
 * The GraphQL clients people pick, set up as README and sdk/README show them, against the real server: Apollo
 * Client (InMemoryCache with the SDK's possibleTypes, HttpLink + GraphQLWsLink) and urql (graphcache with the
 * SDK's possibleTypes and keys; subscriptions over graphql-ws and over SSE with graphql-sse's client).
 */
import { ApolloClient, HttpLink, InMemoryCache, split, type ApolloLink } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import { Client as UrqlClient, fetchExchange, subscriptionExchange, type Exchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphcacheKeys, graphcacheSchema, possibleTypes } from '../sdk/cache.js';
import {
  CreateThreadDocument,
  ItemFieldsFragmentDoc,
  NodeDocument,
  StartTurnDocument,
  ThreadEventsDocument,
  ThreadTurnsDocument,
  TurnDocument,
  TurnEventsDocument,
  type EventFieldsFragment,
} from '../sdk/generated/graphql.js';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { textDelta } from '../sdk/client.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { waitForTurnEnd } from './support/ops.js';

let server: TestServer;
const wsClients: WsClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(5) });
});
afterAll(async () => {
  await Promise.all(wsClients.map((c) => c.dispose()));
  await server?.close();
});

function graphqlWs(): WsClient {
  const client = createWsClient({ url: server.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  wsClients.push(client);
  return client;
}

const wsUrlOf = () => server.url.replace('http', 'ws');

/** The agent's text of a turn as the event stream delivers it (item.delta events of kind text). */
const deltasOf = (events: EventFieldsFragment[]) =>
  events
    .map(textDelta)
    .filter((d) => d !== null)
    .join('');

function apollo(options: { possibleTypes?: Record<string, string[]> } = {}) {
  const http = new HttpLink({ uri: server.url });
  const ws = new GraphQLWsLink(createWsClient({ url: wsUrlOf(), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 }));
  const link: ApolloLink = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    ws,
    http,
  );
  const cache = new InMemoryCache({
    possibleTypes: options.possibleTypes,
    typePolicies: { Thread: { fields: { turns: relayStylePagination() } }, Turn: { fields: { items: relayStylePagination() } } },
  });
  return { client: new ApolloClient({ link, cache }), cache, close: () => ws.client.dispose() };
}

describe('Apollo Client', () => {
  let a: ReturnType<typeof apollo>;
  beforeAll(() => {
    a = apollo({ possibleTypes });
  });
  afterAll(async () => {
    await a.close();
  });

  it("reads typed errors through `... on UserError` with the SDK's possibleTypes (and cannot without them)", async () => {
    const input = { workspace: '/no/such/dir' };
    const { data } = await a.client.mutate({ mutation: CreateThreadDocument, variables: { input } });
    expect(data?.createThread).toMatchObject({
      __typename: 'WorkspaceInvalidError',
      code: 'WORKSPACE_INVALID',
      message: expect.stringMatching(/\/no\/such\/dir/),
    });

    // The problem possibleTypes solves: without it the cache cannot tell that WorkspaceInvalidError is a UserError,
    // so the interface's fields (code, message) are lost; only the concrete type's own selection (path) survives.
    const bare = apollo();
    const warn = console.warn;
    console.warn = () => {};
    try {
      const { data: blind } = await bare.client.mutate({ mutation: CreateThreadDocument, variables: { input } });
      expect(blind?.createThread).toEqual({ __typename: 'WorkspaceInvalidError', path: '/no/such/dir' });
    } finally {
      console.warn = warn;
      await bare.close();
    }
  });

  it('streams a turn over graphql-ws (GraphQLWsLink), then normalizes its items: fragments on Item read from the cache', async () => {
    const { data: created } = await a.client.mutate({ mutation: CreateThreadDocument, variables: { input: { title: 'apollo' } } });
    if (created?.createThread.__typename !== 'CreateThreadPayload') throw new Error(JSON.stringify(created));
    const threadId = created.createThread.thread.id;

    const events: EventFieldsFragment[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const subscription = a.client.subscribe({ query: ThreadEventsDocument, variables: { threadId } }).subscribe({
        next: ({ data, error }) => {
          if (error) return reject(error);
          if (!data) return;
          events.push(data.threadEvents);
          if (data.threadEvents.name === 'turn.completed') {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    // The subscription is live once the thread's first event (thread.started, replayed) has arrived.
    await expect.poll(() => events.length).toBeGreaterThan(0);
    const { data: started } = await a.client.mutate({ mutation: StartTurnDocument, variables: { input: { threadId, prompt: 'Hello Apollo' } } });
    if (started?.startTurn.__typename !== 'StartTurnPayload') throw new Error(JSON.stringify(started));
    const turnId = started.startTurn.turn.id;
    await done;
    expect(deltasOf(events)).toContain('You said: "Hello Apollo"');
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));

    const { data } = await a.client.query({ query: TurnDocument, variables: { id: turnId }, fetchPolicy: 'network-only' });
    const agent = data?.turn?.items.nodes.find((item) => item.kind === 'AGENT_MESSAGE');
    expect(agent && 'text' in agent ? agent.text : null).toBe(deltasOf(events));
    // Normalized: the item is its own cache entry (AgentMessageItem:<id>), readable through a fragment on Item.
    const cached = a.cache.readFragment({
      id: a.cache.identify({ __typename: 'AgentMessageItem', id: agent!.id }),
      fragment: ItemFieldsFragmentDoc,
      fragmentName: 'ItemFields',
    });
    expect(cached).toMatchObject({ __typename: 'AgentMessageItem', kind: 'AGENT_MESSAGE', status: 'COMPLETED', text: deltasOf(events) });
    // node(id:) answers from the same entry.
    const { data: node } = await a.client.query({ query: NodeDocument, variables: { id: agent!.id }, fetchPolicy: 'cache-first' });
    expect(node?.node).toMatchObject({ __typename: 'AgentMessageItem', id: agent!.id });
  });

  it('pages a connection with relayStylePagination, pages merged in the cache', async () => {
    const { data: created } = await a.client.mutate({ mutation: CreateThreadDocument, variables: { input: { title: 'paging' } } });
    if (created?.createThread.__typename !== 'CreateThreadPayload') throw new Error(JSON.stringify(created));
    const threadId = created.createThread.thread.id;
    for (const prompt of ['one', 'two', 'three']) {
      const { data } = await a.client.mutate({ mutation: StartTurnDocument, variables: { input: { threadId, prompt } } });
      if (data?.startTurn.__typename !== 'StartTurnPayload') throw new Error(JSON.stringify(data));
      await waitForTurnEnd(server, data.startTurn.turn.id);
    }
    const variables = { id: threadId, first: 2, itemsFirst: 5 };
    const { data } = await a.client.query({ query: ThreadTurnsDocument, variables });
    const page1 = data!.thread!.turns;
    expect(page1.edges.map((e) => e.node.prompt)).toEqual(['one', 'two']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    await a.client.query({ query: ThreadTurnsDocument, variables: { ...variables, after: page1.pageInfo.endCursor }, fetchPolicy: 'network-only' });
    // relayStylePagination merges the pages into one list in the cache.
    const merged = a.cache.readQuery({ query: ThreadTurnsDocument, variables });
    expect(merged!.thread!.turns.edges.map((e) => e.node.prompt)).toEqual(['one', 'two', 'three']);
    expect(merged!.thread!.turns.totalCount).toBe(3);
  });
});

/** The HTTP methods urql's fetches used, in order. */
const urqlMethods: string[] = [];

/** urql with graphcache: the whole schema (no warnings, schema awareness), or only possibleTypes (lighter). */
function urql(subscriptions: 'graphql-ws' | 'sse', cache: 'schema' | 'possibleTypes' = 'schema'): UrqlClient {
  let forward: Parameters<typeof subscriptionExchange>[0]['forwardSubscription'];
  if (subscriptions === 'graphql-ws') {
    const ws = graphqlWs();
    forward = (request) => ({
      subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
    });
  } else {
    // graphql-sse's client in distinct-connections mode: one SSE request per subscription, which Yoga serves.
    const sse = createSseClient({ url: server.url, singleConnection: false, retryAttempts: 0 });
    forward = (request) => ({
      subscribe: (sink) => ({ unsubscribe: sse.subscribe({ ...request, query: request.query ?? '' }, sink) }),
    });
  }
  return new UrqlClient({
    // urql's defaults: queries go as GET (safe GETs need no CSRF header), mutations as POST.
    url: server.url,
    fetch: (input, init) => {
      urqlMethods.push(init?.method ?? 'GET');
      return fetch(input, init);
    },
    exchanges: [
      cacheExchange(cache === 'schema' ? { schema: graphcacheSchema, keys: graphcacheKeys } : { possibleTypes, keys: graphcacheKeys }) as Exchange,
      fetchExchange,
      subscriptionExchange({ forwardSubscription: forward }),
    ],
  });
}

describe('urql', () => {
  for (const cache of ['schema', 'possibleTypes'] as const) {
    it(`reads typed errors through \`... on UserError\` with graphcache and the SDK's ${cache === 'schema' ? 'graphcacheSchema' : 'possibleTypes'}`, async () => {
      const client = urql('graphql-ws', cache);
      const result = await client.mutation(CreateThreadDocument, { input: { workspace: '/no/such/dir' } }).toPromise();
      expect(result.error).toBeUndefined();
      expect(result.data?.createThread).toMatchObject({ __typename: 'WorkspaceInvalidError', code: 'WORKSPACE_INVALID' });
    });
  }

  for (const transport of ['graphql-ws', 'sse'] as const) {
    it(`streams a turn over ${transport} and reads it back through graphcache`, async () => {
      const client = urql(transport);
      const created = await client.mutation(CreateThreadDocument, { input: { title: `urql ${transport}` } }).toPromise();
      if (created.data?.createThread.__typename !== 'CreateThreadPayload') throw new Error(JSON.stringify(created));
      const threadId = created.data.createThread.thread.id;

      const events: EventFieldsFragment[] = [];
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      const { unsubscribe } = client.subscription(ThreadEventsDocument, { threadId }).subscribe((result) => {
        if (result.error) throw result.error;
        const event = result.data?.threadEvents;
        if (!event) return;
        events.push(event);
        if (event.name === 'turn.completed') finished();
      });
      await expect.poll(() => events.length).toBeGreaterThan(0);
      const started = await client.mutation(StartTurnDocument, { input: { threadId, prompt: `Hello ${transport}` } }).toPromise();
      if (started.data?.startTurn.__typename !== 'StartTurnPayload') throw new Error(JSON.stringify(started));
      await done;
      unsubscribe();
      expect(deltasOf(events)).toContain(`You said: "Hello ${transport}"`);
      expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);

      const turnId = started.data.startTurn.turn.id;
      urqlMethods.length = 0;
      const turn = await client.query(TurnDocument, { id: turnId }, { requestPolicy: 'network-only' }).toPromise();
      expect(urqlMethods).toEqual(['GET']);
      const agent = turn.data?.turn?.items.nodes.find((item) => item.kind === 'AGENT_MESSAGE');
      expect(agent && 'text' in agent ? agent.text : null).toBe(deltasOf(events));
      // The turn's own events, which complete when it has ended.
      const replay: EventFieldsFragment[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscription(TurnEventsDocument, { turnId }).subscribe((r) => {
          if (r.error) reject(r.error);
          if (r.data) replay.push(r.data.turnEvents);
          if (r.data?.turnEvents.name === 'turn.completed') resolve();
        });
      });
      expect(deltasOf(replay)).toBe(deltasOf(events));
    });
  }
});
