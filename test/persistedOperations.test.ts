/**
 * Persisted operations (--persisted-operations off|allow|only): the SDK's documents sent as their codegen hash,
 * over HTTP (Yoga's persisted-operations plugin) and graphql-ws, against real servers.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZagensClient, expectPayload, textDelta, ZagensGraphQLError, type ZagensClient } from '../sdk/client.js';
import { CreateThreadDocument, RuntimeInfoDocument, StartTurnDocument } from '../sdk/generated/graphql.js';
import { parseConfig } from '../src/server/config.js';
import { SDK_PERSISTED_DOCUMENTS } from '../src/server/persistedOperations.js';
import { startTestServer, subscribe, tempDir, type TestServer } from './support/harness.js';

const manifest = JSON.parse(await readFile(SDK_PERSISTED_DOCUMENTS, 'utf8')) as Record<string, string>;
const hashOf = (document: unknown) => ((document as { __meta__: { hash: string } }).__meta__.hash as string).replace(/^sha256:/, '');
const ARBITRARY = '{ runtimeInfo { version } }';

/** POST a body as a client would, returning the status and the parsed body. */
async function post(server: TestServer, body: Record<string, unknown>) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const byHash = (document: unknown, variables: Record<string, unknown> = {}) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(document) } },
});

async function runTurnByHash(client: ZagensClient) {
  const { thread } = expectPayload((await client.request(CreateThreadDocument, { input: {} })).createThread, 'CreateThreadPayload');
  const { turn } = expectPayload(
    (await client.request(StartTurnDocument, { input: { threadId: thread.id, prompt: 'By hash' } })).startTurn,
    'StartTurnPayload',
  );
  let text = '';
  for await (const e of client.threadEvents({ threadId: thread.id, until: (e) => e.name === 'turn.completed' && e.turnId === turn.id }))
    text += textDelta(e) ?? '';
  return text;
}

it("the SDK's manifest has one hash per operation, sha256 of the document it names", async () => {
  const { createHash } = await import('node:crypto');
  const operations = (await Promise.all(['queries', 'mutations', 'subscriptions'].map((f) => readFile(`sdk/operations/${f}.graphql`, 'utf8'))))
    .join('\n')
    .match(/^(query|mutation|subscription) /gm);
  expect(Object.keys(manifest).length).toBe(operations!.length);
  for (const [hash, document] of Object.entries(manifest)) expect(hash).toBe(`sha256:${createHash('sha256').update(document).digest('hex')}`);
  expect(manifest[`sha256:${hashOf(CreateThreadDocument)}`]).toMatch(/^fragment ThreadFields .* mutation CreateThread/);
});

it('the flag and its environment variable; off by default; a bad mode is refused', () => {
  expect(parseConfig([], {}).persistedOperations).toBe('off');
  expect(parseConfig(['--persisted-operations', 'only'], {}).persistedOperations).toBe('only');
  expect(parseConfig([], { ZAGENS_PERSISTED_OPERATIONS: 'allow' }).persistedOperations).toBe('allow');
  expect(parseConfig(['--persisted-operations-file', 'ops.json'], {}).persistedOperationsFile).toBe('ops.json');
  expect(() => parseConfig(['--persisted-operations', 'sometimes'], {})).toThrow(/sometimes/);
});

describe('off (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('runs documents as before, and a hash alone is not a query', async () => {
    expect((await post(server, { query: ARBITRARY })).body.data.runtimeInfo.version).toEqual(expect.any(String));
    const { status, body } = await post(server, byHash(RuntimeInfoDocument));
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/query/i);
  });
});

describe('allow', () => {
  let server: TestServer;
  let client: ZagensClient;
  beforeAll(async () => {
    server = await startTestServer({ config: { persistedOperations: 'allow' } });
    client = createZagensClient({ url: server.url, persistedOperations: true });
  });
  afterAll(async () => {
    await client?.dispose();
    await server?.close();
  });

  it("runs the SDK's operations sent as hashes (HTTP and graphql-ws), and arbitrary documents too", async () => {
    expect(await runTurnByHash(client)).toContain('You said: "By hash"');
    expect((await post(server, { query: ARBITRARY })).body.data.runtimeInfo.version).toEqual(expect.any(String));
    // The hash also works prefixed as the manifest writes it, and as `documentId`.
    const asDocumentId = await post(server, { documentId: `sha256:${hashOf(RuntimeInfoDocument)}` });
    expect(asDocumentId.body.data?.runtimeInfo.engine).toBe('offline');
  });

  it('refuses an unknown hash with a clear error', async () => {
    const { status, body } = await post(server, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
      message: expect.stringMatching(/no persisted operation has the hash "f{64}"/),
    });
  });
});

describe('only', () => {
  let server: TestServer;
  let client: ZagensClient;
  beforeAll(async () => {
    server = await startTestServer({ config: { persistedOperations: 'only' } });
    client = createZagensClient({ url: server.url, persistedOperations: true });
  });
  afterAll(async () => {
    await client?.dispose();
    await server?.close();
  });

  it("runs the SDK's operations sent as hashes, over HTTP and graphql-ws", async () => {
    expect(await runTurnByHash(client)).toContain('You said: "By hash"');
    const { body } = await post(server, byHash(RuntimeInfoDocument));
    expect(body.data.runtimeInfo.engine).toBe('offline');
  });

  it('refuses an arbitrary document over HTTP with a clear error (also one that happens to be an SDK document)', async () => {
    for (const query of [ARBITRARY, manifest[`sha256:${hashOf(RuntimeInfoDocument)}`]]) {
      const { status, body } = await post(server, { query });
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]).toMatchObject({
        extensions: { code: 'PERSISTED_QUERY_ONLY' },
        message: expect.stringMatching(/runs only persisted operations/),
      });
    }
    // The SDK client without the option sends documents: refused the same way, with the code.
    const plain = createZagensClient({ url: server.url });
    const error = (await plain.request(RuntimeInfoDocument).catch((e: unknown) => e)) as ZagensGraphQLError;
    expect(error).toBeInstanceOf(ZagensGraphQLError);
    expect(error.code).toBe('PERSISTED_QUERY_ONLY');
  });

  it('refuses an arbitrary document over graphql-ws, and an unknown hash', async () => {
    const ws = server.ws();
    await expect(subscribe(ws, 'subscription { runtimeEvents { seq } }', {}).done).rejects.toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/runs only persisted operations/),
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_ONLY' }),
      }),
    ]);
    const unknown = new Promise((resolve, reject) => {
      ws.subscribe(
        { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } },
        { next: resolve, error: reject, complete: () => resolve('complete') },
      );
    });
    await expect(unknown).rejects.toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } })]);
  });
});

describe('--persisted-operations-file', () => {
  it('serves the hashes of the given manifest, and refuses to start on an unreadable one', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'ops.json');
    await writeFile(file, JSON.stringify({ abc123: 'query Version { runtimeInfo { version } }' }));
    const server = await startTestServer({ config: { persistedOperations: 'only', persistedOperationsFile: file } });
    try {
      const { body } = await post(server, { documentId: 'abc123' });
      expect(body.data.runtimeInfo.version).toEqual(expect.any(String));
      expect((await post(server, byHash(RuntimeInfoDocument))).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await server.close();
    }
    await expect(
      startTestServer({ config: { persistedOperations: 'only', persistedOperationsFile: path.join(dir, 'missing.json') } }),
    ).rejects.toThrow(/cannot read the persisted documents .*missing\.json \(ENOENT\)/);
  });
});
