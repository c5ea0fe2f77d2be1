/**
 * Event filters (`names` with exact names and `item.`-style prefixes; `threadIds` on runtimeEvents): what a
 * filtered subscription delivers, joined mid-turn (replay then live), is exactly the stored events the filter
 * selects, in seq order, each once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { createThread, eventsNamed, startedTurn, threadEvents, waitForTurnEnd } from './support/ops.js';
import { openSse } from './support/sse.js';

type Event = { seq: number; name: string; threadId: string; turnId: string | null; payload: any };
const FIELDS = 'seq name threadId turnId payload';
const THREAD_EVENTS = `subscription($t: ID!, $s: SafeInt, $n: [String!]) { threadEvents(threadId: $t, sinceSeq: $s, names: $n) { ${FIELDS} } }`;
const TURN_EVENTS = `subscription($id: ID!, $n: [String!]) { turnEvents(turnId: $id, names: $n) { ${FIELDS} } }`;
const RUNTIME_EVENTS = `subscription($s: SafeInt, $n: [String!], $ts: [ID!]) { runtimeEvents(sinceSeq: $s, names: $n, threadIds: $ts) { ${FIELDS} } }`;
const LONG_PROMPT = 'word '.repeat(300);

const selects = (names: string[]) => (e: { name: string }) => names.some((n) => (n.endsWith('.') ? e.name.startsWith(n) : e.name === n));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(10) });
});
afterAll(() => server.close());

/** Starts a long turn and waits until some of its deltas are stored: a subscription from 0 now joins mid-turn. */
async function turnUnderWay(threadId: string) {
  const turn = await startedTurn(server, { threadId, prompt: LONG_PROMPT });
  await waitFor(async () => (await threadEvents(server, threadId)).filter((e) => e.name === 'item.delta').length >= 3, 10_000, 'deltas');
  return turn.id;
}

describe('event filters', () => {
  it('threadEvents with names joined mid-turn: exactly the selected stored events, in order, once', async () => {
    const threadId = await createThread(server);
    const turnId = await turnUnderWay(threadId);
    const names = ['item.', 'turn.completed'];
    const sub = subscribe<{ threadEvents: Event }>(
      server.ws(),
      THREAD_EVENTS,
      { t: threadId, s: 0, n: names },
      (v) => v.threadEvents.name === 'turn.completed',
    );
    const got = (await sub.done).map((v) => v.threadEvents);
    await waitForTurnEnd(server, turnId);
    const stored = (await threadEvents(server, threadId)).filter(selects(names));
    expect(got.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(got.some((e) => e.name === 'turn.started' || e.name === 'thread.started')).toBe(false);
    expect(got.filter((e) => e.name === 'item.delta').length).toBeGreaterThan(3);
  });

  it('turnEvents with names delivers only those and still completes when the turn ends', async () => {
    const threadId = await createThread(server);
    const turnId = await turnUnderWay(threadId);
    const sub = subscribe<{ turnEvents: Event }>(server.ws(), TURN_EVENTS, { id: turnId, n: ['item.delta'] });
    const got = (await sub.done).map((v) => v.turnEvents); // completes by itself
    const stored = eventsNamed(await threadEvents(server, threadId), 'item.delta').filter((e) => e.turnId === turnId);
    expect(got.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(got.map((e) => e.payload.delta).join('')).toBe(stored.map((e) => e.payload.delta).join(''));
  });

  it('runtimeEvents with threadIds (one thread, and several) and names, joined mid-turn while another thread runs', async () => {
    const a = await createThread(server);
    const b = await createThread(server);
    const c = await createThread(server);
    const since = (await threadEvents(server, a))[0]!.seq - 1;
    const turnA = await turnUnderWay(a);
    const turnC = await startedTurn(server, { threadId: c, prompt: LONG_PROMPT });
    const turnB = await startedTurn(server, { threadId: b, prompt: LONG_PROMPT });
    const ended = (want: string[]) => (_: unknown, all: { runtimeEvents: Event }[]) =>
      want.every((t) => all.some((v) => v.runtimeEvents.threadId === t && v.runtimeEvents.name === 'turn.completed'));
    const one = subscribe<{ runtimeEvents: Event }>(server.ws(), RUNTIME_EVENTS, { s: since, n: ['turn.', 'item.completed'], ts: [a] }, ended([a]));
    const two = subscribe<{ runtimeEvents: Event }>(
      server.ws(),
      RUNTIME_EVENTS,
      { s: since, n: ['turn.completed', 'item.delta'], ts: [a, b] },
      ended([a, b]),
    );
    const [gotOne, gotTwo] = await Promise.all([one.done, two.done]);
    for (const id of [turnA, turnB.id, turnC.id]) await waitForTurnEnd(server, id);

    const storedA = await threadEvents(server, a);
    const storedB = await threadEvents(server, b);
    expect(gotOne.map((v) => v.runtimeEvents.seq)).toEqual(storedA.filter(selects(['turn.', 'item.completed'])).map((e) => e.seq));
    const wantTwo = [...storedA, ...storedB].filter(selects(['turn.completed', 'item.delta'])).sort((x, y) => x.seq - y.seq);
    expect(gotTwo.map((v) => v.runtimeEvents.seq)).toEqual(wantTwo.map((e) => e.seq));
    expect(gotTwo.some((v) => v.runtimeEvents.threadId === c)).toBe(false);
  });

  it('a filtered SSE stream resumed with Last-Event-ID continues with the next selected event', async () => {
    const threadId = await createThread(server);
    const turnId = await turnUnderWay(threadId);
    const names = ['item.delta', 'turn.completed'];
    const query = 'subscription($t: ID!, $n: [String!]) { threadEvents(threadId: $t, sinceSeq: 0, names: $n) { seq name } }';
    const first = await openSse(server.url, { query, variables: { t: threadId, n: names } });
    await first.waitUntil((events) => events.length >= 2);
    first.cut();
    const second = await openSse(server.url, { query, variables: { t: threadId, n: names }, lastEventId: first.events.at(-1)!.id!, method: 'GET' });
    await second.waitUntil((events) => events.some((e) => e.data.data.threadEvents.name === 'turn.completed'));
    second.cut();
    await waitForTurnEnd(server, turnId);
    const got = [...first.events, ...second.events].map((e) => e.data.data.threadEvents.seq);
    expect(got).toEqual((await threadEvents(server, threadId)).filter(selects(names)).map((e) => e.seq));
  });

  it('unknown names, empty lists and ids that are not thread ids are VALIDATION errors', async () => {
    const threadId = await createThread(server);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [THREAD_EVENTS, { t: threadId, n: ['item.deltas'] }, /no event name/],
      [THREAD_EVENTS, { t: threadId, n: ['item'] }, /no event name/],
      [THREAD_EVENTS, { t: threadId, n: ['nothing.'] }, /no event name/],
      [THREAD_EVENTS, { t: threadId, n: [] }, /empty list/],
      [RUNTIME_EVENTS, { ts: ['turn_x'] }, /not a thread id/],
      [RUNTIME_EVENTS, { ts: [] }, /empty list/],
      [RUNTIME_EVENTS, { n: Array.from({ length: 101 }, () => 'item.') }, /at most 100/],
    ];
    for (const [query, variables, message] of cases) {
      const sub = subscribe(server.ws(), query, variables);
      await expect(sub.done).rejects.toThrow(message);
      await expect(sub.done).rejects.toThrow(/VALIDATION/);
    }
  });
});
