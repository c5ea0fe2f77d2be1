import { print } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  RuntimeEventsDocument,
  ThreadDocument,
  ThreadEventsDocument,
  ThreadPresenceDocument,
  TurnEventsDocument,
  type ThreadPresenceSubscription,
} from '../sdk/generated/graphql.js';
import { Presence } from '../src/runtime/presence.js';
import { GateEngine } from './support/gateEngine.js';
import { startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { createThread, startedTurn, waitForTurnEnd } from './support/ops.js';
import { rawSocket, type RawSocket } from './support/rawSocket.js';
import { openSse } from './support/sse.js';

type Presence_ = ThreadPresenceSubscription['threadPresence'];

/** A threadPresence watcher: every count it was sent, and a wait for the next one that matches. */
function watchPresence(server: TestServer, threadId: string) {
  const sub = subscribe(server.ws(), ThreadPresenceDocument, { threadId });
  return {
    counts: () => sub.values.map((v) => v.threadPresence.subscriberCount),
    /** Resolves once the last count sent is `n`. */
    until: (n: number) =>
      waitFor(() => sub.values.at(-1)?.threadPresence.subscriberCount === n, 10_000, `a presence event with subscriberCount ${n}`),
    stop: sub.unsubscribe,
  };
}

async function subscriberCount(server: TestServer, id: string): Promise<number | undefined> {
  return (await server.sdk.request(ThreadDocument, { id })).thread?.subscriberCount;
}

/** A raw graphql-ws socket that has subscribed threadEvents of `threadId` (and got past connection_ack). */
async function rawFollower(
  server: TestServer,
  threadId: string,
  options: WebSocket.ClientOptions = {},
  query = print(ThreadEventsDocument),
): Promise<RawSocket> {
  const socket = await rawSocket(server, options);
  socket.send({ type: 'connection_init', payload: {} });
  await socket.waitMessage((m) => m.type === 'connection_ack');
  socket.send({ id: 'follow', type: 'subscribe', payload: { query, variables: { threadId } } });
  return socket;
}

describe('presence: Thread.subscriberCount and threadPresence', () => {
  let server: TestServer;
  const gate = new GateEngine();
  beforeAll(async () => {
    // A short keepalive so a socket that stops answering pings is dropped soon; presence notices not held back long.
    server = await startTestServer({ engine: gate, config: { wsKeepaliveMs: 100 }, runtime: { presenceIntervalMs: 20 } });
  });
  afterAll(() => server.close());

  it('a thread nobody follows has 0; watching presence does not count as following', async () => {
    const threadId = await createThread(server);
    expect(await subscriberCount(server, threadId)).toBe(0);
    const watcher = watchPresence(server, threadId);
    await watcher.until(0);
    expect(await subscriberCount(server, threadId)).toBe(0);
    watcher.stop();
  });

  it('joining raises the count and sends an event; complete and closing the socket lower it; one connection counts once', async () => {
    const threadId = await createThread(server);
    const watcher = watchPresence(server, threadId);
    await watcher.until(0);

    const alice = server.ws();
    const first = subscribe(alice, ThreadEventsDocument, { threadId });
    await watcher.until(1);
    expect(await subscriberCount(server, threadId)).toBe(1);

    const bob = server.ws();
    subscribe(bob, ThreadEventsDocument, { threadId });
    await watcher.until(2);
    expect(await subscriberCount(server, threadId)).toBe(2);

    // A second subscription on Alice's connection: still two clients.
    const second = subscribe(alice, ThreadEventsDocument, { threadId, sinceSeq: 0 });
    await waitFor(() => second.values.length > 0, 10_000, "the second subscription's replay");
    expect(await subscriberCount(server, threadId)).toBe(2);
    first.unsubscribe(); // graphql-ws `complete`; Alice still follows through the second one
    second.unsubscribe();
    await watcher.until(1);
    expect(await subscriberCount(server, threadId)).toBe(1);

    await bob.dispose(); // the socket closes with a close frame
    await watcher.until(0);
    expect(await subscriberCount(server, threadId)).toBe(0);
    // Every count sent was a change from the one before.
    const counts = watcher.counts();
    expect(counts.every((c, i) => i === 0 || c !== counts[i - 1])).toBe(true);
    watcher.stop();
  });

  it('runtimeEvents counts for each thread named in threadIds, once; without threadIds for none', async () => {
    const [a, b] = [await createThread(server), await createThread(server)];
    const everything = subscribe(server.ws(), RuntimeEventsDocument, {});
    const watchB = watchPresence(server, b);
    const named = subscribe(server.ws(), RuntimeEventsDocument, { threadIds: [a, b, a] });
    await watchB.until(1);
    expect(await subscriberCount(server, a)).toBe(1);
    expect(await subscriberCount(server, b)).toBe(1);
    named.unsubscribe();
    await watchB.until(0);
    expect(await subscriberCount(server, a)).toBe(0);
    everything.unsubscribe();
    watchB.stop();
  });

  it("turnEvents of a running turn counts for its thread; a finished turn's replay does not", async () => {
    const threadId = await createThread(server);
    const watcher = watchPresence(server, threadId);
    await watcher.until(0);
    const turn = await startedTurn(server, { threadId, prompt: 'hold on' });
    const live = subscribe(server.ws(), TurnEventsDocument, { turnId: turn.id }, (v) => v.turnEvents.name === 'turn.completed');
    await watcher.until(1);
    await waitFor(() => gate.held.includes(turn.id), 10_000, 'the turn at its gate');
    gate.release(turn.id);
    await live.done; // the stream ends after turn.completed
    await watcher.until(0);
    await waitForTurnEnd(server, turn.id);

    const replay = subscribe(server.ws(), TurnEventsDocument, { turnId: turn.id });
    expect((await replay.done).at(-1)?.turnEvents.name).toBe('turn.completed');
    // The next change the watcher sees is the follower below: the replay never counted.
    subscribe(server.ws(), ThreadEventsDocument, { threadId });
    await watcher.until(1);
    expect(watcher.counts()).toEqual([0, 1, 0, 1]);
    watcher.stop();
  });

  it('a client whose TCP connection is destroyed without a close frame is counted out', async () => {
    const threadId = await createThread(server);
    const watcher = watchPresence(server, threadId);
    // Only the event's scalars: the subscription is served as shared frames (src/server/eventFrames.ts).
    const frames = 'subscription ($threadId: ID!) { threadEvents(threadId: $threadId) { seq name payload } }';
    const socket = await rawFollower(server, threadId, {}, frames);
    await watcher.until(1);
    (socket.ws as unknown as { _socket: import('node:net').Socket })._socket.destroy();
    await watcher.until(0);
    expect(await subscriberCount(server, threadId)).toBe(0);
    watcher.stop();
  });

  it('a client that stops answering pings is dropped after the keepalive timeout and counted out', async () => {
    const threadId = await createThread(server);
    const watcher = watchPresence(server, threadId);
    // The TCP connection stays open; the client just never answers a ping (a frozen tab, a dead NAT mapping).
    const socket = await rawFollower(server, threadId, { autoPong: false });
    await watcher.until(1);
    const closed = await socket.closed;
    expect(closed.code).toBe(1006); // terminated by the server, no close handshake
    await watcher.until(0);
    expect(await subscriberCount(server, threadId)).toBe(0);
    watcher.stop();
  });

  it('an SSE follower counts (POST and GET); dropping its connection counts it out', async () => {
    const threadId = await createThread(server);
    const watcher = watchPresence(server, threadId);
    await watcher.until(0);
    const query = print(ThreadEventsDocument);
    const post = await openSse(server.url, { query, variables: { threadId } });
    expect(post.status).toBe(200);
    await watcher.until(1);
    const get = await openSse(server.url, { query, variables: { threadId }, method: 'GET' });
    expect(get.status).toBe(200);
    await watcher.until(2);
    expect(await subscriberCount(server, threadId)).toBe(2);
    post.cut();
    await watcher.until(1);
    get.cut();
    await watcher.until(0);
    watcher.stop();
  });

  it('threadPresence over SSE sends the count now and each change, without an id line (no seq)', async () => {
    const threadId = await createThread(server);
    const stream = await openSse(server.url, { query: print(ThreadPresenceDocument), variables: { threadId } });
    await stream.waitUntil((events) => events.length >= 1);
    const follower = subscribe(server.ws(), ThreadEventsDocument, { threadId });
    await stream.waitUntil((events) => events.at(-1)?.data.data?.threadPresence.subscriberCount === 1);
    expect(stream.events.map((e) => [e.id, (e.data.data.threadPresence as Presence_).subscriberCount])).toEqual([
      [null, 0],
      [null, 1],
    ]);
    follower.unsubscribe();
    stream.cut();
  });

  it('bad thread ids error as before; threadPresence refuses them and unknown threads', async () => {
    expect(await server.sdk.request(ThreadDocument, { id: 'nope' })).toEqual({ thread: null });
    expect(await server.sdk.request(ThreadDocument, { id: 'thr_01J00000000000000000000000' })).toEqual({ thread: null });
    const codeOf = async (document: typeof ThreadPresenceDocument | typeof ThreadEventsDocument, threadId: string) => {
      // An error from the subscribe function arrives as a `next` with errors (the helper throws their JSON).
      const errors = await subscribe(server.ws(), document as typeof ThreadPresenceDocument, { threadId }).done.then(
        () => null,
        (error: unknown) => (error instanceof Error ? JSON.parse(error.message) : error) as { extensions?: { code?: string } }[],
      );
      return errors?.[0]?.extensions?.code;
    };
    expect(await codeOf(ThreadEventsDocument, 'nope')).toBe('VALIDATION');
    expect(await codeOf(ThreadPresenceDocument, 'nope')).toBe('VALIDATION');
    expect(await codeOf(ThreadPresenceDocument, 'thr_01J00000000000000000000000')).toBe('NOT_FOUND');
  });

  it('the server shutting down ends threadPresence watchers', async () => {
    const own = await startTestServer();
    try {
      const threadId = await createThread(own);
      const watcher = subscribe(own.ws(), ThreadPresenceDocument, { threadId });
      await waitFor(() => watcher.values.length === 1, 10_000, 'the first count');
      await own.runtime.stop();
      expect((await watcher.done).map((v) => v.threadPresence.subscriberCount)).toEqual([0]);
    } finally {
      await own.close();
    }
  });
});

describe('Presence coalescing', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a flapping client reaches watchers at most once per interval, with the count of that moment', async () => {
    vi.useFakeTimers();
    const presence = new Presence(1000);
    const stream = presence.counts('thr_a');
    const seen: number[] = [];
    const reading = (async () => {
      for await (const p of stream) seen.push(p.subscriberCount);
    })();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([0]);

    const connection = {};
    const steady = presence.join(['thr_a'], {});
    for (let i = 0; i < 50; i++) presence.join(['thr_a'], connection)(); // join and leave at once, 50 times
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([0, 1]); // the first change goes out at once; the flapping is held back
    await vi.advanceTimersByTimeAsync(999);
    expect(seen).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(1);
    // The held-back notice carried 1 again (the flapping client is gone): equal to the last count, not sent.
    expect(seen).toEqual([0, 1]);

    steady();
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([0, 1, 0]);
    expect(presence.count('thr_a')).toBe(0);
    await stream.return(undefined);
    await reading;
  });
});
