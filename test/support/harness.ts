import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import pino from 'pino';
import { createZagensClient, type ZagensClient } from '../../sdk/client.js';
import { OfflineEngine } from '../../src/engine/offlineEngine.js';
import type { Engine } from '../../src/engine/types.js';
import type { RuntimeConfig } from '../../src/runtime/config.js';
import { parseConfig, type ServerConfig } from '../../src/server/config.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { Store } from '../../src/store/store.js';

export interface TestServer extends RunningServer {
  /** Test servers use LevelDB (the PostgreSQL tests spawn real processes). */
  store: Store;
  dataDir: string;
  workspace: string;
  /** POST a GraphQL operation; returns the parsed body (data and errors). */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  /** The project's typed SDK client on this server: `await server.sdk.request(TurnDocument, { id })`. */
  sdk: ZagensClient;
  ws(connectionParams?: Record<string, unknown>): Client;
  /** Restarts on the same data directory. */
  restart(): Promise<TestServer>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  engine?: Engine;
  config?: Partial<ServerConfig>;
  runtime?: Partial<RuntimeConfig>;
  wsHighWaterBytes?: number;
  dataDir?: string;
  workspace?: string;
  /** The server's logger (default: silent, or TEST_LOG's level). */
  logger?: pino.Logger;
}

export async function tempDir(prefix = 'zagens-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A real server on 127.0.0.1 with a random port and a LevelDB in a temp dir. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDir());
  const workspace = options.workspace ?? (await tempDir('zagens-ws-'));
  const config: ServerConfig = { ...parseConfig([], {}), port: 0, dataDir, workspace, logLevel: 'silent', ...options.config };
  const running = await startServer(config, {
    engine: options.engine ?? new OfflineEngine(1),
    logger: options.logger ?? pino({ level: process.env.TEST_LOG ?? 'silent' }),
    runtime: { deltaFlushMs: 5, ...options.runtime },
    wsHighWaterBytes: options.wsHighWaterBytes,
  });
  const clients: Client[] = [];
  const sdk = createZagensClient({ url: running.url, webSocketImpl: WebSocket });
  const server: TestServer = {
    ...running,
    store: running.store as Store,
    dataDir,
    workspace,
    sdk,
    async gql(query, variables, headers = {}) {
      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return res.json() as never;
    },
    ws(connectionParams) {
      const client = createClient({
        url: running.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      return client;
    },
    async restart() {
      await server.close();
      return startTestServer({ ...options, dataDir, workspace });
    },
    async close() {
      await Promise.all([...clients.map((c) => c.dispose()), sdk.dispose()]);
      await running.stop();
    },
  };
  return server;
}

/**
 * Collects a subscription's events until `until` returns true (or the stream ends). Behaviour tests pass an SDK
 * document (typed values); a query string is for tests of the wire protocol itself.
 */
export function subscribe<T, V extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<T, V>,
  variables: V,
  until?: (value: T, all: T[]) => boolean,
): { values: T[]; done: Promise<T[]>; unsubscribe: () => void };
export function subscribe<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  until?: (value: T, all: T[]) => boolean,
): { values: T[]; done: Promise<T[]>; unsubscribe: () => void };
export function subscribe<T>(
  client: Client,
  document: string | TypedDocumentNode<T, Record<string, unknown>>,
  variables: Record<string, unknown>,
  until: (value: T, all: T[]) => boolean = () => false,
) {
  const query = typeof document === 'string' ? document : print(document);
  const values: T[] = [];
  let unsubscribe = () => {};
  const done = new Promise<T[]>((resolve, reject) => {
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
          values.push(result.data as T);
          if (until(result.data as T, values)) {
            unsubscribe();
            resolve(values);
          }
        },
        error: reject,
        complete: () => resolve(values),
      },
    );
  });
  return { values, done, unsubscribe: () => unsubscribe() };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Stops a test server and removes its data directory and workspace. */
export async function closeAndRemove(server: TestServer): Promise<void> {
  await server.close();
  await removeDir(server.dataDir);
  await removeDir(server.workspace);
}
