/**
 * Real server processes on one PostgreSQL database (README "Running more than one node"): one embedded
 * PostgreSQL and one fake provider per test file, a fresh database per test, every process killed and its data
 * directory removed after each test. Call inside a describe.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startFakeProvider, type FakeProvider, type StreamReply } from './fakeProvider.js';
import { removeDir, tempDir } from './harness.js';
import { useTestPostgres, type TestPostgres } from './postgres.js';
import { spawnServer, spawnServerExpectingFailure, type ServerProcess } from './process.js';

export interface PostgresNodes {
  postgres: () => TestPostgres;
  fake: () => FakeProvider;
  /** A new empty database of this file's PostgreSQL server. */
  database(): Promise<string>;
  /** Starts one node on `url` (its own data directory and workspace) with the fake provider as its engine. */
  node(url: string, extra?: string[]): Promise<ServerProcess>;
  /** `count` nodes, one after another, on a new database (or `url`). */
  nodes(count: number, extra?: string[], url?: string): Promise<ServerProcess[]>;
  /** Starts a node that must refuse to start: its exit code and stderr. */
  refusedNode(url: string, extra?: string[]): Promise<{ code: number | null; stderr: string }>;
  /** A graphql-ws client on a node (disposed after the test). */
  ws(node: ServerProcess): Client;
}

/** `count` words streamed `delayMs` apart: a turn that runs for a while. */
export const streaming = (count: number, delayMs: number): StreamReply => ({
  kind: 'stream',
  chunks: Array.from({ length: count }, (_, i) => ({ content: `w${i} `, delayMs })),
});

export function usePostgresNodes(prefix: string): PostgresNodes {
  const postgres = useTestPostgres();
  let fake: FakeProvider | undefined;
  let dirs: string[] = [];
  let servers: ServerProcess[] = [];
  let clients: Client[] = [];
  let databases = 0;

  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(async () => {
    await fake?.close();
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all(servers.map((s) => s.kill()));
    await Promise.all(dirs.map((d) => removeDir(d)));
    servers = [];
    dirs = [];
    clients = [];
    fake?.scriptFn(undefined);
  });

  const provider = () => {
    if (!fake) throw new Error('fake provider not started');
    return fake;
  };

  async function nodeArgs(url: string, extra: string[]): Promise<string[]> {
    const dir = await tempDir();
    dirs.push(dir);
    return [
      '--database-url',
      url,
      '--data-dir',
      dir,
      '--workspace',
      dir,
      '--engine',
      'openai',
      '--base-url',
      provider().baseURL,
      '--api-key',
      'test',
      ...extra,
    ];
  }

  const api: PostgresNodes = {
    postgres,
    fake: provider,
    database: () => postgres().createDatabase(`${prefix}_${++databases}`),
    async node(url, extra = []) {
      const server = await spawnServer(await nodeArgs(url, extra));
      servers.push(server);
      return server;
    },
    async nodes(count, extra = [], url) {
      const database = url ?? (await api.database());
      const started: ServerProcess[] = [];
      for (let i = 0; i < count; i++) started.push(await api.node(database, extra));
      return started;
    },
    async refusedNode(url, extra = []) {
      return spawnServerExpectingFailure(await nodeArgs(url, extra));
    },
    ws(node) {
      const client = createClient({ url: node.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
      clients.push(client);
      return client;
    },
  };
  return api;
}
