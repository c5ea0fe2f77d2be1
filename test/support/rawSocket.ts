/** A raw graphql-transport-ws client for tests that look at every message and at how the socket closes. */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import WebSocket from 'ws';
import type { TestServer } from './harness.js';

type Json = any;

export interface RawSocket {
  ws: WebSocket;
  messages: Json[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message (received so far or later) that `match` accepts. */
  waitMessage(match: (m: Json) => boolean, timeoutMs?: number): Promise<Json>;
}

/** A raw graphql-transport-ws socket; rejects when the upgrade is refused (with the HTTP status). */
export async function rawSocket(server: Pick<TestServer, 'url'>, options: WebSocket.ClientOptions = {}): Promise<RawSocket> {
  const ws = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws', options);
  const messages: Json[] = [];
  // Waiters are woken by the message itself (no polling): the conformance test waits for thousands of them.
  const waiters: { match: (m: Json) => boolean; resolve: (m: Json) => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    messages.push(message);
    for (const w of [...waiters]) {
      if (w.match(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(Object.assign(new Error(`upgrade refused with ${res.statusCode}`), { status: res.statusCode }));
    });
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    waitMessage: (match, timeoutMs = 5000) => {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`)),
          timeoutMs,
        );
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

export interface UpgradeAnswer {
  status: number;
  headers: import('node:http').IncomingHttpHeaders;
  body: string;
}

/**
 * A WebSocket upgrade sent by hand over node:http: the HTTP answer when the server refuses it (status, headers,
 * body), or status 101 (the socket is then destroyed at once).
 */
export function rawUpgrade(server: TestServer, headers: Record<string, string> = {}): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(server.url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'graphql-transport-ws',
        ...headers,
      },
    });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}
