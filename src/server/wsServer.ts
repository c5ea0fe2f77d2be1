import type { IncomingMessage, Server } from 'node:http';
import { handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES } from '../domain/closeCodes.js';
import type { HostPolicy } from './hostCheck.js';
import type { Logger } from './logger.js';
import { isSameOrigin, originAllowed } from './security.js';
import { CAP_RETRY_AFTER_SECONDS, capRefusalBody, type StreamSlots } from './streamSlots.js';

export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** How often each WebSocket is pinged by default (--ws-keepalive); one that has not answered by then is dropped. */
export const DEFAULT_WS_KEEPALIVE_MS = 12_000;

export interface WebSocketServerOptions {
  maxPayload: number;
  /** The Host names served (set when the server binds). */
  hosts: () => HostPolicy;
  corsOrigins: readonly string[];
  /** Shared with HTTP streams; an upgrade past the cap is answered 503 with Retry-After. */
  slots: StreamSlots;
}

/** The `ws` server on the HTTP server's /graphql: origin, Host and the connection cap are checked at the upgrade. */
export function createWebSocketServer(server: Server, { maxPayload, hosts, corsOrigins, slots }: WebSocketServerOptions): WebSocketServer {
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload,
    // A browser page from an origin we do not allow must not ride on the user's loopback access. Same origin
    // counts only for the server's own names: the Host header is the attacker's to choose.
    verifyClient: (
      { origin, req }: { origin?: string; req: IncomingMessage },
      answer: (ok: boolean, status?: number, body?: string, headers?: Record<string, string>) => void,
    ) => {
      const allowed =
        hosts().allows(req.headers.host) &&
        (!origin || (hosts().isOwnName(req.headers.host) && isSameOrigin(origin, req.headers.host)) || originAllowed(origin, corsOrigins));
      if (!allowed) return answer(false, 401);
      // Refused before the upgrade (HTTP 503 + Retry-After, like an HTTP stream past the cap), not accepted then
      // closed. The slot is the TCP connection's: released when it closes, also when the upgrade fails after this.
      if (!slots.take()) {
        return answer(false, 503, capRefusalBody(slots.max), { 'Content-Type': 'application/json', 'Retry-After': String(CAP_RETRY_AFTER_SECONDS) });
      }
      req.socket.once('close', () => slots.release());
      answer(true);
    },
  });
  // ws re-emits the http server's errors (e.g. EADDRINUSE from listen); start() reports those, and an `error`
  // event without a listener would crash the process instead.
  wss.on('error', () => undefined);
  return wss;
}

/**
 * graphql-ws on a `ws` server, like graphql-ws's own `use/ws` adapter but for two things: a message is handed
 * to the socket without waiting for its write to finish (the adapter's awaited send cost one event-loop turn
 * per event per subscriber; backpressure is the subscription's `writable` check on the send buffer), and
 * internal errors go to our logger.
 */
export function serveGraphqlWs(
  options: ServerOptions<Record<string, unknown> | undefined, WsExtra>,
  wss: WebSocketServer,
  logger: Logger,
  keepAliveMs: number,
) {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;

  wss.on('connection', (socket, request) => {
    socket.once('error', (err) => {
      logger.error({ err }, 'WebSocket error');
      socket.close(CLOSE_CODES.INTERNAL_SERVER_ERROR, 'Internal server error');
    });
    // Keep-alive: a peer that stops answering pings is dropped (its subscriptions end, so presence counts it out).
    let pongWait: NodeJS.Timeout | null = null;
    const ping = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, keepAliveMs);

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState === socket.OPEN) socket.send(data);
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (message) => {
            handle(String(message)).catch((err: unknown) => {
              logger.error({ err }, 'graphql-ws message handling failed');
              socket.close(CLOSE_CODES.INTERNAL_SERVER_ERROR, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );

    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(ping);
      void closed(code, String(reason));
    });
  });

  return {
    dispose: async () => {
      for (const client of wss.clients) client.close(CLOSE_CODES.GOING_AWAY, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
