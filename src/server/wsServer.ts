import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from './logger.js';

export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

const KEEP_ALIVE_MS = 12_000;

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
      socket.close(CloseCode.InternalServerError, 'Internal server error');
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
              socket.close(CloseCode.InternalServerError, 'Internal server error');
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
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
