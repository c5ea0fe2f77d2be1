/**
 * What browsers and popular clients send by default, against the real server: urql's GET queries, a GET
 * subscription over SSE (what a browser EventSource sends; the real EventSource runs in e2e.eventSource.test.ts),
 * and graphql-request's batching. GET never changes state, so it needs no CSRF header; everything else keeps
 * Yoga's CSRF prevention, and the token is still required.
 * The GET URLs, SSE requests and batches stay raw strings (the wire format is the subject); checks of state go through the SDK.
 */
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import { batchRequests } from 'graphql-request';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { MAX_BATCH_OPERATIONS } from '../src/server/app.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { createThread, startedTurn, threadCount } from './support/ops.js';

const THREADS = 'query Threads { threads(first: 5) { totalCount nodes { id title } } }';
const CREATE = 'mutation Create { createThread(input: { title: "over GET" }) { __typename } }';

let server: TestServer;
let secured: TestServer;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(1) });
  secured = await startTestServer({ engine: new OfflineEngine(1), config: { authToken: 'get-token' } });
});
afterAll(async () => {
  await server?.close();
  await secured?.close();
});

const getUrl = (base: string, query: string, variables?: Record<string, unknown>) => {
  const url = new URL(base);
  url.searchParams.set('query', query);
  if (variables) url.searchParams.set('variables', JSON.stringify(variables));
  return url;
};

describe('queries over GET', () => {
  it('urql with its defaults (GET for queries, POST for mutations) queries and mutates', async () => {
    const sent: string[] = [];
    const client = new UrqlClient({
      url: server.url,
      exchanges: [fetchExchange],
      fetch: (input, init) => {
        sent.push(init?.method ?? 'GET');
        return fetch(input, init);
      },
    });
    const created = await client.mutation(CREATE, {}).toPromise();
    expect(created.error).toBeUndefined();
    expect(created.data).toEqual({ createThread: { __typename: 'CreateThreadPayload' } });
    const listed = await client.query(THREADS, {}).toPromise();
    expect(listed.error).toBeUndefined();
    expect(listed.data.threads.nodes.map((t: { title: string }) => t.title)).toContain('over GET');
    expect(sent).toEqual(['POST', 'GET']);
  });

  it('a GET query needs no CSRF header (and no Origin)', async () => {
    const res = await fetch(getUrl(server.url, THREADS), { headers: { accept: 'application/graphql-response+json' } });
    expect(res.status).toBe(200);
    expect((await res.json()).data.threads.totalCount).toBeGreaterThanOrEqual(0);
  });

  it('a mutation over GET is refused (405) and changes nothing', async () => {
    const before = await threadCount(server);
    const res = await fetch(getUrl(server.url, CREATE), { headers: { accept: 'application/json' } });
    expect(res.status).toBe(405);
    expect(JSON.stringify(await res.json())).toMatch(/mutation.*POST/i);
    expect(await threadCount(server)).toBe(before);
  });

  it('a POST that a page could send without a preflight still needs the CSRF header', async () => {
    const before = await threadCount(server);
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: CREATE }) });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain('Required CSRF header');
    expect(await threadCount(server)).toBe(before);
  });

  it('with --auth-token a GET needs the token, which a browser never adds by itself', async () => {
    expect((await fetch(getUrl(secured.url, THREADS))).status).toBe(401);
    const res = await fetch(getUrl(secured.url, THREADS), { headers: { authorization: 'Bearer get-token' } });
    expect(res.status).toBe(200);
  });

  it('answers a page of another origin only when the CORS allow-list names it', async () => {
    const allowed = await fetch(getUrl(server.url, THREADS), { headers: { origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await fetch(getUrl(server.url, THREADS), { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('a subscription over GET (SSE, as EventSource sends it)', () => {
  it('replays and streams a turn until turn.completed, with no CSRF header', async () => {
    const threadId = await createThread(server);
    const turnId = (await startedTurn(server, { threadId, prompt: 'over SSE' })).id;
    const res = await fetch(getUrl(server.url, 'subscription($t: ID!) { turnEvents(turnId: $t) { seq name } }', { t: turnId }), {
      headers: { accept: 'text/event-stream' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const names: string[] = [];
    let completed = false;
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'complete') completed = true;
        else names.push(JSON.parse(event.data).data.turnEvents.name);
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) parser.feed(decoder.decode(chunk, { stream: true }));
    expect(names[0]).toBe('turn.started');
    expect(names.at(-1)).toBe('turn.completed');
    expect(completed).toBe(true);
  });
});

describe('batching (a JSON array of operations)', () => {
  it("graphql-request's batchRequests: each operation answered in order", async () => {
    const results = await batchRequests(server.url, [
      { document: '{ runtimeInfo { version } }' },
      { document: THREADS },
      { document: 'query($id: ID!) { thread(id: $id) { id } }', variables: { id: 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV' } },
    ]);
    expect(results).toHaveLength(3);
    expect(results[0].data).toEqual({ runtimeInfo: { version: expect.any(String) } });
    expect(results[1]?.data).toMatchObject({ threads: { totalCount: expect.any(Number) } });
    expect(results[2]?.data).toEqual({ thread: null });
  });

  it('each operation of a batch is checked against the query limits on its own', async () => {
    const heavy = 'query Heavy { threads(first: 100) { nodes { turns(first: 100) { nodes { items(first: 100) { nodes { id } } } } } } }';
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ runtimeInfo { version } }' }, { query: heavy }]),
    });
    const [light, refused] = await res.json();
    expect(light.data.runtimeInfo.version).toEqual(expect.any(String));
    expect(refused.data).toBeUndefined();
    expect(refused.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it(`more than ${MAX_BATCH_OPERATIONS} operations in one request are refused (413), none run`, async () => {
    const before = await threadCount(server);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: MAX_BATCH_OPERATIONS + 1 }, () => ({ query: CREATE }))),
    });
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toContain(`Batching is limited to ${MAX_BATCH_OPERATIONS} operations`);
    expect(await threadCount(server)).toBe(before);
  });
});
