/**
 * Overload as a typed, retryable answer (issue 15), with a full server: `maxRunningTurns` bounds the turns running
 * at once across threads; past it startTurn with QUEUE waits for a slot (handed to threads in the order they began
 * waiting), any other start is an OverloadedError with retryAfterMs and changes nothing. The SDK's startTurn
 * retries it with backoff and jitter under one clientRequestId (one turn however often it is sent); its requests
 * retry 503/429 after Retry-After; its threadEvents retries a WebSocket upgrade refused for the connection cap (HTTP 503).
 */
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CompactThreadDocument,
  createZagensClient,
  EditLastTurnDocument,
  RuntimeInfoDocument,
  ZagensGraphQLError,
  type ZagensClient,
} from '../sdk/index.js';
import { GateEngine } from './support/gateEngine.js';
import { closeAndRemove, removeDir, startTestServer, waitFor, type TestServer } from './support/harness.js';
import { createThread, mutate, narrow, startTurn, threadEvents, turnCount, turnState, waitForTurnEnd } from './support/ops.js';
import { defined } from '../src/domain/defined.js';

const runtimeInfo = async (server: TestServer) => (await server.sdk.request(RuntimeInfoDocument)).runtimeInfo;

describe('a server with --max-running-turns 2', () => {
  let server: TestServer;
  const engine = new GateEngine();

  beforeAll(async () => {
    server = await startTestServer({ engine, config: { maxRunningTurns: 2 } });
  });
  afterEach(async () => {
    // Let everything that runs or waits finish, so each test starts with free slots.
    await waitFor(
      async () => {
        engine.releaseAll();
        // No command either: a queued turn about to start (startNextQueued reads before it takes a slot) has not finished.
        const rt = server.runtime;
        return rt.active.size === 0 && rt.slots.running === 0 && rt.slots.waitingThreads === 0 && rt.commands.isIdle;
      },
      10_000,
      'every turn to end',
    );
  });
  afterAll(async () => {
    await closeAndRemove(server);
  });

  async function fill(): Promise<string[]> {
    const turns: string[] = [];
    for (let i = 0; i < 2; i++) {
      const started = await startTurn(server, { threadId: await createThread(server), prompt: `running ${i}` });
      expect(started.__typename).toBe('StartTurnPayload');
      turns.push(narrow(started, 'StartTurnPayload').turn.id);
    }
    return turns;
  }

  it('past the bound startTurn, editLastTurn and compactThread answer OverloadedError and change nothing', async () => {
    await fill();
    const threadId = await createThread(server);
    const reply = await startTurn(server, { threadId, prompt: 'one too many' });
    expect(reply).toMatchObject({ __typename: 'OverloadedError', code: 'OVERLOADED', maxRunningTurns: 2 });
    const refused = narrow(reply, 'OverloadedError');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.message).toMatch(/QUEUE/);
    expect(await mutate(server, CompactThreadDocument, { threadId })).toMatchObject({ code: 'OVERLOADED' });
    expect(await turnCount(server, threadId)).toBe(0);
    expect((await threadEvents(server, threadId)).map((e) => e.name)).toEqual(['thread.started']);
    const info = await runtimeInfo(server);
    expect(info).toMatchObject({ activeThreads: 2, maxRunningTurns: 2 });
  });

  it('editLastTurn past the bound is OVERLOADED too', async () => {
    const threadId = await createThread(server);
    const first = await startTurn(server, { threadId, prompt: 'to edit' });
    engine.release(narrow(first, 'StartTurnPayload').turn.id);
    await waitForTurnEnd(server, narrow(first, 'StartTurnPayload').turn.id);
    await fill();
    const edit = await mutate(server, EditLastTurnDocument, { threadId, content: 'edited' });
    expect(edit).toMatchObject({ __typename: 'OverloadedError', code: 'OVERLOADED' });
    expect(await turnCount(server, threadId)).toBe(1);
  });

  it('with QUEUE the turn waits for a slot; freed slots go to threads in the order they began waiting', async () => {
    const [a, b] = await fill();
    const c = await createThread(server);
    const d = await createThread(server);
    const queuedC = await startTurn(server, { threadId: c, prompt: 'c', delivery: 'QUEUE' });
    const queuedD = await startTurn(server, { threadId: d, prompt: 'd', delivery: 'QUEUE' });
    expect(queuedC).toMatchObject({ __typename: 'StartTurnPayload', turn: { status: 'QUEUED' }, queued: { position: 1 } });
    expect(narrow(queuedD, 'StartTurnPayload').turn.status).toBe('QUEUED');
    expect((await runtimeInfo(server)).turnsWaitingForSlot).toBe(2);

    engine.release(a!);
    await waitFor(async () => (await turnState(server, narrow(queuedC, 'StartTurnPayload').turn.id)).status === 'IN_PROGRESS', 5000, 'c to start');
    expect((await turnState(server, narrow(queuedD, 'StartTurnPayload').turn.id)).status).toBe('QUEUED');
    expect(server.runtime.slots.running).toBe(2);
    engine.release(b!);
    await waitFor(async () => (await turnState(server, narrow(queuedD, 'StartTurnPayload').turn.id)).status === 'IN_PROGRESS', 5000, 'd to start');
    expect(server.runtime.active.size).toBe(2);
  });

  it('a thread with a long queue does not keep the slot: the next turn of another waiting thread goes first', async () => {
    const [a] = await fill();
    const busy = defined(server.runtime.active.byTurnId(a!), 'the running turn').threadId;
    const busyQueued: string[] = [];
    for (let i = 0; i < 2; i++)
      busyQueued.push(narrow(await startTurn(server, { threadId: busy, prompt: `busy ${i}`, delivery: 'QUEUE' }), 'StartTurnPayload').turn.id);
    const other = await createThread(server);
    const otherTurn = narrow(await startTurn(server, { threadId: other, prompt: 'other', delivery: 'QUEUE' }), 'StartTurnPayload').turn.id;
    engine.release(a!);
    // The busy thread's own queue waits behind the thread that was waiting for a slot.
    await waitFor(async () => (await turnState(server, otherTurn)).status === 'IN_PROGRESS', 5000, 'the other thread to start');
    expect((await turnState(server, busyQueued[0]!)).status).toBe('QUEUED');
    engine.release(otherTurn);
    await waitFor(async () => (await turnState(server, busyQueued[0]!)).status === 'IN_PROGRESS', 5000, 'the busy thread to go on');
  });

  it('INTERRUPT at the bound replaces the running turn (its slot passes on); STEER needs no slot', async () => {
    const [a] = await fill();
    const threadId = defined(server.runtime.active.byTurnId(a!), 'the running turn').threadId;
    const steered = await startTurn(server, { threadId, prompt: 'steer', delivery: 'STEER' });
    expect(steered).toMatchObject({ __typename: 'StartTurnPayload', turn: { id: a } });
    const replaced = await startTurn(server, { threadId, prompt: 'instead', delivery: 'INTERRUPT' });
    expect(replaced.__typename).toBe('StartTurnPayload');
    expect((await turnState(server, a!)).status).toBe('INTERRUPTED');
    expect(server.runtime.slots.running).toBe(2);
  });

  it("the SDK's startTurn retries OVERLOADED with backoff until a slot frees, and makes one turn", async () => {
    const [a] = await fill();
    const client = createZagensClient({ url: server.url, retryWait: () => 20 });
    try {
      const threadId = await createThread(server);
      const retries: { attempt: number; waitMs: number }[] = [];
      // The server's hint (1 s and more) is waited at least: free a slot soon after the first refusal.
      const started = client.startTurn(
        { threadId, prompt: 'patient' },
        {
          onRetry: (info) => {
            retries.push(info);
            if (retries.length === 1) engine.release(a!);
          },
        },
      );
      const payload = await started;
      expect(payload.turn.status).toBe('IN_PROGRESS');
      expect(retries.length).toBeGreaterThanOrEqual(1);
      expect(retries[0]!.waitMs).toBeGreaterThanOrEqual(1000);
      expect(await turnCount(server, threadId)).toBe(1);
    } finally {
      await client.dispose();
    }
  });

  it("the SDK's startTurn resends after a lost answer with the same clientRequestId: one turn", async () => {
    let drop = 1;
    const losing: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      if (drop-- > 0) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return response;
    };
    const client = createZagensClient({ url: server.url, fetch: losing, retryWait: () => 10 });
    try {
      const threadId = await createThread(server);
      const retries: unknown[] = [];
      const payload = await client.startTurn({ threadId, prompt: 'once' }, { onRetry: (info) => retries.push(info.reason) });
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ retryable: true });
      expect(await turnCount(server, threadId)).toBe(1);
      expect((await threadEvents(server, threadId)).filter((e) => e.name === 'turn.started').map((e) => e.turnId)).toEqual([payload.turn.id]);
    } finally {
      await client.dispose();
    }
  });

  it("the SDK's startTurn gives up after maxAttempts with the OVERLOADED error", async () => {
    await fill();
    const client = createZagensClient({ url: server.url, retryWait: () => 1 });
    try {
      const threadId = await createThread(server);
      const controller = new AbortController();
      const attempt = client.startTurn({ threadId, prompt: 'never' }, { maxAttempts: 2, signal: controller.signal });
      await expect(attempt).rejects.toMatchObject({ code: 'OVERLOADED' });
      expect(await turnCount(server, threadId)).toBe(0);
    } finally {
      await client.dispose();
    }
  });
});

describe('the SDK and transport limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ config: { maxWsConnections: 1 } });
  });
  afterAll(async () => {
    await closeAndRemove(server);
  });

  it('threadEvents over a WebSocket refused for the connection cap (503 on the upgrade) retries until a slot is free', async () => {
    const threadId = await createThread(server);
    const holder = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => holder.once('open', resolve));
    const client = createZagensClient({ url: server.url, webSocketImpl: WebSocket, retryWait: () => 50 });
    const reconnects: string[] = [];
    try {
      const seen = (async () => {
        for await (const event of client.threadEvents({
          threadId,
          until: (e) => e.name === 'thread.started',
          onReconnect: (info) => reconnects.push(String((info.reason as Error).message)),
        }))
          return event.name;
        return null;
      })();
      await waitFor(() => reconnects.length >= 1, 5000, 'a refused connection');
      holder.close();
      expect(await seen).toBe('thread.started');
      expect(reconnects[0]).toMatch(/Unexpected server response: 503/);
    } finally {
      holder.close();
      await client.dispose();
    }
  });

  it('request() retries a 503 after its Retry-After, then gives up after maxOverloadRetries', async () => {
    let refusals = 2;
    const calls: number[] = [];
    const refusing: typeof fetch = async (url, init) => {
      calls.push(Date.now());
      if (refusals-- > 0) {
        return new Response(JSON.stringify({ errors: [{ message: 'too many open connections', extensions: { code: 'LIMIT' } }] }), {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '0.2' },
        });
      }
      return fetch(url, init);
    };
    const client = createZagensClient({ url: server.url, fetch: refusing, retryWait: () => 1 });
    const info = await client.request(RuntimeInfoDocument);
    expect(info.runtimeInfo.version).toBeTruthy();
    expect(calls).toHaveLength(3);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(190);

    refusals = 100;
    calls.length = 0;
    const stubborn = createZagensClient({ url: server.url, fetch: refusing, retryWait: () => 1, maxOverloadRetries: 1 });
    const failure = await stubborn.request(RuntimeInfoDocument).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ZagensGraphQLError);
    expect(failure).toMatchObject({ status: 503, retryable: true, code: 'LIMIT' });
    expect(calls).toHaveLength(2);
  });
});
