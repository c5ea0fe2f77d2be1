import { createParser } from 'eventsource-parser';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { createThread, narrow, startTurn, threadEvents, waitForTurnEnd } from './support/ops.js';
import { RuntimeInfoDocument } from '../sdk/generated/graphql.js';

const THREAD_EVENTS = `subscription($t: ID!, $s: SafeInt) { threadEvents(threadId: $t, sinceSeq: $s) { seq name turnId itemId payload } }`;

describe('event subscriptions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('replay then live: joining mid-stream gives every event once, in order, equal to a later replay', async () => {
    const threadId = await createThread(server);
    const t = await startTurn(server, { threadId, prompt: 'word '.repeat(1500) });
    // Join while the answer streams, replaying from 0.
    await waitFor(async () => (await threadEvents(server, threadId)).some((e) => e.name === 'item.delta'), 5000, 'deltas');
    const sub = subscribe(server.ws(), THREAD_EVENTS, { t: threadId, s: 0 }, (v: any) => v.threadEvents.name === 'turn.completed');
    const live = (await sub.done).map((v: any) => v.threadEvents);
    await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    const replay = await threadEvents(server, threadId);
    expect(live.map((e: any) => e.seq)).toEqual(replay.map((e) => e.seq));
    expect(live).toEqual(replay);
  });

  it('a subscriber that resubscribes with its last seq gets exactly the events it missed', async () => {
    const threadId = await createThread(server);
    const t = await startTurn(server, { threadId, prompt: 'word '.repeat(1500) });
    const first = subscribe(server.ws(), THREAD_EVENTS, { t: threadId, s: 0 }, (_v, all) => all.length >= 8);
    const seen = (await first.done).map((v: any) => v.threadEvents);
    const lastSeq = seen[seen.length - 1].seq;
    const second = subscribe(server.ws(), THREAD_EVENTS, { t: threadId, s: lastSeq }, (v: any) => v.threadEvents.name === 'turn.completed');
    const rest = (await second.done).map((v: any) => v.threadEvents);
    await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect([...seen, ...rest]).toEqual(await threadEvents(server, threadId));
  });

  it('runtimeEvents carries every thread; with sinceSeq it replays first', async () => {
    const before = (await server.sdk.request(RuntimeInfoDocument)).runtimeInfo.latestSeq;
    const sub = subscribe(
      server.ws(),
      `subscription($s: SafeInt) { runtimeEvents(sinceSeq: $s) { seq name threadId } }`,
      { s: before },
      (_v, all) => all.length >= 2,
    );
    const a = await createThread(server);
    const b = await createThread(server);
    const events = (await sub.done).map((v: any) => v.runtimeEvents);
    expect(events.map((e: any) => [e.name, e.threadId])).toEqual([
      ['thread.started', a],
      ['thread.started', b],
    ]);
    expect(events[0].seq).toBe(before + 1);
    expect(events[1].seq).toBe(before + 2);
  });

  it('streams over SSE too (GraphQL over HTTP with text/event-stream)', async () => {
    const threadId = await createThread(server);
    const t = await startTurn(server, { threadId, prompt: 'over sse' });
    await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    const controller = new AbortController();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId, s: 0 } }),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const received: any[] = [];
    const expected = await threadEvents(server, threadId);
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'next' || event.event === undefined) received.push(JSON.parse(event.data).data.threadEvents);
      },
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    while (received.length < expected.length) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    controller.abort();
    expect(received).toEqual(expected);
  });

  it('a negative sinceSeq or a malformed thread id is an error, not a stream', async () => {
    const bad = subscribe(server.ws(), THREAD_EVENTS, { t: 'nope', s: 0 });
    await expect(bad.done).rejects.toThrow(/thread id/);
    const threadId = await createThread(server);
    const negative = subscribe(server.ws(), THREAD_EVENTS, { t: threadId, s: -1 });
    await expect(negative.done).rejects.toThrow(/sinceSeq/);
  });
});

describe('a subscriber that does not read', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Small bounds so that a few turns are enough to overflow them. The stalled client cannot answer pings either:
    // a keepalive longer than the test, so that the socket is not dropped as dead before the stream overflows.
    server = await startTestServer({
      config: { wsKeepaliveMs: 600_000 },
      runtime: { subscriberMaxPending: 300, subscriberMergeFrom: 20 },
      wsHighWaterBytes: 16 * 1024,
    });
  });
  afterAll(() => server.close());

  // 60 turns of ~200 KB with every commit synced take longer than the default test timeout on a loaded machine.
  it('has its stream ended with an error naming the seq to resume from; memory stays bounded', async () => {
    const threadId = await createThread(server);
    // A raw WebSocket client that subscribes and then stops reading (pauses the socket).
    const ws = new WebSocket(server.url.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: threadId, s: 0 } } }));
    await new Promise((r) => setTimeout(r, 50));
    (ws as any)._socket.pause();

    // Retained heap, not garbage that has not been collected yet.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => (gc(), gc(), process.memoryUsage().heapUsed);
    const heapBefore = heap();
    // Far more than the kernel's socket buffers hold: 60 queued turns echoing ~200 KB each.
    const prompt = ('y'.repeat(1000) + ' ').repeat(200);
    let last = '';
    for (let i = 0; i < 60; i++) last = narrow(await startTurn(server, { threadId, prompt, delivery: 'QUEUE' }), 'StartTurnPayload').turn.id;
    await waitForTurnEnd(server, last, 60_000);
    const heapAfter = heap();
    console.log(`retained heap growth with a stalled subscriber over 60 turns: ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB`);
    // The server did not keep a copy of every event for the stalled client.
    expect(heapAfter - heapBefore).toBeLessThan(200 * 1024 * 1024);

    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    (ws as any)._socket.resume();
    await waitFor(() => messages.some((m) => m.type === 'error' || m.type === 'complete'), 10_000, 'the stream to end');
    const error = messages.find((m) => m.type === 'error');
    expect(JSON.stringify(error)).toMatch(/fell behind.*sinceSeq: \d+/);
    // Everything it did receive is in order with no gap against the log, merged deltas included.
    const got = messages.filter((m) => m.type === 'next').map((m) => m.payload.data.threadEvents);
    const log = await threadEvents(server, threadId);
    for (let i = 1; i < got.length; i++) expect(got[i].seq).toBeGreaterThan(got[i - 1].seq);
    const lastSeq = Number(/sinceSeq: (\d+)/.exec(JSON.stringify(error))![1]);
    expect(lastSeq).toBe(got[got.length - 1].seq);
    const text = (events: any[]) =>
      events
        .filter((e) => e.name === 'item.delta' && e.seq <= lastSeq)
        .map((e) => e.payload.delta)
        .join('');
    expect(text(got)).toBe(text(log));
    ws.close();
  }, 180_000);
});
