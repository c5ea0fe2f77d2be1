/**
 * graphql-ws protocol behaviour (graphql-transport-ws) against the real server, with a raw `ws` client so that we
 * can break the protocol on purpose: connection_init timeout (4408), subscribe before ack (4401), duplicate id
 * (4409), unknown message (4400), and `complete` from the client stopping the server-side stream and freeing what
 * it holds, over 1,000 subscribe/complete cycles on one connection.
 */
import { getEventListeners } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InterruptTurnDocument } from '../sdk/generated/graphql.js';
import type { Engine } from '../src/engine/types.js';
import { startTestServer, waitFor, type TestServer } from './support/harness.js';
import { createThread, narrow, startTurn, turnState } from './support/ops.js';
import { rawSocket, type RawSocket } from './support/rawSocket.js';

async function connectAcked(server: TestServer): Promise<RawSocket> {
  const client = await rawSocket(server);
  client.send({ type: 'connection_init' });
  await client.waitMessage((m) => m.type === 'connection_ack');
  return client;
}

const RUNTIME_EVENTS = 'subscription($s: SafeInt) { runtimeEvents(sinceSeq: $s) { seq name } }';
const THREAD_EVENTS = 'subscription($t: ID!, $s: SafeInt) { threadEvents(threadId: $t, sinceSeq: $s) { seq name } }';

describe('graphql-transport-ws protocol', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('closes 4408 when no connection_init arrives within 3 s', async () => {
    const started = Date.now();
    const client = await rawSocket(server);
    const { code, reason } = await client.closed;
    expect(code).toBe(4408);
    expect(reason).toMatch(/initialisation timeout/i);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(4500);
  }, 10_000);

  it('closes 4401 on subscribe before connection_ack', async () => {
    const client = await rawSocket(server);
    client.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect((await client.closed).code).toBe(4401);
    expect(client.messages).toEqual([]);
  });

  it('closes 4409 on a duplicate subscribe id while the first is active', async () => {
    const client = await connectAcked(server);
    client.send({ id: 'dup', type: 'subscribe', payload: { query: RUNTIME_EVENTS } });
    client.send({ id: 'dup', type: 'subscribe', payload: { query: RUNTIME_EVENTS } });
    const { code, reason } = await client.closed;
    expect(code).toBe(4409);
    expect(reason).toMatch(/dup already exists/);
  });

  it('a completed id may be reused (4409 is only for an active one)', async () => {
    const client = await connectAcked(server);
    client.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
    await client.waitMessage((m) => m.id === 'q' && m.type === 'complete');
    client.send({ id: 'q', type: 'subscribe', payload: { query: '{ runtimeInfo { version } }' } });
    await waitFor(() => client.messages.filter((m) => m.id === 'q' && m.type === 'complete').length === 2, 5000, 'second complete');
    expect(client.messages.filter((m) => m.type === 'next').map((m) => Object.keys(m.payload.data))).toEqual([['__typename'], ['runtimeInfo']]);
    client.ws.close();
  });

  it('closes 4400 on an unknown message type, and on a message that is not JSON', async () => {
    const a = await connectAcked(server);
    a.send({ type: 'bogus' });
    expect((await a.closed).code).toBe(4400);
    const b = await connectAcked(server);
    b.send('not json');
    expect((await b.closed).code).toBe(4400);
    const c = await rawSocket(server);
    c.send({ id: 1, type: 'subscribe' });
    expect((await c.closed).code).toBe(4400);
  });

  it('closes 4429 on a second connection_init', async () => {
    const client = await connectAcked(server);
    client.send({ type: 'connection_init' });
    expect((await client.closed).code).toBe(4429);
  });

  it('answers ping with pong', async () => {
    const client = await connectAcked(server);
    client.send({ type: 'ping', payload: { n: 1 } });
    expect(await client.waitMessage((m) => m.type === 'pong')).toEqual({ type: 'pong', payload: { n: 1 } });
    client.ws.close();
  });
});

/** An engine whose turns start an answer and then wait, publishing nothing, until interrupted. */
const stalledEngine: Engine = {
  name: 'stalled',
  async *runTurn(_input, signal) {
    yield { type: 'item.started', key: 'answer', kind: 'AGENT_MESSAGE' };
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  },
};

describe('complete from the client frees the server-side stream', () => {
  let server: TestServer;
  /** Event streams the runtime handed out whose body is running (started and not finished). */
  let openStreams = 0;
  let startedStreams = 0;
  let addListener: ReturnType<typeof spyOnAddListener>;
  const spyOnAddListener = () => vi.spyOn(EventTarget.prototype, 'addEventListener');

  beforeAll(async () => {
    addListener = spyOnAddListener();
    // A small per-connection cap: a stream whose slot is not given back would soon refuse the next subscribe.
    server = await startTestServer({ config: { maxOperationsPerConnection: 4 }, engine: stalledEngine });
    const runtime = server.runtime;
    const events = runtime.events.bind(runtime);
    runtime.events = (options) => {
      const inner = events(options);
      // A plain iterator, not an async generator: a generator of ours would queue `return()` behind a pending
      // `next()` and hide whether the runtime's stream ends on its own. Counted from the first `next` (a stream
      // returned before it starts never ran, so holds nothing) until it reports done, throws or is returned.
      let state: 'idle' | 'open' | 'closed' = 'idle';
      const close = () => {
        if (state === 'open') openStreams--;
        state = 'closed';
      };
      const settle = <R extends IteratorResult<unknown>>(promise: Promise<R>) =>
        promise.then(
          (result) => {
            if (result.done) close();
            return result;
          },
          (error) => {
            close();
            throw error;
          },
        );
      const counted: typeof inner = {
        next: (...args) => {
          if (state === 'idle') {
            state = 'open';
            openStreams++;
            startedStreams++;
          }
          return settle(inner.next(...args));
        },
        return: (value) => settle(inner.return(value)).finally(close),
        throw: (error) => settle(inner.throw(error)),
        [Symbol.asyncIterator]: () => counted,
      };
      return counted;
    };
  });
  afterAll(async () => {
    addListener?.mockRestore();
    await server?.close();
  });

  /** The runtime pubsub's EventTarget, found from its `addEventListener` calls (all on one target). */
  let pubsubTarget: EventTarget | undefined;
  function pubsubListeners(topic: string): number {
    if (!pubsubTarget) {
      const index = addListener.mock.calls.findIndex((call) => call[0] === 'events' || String(call[0]).startsWith('threadEvents:'));
      if (index >= 0) pubsubTarget = addListener.mock.contexts[index] as EventTarget;
    }
    return pubsubTarget ? getEventListeners(pubsubTarget, topic).length : 0;
  }

  function gc(): () => void {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  }

  it('the stream stops when the client completes it while it waits for live events (thread and runtime streams)', async () => {
    const threadId = await createThread(server);
    const client = await connectAcked(server);
    client.send({ id: 't', type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: threadId, s: 0 } } });
    client.send({ id: 'r', type: 'subscribe', payload: { query: RUNTIME_EVENTS, variables: { s: 0 } } });
    await client.waitMessage((m) => m.id === 't' && m.type === 'next');
    await client.waitMessage((m) => m.id === 'r' && m.type === 'next');
    await new Promise((r) => setTimeout(r, 50)); // both are now past replay, waiting for live events
    expect(openStreams).toBe(2);
    expect(pubsubListeners(`threadEvents:${threadId}`)).toBe(1);
    expect(pubsubListeners('events')).toBe(1);
    client.send({ id: 't', type: 'complete' });
    client.send({ id: 'r', type: 'complete' });
    // No event is published meanwhile: the streams must end on `complete` alone.
    await waitFor(() => openStreams === 0, 2000, 'the streams to end').catch(() => undefined);
    expect({ openStreams, threadListeners: pubsubListeners(`threadEvents:${threadId}`), runtimeListeners: pubsubListeners('events') }).toEqual({
      openStreams: 0,
      threadListeners: 0,
      runtimeListeners: 0,
    });
    client.ws.close();
  });

  it('turnEvents too: complete ends the stream of a turn that is still running (and publishing nothing)', async () => {
    const threadId = await createThread(server);
    const turnId = narrow(await startTurn(server, { threadId, prompt: 'wait' }), 'StartTurnPayload').turn.id;
    const client = await connectAcked(server);
    client.send({
      id: 'turn',
      type: 'subscribe',
      payload: { query: 'subscription($id: ID!) { turnEvents(turnId: $id) { seq name } }', variables: { id: turnId } },
    });
    await waitFor(
      () => client.messages.some((m) => m.id === 'turn' && m.payload?.data?.turnEvents?.name === 'item.started'),
      5000,
      'the item to start',
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(openStreams).toBe(1);
    expect(pubsubListeners(`threadEvents:${threadId}`)).toBe(1);
    client.send({ id: 'turn', type: 'complete' });
    await waitFor(() => openStreams === 0, 2000, 'the stream to end').catch(() => undefined);
    expect({ openStreams, listeners: pubsubListeners(`threadEvents:${threadId}`) }).toEqual({ openStreams: 0, listeners: 0 });
    expect((await turnState(server, turnId)).status).toBe('IN_PROGRESS');
    const { interruptTurn } = await server.sdk.request(InterruptTurnDocument, { input: { turnId } });
    expect(interruptTurn.__typename).toBe('InterruptTurnPayload');
    client.ws.close();
  });

  it('1,000 subscribe/complete cycles on one connection: open streams back to 0, no listener left, heap bounded', async () => {
    await createThread(server); // at least one event to replay, so each subscription is running when completed
    const client = await connectAcked(server);
    const collect = gc();
    const cycle = async (i: number) => {
      client.send({ id: `c${i}`, type: 'subscribe', payload: { query: RUNTIME_EVENTS, variables: { s: 0 } } });
      await client.waitMessage((m) => m.id === `c${i}` && m.type === 'next');
      client.send({ id: `c${i}`, type: 'complete' });
      client.messages.length = 0;
    };
    for (let i = 0; i < 100; i++) await cycle(i); // warm-up (JIT, caches)
    await waitFor(() => openStreams === 0, 2000, 'warm-up streams to end');
    expect(pubsubListeners('events')).toBe(0);
    // The spy keeps every call it saw: stop it so that it does not count in the heap.
    addListener.mockRestore();
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const startedBefore = startedStreams;

    for (let i = 100; i < 1100; i++) await cycle(i);

    await waitFor(() => openStreams === 0, 2000, 'all streams to end').catch(() => undefined);
    expect(startedStreams - startedBefore).toBe(1000);
    expect(openStreams).toBe(0);
    expect(pubsubListeners('events')).toBe(0);
    collect();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    console.log(`heap growth over 1,000 subscribe/complete cycles: ${(growth / 1024).toFixed(0)} KiB`);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
    // The connection is still healthy and its operation slots were all given back (cap 4).
    const ids = ['x1', 'x2', 'x3', 'x4'];
    for (const id of ids) client.send({ id, type: 'subscribe', payload: { query: RUNTIME_EVENTS, variables: { s: 0 } } });
    for (const id of ids) await client.waitMessage((m) => m.id === id && m.type === 'next');
    expect(client.messages.filter((m) => m.type === 'error')).toEqual([]);
    client.ws.close();
    await waitFor(() => openStreams === 0, 2000, 'streams of the closed socket to end');
  }, 30_000);
});
