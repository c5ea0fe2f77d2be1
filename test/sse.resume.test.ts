/**
 * SSE resume with a raw HTTP client: every event of a subscription carries `id: <seq>`, and a reconnection with
 * `Last-Event-ID` resumes right after it (nothing lost, nothing twice), as a browser's EventSource does by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { createThread, startedTurn, threadEvents, waitForTurnEnd } from './support/ops.js';
import { openSse } from './support/sse.js';

const THREAD_EVENTS = 'subscription($t: ID!, $s: SafeInt) { threadEvents(threadId: $t, sinceSeq: $s) { seq name itemId payload } }';
const TURN_EVENTS = 'subscription($id: ID!) { turnEvents(turnId: $id) { seq name } }';
const RUNTIME_EVENTS = 'subscription($s: SafeInt) { runtimeEvents(sinceSeq: $s) { seq name threadId } }';
const LONG_PROMPT = 'word '.repeat(200);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(10) });
});
afterAll(() => server.close());

describe('SSE event ids and Last-Event-ID', () => {
  it('every event carries its seq as id; a cut mid-turn resumed with Last-Event-ID loses nothing and repeats nothing', async () => {
    const threadId = await createThread(server);
    const first = await openSse(server.url, { query: THREAD_EVENTS, variables: { t: threadId, s: 0 } });
    expect(first.status).toBe(200);
    const turn = await startedTurn(server, { threadId, prompt: LONG_PROMPT });
    await first.waitUntil((events) => events.filter((e) => e.data.data.threadEvents.name === 'item.delta').length >= 3);
    first.cut();
    for (const event of first.events) expect(event.id).toBe(String(event.data.data.threadEvents.seq));
    const lastId = first.events.at(-1)!.id!;

    // Resent as an EventSource does: the same operation (sinceSeq 0) plus the header.
    const second = await openSse(server.url, { query: THREAD_EVENTS, variables: { t: threadId, s: 0 }, lastEventId: lastId, method: 'GET' });
    await second.waitUntil((events) => events.some((e) => e.data.data.threadEvents.name === 'turn.completed'));
    second.cut();
    expect(Number(second.events[0]!.id)).toBeGreaterThan(Number(lastId));
    await waitForTurnEnd(server, turn.id);

    const seqs = [...first.events, ...second.events].map((e) => e.data.data.threadEvents.seq);
    const stored = (await threadEvents(server, threadId)).map((e) => e.seq);
    expect(seqs).toEqual(stored.slice(0, seqs.length));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const event of second.events) expect(event.id).toBe(String(event.data.data.threadEvents.seq));
  });

  it('Last-Event-ID only moves the start forward: a larger sinceSeq in the operation wins', async () => {
    const threadId = await createThread(server);
    const turn = await startedTurn(server, { threadId, prompt: 'short' });
    await waitForTurnEnd(server, turn.id);
    const stored = await threadEvents(server, threadId);
    const from = stored[3]!.seq;
    const stream = await openSse(server.url, { query: THREAD_EVENTS, variables: { t: threadId, s: from }, lastEventId: String(stored[1]!.seq) });
    await stream.waitUntil((events) => events.length >= stored.length - 4);
    stream.cut();
    expect(stream.events.map((e) => Number(e.id))).toEqual(stored.slice(4).map((e) => e.seq));
  });

  it('turnEvents resumes after Last-Event-ID and completes; resumed past its turn.completed it completes at once', async () => {
    const threadId = await createThread(server);
    const turn = await startedTurn(server, { threadId, prompt: 'a finished turn' });
    await waitForTurnEnd(server, turn.id);
    const all = await openSse(server.url, { query: TURN_EVENTS, variables: { id: turn.id } });
    await all.waitUntil(() => false);
    expect(all.events.at(-1)!.data.data.turnEvents.name).toBe('turn.completed');
    const middle = all.events[2]!.id!;
    const rest = await openSse(server.url, { query: TURN_EVENTS, variables: { id: turn.id }, lastEventId: middle });
    await rest.waitUntil(() => false);
    expect(rest.events.map((e) => e.id)).toEqual(all.events.slice(3).map((e) => e.id));
    const after = await openSse(server.url, { query: TURN_EVENTS, variables: { id: turn.id }, lastEventId: all.events.at(-1)!.id! });
    await after.waitUntil(() => false);
    expect(after.ended).toBe(true);
    expect(after.events).toEqual([]);
  });

  it('runtimeEvents without sinceSeq resumes from Last-Event-ID (it would otherwise start live)', async () => {
    const threadId = await createThread(server);
    const stored = await threadEvents(server, threadId);
    const before = stored[0]!.seq - 1;
    const stream = await openSse(server.url, { query: RUNTIME_EVENTS, lastEventId: String(before) });
    await stream.waitUntil((events) => events.length >= 1);
    stream.cut();
    expect(stream.events[0]!.data.data.runtimeEvents).toMatchObject({ seq: stored[0]!.seq, threadId });
    expect(stream.events[0]!.id).toBe(String(stored[0]!.seq));
  });

  it('a Last-Event-ID that is not a seq is a VALIDATION error, not a stream from elsewhere', async () => {
    const threadId = await createThread(server);
    for (const bad of ['abc', '-1', '1.5', '99999999999999999999']) {
      const stream = await openSse(server.url, { query: THREAD_EVENTS, variables: { t: threadId, s: 0 }, lastEventId: bad });
      await stream.waitUntil(() => false);
      const errors = stream.events.flatMap((e) => e.data.errors ?? []);
      expect(errors[0]?.extensions?.code, bad).toBe('VALIDATION');
      expect(stream.events.some((e) => e.data.data?.threadEvents)).toBe(false);
    }
  });
});
