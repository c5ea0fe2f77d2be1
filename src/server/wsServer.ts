import type { IncomingMessage, Server } from 'node:http';
import { handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES } from '../domain/closeCodes.js';
import type { HostPolicy } from './hostCheck.js';
import type { Logger } from './logger.js';
import { isSameOrigin, originAllowed } from './security.js';
import type { StreamSlots } from './streamSlots.js';

export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

const KEEP_ALIVE_MS = 12_000;

export interface WebSocketServerOptions {
  maxPayload: number;
  /** The Host names served (set when the server binds). */
  hosts: () => HostPolicy;
  corsOrigins: readonly string[];
  /** Shared with HTTP streams; a socket past the cap is closed with TRY_AGAIN_LATER. */
  slots: StreamSlots;
}

/** The `ws` server on the HTTP server's /graphql: origin and Host checks at the upgrade, the connection cap after. */
export function createWebSocketServer(server: Server, { maxPayload, hosts, corsOrigins, slots }: WebSocketServerOptions): WebSocketServer {
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload,
    // A browser page from an origin we do not allow must not ride on the user's loopback access. Same origin
    // counts only for the server's own names: the Host header is the attacker's to choose.
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      hosts().allows(req.headers.host) &&
      (!origin || (hosts().isOwnName(req.headers.host) && isSameOrigin(origin, req.headers.host)) || originAllowed(origin, corsOrigins)),
  });
  // ws re-emits the http server's errors (e.g. EADDRINUSE from listen); start() reports those, and an `error`
  // event without a listener would crash the process instead.
  wss.on('error', () => undefined);
  wss.on('connection', (socket) => {
    if (!slots.take()) {
      socket.close(CLOSE_CODES.TRY_AGAIN_LATER, 'too many connections; try again later');
      return;
    }
    socket.once('close', () => slots.release());
  });
  return wss;
}

/**
 * graphql-ws on a `ws` server, like graphql-ws's own `use/ws` adapter but for two things: a message is handed
 * to the socket without waiting for its write to finish (the adapter's awaited send cost one event-loop turn
 * per event per subscriber; backpressure is the subscription's `writable` check on the send buffer), and
 * internal errors go to our logger.
 */
export function serveGraphqlWs(options: ServerOptions<Record<string, unknown> | undefined, WsExtra>, wss: WebSocketServer, logger: Logger) {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;

  wss.on('connection', (socket, request) => {
    socket.once('error', (err) => {
      logger.error({ err }, 'WebSocket error');
      socket.close(CLOSE_CODES.INTERNAL_SERVER_ERROR, 'Internal server error');
    });
    // Keep-alive: a peer that stops answering pings is dropped.
    let pongWait: NodeJS.Timeout | null = null;
    const ping = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);

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
