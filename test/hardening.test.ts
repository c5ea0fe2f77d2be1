/**
 * The second adversarial pass (issue #20), each attack replayed against a real server on 127.0.0.1 over real
 * HTTP, SSE and WebSocket: query limits on the operation that runs (not the first of the document), no
 * validation-cache poisoning, DNS rebinding (Host check), priced thread search, one cap for WebSocket and SSE
 * streams, no schema suggestions with introspection off, and client errors with codes and no error log.
 * (A full disk that recovers is in diskFull.test.ts; bounded checklist/plan in tools.turns.test.ts.)
 */
import { request as httpRequest } from 'node:http';
import { print } from 'graphql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../sdk/generated/graphql.js';
import { parseConfig } from '../src/server/config.js';
import { hostName, hostPolicy } from '../src/server/hostCheck.js';
import { removeDir, startTestServer, tempDir, waitFor, type TestServer } from './support/harness.js';
import { createThread, mutate, narrow, startTurn, threadCount, waitForTurnEnd } from './support/ops.js';
import { rawSocket, type RawSocket } from './support/rawSocket.js';
import { seedDataDir } from './support/seed.js';
import { defined } from '../src/domain/defined.js';

type Json = any;

const portOf = (server: TestServer) => new URL(server.url).port;

async function post(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Json };
}

/** A raw HTTP request, so that Host can be anything (fetch sets it from the URL). */
function rawPost(server: TestServer, headers: Record<string, string>, body: unknown): Promise<{ status: number; json: Json }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A socket past connection_ack; rejects with the HTTP status when the upgrade is refused, or with how it closed. */
async function ackedSocket(server: TestServer, headers: Record<string, string> = {}): Promise<RawSocket> {
  const socket = await rawSocket(server, { headers });
  socket.send({ type: 'connection_init' });
  const outcome = await Promise.race([
    socket.waitMessage((m) => m.type === 'connection_ack').then(() => 'ack'),
    socket.closed.then((c) => `closed ${c.code}`),
  ]);
  if (outcome !== 'ack') throw Object.assign(new Error(`connection ${outcome}`), { closed: await socket.closed });
  return socket;
}

/** One operation over a socket: the first message for its id (`next` or `error`). */
async function wsFirst(socket: RawSocket, id: string, payload: Record<string, unknown>): Promise<Json> {
  socket.send({ id, type: 'subscribe', payload });
  return socket.waitMessage((m) => m.id === id && (m.type === 'next' || m.type === 'error'));
}

/** A subscription over SSE; resolves once the response headers are in (the stream stays open until `abort`). */
async function openSse(server: TestServer, query: string, variables: Record<string, unknown> = {}) {
  const controller = new AbortController();
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  return { res, abort: () => controller.abort() };
}

/** What a refused operation over SSE said: the first `data:` event, or the JSON error body. */
async function sseRefusal(res: Response): Promise<Json> {
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('application/json')) return JSON.parse(text);
  const data = /^data: (.*)$/m.exec(text);
  return data?.[1] ? JSON.parse(data[1]) : { raw: text };
}

const HEAVY_QUERY = '{ threads(first: 500) { nodes { turns(first: 500) { nodes { items(first: 500) { nodes { id } } } } } } }';
const HEAVY_SUBSCRIPTION = '{ seq thread { turns(first: 500) { nodes { items(first: 500) { nodes { id } } } } } }';

describe('case 1: the query limits apply to the operation that runs, not the first one of the document', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const threadId = await createThread(server);
    await waitForTurnEnd(server, narrow(await startTurn(server, { threadId, prompt: 'hello' }), 'StartTurnPayload').turn.id);
  });
  afterAll(() => server?.close());

  const document = `query L { __typename } query H ${HEAVY_QUERY}`;

  it('HTTP: H placed second, chosen by operationName, is refused; L of the same document still runs', async () => {
    const alone = await post(server, { query: `query H ${HEAVY_QUERY}` });
    expect(alone.json.errors[0]).toMatchObject({ message: expect.stringMatching(/maximum complexity/), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    const second = await post(server, { query: document, operationName: 'H' });
    expect(second.json.data ?? null).toBeNull();
    expect(second.json.errors[0]).toMatchObject({ message: expect.stringMatching(/maximum complexity/), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(second.text).not.toContain('"nodes"');
    // The cheap one runs (the refusal above was not cached for the document either).
    expect((await post(server, { query: document, operationName: 'L' })).json).toEqual({ data: { __typename: 'Query' } });
    expect((await post(server, { query: document, operationName: 'H' })).json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('WebSocket: the same document with operationName H gets an error message; L runs', async () => {
    const socket = await ackedSocket(server);
    const refused = await wsFirst(socket, 'h', { query: document, operationName: 'H' });
    expect(refused).toMatchObject({
      type: 'error',
      payload: [{ message: expect.stringMatching(/maximum complexity/), extensions: { code: 'QUERY_TOO_COMPLEX' } }],
    });
    expect(await wsFirst(socket, 'l', { query: document, operationName: 'L' })).toMatchObject({
      type: 'next',
      payload: { data: { __typename: 'Query' } },
    });
    socket.ws.close();
  });

  it('subscriptions (WebSocket and SSE): a heavy second subscription is refused before its stream starts', async () => {
    const subscriptions = `subscription L { runtimeEvents { seq } } subscription H { runtimeEvents(sinceSeq: 0) ${HEAVY_SUBSCRIPTION} }`;
    const socket = await ackedSocket(server);
    const refused = await wsFirst(socket, 'h', { query: subscriptions, operationName: 'H' });
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
    socket.ws.close();

    const controller = new AbortController();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: subscriptions, operationName: 'H' }),
      signal: controller.signal,
    });
    const result = await sseRefusal(res);
    expect(result.errors[0]).toMatchObject({ message: expect.stringMatching(/maximum complexity/), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(JSON.stringify(result)).not.toContain('"seq"');
  });

  it('fragments of the document count for the operation that spreads them', async () => {
    const withFragment = `query L { __typename } query H { ...Heavy } fragment Heavy on Query ${HEAVY_QUERY}`;
    expect((await post(server, { query: withFragment, operationName: 'H' })).json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe("case 2: a limit error from one request's variables is not cached for the document text", () => {
  let server: TestServer;
  let threadId: string;
  beforeAll(async () => {
    server = await startTestServer();
    threadId = await createThread(server);
    await waitForTurnEnd(server, narrow(await startTurn(server, { threadId, prompt: 'hello' }), 'StartTurnPayload').turn.id);
  });
  afterAll(() => server?.close());

  it("the SDK's ThreadTurns: after 1,100 other documents push it out of the cache, huge variables are refused, and small ones still work, over HTTP and WebSocket", async () => {
    const query = print(sdk.ThreadTurnsDocument);
    const small = { id: threadId, first: 20, itemsFirst: 20 };
    const huge = { id: threadId, first: 500, itemsFirst: 500 };
    const ok = (r: Json) => expect(r.data?.thread?.turns?.totalCount, JSON.stringify(r).slice(0, 300)).toBe(1);
    ok((await post(server, { query, variables: small })).json);

    // Push the document out of Yoga's parse and validation caches, in batches.
    for (let batch = 0; batch < 22; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => post(server, { query: `query Evict${batch * 50 + i} { __typename }` })));
    }
    const poisoned = await post(server, { query, variables: huge });
    expect(poisoned.json.errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
    // Any client, any transport, the same text with small variables: served.
    ok((await post(server, { query, variables: small })).json);
    const socket = await ackedSocket(server);
    expect((await wsFirst(socket, 'huge', { query, variables: huge })).payload[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const viaWs = await wsFirst(socket, 'small', { query, variables: small });
    expect(viaWs.type).toBe('next');
    ok(viaWs.payload);
    socket.ws.close();
    ok((await post(server, { query, variables: small })).json);
  }, 60_000);
});

describe('case 3: DNS rebinding (the Host header)', () => {
  let server: TestServer;
  let withNames: TestServer;
  const CREATE = 'mutation { createThread(input: { trustMode: true, autoApprove: true, allowShell: true }) { __typename } }';
  const count = (s: TestServer) => threadCount(s);

  beforeAll(async () => {
    server = await startTestServer();
    withNames = await startTestServer({ config: { allowedHosts: ['zagens.internal', '.corp.example'] } });
  });
  afterAll(async () => {
    await server?.close();
    await withNames?.close();
  });

  it('HTTP: Host evil.example:PORT with a matching Origin is refused (403 HOST_NOT_ALLOWED) and creates nothing', async () => {
    const before = await count(server);
    const evil = `evil.example:${portOf(server)}`;
    const res = await rawPost(server, { host: evil, origin: `http://${evil}`, 'x-graphql-yoga-csrf': '1' }, { query: CREATE });
    expect(res.status).toBe(403);
    expect(res.json.errors[0]).toMatchObject({ message: expect.stringMatching(/--allowed-host/), extensions: { code: 'HOST_NOT_ALLOWED' } });
    expect(await count(server)).toBe(before);
    // /health and GraphiQL are behind the same check.
    for (const path of ['/health', '/graphql']) {
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(server.url);
        httpRequest({ host: url.hostname, port: url.port, path, headers: { host: evil, accept: 'text/html' } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status, path).toBe(403);
    }
  });

  it('HTTP: loopback names are served (127.0.0.1, localhost, *.localhost, [::1])', async () => {
    for (const host of [
      `127.0.0.1:${portOf(server)}`,
      `localhost:${portOf(server)}`,
      `app.localhost:${portOf(server)}`,
      `[::1]:${portOf(server)}`,
      '127.0.0.1',
    ]) {
      const res = await rawPost(server, { host }, { query: '{ __typename }' });
      expect(res.status, host).toBe(200);
      expect(res.json.data.__typename).toBe('Query');
    }
  });

  it('WebSocket: the upgrade with Host evil.example and Origin http://evil.example (same "origin") is refused; loopback same-origin is accepted', async () => {
    const evil = `evil.example:${portOf(server)}`;
    await expect(ackedSocket(server, { host: evil, origin: `http://${evil}` })).rejects.toMatchObject({ status: expect.any(Number) });
    await expect(ackedSocket(server, { host: evil })).rejects.toMatchObject({ status: expect.any(Number) });
    // A loopback Host with a foreign Origin is still a cross-origin page: refused.
    await expect(ackedSocket(server, { host: `localhost:${portOf(server)}`, origin: 'http://evil.example' })).rejects.toMatchObject({
      status: expect.any(Number),
    });
    const local = `localhost:${portOf(server)}`;
    const ok = await ackedSocket(server, { host: local, origin: `http://${local}` });
    expect((await wsFirst(ok, 'q', { query: '{ __typename }' })).payload.data.__typename).toBe('Query');
    ok.ws.close();
  });

  it('--allowed-host adds names (exact, or a leading dot for subdomains), over HTTP and WebSocket; others stay refused', async () => {
    const port = portOf(withNames);
    for (const host of [`zagens.internal:${port}`, `corp.example:${port}`, `a.b.corp.example:${port}`, `localhost:${port}`]) {
      expect((await rawPost(withNames, { host }, { query: '{ __typename }' })).status, host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, `zagens.internal.evil.example:${port}`, `notcorp.example:${port}`]) {
      expect((await rawPost(withNames, { host }, { query: '{ __typename }' })).status, host).toBe(403);
    }
    const named = `zagens.internal:${port}`;
    const socket = await ackedSocket(withNames, { host: named, origin: `http://${named}` });
    socket.ws.close();
    await expect(ackedSocket(withNames, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).rejects.toMatchObject({
      status: expect.any(Number),
    });
  });

  it('the flag is repeatable, ZAGENS_ALLOWED_HOSTS takes a list; a non-loopback bind without names serves any Host but trusts only its own for same-origin', () => {
    expect(parseConfig(['--allowed-host', 'a.example', '--allowed-host', 'b.example'], {}).allowedHosts).toEqual(['a.example', 'b.example']);
    expect(parseConfig([], { ZAGENS_ALLOWED_HOSTS: 'a.example, .b.example' }).allowedHosts).toEqual(['a.example', '.b.example']);
    expect(parseConfig([], {}).allowedHosts).toEqual([]);
    const wide = hostPolicy('0.0.0.0', []);
    expect(wide.allows('evil.example:80')).toBe(true);
    expect(wide.isOwnName('evil.example:80')).toBe(false);
    expect(hostPolicy('192.168.1.5', []).isOwnName('192.168.1.5:4680')).toBe(true);
    expect(hostPolicy('127.0.0.1', []).allows(undefined)).toBe(false);
    expect(hostName('[::1]:4680')).toBe('::1');
    expect(hostName('Example.COM.:80')).toBe('example.com');
    expect(hostName('a b')).toBeNull();
  });
});

describe('case 5: thread search is priced by what it reads', () => {
  let server: TestServer;
  let dataDir: string;
  const THREADS = 302;
  const TURNS = 3;

  beforeAll(async () => {
    dataDir = await tempDir();
    await seedDataDir(dataDir, { workspace: dataDir, threads: THREADS, turnsPerThread: TURNS, itemsPerTurn: 1 });
    server = await startTestServer({ dataDir });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await removeDir(dataDir);
  });

  it('30 aliased searches are refused before any scan; one search runs and counts its matches from the same scan', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `s${i}: threads(filter: { search: "seeded ${i}" }) { totalCount nodes { id } }`).join(' ');
    const roundTrips = server.store.roundTrips;
    const refused = await post(server, { query: `{ ${aliases} }` });
    expect(refused.json.data ?? null).toBeNull();
    expect(refused.json.errors[0]).toMatchObject({ message: expect.stringMatching(/maximum complexity/), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(server.store.roundTrips).toBe(roundTrips); // nothing was read

    const one = await post(server, { query: '{ threads(first: 5, filter: { search: "seeded 42" }) { totalCount nodes { title } } }' });
    expect(one.json.data.threads.totalCount).toBe(1);
    expect(one.json.data.threads.nodes).toEqual([{ title: 'seeded 42' }]);
    // Without a search the same listing is cheap: 30 aliases of it are fine.
    const plain = Array.from({ length: 30 }, (_, i) => `p${i}: threads(first: 1) { totalCount }`).join(' ');
    expect((await post(server, { query: `{ ${plain} }` })).json.data.p29.totalCount).toBe(THREADS);
  });

  it('the price follows the store: its counts of threads and turns match what is stored, through creates, forks and deletes', async () => {
    const counts = server.runtime.store.counts;
    expect(counts).toEqual({ threads: THREADS, turns: THREADS * TURNS });
    const created = await createThread(server);
    await waitForTurnEnd(server, narrow(await startTurn(server, { threadId: created, prompt: 'hi' }), 'StartTurnPayload').turn.id);
    const fork = await mutate(server, sdk.ForkThreadDocument, { threadId: created });
    expect(narrow(fork, 'ForkThreadPayload').thread.id).toBeTruthy();
    expect((await mutate(server, sdk.DeleteThreadDocument, { threadId: created })).__typename).toBe('DeleteThreadPayload');
    const live = { ...server.runtime.store.counts };
    server = await server.restart();
    expect(server.runtime.store.counts).toEqual(live);
    expect(live).toEqual({ threads: THREADS + 1, turns: THREADS * TURNS + 1 });
  });
});

describe('case 6: SSE streams share the connection cap with WebSockets', () => {
  let server: TestServer;
  const SUB = 'subscription { runtimeEvents { seq } }';
  beforeAll(async () => {
    server = await startTestServer({ config: { maxWsConnections: 3 } });
  });
  afterAll(() => server?.close());

  it('with a cap of 3: three SSE subscriptions are served, the 4th is 503 LIMIT; a WebSocket upgrade is refused with 503 too; closing one frees a slot', async () => {
    const streams = [await openSse(server, SUB), await openSse(server, SUB), await openSse(server, SUB)];
    for (const s of streams) expect(s.res.headers.get('content-type')).toContain('text/event-stream');
    const fourth = await openSse(server, SUB);
    expect(fourth.res.status).toBe(503);
    expect(fourth.res.headers.get('retry-after')).toBeTruthy();
    expect((await fourth.res.json()).errors[0]).toMatchObject({
      message: expect.stringMatching(/too many open connections/),
      extensions: { code: 'LIMIT' },
    });
    await expect(ackedSocket(server)).rejects.toMatchObject({ status: 503 });

    // The streams still work: an event reaches them.
    await createThread(server);
    const reader = defined(streams[0]?.res.body ?? undefined, 'the first stream body').getReader();
    let text = '';
    while (!text.includes('"seq"')) text += new TextDecoder().decode((await reader.read()).value);

    streams[0]?.abort();
    const socket = await waitFor(() => ackedSocket(server).catch(() => null), 5000, 'a slot to come back');
    // Now WebSocket + 2 SSE = 3: another SSE is refused.
    expect((await openSse(server, SUB)).res.status).toBe(503);
    socket.ws.close();
    await socket.closed;
    const again = await waitFor(
      async () => {
        const s = await openSse(server, SUB);
        if (s.res.status === 200) return s;
        await s.res.text();
        return null;
      },
      5000,
      'an SSE slot',
    );
    again.abort();
    for (const s of streams.slice(1)) s.abort();
    await waitFor(() => server.app.wss.clients.size === 0, 5000, 'sockets to close');
  });
});

describe('case 8: with --no-introspection no message suggests a name', () => {
  let closed: TestServer;
  let open: TestServer;
  beforeAll(async () => {
    closed = await startTestServer({ config: { introspection: false } });
    open = await startTestServer();
  });
  afterAll(async () => {
    await closed?.close();
    await open?.close();
  });

  const FILTER_QUERY = 'query($f: ThreadFilter) { threads(filter: $f) { totalCount } }';
  const probes: [string, { query: string; variables?: Record<string, unknown> }][] = [
    ['enum value (validation)', { query: '{ threads(filter: { archived: ACTIVE_ONL }) { totalCount } }' }],
    ['input field (validation)', { query: '{ threads(filter: { archivd: ACTIVE_ONLY }) { totalCount } }' }],
    ['argument (validation)', { query: '{ threads(frist: 1) { totalCount } }' }],
    ['type (validation)', { query: 'query($f: ThreadFiltr) { threads(filter: $f) { totalCount } }' }],
    ['field (validation)', { query: '{ runtimeInf { version } }' }],
    ['input field (variables)', { query: FILTER_QUERY, variables: { f: { archivd: 'x' } } }],
    ['enum value (variables)', { query: FILTER_QUERY, variables: { f: { archived: 'ACTIVE_ONL' } } }],
  ];
  const LEAK = /Did you mean|ACTIVE_ONLY|ARCHIVED_ONLY|"archived"|"first"|ThreadFilter"\?|runtimeInfo/;

  it('HTTP and WebSocket: enum values, input fields, arguments, types and fields, in documents and in variables', async () => {
    const socket = await ackedSocket(closed);
    for (const [name, body] of probes) {
      const http = await post(closed, body);
      expect(http.json.errors?.length, name).toBeGreaterThan(0);
      expect(http.text, name).not.toMatch(LEAK);
      const ws = await wsFirst(socket, name, body);
      expect(JSON.stringify(ws.payload), name).not.toMatch(LEAK);
      expect(JSON.stringify(ws.payload), name).toMatch(/message/);
      // With introspection on, the suggestion is there (so the probe is a real one).
      expect((await post(open, body)).text, name).toMatch(/Did you mean/);
    }
    socket.ws.close();
  });
});

describe('case 10: client errors are not server errors; every refusal has a code', () => {
  let server: TestServer;
  const logged: Json[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    server = await startTestServer({ logger, config: { introspection: false } });
  });
  afterAll(() => server?.close());

  const badVariables: [string, Record<string, unknown>][] = [
    ['query($n: Int) { threads(first: $n) { totalCount } }', { n: 'x' }],
    ['query($n: Int!) { threads(first: $n) { totalCount } }', {}],
    ['query($s: SafeInt) { runtimeEvents: events(threadId: "thr_x", sinceSeq: $s) { seq } }', { s: -1.5 }],
    ['query($f: ThreadFilter) { threads(filter: $f) { totalCount } }', { f: { archived: 'NOPE' } }],
    ['query($f: ThreadFilter) { threads(filter: $f) { totalCount } }', { f: { nope: 1 } }],
    ['query($f: ThreadFilter) { threads(filter: $f) { totalCount } }', { f: 'not an object' }],
  ];

  it('bad variables: 50 requests give VALIDATION errors and log nothing at error level', async () => {
    for (let round = 0; round < 50; round++) {
      const [query, variables] = defined(badVariables[round % badVariables.length], 'a bad-variables case');
      const res = await post(server, { query, variables });
      expect(res.status, query).toBe(400);
      expect(res.json.errors[0], `${query} ${JSON.stringify(variables)}`).toMatchObject({
        message: expect.stringMatching(/^Variable "\$/),
        extensions: { code: 'VALIDATION' },
      });
    }
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('every refusal carries extensions.code, over HTTP and WebSocket', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: runtimeInfo { version }`).join(' ')} }`;
    const directives = `{ __typename ${Array.from({ length: 60 }, () => '@skip(if: false)').join(' ')} }`;
    const tokens = `{ ${Array.from({ length: 5100 }, () => '__typename').join(' ')} }`;
    const deep = `{ thread(id: "thr_x") { ${'forkedFrom { thread { '.repeat(9)}id${' } }'.repeat(9)} } }`;
    const cases: [string, { query: string; variables?: Record<string, unknown>; operationName?: string }, string][] = [
      ['aliases', { query: aliases }, 'QUERY_TOO_COMPLEX'],
      ['directives', { query: directives }, 'QUERY_TOO_COMPLEX'],
      ['tokens', { query: tokens }, 'QUERY_TOO_COMPLEX'],
      ['depth', { query: deep }, 'QUERY_TOO_COMPLEX'],
      ['complexity', { query: HEAVY_QUERY }, 'QUERY_TOO_COMPLEX'],
      ['syntax', { query: '{ __typename ' }, 'GRAPHQL_PARSE_FAILED'],
      ['unknown field', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
      ['introspection', { query: '{ __schema { types { name } } }' }, 'GRAPHQL_VALIDATION_FAILED'],
      [
        'variables',
        { query: defined(badVariables[0], 'a bad-variables case')[0], variables: defined(badVariables[0], 'a bad-variables case')[1] },
        'VALIDATION',
      ],
      ['unknown operation', { query: 'query A { __typename }', operationName: 'B' }, 'OPERATION_RESOLUTION_FAILURE'],
    ];
    const socket = await ackedSocket(server);
    for (const [name, body, code] of cases) {
      const http = await post(server, body);
      expect(http.status, name).toBeLessThan(500);
      expect(http.json.errors?.[0]?.extensions?.code, `${name}: ${http.text.slice(0, 300)}`).toBe(code);
      const ws = await wsFirst(socket, name, body);
      const errors = ws.type === 'error' ? ws.payload : ws.payload.errors;
      expect(errors?.[0]?.extensions?.code, `${name} over WebSocket: ${JSON.stringify(ws).slice(0, 300)}`).toBeTruthy();
    }
    socket.ws.close();
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  });
});
