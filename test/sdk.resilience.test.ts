/**
 * The SDK's resilience against a real server (issue 15): event helpers over SSE resume across cut connections
 * with Last-Event-ID (nothing lost, nothing twice), `names` / `threadIds` filters on every event helper are
 * applied by the server, and the keyed mutation helpers retry lost answers, 5xx and OVERLOADED under one
 * clientRequestId (one effect) but not a CONFLICT; an SSE request refused for the connection cap waits its Retry-After.
 */
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createZagensClient,
  EventsDocument,
  RuntimeInfoDocument,
  StartTurnDocument,
  textDelta,
  ThreadsDocument,
  TurnDocument,
  ZagensGraphQLError,
  ZagensUserError,
  type ReconnectInfo,
  type RetryInfo,
  type StartTurnMutation,
  type ZagensClient,
  type ZagensEvent,
} from '../sdk/index.js';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { GateEngine } from './support/gateEngine.js';
import { closeAndRemove, startTestServer, waitFor, type TestServer } from './support/harness.js';
import { openSse } from './support/sse.js';
import { startTcpProxy, type TcpProxy } from './support/tcpProxy.js';

const LONG_PROMPT = 'Please keep answering while the connection is cut twice '.repeat(3);

let server: TestServer;
let proxy: TcpProxy;
/** A client that reaches the server through the relay the tests cut. */
let relayed: ZagensClient;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(30) });
  proxy = await startTcpProxy(server.port);
  relayed = createZagensClient({ url: `${proxy.origin}/graphql`, retryWait: () => 30 });
});
afterAll(async () => {
  await relayed?.dispose();
  await proxy?.close();
  await closeAndRemove(server);
});

async function storedEvents(threadId: string): Promise<ZagensEvent[]> {
  const { events } = await server.sdk.request(EventsDocument, { threadId, sinceSeq: 0, limit: 5000 });
  return events as ZagensEvent[];
}

async function agentText(turnId: string): Promise<string> {
  const { turn } = await server.sdk.request(TurnDocument, { id: turnId });
  const agent = turn!.items.nodes.find((item) => item.kind === 'AGENT_MESSAGE');
  if (!agent || !('text' in agent)) throw new Error('no agent message');
  return agent.text;
}

function textOf(events: ZagensEvent[]): string {
  return events
    .map(textDelta)
    .filter((d) => d !== null)
    .join('');
}

async function turnIdsStarted(threadId: string): Promise<string[]> {
  return (await storedEvents(threadId)).filter((e) => e.name === 'turn.started').map((e) => e.turnId!);
}

async function waitForTurnEnd(turnId: string): Promise<void> {
  await waitFor(
    async () => ['COMPLETED', 'INTERRUPTED', 'FAILED', 'CANCELED'].includes((await server.sdk.request(TurnDocument, { id: turnId })).turn!.status),
    10_000,
    `turn ${turnId} to end`,
  );
}

describe('event helpers over SSE', () => {
  it('threadEvents resumes across two cut connections with Last-Event-ID: the full answer, no event twice', async () => {
    const { thread } = await relayed.createThread({ title: 'sse resume' });
    const { turn } = await relayed.startTurn({ threadId: thread.id, prompt: LONG_PROMPT });
    const events: ZagensEvent[] = [];
    const reconnects: ReconnectInfo[] = [];
    const cutAtDelta = new Set([2, 6]);
    const acceptedBefore = proxy.accepted;
    for await (const event of relayed.threadEvents({
      threadId: thread.id,
      transport: 'sse',
      until: (e) => e.name === 'turn.completed' && e.turnId === turn.id,
      onReconnect: (info) => reconnects.push(info),
    })) {
      events.push(event);
      if (textDelta(event) !== null && cutAtDelta.delete(events.filter((e) => textDelta(e) !== null).length)) proxy.cutAll();
    }
    expect(reconnects.map((r) => r.attempt)).toEqual([1, 1]);
    expect(reconnects[0]!.sinceSeq).toBeLessThan(reconnects[1]!.sinceSeq);
    // The turn was still running after both cuts: the answer came partly live after each resume.
    expect(reconnects[1]!.sinceSeq).toBeLessThan(events.at(-1)!.seq - 2);
    expect(proxy.accepted - acceptedBefore).toBeGreaterThanOrEqual(2);

    const stored = await storedEvents(thread.id);
    expect(events.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(events).toEqual(stored);
    expect(textOf(events)).toBe(await agentText(turn.id));
  });

  it('turnEvents (no sinceSeq) resumes after a cut with Last-Event-ID and ends after turn.completed, also when filtered out', async () => {
    const lastEventIds: (string | null)[] = [];
    const recording: typeof fetch = (url, init) => {
      const headers = new Headers(init?.headers);
      if (headers.get('accept') === 'text/event-stream') lastEventIds.push(headers.get('last-event-id'));
      return fetch(url, init);
    };
    const c = createZagensClient({ url: `${proxy.origin}/graphql`, retryWait: () => 30, fetch: recording });
    const { thread } = await c.createThread({});
    const { turn } = await c.startTurn({ threadId: thread.id, prompt: LONG_PROMPT });
    const events: ZagensEvent[] = [];
    const reconnects: ReconnectInfo[] = [];
    for await (const event of c.turnEvents({ turnId: turn.id, transport: 'sse', names: ['item.'], onReconnect: (i) => reconnects.push(i) })) {
      events.push(event);
      if (events.length === 3) proxy.cutAll();
    }
    expect(reconnects).toHaveLength(1);
    // The resumed request asks for the events after the last seq received: the server skips what came before.
    expect(lastEventIds).toEqual([null, String(reconnects[0]!.sinceSeq)]);
    await c.dispose();
    const stored = (await storedEvents(thread.id)).filter((e) => e.turnId === turn.id);
    expect(stored.at(-1)!.name).toBe('turn.completed');
    expect(events).toEqual(stored.filter((e) => e.name.startsWith('item.')));
    expect(textOf(events)).toBe(await agentText(turn.id));
  });

  it('runtimeEvents over SSE with threadIds and names: only the selected events of the selected thread, in seq order', async () => {
    const { runtimeInfo } = await server.sdk.request(RuntimeInfoDocument);
    const { thread: chosen } = await relayed.createThread({ title: 'chosen' });
    const { thread: other } = await relayed.createThread({ title: 'other' });
    const [{ turn: otherTurn }, { turn }] = [
      await relayed.startTurn({ threadId: other.id, prompt: 'not this one' }),
      await relayed.startTurn({ threadId: chosen.id, prompt: 'this one' }),
    ];
    const events: ZagensEvent[] = [];
    for await (const event of relayed.runtimeEvents({
      sinceSeq: runtimeInfo.latestSeq,
      threadIds: [chosen.id],
      names: ['item.delta', 'turn.completed'],
      transport: 'sse',
      until: (e) => e.name === 'turn.completed',
    })) {
      events.push(event);
      if (events.length === 2) proxy.cutAll();
    }
    await waitForTurnEnd(otherTurn.id);
    const expected = (await storedEvents(chosen.id)).filter((e) => e.name === 'item.delta' || e.name === 'turn.completed');
    expect(events).toEqual(expected);
    expect(events.every((e) => e.threadId === chosen.id && e.turnId === turn.id)).toBe(true);
  });

  it('an abort ends an SSE follow without an error, also while it waits for a live event', async () => {
    const { thread } = await relayed.createThread({});
    const controller = new AbortController();
    const seen: string[] = [];
    const follow = (async () => {
      for await (const event of relayed.threadEvents({ threadId: thread.id, transport: 'sse', signal: controller.signal })) seen.push(event.name);
    })();
    await waitFor(() => seen.length === 1, 5000, 'thread.started');
    controller.abort();
    await follow;
    expect(seen).toEqual(['thread.started']);
  });

  it('a subscription the server refuses fails at once with its typed error, no reconnection (bad id; no token)', async () => {
    const reconnects: ReconnectInfo[] = [];
    const iterate = async (c: ZagensClient, threadId: string) => {
      for await (const _ of c.threadEvents({ threadId, transport: 'sse', onReconnect: (i) => reconnects.push(i) })) void _;
    };
    const invalid = (await iterate(relayed, 'thr_nope').catch((e: unknown) => e)) as ZagensGraphQLError;
    expect(invalid).toBeInstanceOf(ZagensGraphQLError);
    expect(invalid.code).toBe('VALIDATION');
    expect(invalid.message).toMatch(/^ThreadEvents failed: /);

    const secured = await startTestServer({ config: { authToken: 's3cret' } });
    const anonymous = createZagensClient({ url: secured.url, retryWait: () => 10 });
    const authed = createZagensClient({ url: secured.url, authToken: 's3cret' });
    try {
      const { thread } = await authed.createThread({});
      const first = await authed.threadEvents({ threadId: thread.id, transport: 'sse' }).next();
      expect(first.value).toMatchObject({ name: 'thread.started', threadId: thread.id });
      const refused = (await iterate(anonymous, thread.id).catch((e: unknown) => e)) as ZagensGraphQLError;
      expect(refused).toBeInstanceOf(ZagensGraphQLError);
      expect(refused).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    } finally {
      await Promise.all([anonymous.dispose(), authed.dispose()]);
      await closeAndRemove(secured);
    }
    expect(reconnects).toEqual([]);
  });
});

describe('event filters through the SDK', () => {
  it('names on threadEvents, turnEvents and runtimeEvents (WebSocket and SSE) yield only the selected events, in seq order', async () => {
    const { thread } = await server.sdk.createThread({});
    const { turn } = await server.sdk.startTurn({ threadId: thread.id, prompt: 'filter me' });
    await waitForTurnEnd(turn.id);
    const stored = await storedEvents(thread.id);
    const completions = stored.filter((e) => e.name === 'item.completed' || e.name === 'turn.completed');
    expect(completions.length).toBeGreaterThanOrEqual(2);
    const until = (e: ZagensEvent) => e.name === 'turn.completed';
    for (const transport of ['ws', 'sse'] as const) {
      const fromThread: ZagensEvent[] = [];
      for await (const e of server.sdk.threadEvents({ threadId: thread.id, names: ['item.completed', 'turn.completed'], until, transport }))
        fromThread.push(e);
      expect(fromThread, transport).toEqual(completions);

      const fromTurn: ZagensEvent[] = [];
      for await (const e of server.sdk.turnEvents({ turnId: turn.id, names: ['turn.'], transport })) fromTurn.push(e);
      expect(fromTurn, transport).toEqual(stored.filter((e) => e.name.startsWith('turn.')));

      const fromRuntime: ZagensEvent[] = [];
      for await (const e of server.sdk.runtimeEvents({
        sinceSeq: 0,
        threadIds: [thread.id],
        names: ['item.completed', 'turn.completed'],
        until,
        transport,
      }))
        fromRuntime.push(e);
      expect(fromRuntime, transport).toEqual(completions);
    }
  });

  it('turnEvents over a WebSocket resumes after a dropped connection: its replay from the turn start is not delivered twice', async () => {
    const sockets = new Set<Duplex>();
    const onUpgrade = (_req: unknown, socket: Duplex) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    };
    server.app.server.on('upgrade', onUpgrade);
    const c = createZagensClient({ url: server.url, retryWait: () => 30 });
    try {
      const { thread } = await c.createThread({});
      const { turn } = await c.startTurn({ threadId: thread.id, prompt: LONG_PROMPT });
      const events: ZagensEvent[] = [];
      const reconnects: ReconnectInfo[] = [];
      for await (const event of c.turnEvents({ turnId: turn.id, onReconnect: (i) => reconnects.push(i) })) {
        events.push(event);
        if (events.filter((e) => textDelta(e) !== null).length === 3 && textDelta(event) !== null) for (const s of sockets) s.destroy();
      }
      expect(reconnects).toHaveLength(1);
      expect(events).toEqual((await storedEvents(thread.id)).filter((e) => e.turnId === turn.id));
    } finally {
      server.app.server.off('upgrade', onUpgrade);
      await c.dispose();
    }
  });
});

describe('keyed mutation helpers', () => {
  it('startTurn whose answer is lost after the server processed it is sent again with the same id: exactly one turn', async () => {
    const { thread } = await relayed.createThread({});
    const lost = proxy.loseAnswerTo('"operationName":"StartTurn"');
    const retries: RetryInfo[] = [];
    const payload = await relayed.startTurn({ threadId: thread.id, prompt: 'exactly once' }, { onRetry: (info) => retries.push(info) });
    await lost;
    expect(retries).toHaveLength(1);
    expect(retries[0]!.reason).toMatchObject({ retryable: true });
    expectTypeOf(payload.turn.id).toEqualTypeOf<string>();
    expect(await turnIdsStarted(thread.id)).toEqual([payload.turn.id]);
    await waitForTurnEnd(payload.turn.id);
  });

  it('createThread whose answer is lost makes one thread; the repeat answers the first thread', async () => {
    const title = `lost answer ${Date.now()}`;
    const count = async () => (await server.sdk.request(ThreadsDocument, { first: 1, filter: { search: title } })).threads?.totalCount;
    const lost = proxy.loseAnswerTo('"operationName":"CreateThread"');
    const retries: RetryInfo[] = [];
    const { thread } = await relayed.createThread({ title, clientRequestId: 'create-once-1' }, { onRetry: (i) => retries.push(i) });
    await lost;
    expect(retries.map((r) => r.clientRequestId)).toEqual(['create-once-1']);
    expect(thread.title).toBe(title);
    expect(await count()).toBe(1);
  });

  it('a CONFLICT (the id reused for another input) is answered at once, not retried', async () => {
    const { thread } = await server.sdk.createThread({});
    const clientRequestId = `conflict-${Date.now()}`;
    const first = await server.sdk.startTurn({ threadId: thread.id, prompt: 'first', clientRequestId });
    await waitForTurnEnd(first.turn.id);
    const retries: RetryInfo[] = [];
    const again = server.sdk.startTurn({ threadId: thread.id, prompt: 'another input', clientRequestId }, { onRetry: (i) => retries.push(i) });
    await expect(again).rejects.toBeInstanceOf(ZagensUserError);
    await expect(again).rejects.toMatchObject({ code: 'CONFLICT', typename: 'ConflictError' });
    // The generic helper answers the union, typed: the ConflictError is a member, not an exception.
    const data = await server.sdk.requestKeyed(
      StartTurnDocument,
      { threadId: thread.id, prompt: 'another input', clientRequestId },
      { onRetry: (i) => retries.push(i) },
    );
    expectTypeOf(data).toEqualTypeOf<StartTurnMutation>();
    expect(data.startTurn).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(retries).toEqual([]);
    // The same input with the same id is the first answer.
    const repeat = await server.sdk.startTurn({ threadId: thread.id, prompt: 'first', clientRequestId });
    expect(repeat.turn.id).toBe(first.turn.id);
    expect(await turnIdsStarted(thread.id)).toEqual([first.turn.id]);
  });

  it('a 5xx from a gateway is retried under the same id; a 400 and typed errors are not', async () => {
    const bodies: string[] = [];
    let gatewayErrors = 1;
    const viaGateway: typeof fetch = async (url, init) => {
      bodies.push(String(init?.body));
      if (gatewayErrors-- > 0) {
        await fetch(url, init); // the server got it; the gateway lost the answer
        return new Response('upstream timed out', { status: 504 });
      }
      return fetch(url, init);
    };
    const c = createZagensClient({ url: server.url, fetch: viaGateway, retryWait: () => 10 });
    try {
      const { thread } = await server.sdk.createThread({});
      const retries: RetryInfo[] = [];
      const { turn } = await c.startTurn({ threadId: thread.id, prompt: 'through a gateway' }, { onRetry: (i) => retries.push(i) });
      expect(retries).toHaveLength(1);
      expect(retries[0]!.reason).toMatchObject({ status: 504 });
      const ids = bodies.map((b) => (JSON.parse(b) as { variables: { input: { clientRequestId: string } } }).variables.input.clientRequestId);
      expect(new Set(ids).size).toBe(1);
      expect(await turnIdsStarted(thread.id)).toEqual([turn.id]);

      retries.length = 0;
      await expect(c.steerTurn({ turnId: 'turn_nope', prompt: 'x' }, { onRetry: (i) => retries.push(i) })).rejects.toBeInstanceOf(ZagensUserError);
      const bad = c.requestKeyed(StartTurnDocument, { threadId: thread.id, prompt: 'x', clientRequestId: '' }, { onRetry: (i) => retries.push(i) });
      await expect(bad).resolves.toMatchObject({ startTurn: { code: 'VALIDATION' } });
      expect(retries).toEqual([]);
    } finally {
      await c.dispose();
    }
  });
});

describe('keyed mutation helpers on an overloaded server (--max-running-turns 1)', () => {
  let busy: TestServer;
  const engine = new GateEngine();
  beforeAll(async () => {
    busy = await startTestServer({ engine, config: { maxRunningTurns: 1 } });
  });
  afterAll(async () => {
    engine.releaseAll();
    await closeAndRemove(busy);
  });

  it('editLastTurn answered OVERLOADED is retried after retryAfterMs and then succeeds: one new turn', async () => {
    const c = createZagensClient({ url: busy.url, retryWait: () => 10 });
    try {
      const { thread } = await c.createThread({});
      const { turn: first } = await c.startTurn({ threadId: thread.id, prompt: 'to edit' });
      engine.release(first.id);
      await waitFor(async () => (await c.request(TurnDocument, { id: first.id })).turn!.status === 'COMPLETED', 10_000, 'the first turn');
      const { thread: other } = await c.createThread({});
      const { turn: holder } = await c.startTurn({ threadId: other.id, prompt: 'holds the only slot' });

      const retries: RetryInfo[] = [];
      const { turn: edited } = await c.editLastTurn(
        { threadId: thread.id, content: 'edited' },
        {
          onRetry: (info) => {
            retries.push(info);
            engine.release(holder.id);
          },
        },
      );
      expect(retries.length).toBeGreaterThanOrEqual(1);
      expect(retries[0]!.reason).toMatchObject({ code: 'OVERLOADED' });
      expect(retries[0]!.waitMs).toBeGreaterThanOrEqual(1000);
      expect(new Set(retries.map((r) => r.clientRequestId)).size).toBe(1);
      engine.release(edited.id);
      const { events } = await c.request(EventsDocument, { threadId: thread.id });
      expect(events.filter((e) => e.name === 'turn.started').map((e) => e.turnId)).toEqual([first.id, edited.id]);
    } finally {
      await c.dispose();
    }
  });
});

describe('event helpers over SSE on a server at its connection cap (--max-ws-connections 1)', () => {
  let capped: TestServer;
  beforeAll(async () => {
    capped = await startTestServer({ config: { maxWsConnections: 1 } });
  });
  afterAll(async () => {
    await closeAndRemove(capped);
  });

  it(
    'an SSE request refused for the cap (503 LIMIT, Retry-After) is retried after Retry-After until a slot is free',
    { timeout: 30_000 },
    async () => {
      const { thread } = await capped.sdk.createThread({});
      const holder = await openSse(capped.url, {
        query: 'subscription($t: ID!) { threadEvents(threadId: $t) { seq } }',
        variables: { t: thread.id },
      });
      expect(holder.status).toBe(200);
      const reconnects: ReconnectInfo[] = [];
      const c = createZagensClient({ url: capped.url, retryWait: () => 10 });
      try {
        const first = await c
          .threadEvents({
            threadId: thread.id,
            transport: 'sse',
            onReconnect: (info) => {
              reconnects.push(info);
              holder.cut();
            },
          })
          .next();
        expect(first.value).toMatchObject({ name: 'thread.started', threadId: thread.id });
        expect(reconnects).toHaveLength(1);
        expect(reconnects[0]!.reason).toMatchObject({ status: 503, code: 'LIMIT', retryable: true });
      } finally {
        holder.cut();
        await c.dispose();
      }
    },
  );
});
