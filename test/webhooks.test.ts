import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../src/runtime/config.js';
import { removeDir, startTestServer, tempDir, waitFor, type TestServer } from './support/harness.js';
import { createThread, mutate, narrow, startTurn, threadEvents, waitForTurnEnd } from './support/ops.js';
import {
  DeleteThreadDocument,
  RegisterWebhookDocument,
  UpdateThreadDocument,
  WebhookDeliveriesDocument,
  WebhooksDocument,
} from '../sdk/generated/graphql.js';
import { defined } from '../src/domain/defined.js';

// Webhooks against a real receiver on 127.0.0.1 that fails, is slow, or is down while the server restarts.

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver; `answer` decides each response (status code, or 'hang' to never answer in time). */
async function startReceiver(answer: (n: number) => number | 'slow' = () => 200, port = 0) {
  const received: Received[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const n = ++count;
      received.push({ headers: req.headers, body });
      const a = answer(n);
      if (a === 'slow') setTimeout(() => res.writeHead(200).end('late'), 1500).unref();
      else res.writeHead(a).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    received,
    port: (server.address() as AddressInfo).port,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/zagens`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const SECRET = 'a-long-enough-secret-for-tests';

function verify(r: Received, secret = SECRET): boolean {
  const header = String(r.headers['x-zagens-signature']);
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
  if (!t || !v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${r.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

let server: TestServer;
let dataDir: string;
const closers: (() => Promise<void>)[] = [];

const fast: Partial<RuntimeConfig> = { webhookTimeoutMs: 400, webhookRetryBaseMs: 30, webhookPollMs: 20, webhookMaxAttempts: 8 };

async function start(allow: string[], runtime: Partial<RuntimeConfig> = {}) {
  dataDir ??= await tempDir();
  server = await startTestServer({ dataDir, config: { webhookAllow: allow }, runtime: { ...fast, ...runtime } });
}

afterEach(async () => {
  await server.close();
  for (const close of closers.splice(0)) await close();
  await removeDir(server.workspace);
  await removeDir(dataDir);
  dataDir = undefined as never;
});

async function register(url: string, events: string[], secret: string | null = SECRET) {
  return mutate(server, RegisterWebhookDocument, { url, events, secret });
}

/** register that must succeed: the payload (webhook and secret). */
async function registered(url: string, events: string[], secret: string | null = SECRET) {
  const reg = await register(url, events, secret);
  expect(reg.__typename, JSON.stringify(reg)).toBe('RegisterWebhookPayload');
  return narrow(reg, 'RegisterWebhookPayload');
}

async function runTurn(threadId: string, prompt: string) {
  const started = await startTurn(server, { threadId, prompt });
  return waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
}

async function deliveries(webhookId?: string) {
  return (await server.sdk.request(WebhookDeliveriesDocument, { webhookId, limit: 1000 })).webhookDeliveries;
}

describe('webhooks', () => {
  it('deliver every event asked for, signed, despite failures and a slow receiver; attempts are queryable', async () => {
    // 1st request: 500; 2nd: too slow (timeout); 3rd: 503; then fine.
    const receiver = await startReceiver((n) => (n === 1 ? 500 : n === 2 ? 'slow' : n === 3 ? 503 : 200));
    closers.push(receiver.close);
    await start(['http://127.0.0.1:*/hooks/']);
    const reg = await registered(receiver.url, ['turn.completed', 'thread.started']);
    expect(reg.secret).toBe(SECRET);

    const threadId = await createThread(server);
    for (const p of ['one', 'two', 'three']) expect((await runTurn(threadId, p)).status).toBe('COMPLETED');
    const wanted = (await threadEvents(server, threadId)).filter((e) => e.name === 'turn.completed' || e.name === 'thread.started');
    expect(wanted).toHaveLength(4);

    await waitFor(
      async () => (await deliveries(reg.webhook.id)).every((d) => d.status === 'DELIVERED') && (await deliveries()).length === 4,
      15_000,
      'every delivery',
    );
    const bySeq = new Map<number, Received[]>();
    for (const r of receiver.received) {
      expect(verify(r), 'signature').toBe(true);
      expect(verify(r, 'another-secret-entirely')).toBe(false);
      const body = JSON.parse(r.body);
      expect(r.headers['idempotency-key']).toBe(String(body.seq));
      expect(r.headers['x-zagens-event']).toBe(body.name);
      expect(r.headers['content-type']).toBe('application/json');
      bySeq.set(body.seq, [...(bySeq.get(body.seq) ?? []), r]);
    }
    // Every wanted event arrived (some more than once: at least once), with the body the log holds.
    expect([...bySeq.keys()].sort((a, b) => a - b)).toEqual(wanted.map((e) => e.seq));
    for (const e of wanted)
      expect(JSON.parse(defined(bySeq.get(e.seq)?.[0], `the delivery of ${e.seq}`).body)).toMatchObject({
        seq: e.seq,
        name: e.name,
        threadId,
        payload: e.payload,
      });
    // A retry repeats the same body.
    for (const copies of bySeq.values()) expect(new Set(copies.map((c) => c.body)).size).toBe(1);

    const all = await deliveries(reg.webhook.id);
    const retried = all.filter((d) => d.attempts > 1);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(all.reduce((n, d) => n + d.attempts, 0)).toBe(receiver.received.length);
    expect(all.every((d) => d.deliveredAt && d.lastError === null && d.lastStatusCode === 200)).toBe(true);
  });

  it('refuses URLs off the --webhook-allow list (and all URLs without one); nothing is called', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    await start([]);
    expect(await register(receiver.url, ['*'])).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION',
      message: expect.stringMatching(/--webhook-allow/),
    });
    await server.close();
    await start(['https://hooks.example.com/', 'http://127.0.0.1:1/only-here']);
    for (const url of [
      receiver.url,
      `http://127.0.0.1:${receiver.port}/only-here`,
      'http://127.0.0.1:1/only-here-and-more',
      'http://hooks.example.com/',
      'https://hooks.example.com.evil.test/',
      'https://user:pw@hooks.example.com/x',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(await register(url, ['*']), url).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    }
    expect((await register('https://hooks.example.com/zagens', ['turn.completed'])).__typename).toBe('RegisterWebhookPayload');
    expect(await register('https://hooks.example.com/zagens', ['not an event'])).toMatchObject({ code: 'VALIDATION' });
    expect(await register('https://hooks.example.com/zagens', ['*'], 'short')).toMatchObject({ code: 'VALIDATION' });
    const generated = await registered('https://hooks.example.com/zagens', ['*'], null);
    expect(generated.secret).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await server.sdk.request(WebhooksDocument)).webhooks;
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(generated.secret);
    expect(receiver.received).toHaveLength(0);
  });

  it('a receiver that is down while the server restarts still gets every event once it is back (durable outbox)', async () => {
    const receiver = await startReceiver();
    await start(['http://127.0.0.1:*']);
    const reg = await registered(receiver.url, ['*']);
    const port = receiver.port;
    await receiver.close();

    const threadId = await createThread(server);
    await runTurn(threadId, 'while the receiver is down');
    await waitFor(async () => (await deliveries()).some((d) => d.attempts > 0 && d.lastError), 10_000, 'a failed attempt');
    const pending = await deliveries();
    expect(pending.every((d) => d.status === 'PENDING')).toBe(true);
    expect(pending.some((d) => /ECONNREFUSED/.test(d.lastError ?? ''))).toBe(true);

    // Restart with the receiver still down, then bring it back on the same port.
    server = await server.restart();
    await runTurn(threadId, 'after the restart');
    const back = await startReceiver(() => 200, port);
    closers.push(back.close);

    const events = await threadEvents(server, threadId);
    await waitFor(
      async () => {
        const d = await deliveries(reg.webhook.id);
        return d.length === events.length && d.every((x) => x.status === 'DELIVERED');
      },
      15_000,
      'every event delivered',
    );
    const seqs = new Set(back.received.map((r) => JSON.parse(r.body).seq));
    expect([...seqs].sort((a, b) => a - b)).toEqual(events.map((e) => e.seq));
    expect(back.received.every((r) => verify(r))).toBe(true);
  });

  it('gives up after the last attempt: the delivery is FAILED with the reason, and a purged event is not sent', async () => {
    const receiver = await startReceiver(() => 500);
    closers.push(receiver.close);
    await start(['http://127.0.0.1:*'], { webhookMaxAttempts: 3 });
    const reg = await registered(receiver.url, ['thread.started']);
    const threadId = await createThread(server, { title: 'doomed' });
    await waitFor(async () => (await deliveries(reg.webhook.id))[0]?.status === 'FAILED', 10_000, 'the delivery to fail');
    const [failed] = await deliveries(reg.webhook.id);
    expect(failed).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      lastStatusCode: 500,
      lastError: 'the receiver answered HTTP 500',
      deliveredAt: null,
    });
    expect((await server.sdk.request(WebhookDeliveriesDocument, { status: 'FAILED' })).webhookDeliveries).toHaveLength(1);
    expect(receiver.received).toHaveLength(3);

    // Purge: a pending delivery of the thread's events is canceled at once, never sent with the content later.
    await server.close();
    await start(['http://127.0.0.1:*'], { webhookRetryBaseMs: 60_000 });
    const second = await registered(receiver.url, ['thread.updated']);
    narrow(await mutate(server, UpdateThreadDocument, { threadId, title: 'secret title' }), 'UpdateThreadPayload');
    await waitFor(async () => (await deliveries(second.webhook.id))[0]?.attempts === 1, 10_000, 'the first failed attempt');
    narrow(await mutate(server, DeleteThreadDocument, { threadId }), 'DeleteThreadPayload');
    expect(await deliveries(second.webhook.id)).toMatchObject([
      { eventName: 'thread.updated', status: 'CANCELED', lastError: 'the event was purged' },
    ]);
  });
});
