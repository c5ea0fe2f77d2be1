/** A raw graphql-transport-ws client for tests that look at every message and at how the socket closes. */
import WebSocket from 'ws';
import { waitFor, type TestServer } from './harness.js';

type Json = any;

export interface RawSocket {
  ws: WebSocket;
  messages: Json[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  waitMessage(match: (m: Json) => boolean, timeoutMs?: number): Promise<Json>;
}

/** A raw graphql-transport-ws socket; rejects when the upgrade is refused (with the HTTP status). */
export async function rawSocket(server: TestServer, options: WebSocket.ClientOptions = {}): Promise<RawSocket> {
  const ws = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws', options);
  const messages: Json[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
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
    waitMessage: (match, timeoutMs = 5000) =>
      waitFor(() => messages.find(match), timeoutMs, `a message; got ${JSON.stringify(messages).slice(0, 300)}`),
  };
}
