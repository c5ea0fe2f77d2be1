import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';
import type { Runtime } from '../runtime/runtime.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../schema/context.js';
import { hostPolicy } from './hostCheck.js';
import { createHttpServer } from './httpServer.js';
import type { Logger } from './logger.js';
import type { PersistedOperations } from './persistedOperations.js';
import { DEFAULT_CORS_ORIGINS, DEFAULT_HOST } from './security.js';
import { StreamSlots } from './streamSlots.js';
import { graphqlWsOptions, OpenOperations } from './wsOptions.js';
import { createWebSocketServer, DEFAULT_WS_KEEPALIVE_MS, serveGraphqlWs } from './wsServer.js';
import { createZagensYoga, type ZagensYoga } from './yoga.js';

export { MAX_BATCH_OPERATIONS } from './yoga.js';

export interface SecurityOptions {
  /** Bearer token required on every request but /health; null: no auth. */
  authToken: string | null;
  corsOrigins: readonly string[];
  maxBodyBytes: number;
  introspection: boolean;
  /** Host names served besides loopback ones (DNS rebinding guard); see hostCheck.ts. */
  allowedHosts: readonly string[];
  /** Open WebSockets and HTTP streams (SSE, multipart) together. */
  maxWsConnections: number;
  /** Operations open at once on one WebSocket (subscriptions and in-flight queries). */
  maxOperationsPerConnection: number;
  queryLimits: QueryLimits;
  /** Aliases, tokens and directives of one operation (graphql-armor). */
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Operations sent as hashes of known documents (--persisted-operations); null: off. */
  persistedOperations: PersistedOperations | null;
}

export const DEFAULT_SECURITY: SecurityOptions = {
  authToken: null,
  corsOrigins: DEFAULT_CORS_ORIGINS,
  maxBodyBytes: 1024 * 1024,
  introspection: true,
  allowedHosts: [],
  maxWsConnections: 1000,
  maxOperationsPerConnection: 100,
  queryLimits: DEFAULT_QUERY_LIMITS,
  maxAliases: 30,
  maxTokens: 5000,
  maxDirectives: 50,
  persistedOperations: null,
};

export interface AppOptions {
  runtime: Runtime;
  logger: Logger;
  security?: Partial<SecurityOptions>;
  /** Send buffer of a WebSocket past which a subscription waits for the client to read. */
  wsHighWaterBytes?: number;
  /** WebSocket ping interval; a socket that has not answered within as long again is dropped. */
  wsKeepAliveMs?: number;
}

export interface App {
  server: Server;
  wss: WebSocketServer;
  yoga: ZagensYoga;
  /** Listens; resolves with the real address (also when port is 0). */
  start(port: number, host?: string): Promise<{ host: string; port: number; url: string }>;
  /** Takes no new connection, request or subscription; what runs goes on (shutdown, first step). */
  stopAccepting(): void;
  /**
   * Closes every connection once the operations on it have finished (subscriptions end when the runtime ends
   * its event streams), at most `graceMs` later. Does not close the store.
   */
  close(graceMs?: number): Promise<void>;
  /** stopAccepting, then close at once (without waiting for streams). */
  stop(): Promise<void>;
}

const WS_HIGH_WATER = 1 << 20;

/**
 * One node:http server carrying Yoga (GraphQL over HTTP, SSE, GraphiQL; its plugins in yoga.ts) and graphql-ws
 * on the same path (wsOptions.ts: every operation goes through the same Yoga plugins).
 */
export function buildApp({
  runtime,
  logger,
  security: overrides,
  wsHighWaterBytes = WS_HIGH_WATER,
  wsKeepAliveMs = DEFAULT_WS_KEEPALIVE_MS,
}: AppOptions): App {
  const security: SecurityOptions = { ...DEFAULT_SECURITY, ...overrides };
  // Set by start(): which Host names are served depends on the address bound.
  let hosts = hostPolicy(DEFAULT_HOST, security.allowedHosts);
  let accepting = true;
  const slots = new StreamSlots(security.maxWsConnections);
  const operations = new OpenOperations();
  const yoga = createZagensYoga(runtime, logger, slots, security);
  const server = createHttpServer({ yoga, logger, hosts: () => hosts, isAccepting: () => accepting });
  const wss = createWebSocketServer(server, { maxPayload: security.maxBodyBytes, hosts: () => hosts, corsOrigins: security.corsOrigins, slots });
  const wsServer = serveGraphqlWs(
    graphqlWsOptions({ ...security, yoga, wsHighWaterBytes, operations, isAccepting: () => accepting }),
    wss,
    logger,
    wsKeepAliveMs,
  );

  let serverClosed: Promise<void> | null = null;
  const stopAccepting = (): void => {
    if (!accepting) return;
    accepting = false;
    // No new connections; resolves when the open ones have ended (`close` below).
    serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const close = async (graceMs = 5_000): Promise<void> => {
    const deadline = Date.now() + graceMs;
    // graphql-ws sends `complete` for a subscription that ended: wait for those, then close each socket.
    while (operations.anyOpen(wss.clients) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setImmediate(resolve)); // the last `complete` is sent after onComplete
    await wsServer.dispose();
    // SSE and other HTTP responses end when their stream does; idle keep-alive connections go now.
    stopAccepting();
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([serverClosed, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    server.closeAllConnections();
    await serverClosed;
  };

  const start = (port: number, host = DEFAULT_HOST) =>
    new Promise<{ host: string; port: number; url: string }>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        hosts = hostPolicy(host, security.allowedHosts);
        const address = server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve({ host: address.address, port: address.port, url: `http://${shownHost}:${address.port}/graphql` });
      });
    });

  const stop = async (): Promise<void> => {
    stopAccepting();
    await close(0);
  };

  return { server, wss, yoga, start, stopAccepting, close, stop };
}
