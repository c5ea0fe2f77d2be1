/**
 * Security of the server (issue #6), against a real server on 127.0.0.1 with real fetch / ws / graphql-ws
 * clients: bearer token on HTTP, SSE and WebSocket; refusing a non-loopback host without a token; CORS allow-list
 * (HTTP and WebSocket upgrade); CSRF prevention; request body and prompt limits; query limits (depth, cost,
 * aliases, tokens, directives) that let the SDK through and stop bombs; introspection and field suggestions;
 * WebSocket connection and per-connection operation caps.
 */
import { print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as sdk from '../sdk/generated/graphql.js';
import { newId } from '../src/domain/ids.js';
import { ConfigError, parseConfig } from '../src/server/config.js';
import { bearerToken, tokenMatches } from '../src/server/security.js';
import { removeDir, startTestServer, tempDir, waitFor, type TestServer } from './support/harness.js';
import { createThread, narrow, startTurn, waitForTurnEnd } from './support/ops.js';
import { spawnServerExpectingFailure } from './support/process.js';
import { rawSocket, rawUpgrade, type RawSocket } from './support/rawSocket.js';

const TOKEN = 'the-right-token';
const RUNTIME_EVENTS = 'subscription($s: SafeInt) { runtimeEvents(sinceSeq: $s) { seq name } }';
const wsUrl = (server: TestServer) => server.url.replace('http', 'ws');

async function post(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (e.g. an empty 415)
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** One operation over graphql-ws: resolves with the first result, rejects with the error (a CloseEvent on a close). */
function wsOnce(client: Client, query: string, variables?: Record<string, unknown>): Promise<any> {
  return new Promise((resolve, reject) => {
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          dispose();
          resolve(value);
        },
        error: reject,
        complete: () => resolve(undefined),
      },
    );
  });
}

/** A graphql-ws client whose WebSocket upgrade request carries `headers`. */
function wsClientWithHeaders(server: TestServer, headers: Record<string, string>, connectionParams?: Record<string, unknown>): Client {
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({ url: wsUrl(server), webSocketImpl: HeaderWebSocket, retryAttempts: 0, lazy: true, connectionParams });
}

async function ackedSocket(server: TestServer, payload?: Record<string, unknown>, options?: WebSocket.ClientOptions): Promise<RawSocket> {
  const socket = await rawSocket(server, options);
  socket.send({ type: 'connection_init', payload });
  await socket.waitMessage((m) => m.type === 'connection_ack');
  return socket;
}

async function preflight(server: TestServer, origin: string) {
  const res = await fetch(server.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });
  return res;
}

const LIMIT_MESSAGE = /complexity|depth|breadth|alias|token|directive|limit/i;

describe('bearer token (--auth-token)', () => {
  let server: TestServer;
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    server = await startTestServer({ config: { authToken: TOKEN } });
  });
  afterAll(() => server?.close());

  it('HTTP: no header 401, wrong token 401, another scheme 401, right token 200', async () => {
    const query = { query: '{ runtimeInfo { version } }' };
    const none = await post(server, query);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(none.text).not.toContain('version');
    expect((await post(server, query, { authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await post(server, query, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post(server, query, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect((await post(server, query, { authorization: TOKEN })).status).toBe(401);
    const ok = await post(server, query, auth);
    expect(ok.status).toBe(200);
    expect(ok.json.data.runtimeInfo.version).toBeTruthy();
  });

  it('a refused request changes nothing (a mutation without the token does not run)', async () => {
    const before = (await server.gql('{ threads { totalCount } }', {}, auth)).data.threads.totalCount;
    const res = await post(server, { query: 'mutation { createThread(input: {}) { __typename } }' });
    expect(res.status).toBe(401);
    expect((await server.gql('{ threads { totalCount } }', {}, auth)).data.threads.totalCount).toBe(before);
  });

  it('SSE: a subscription request without the token is 401; with it the stream starts', async () => {
    const body = JSON.stringify({ query: RUNTIME_EVENTS, variables: { s: 0 } });
    const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
    const refused = await fetch(server.url, { method: 'POST', headers, body });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/json');
    await refused.text();

    await createThread(server, {}).catch(() => undefined); // the harness has no token: refused, nothing created
    await server.gql('mutation { createThread(input: {}) { __typename } }', {}, auth);
    const controller = new AbortController();
    const res = await fetch(server.url, { method: 'POST', headers: { ...headers, ...auth }, body, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('thread.started')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('"name":"thread.started"');
  });

  it('graphql-ws: connectionParams { authToken } right is acked; wrong or missing closes 4403', async () => {
    const ok = await wsOnce(server.ws({ authToken: TOKEN }), '{ runtimeInfo { version } }');
    expect(ok.data.runtimeInfo.version).toBeTruthy();
    await expect(wsOnce(server.ws({ authToken: 'wrong' }), '{ __typename }')).rejects.toMatchObject({ code: 4403 });
    await expect(wsOnce(server.ws(), '{ __typename }')).rejects.toMatchObject({ code: 4403 });
    // A raw client sees no ack before the close.
    const raw = await rawSocket(server);
    raw.send({ type: 'connection_init', payload: { authToken: 'wrong' } });
    expect(await raw.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    expect(raw.messages).toEqual([]);
  });

  it("graphql-ws: the token in the upgrade request's Authorization header is accepted; a wrong one is not", async () => {
    const ok = await wsOnce(wsClientWithHeaders(server, auth), '{ runtimeInfo { version } }');
    expect(ok.data.runtimeInfo.version).toBeTruthy();
    await expect(wsOnce(wsClientWithHeaders(server, { authorization: 'Bearer wrong' }), '{ __typename }')).rejects.toMatchObject({ code: 4403 });
  });

  it('/health answers 200 {"status":"ok"} without a token', async () => {
    const res = await fetch(server.url.replace('/graphql', '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('the GraphiQL page loads without a token, but a GET query needs it', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Zagens Runtime');
    expect(html).not.toContain(TOKEN);

    const url = `${server.url}?query=${encodeURIComponent('{ runtimeInfo { version } }')}`;
    const refused = await fetch(url, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(401);
    await refused.text();
    // Asking for HTML with a query in the URL (GraphiQL keeps its editor there) gets the page, never data.
    const htmlWithQuery = await fetch(url, { headers: { accept: 'text/html' } });
    expect(htmlWithQuery.status).toBe(200);
    expect(htmlWithQuery.headers.get('content-type')).toContain('text/html');
    expect(await htmlWithQuery.text()).not.toContain('"runtimeInfo"');
    const ok = await fetch(url, { headers: { accept: 'application/json', ...auth } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data.runtimeInfo.version).toBeTruthy();
  });

  it('compares tokens by value (constant time over digests) and parses only the Bearer scheme', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('a non-loopback --host without a token is refused', () => {
  it('parseConfig throws ConfigError naming --auth-token and --allow-unauthenticated', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      let error: unknown;
      try {
        parseConfig(['--host', host], {});
      } catch (e) {
        error = e;
      }
      expect(error, host).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/--auth-token/);
      expect((error as Error).message).toMatch(/--allow-unauthenticated/);
      expect((error as Error).message).toMatch(/anyone who can reach it/);
    }
  });

  it('is accepted with --allow-unauthenticated, --auth-token, ZAGENS_AUTH_TOKEN or ZAGENS_ALLOW_UNAUTHENTICATED, and on loopback', () => {
    expect(parseConfig(['--host', '0.0.0.0', '--allow-unauthenticated'], {}).allowUnauthenticated).toBe(true);
    expect(parseConfig(['--host', '0.0.0.0', '--auth-token', 'x'], {}).authToken).toBe('x');
    expect(parseConfig(['--host', '0.0.0.0'], { ZAGENS_AUTH_TOKEN: 'from-env' }).authToken).toBe('from-env');
    expect(parseConfig(['--host', '0.0.0.0'], { ZAGENS_ALLOW_UNAUTHENTICATED: '1' }).allowUnauthenticated).toBe(true);
    expect(parseConfig(['--auth-token', 'flag'], { ZAGENS_AUTH_TOKEN: 'env' }).authToken).toBe('flag');
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) expect(parseConfig(['--host', host], {}).host).toBe(host);
    expect(parseConfig([], {}).authToken).toBeNull();
  });

  it('the real process exits 1 with that reason', async () => {
    const dataDir = await tempDir();
    try {
      const { code, stderr } = await spawnServerExpectingFailure(['--host', '0.0.0.0', '--data-dir', dataDir]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/refusing to serve 0\.0\.0\.0 without --auth-token/);
      expect(stderr).toMatch(/--allow-unauthenticated/);
    } finally {
      await removeDir(dataDir);
    }
  });
});

describe('CORS allow-list', () => {
  let server: TestServer;
  let custom: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    custom = await startTestServer({ config: { corsOrigins: ['https://app.example'] } });
  });
  afterAll(async () => {
    await server?.close();
    await custom?.close();
  });

  it('by default a preflight from a loopback dev origin is allowed, one from elsewhere is not', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
      const res = await preflight(server, origin);
      expect(res.headers.get('access-control-allow-origin'), origin).toBe(origin);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    }
    for (const origin of ['https://evil.example', 'http://localhost.evil.example:5173', 'https://localhost:5173', 'null']) {
      const res = await preflight(server, origin);
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
    // An actual request from a disallowed origin gets no CORS header either (the browser withholds the answer).
    const res = await post(server, { query: '{ __typename }' }, { origin: 'https://evil.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('--cors-origin replaces the defaults with the listed origins', async () => {
    expect((await preflight(custom, 'https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect((await preflight(custom, 'http://localhost:5173')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(custom, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the flag is repeatable and the environment variable takes a comma-separated list', () => {
    expect(parseConfig(['--cors-origin', 'https://a.example', '--cors-origin', 'https://b.example'], {}).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseConfig([], { ZAGENS_CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseConfig([], {}).corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*']);
  });

  it('a WebSocket upgrade from a disallowed Origin is refused; same-origin, allowed and Origin-less ones are accepted', async () => {
    await expect(rawSocket(server, { headers: { origin: 'https://evil.example' } })).rejects.toMatchObject({ status: expect.any(Number) });
    const host = new URL(server.url).host;
    for (const origin of [`http://${host}`, 'http://localhost:5173', undefined]) {
      const socket = await ackedSocket(server, undefined, origin ? { headers: { origin } } : {});
      socket.ws.close();
    }
    const allowed = await ackedSocket(custom, undefined, { headers: { origin: 'https://app.example' } });
    allowed.ws.close();
    await expect(rawSocket(custom, { headers: { origin: 'http://localhost:5173' } })).rejects.toThrow(/upgrade refused/);
  });
});

describe('CSRF prevention', () => {
  let server: TestServer;
  let withToken: TestServer;
  const q = encodeURIComponent('{ runtimeInfo { version } }');
  beforeAll(async () => {
    server = await startTestServer();
    withToken = await startTestServer({ config: { authToken: TOKEN } });
  });
  afterAll(async () => {
    await server?.close();
    await withToken?.close();
  });

  it('a GET query needs no x-graphql-yoga-csrf (GET never changes state); a GET mutation is 405 and does not run', async () => {
    const ok = await fetch(`${server.url}?query=${q}`);
    expect(ok.status).toBe(200);
    expect((await ok.json()).data.runtimeInfo.version).toBeTruthy();
    const before = (await server.gql('{ threads { totalCount } }')).data.threads.totalCount;
    const mutation = await fetch(`${server.url}?query=${encodeURIComponent('mutation { createThread(input: {}) { __typename } }')}`);
    expect(mutation.status).toBe(405);
    await mutation.text();
    expect((await server.gql('{ threads { totalCount } }')).data.threads.totalCount).toBe(before);
  });

  it('a POST a browser sends without preflight (text/plain, form) is 403 and does not run', async () => {
    const before = (await server.gql('{ threads { totalCount } }')).data.threads.totalCount;
    const mutation = 'mutation { createThread(input: {}) { __typename } }';
    const plain = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: mutation }) });
    expect(plain.status).toBe(403);
    await plain.text();
    const form = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(mutation)}`,
    });
    expect(form.status).toBe(403);
    await form.text();
    expect((await server.gql('{ threads { totalCount } }')).data.threads.totalCount).toBe(before);
  });

  it('with the header (or a preflighted JSON POST) the request goes through', async () => {
    const json = await post(server, { query: '{ runtimeInfo { version } }' });
    expect(json.status).toBe(200);
    // text/plain with the header passes CSRF, and is then refused as a media type Yoga does not parse.
    const plain = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-graphql-yoga-csrf': '1' },
      body: '{"query":"{ __typename }"}',
    });
    expect(plain.status).toBe(415);
    await plain.text();
  });

  it('with --auth-token the Authorization header counts as the CSRF header (a browser cannot send it cross-site unpreflighted)', async () => {
    const ok = await fetch(`${withToken.url}?query=${q}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    await ok.text();
  });
});

describe('request body limit', () => {
  let server: TestServer;
  let larger: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    larger = await startTestServer({ config: { maxBodyBytes: 4 * 1024 * 1024 } });
  });
  afterAll(async () => {
    await server?.close();
    await larger?.close();
  });

  const count = async (s: TestServer) => (await s.gql('{ threads { totalCount } }')).data.threads.totalCount as number;
  const createWithPadding = (bytes: number) => ({
    query: 'mutation($input: CreateThreadInput!) { createThread(input: $input) { __typename } }',
    variables: { input: { title: 'padded' }, padding: 'x'.repeat(bytes) },
  });

  it('a 2 MiB body is 413 by default and the store is unchanged', async () => {
    const before = await count(server);
    const res = await post(server, createWithPadding(2 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(res.json.errors[0].message).toMatch(/too large/i);
    expect(await count(server)).toBe(before);
    // Just under the limit is fine.
    const small = await post(server, createWithPadding(1000 * 1024));
    expect(small.status).toBe(200);
    expect(small.json.data.createThread.__typename).toBe('CreateThreadPayload');
  });

  it('maxBodyBytes raises it', async () => {
    const before = await count(larger);
    const res = await post(larger, createWithPadding(2 * 1024 * 1024));
    expect(res.status).toBe(200);
    expect(res.json.data.createThread.__typename).toBe('CreateThreadPayload');
    expect(await count(larger)).toBe(before + 1);
    expect((await post(larger, createWithPadding(5 * 1024 * 1024))).status).toBe(413);
  });

  it('a WebSocket message over the limit closes the socket (1009), not the server', async () => {
    // graphql-ws reports the socket's error on console.error ("Internal error emitted on a WebSocket socket").
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const socket = await ackedSocket(server);
      socket.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } } });
      expect((await socket.closed).code).toBe(1009);
    } finally {
      consoleError.mockRestore();
    }
    expect((await server.gql('{ __typename }')).data.__typename).toBe('Query');
  });

  it('the limit is a flag (--max-body-bytes / ZAGENS_MAX_BODY_BYTES), 1 MiB by default', () => {
    expect(parseConfig([], {}).maxBodyBytes).toBe(1024 * 1024);
    expect(parseConfig(['--max-body-bytes', '4096'], {}).maxBodyBytes).toBe(4096);
    expect(parseConfig([], { ZAGENS_MAX_BODY_BYTES: '8192' }).maxBodyBytes).toBe(8192);
  });
});

describe('prompt size limit', () => {
  let server: TestServer;
  let small: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    small = await startTestServer({ config: { maxPromptBytes: 1000 } });
  });
  afterAll(async () => {
    await server?.close();
    await small?.close();
  });

  it('a 300 KiB prompt is a VALIDATION error (typed), and no turn is started', async () => {
    const threadId = await createThread(server);
    const result = await startTurn(server, { threadId, prompt: 'x'.repeat(300 * 1024) });
    expect(result.__typename).toBe('ValidationError');
    expect(narrow(result, 'ValidationError').code).toBe('VALIDATION');
    expect(narrow(result, 'ValidationError').message).toMatch(/prompt.*262144/);
    const turns = await server.gql('query($id: ID!) { thread(id: $id) { turns { totalCount } } }', { id: threadId });
    expect(turns.data.thread.turns.totalCount).toBe(0);
    // 256 KiB exactly is allowed.
    const ok = await startTurn(server, { threadId, prompt: 'y'.repeat(256 * 1024) });
    expect(ok.__typename).toBe('StartTurnPayload');
    await waitForTurnEnd(server, narrow(ok, 'StartTurnPayload').turn.id);
  });

  it('--max-prompt-bytes sets it (default 256 KiB)', async () => {
    expect(parseConfig([], {}).maxPromptBytes).toBe(256 * 1024);
    const threadId = await createThread(small);
    const result = await startTurn(small, { threadId, prompt: 'z'.repeat(1001) });
    expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
  });
});

describe('query limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  /** The SDK's operations, with the variables the SDK sends (pages at their usual and largest sizes). */
  async function sdkCalls(): Promise<{ name: string; kind: string; document: DocumentNode; variables: Record<string, unknown> }[]> {
    const threadId = await createThread(server, { title: 'sdk' });
    const turn = await startTurn(server, { threadId, prompt: 'hello' });
    const ended = await waitForTurnEnd(server, narrow(turn, 'StartTurnPayload').turn.id);
    const turnId = ended.id;
    const itemId = ended.items.nodes[0]!.id;
    const variablesOf: Record<string, Record<string, unknown>[]> = {
      CreateThread: [{ input: { title: 't' } }],
      UpdateThread: [{ input: { threadId, title: 'renamed' } }],
      StartTurn: [{ input: { threadId, prompt: 'again', delivery: 'QUEUE' } }],
      SteerTurn: [{ input: { turnId, prompt: 'steer' } }],
      InterruptTurn: [{ input: { turnId } }],
      CancelQueuedTurn: [{ input: { turnId } }],
      EditQueuedTurn: [{ input: { turnId, prompt: 'edited' } }],
      MoveQueuedTurn: [{ input: { turnId, position: 1 } }],
      EditLastTurn: [{ input: { threadId, content: 'edited' } }],
      ForkThread: [{ input: { threadId } }],
      CompactThread: [{ input: { threadId } }],
      ResolveApproval: [{ input: { approvalId: newId('approval'), decision: 'APPROVE' } }],
      SetRoutingRules: [{ input: { rules: [{ intent: 'code', model: 'deepseek-chat' }] } }],
      SetPricing: [{ input: { table: null } }],
      DeleteThread: [{ input: { threadId: await createThread(server) } }],
      RevertThread: [{ input: { threadId: await createThread(server), beforeTurnId: turnId } }],
      RegisterWebhook: [{ input: { url: 'http://127.0.0.1:1/hook', events: ['*'] } }],
      DeleteWebhook: [{ input: { webhookId: newId('webhook') } }],
      Thread: [{ id: threadId }],
      TurnDiff: [{ id: turnId }],
      Webhooks: [{}],
      WebhookDeliveries: [{}, { limit: 1000 }],
      Threads: [{}, { first: 50 }, { first: 500 }, { last: 500 }],
      ThreadTurns: [
        { id: threadId },
        { id: threadId, first: 50, itemsFirst: 20 },
        { id: threadId, first: 20, itemsFirst: 100 },
        { id: threadId, last: 50, itemsFirst: 20 },
      ],
      Turn: [{ id: turnId }],
      TurnItems: [{ id: turnId }, { id: turnId, first: 500 }, { id: turnId, last: 500 }],
      ItemImages: [{ id: itemId }],
      TurnCost: [{ id: turnId }],
      Item: [{ id: itemId }],
      Node: [{ id: threadId }],
      Nodes: [{ ids: [threadId, turnId, itemId] }, { ids: Array.from({ length: 100 }, () => threadId) }],
      Events: [{ threadId }, { threadId, sinceSeq: 0, limit: 5000 }],
      Usage: [{}, { groupBy: 'DAY' }],
      RoutingRules: [{}],
      PendingApprovals: [{}, { threadId }],
      Approval: [{ id: newId('approval') }],
      RuntimeInfo: [{}],
      Pricing: [{}],
      Models: [{}, { refresh: true }],
      McpServers: [{}],
      PendingClientToolCalls: [{}, { threadId }],
      SubmitToolOutput: [{ input: { callId: itemId, output: 'x' } }],
      ThreadEvents: [{ threadId, sinceSeq: 0 }],
      TurnEvents: [{ turnId }],
      ThreadPresence: [{ threadId }],
      RuntimeEvents: [{ sinceSeq: 0 }],
    };
    const calls = [];
    for (const [exportName, value] of Object.entries(sdk)) {
      if (!exportName.endsWith('Document')) continue;
      const document = value as DocumentNode;
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
      const name = operation.name!.value;
      const sets = variablesOf[name];
      if (!sets) throw new Error(`no variables for the SDK operation ${name}: add them to this test`);
      for (const variables of sets) calls.push({ name, kind: operation.operation, document, variables });
    }
    // Mutations last (DeleteThread and friends change what the queries read), queries and subscriptions first.
    return calls.sort((a, b) => Number(a.kind === 'mutation') - Number(b.kind === 'mutation'));
  }

  it('every operation of the SDK passes the limits (run for real, with its variables)', async () => {
    const calls = await sdkCalls();
    expect(new Set(calls.map((c) => c.name)).size).toBe(46);
    const client = server.ws();
    const problems: string[] = [];
    for (const call of calls) {
      const query = print(call.document);
      const result = call.kind === 'subscription' ? await wsOnce(client, query, call.variables) : await server.gql(query, call.variables);
      const errors: { message: string; extensions?: { code?: string } }[] = result?.errors ?? [];
      // Any error means the operation did not reach or finish its resolvers as the SDK expects (a limit, or
      // variables this test got wrong); a UserError is data, not an error.
      if (errors.length) problems.push(`${call.name} ${JSON.stringify(call.variables).slice(0, 80)}: ${errors.map((e) => e.message).join('; ')}`);
      else expect(result.data, call.name).toBeTruthy();
    }
    expect(problems).toEqual([]);
  });

  it('a nested-connection bomb is refused with a clear error before any resolver runs', async () => {
    const pageThreads = vi.spyOn(server.runtime.store, 'pageThreads');
    const bomb = '{ threads(first:500){edges{node{turns(first:500){edges{node{items(first:500){edges{node{id}}}}}}}}} }';
    const started = Date.now();
    const result = await server.gql(bomb);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.data?.threads ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]?.message).toMatch(/^Query exceeds maximum complexity \(complexity: \d+, max: 100000\)$/);
    expect(pageThreads).not.toHaveBeenCalled();
    // Over graphql-ws too (same envelope, same limits): refused at validation, an error message for the operation.
    await expect(wsOnce(server.ws(), bomb)).rejects.toSatisfy((errors: any) => /maximum complexity/.test(JSON.stringify(errors)));
    expect(pageThreads).not.toHaveBeenCalled();
    pageThreads.mockRestore();
  });

  it('selections nested beyond the depth limit are refused', async () => {
    let selection = 'id';
    for (let i = 0; i < 9; i++) selection = `turns(first: 1) { nodes { thread { ${selection} } } }`;
    const result = await server.gql(`{ threads(first: 1) { nodes { ${selection} } } }`);
    expect(result.errors?.[0]?.message).toMatch(/^Query exceeds maximum depth \(depth: \d+, max: 15\)$/);
  });

  it('a subscription bomb is refused before its stream starts (one error, no event stream)', async () => {
    const threadId = await createThread(server);
    const events = vi.spyOn(server.runtime, 'events');
    try {
      const socket = await ackedSocket(server);
      const bomb = `subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq thread { turns(first:500){edges{node{items(first:500){edges{node{id}}}}}} } } }`;
      socket.send({ id: 'b', type: 'subscribe', payload: { query: bomb, variables: { t: threadId } } });
      const first = await socket.waitMessage((m) => m.id === 'b');
      expect(first.type).toBe('error');
      expect(events).not.toHaveBeenCalled();
      socket.ws.close();
    } finally {
      events.mockRestore();
    }
  });

  it('60 aliases, 100 directives and a huge token count are refused (HTTP and graphql-ws, the socket stays open)', async () => {
    const aliases = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: runtimeInfo { version }`).join(' ')} }`;
    const directives = `{ __typename ${'@include(if: true) '.repeat(100)}}`;
    const tokens = `{ ${'__typename '.repeat(6000)}}`;
    const cases: [string, string, RegExp][] = [
      ['aliases', aliases, /Aliases limit of 30 exceeded, found 60/],
      ['directives', directives, /Directives limit of 50 exceeded, found 100/],
      ['tokens', tokens, /Token limit of 5000 exceeded/],
    ];
    // Within the limits, the same shapes are fine.
    expect((await server.gql(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: runtimeInfo { version }`).join(' ')} }`)).errors).toBeUndefined();
    const fiftyDirectives = `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: __typename @include(if: true) @skip(if: false)`).join(' ')} }`;
    expect((await server.gql(fiftyDirectives)).errors).toBeUndefined();

    const socket = await ackedSocket(server);
    for (const [name, query, message] of cases) {
      const http = await post(server, { query });
      expect(http.json.data ?? null, name).toBeNull();
      expect(http.json.errors?.[0]?.message, name).toMatch(message);
      expect(http.status, name).toBeLessThan(500);
      socket.send({ id: name, type: 'subscribe', payload: { query } });
      const reply = await socket.waitMessage((m) => m.id === name);
      expect(reply.type, name).toBe('error');
      expect(reply.payload[0].message, name).toMatch(message);
    }
    // The connection survived every refusal and still serves.
    socket.send({ id: 'after', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect((await socket.waitMessage((m) => m.id === 'after' && m.type === 'next')).payload.data.__typename).toBe('Query');
    socket.ws.close();
  });

  it('depth and cost limits are flags (--max-query-depth, --max-query-complexity)', async () => {
    expect(parseConfig([], {})).toMatchObject({ maxQueryDepth: 15, maxQueryComplexity: 100_000 });
    expect(parseConfig(['--max-query-depth', '4', '--max-query-complexity', '10'], {})).toMatchObject({ maxQueryDepth: 4, maxQueryComplexity: 10 });
    const strict = await startTestServer({ config: { maxQueryComplexity: 10, maxQueryDepth: 3 } });
    try {
      expect((await strict.gql('{ threads(first: 20) { nodes { id } } }')).errors?.[0]?.message).toMatch(/maximum complexity .*max: 10\)/);
      expect((await strict.gql('{ threads(first: 1) { nodes { turns(first: 1) { nodes { id } } } } }')).errors?.[0]?.message).toMatch(
        /maximum depth/,
      );
      expect((await strict.gql('{ runtimeInfo { version } }')).errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});

describe('introspection and field suggestions', () => {
  let open: TestServer;
  let closed: TestServer;
  beforeAll(async () => {
    open = await startTestServer();
    closed = await startTestServer({ config: { introspection: false } });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it('with introspection off, __schema and __type are refused; __typename still works', async () => {
    const schema = await closed.gql('{ __schema { queryType { name } } }');
    expect(schema.data ?? null).toBeNull();
    expect(schema.errors?.[0]?.message).toMatch(/introspection has been disabled/);
    expect((await closed.gql('{ __type(name: "Query") { name } }')).errors?.[0]?.message).toMatch(/introspection has been disabled/);
    expect((await closed.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    const viaWs = await wsOnce(closed.ws(), '{ __schema { queryType { name } } }').catch((e) => e);
    expect(JSON.stringify(viaWs)).toMatch(/introspection has been disabled/);
    // And on by default.
    expect((await open.gql('{ __schema { queryType { name } } }')).data.__schema.queryType.name).toBe('Query');
  });

  it('with introspection off a typo gets no "Did you mean"; with it on the suggestion is there', async () => {
    const typo = '{ runtimeInf { version } }';
    const hidden = await closed.gql(typo);
    expect(hidden.errors?.[0]?.message).toMatch(/Cannot query field "runtimeInf"/);
    expect(JSON.stringify(hidden)).not.toMatch(/Did you mean|runtimeInfo/);
    const viaWs = await wsOnce(closed.ws(), typo).catch((e) => e);
    expect(JSON.stringify(viaWs)).toMatch(/Cannot query field/);
    expect(JSON.stringify(viaWs)).not.toMatch(/Did you mean|runtimeInfo/);
    const shown = await open.gql(typo);
    expect(shown.errors?.[0]?.message).toMatch(/Did you mean "runtimeInfo"\?/);
  });

  it('--no-introspection turns it off', () => {
    expect(parseConfig([], {}).introspection).toBe(true);
    expect(parseConfig(['--no-introspection'], {}).introspection).toBe(false);
  });
});

describe('WebSocket caps', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { maxWsConnections: 3, maxOperationsPerConnection: 2 } });
  });
  afterAll(() => server?.close());

  it('maxWsConnections: 3 → the 4th upgrade is answered HTTP 503 with Retry-After (never accepted); once one closes, a new one is accepted', async () => {
    const sockets = [await ackedSocket(server), await ackedSocket(server), await ackedSocket(server)];
    const fourth = await rawUpgrade(server);
    expect(fourth.status).toBe(503);
    expect(fourth.headers['retry-after']).toBe('5');
    expect(fourth.headers['content-type']).toBe('application/json');
    expect(JSON.parse(fourth.body).errors[0]).toMatchObject({
      message: expect.stringMatching(/too many open connections/),
      extensions: { code: 'LIMIT' },
    });
    // Refused upgrades hold no slot: many in a row leave the cap as it was.
    for (let i = 0; i < 5; i++) expect((await rawUpgrade(server)).status).toBe(503);
    await expect(rawSocket(server)).rejects.toMatchObject({ status: 503 });
    // The three are unaffected.
    for (const [i, s] of sockets.entries()) {
      s.send({ id: `q${i}`, type: 'subscribe', payload: { query: '{ __typename }' } });
      await s.waitMessage((m) => m.id === `q${i}` && m.type === 'next');
    }
    sockets[0]?.ws.close();
    await sockets[0]?.closed;
    const replacement = await waitFor(
      async () => {
        const s = await rawSocket(server);
        s.send({ type: 'connection_init' });
        const outcome = await Promise.race([s.waitMessage((m) => m.type === 'connection_ack').then(() => 'ack'), s.closed.then(() => 'closed')]);
        return outcome === 'ack' ? s : null;
      },
      3000,
      'a connection to be accepted again',
    );
    replacement.ws.close();
    for (const s of sockets.slice(1)) s.ws.close();
    await Promise.all(sockets.map((s) => s.closed));
  });

  it('maxOperationsPerConnection: 2 → a 3rd subscription gets an error for its id; the first two keep working; after completing one a new one is accepted', async () => {
    const socket = await ackedSocket(server);
    // Sent together: the cap must hold even when the subscribes arrive in one burst.
    for (const id of ['1', '2', '3']) socket.send({ id, type: 'subscribe', payload: { query: RUNTIME_EVENTS } });
    const refused = await socket.waitMessage((m) => m.id === '3');
    expect(refused).toMatchObject({
      type: 'error',
      payload: [{ message: 'too many operations on this connection (at most 2)', extensions: { code: 'LIMIT' } }],
    });
    expect(socket.messages.filter((m) => m.type === 'error')).toHaveLength(1);

    const first = await createThread(server);
    await socket.waitMessage((m) => m.id === '1' && m.type === 'next');
    await socket.waitMessage((m) => m.id === '2' && m.type === 'next');
    expect(socket.messages.filter((m) => m.type === 'next').map((m) => [m.id, m.payload.data.runtimeEvents.name])).toEqual([
      ['1', 'thread.started'],
      ['2', 'thread.started'],
    ]);
    expect(first).toBeTruthy();

    socket.send({ id: '1', type: 'complete' });
    // The slot comes back once the server has ended the stream (no event needs to arrive for that).
    let attempt = 0;
    const accepted = await waitFor(
      async () => {
        const id = `new${attempt++}`;
        socket.send({ id, type: 'subscribe', payload: { query: RUNTIME_EVENTS } });
        await new Promise((r) => setTimeout(r, 30));
        return socket.messages.some((m) => m.id === id && m.type === 'error') ? null : id;
      },
      2000,
      'a new subscription to be accepted',
    );
    expect(attempt).toBeLessThanOrEqual(2);
    socket.messages.length = 0;
    await createThread(server);
    await socket.waitMessage((m) => m.id === accepted && m.type === 'next');
    await socket.waitMessage((m) => m.id === '2' && m.type === 'next');
    expect(socket.messages.filter((m) => m.id === '1')).toEqual([]);
    socket.ws.close();
  });

  it('the caps are flags (--max-ws-connections, --max-operations-per-connection)', () => {
    expect(parseConfig([], {})).toMatchObject({ maxWsConnections: 1000, maxOperationsPerConnection: 100 });
    expect(parseConfig(['--max-ws-connections', '5', '--max-operations-per-connection', '7'], {})).toMatchObject({
      maxWsConnections: 5,
      maxOperationsPerConnection: 7,
    });
  });
});
