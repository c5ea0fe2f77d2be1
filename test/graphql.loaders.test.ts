/**
 * Per-request loaders batch every store read of one GraphQL request: a page of 50 threads with their latest
 * turns and items costs the same number of store round trips as a page of 5 (no N+1).
 * `store.roundTrips` counts every public store read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from './support/harness.js';
import { createThread, startTurn, threadState } from './support/ops.js';

type Json = any;

const THREADS = 60;
let server: TestServer;

/**
 * Runs one request and returns its data with the store round trips it cost. The measured queries are written out:
 * their shape (a tree the loaders must batch) is what is measured.
 */
async function measure(query: string, variables?: Record<string, unknown>): Promise<{ data: Json; roundTrips: number }> {
  const store = server.store;
  store.roundTrips = 0;
  const body = await server.gql(query, variables);
  const roundTrips = store.roundTrips;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return { data: body.data, roundTrips };
}

beforeAll(async () => {
  server = await startTestServer();
  // 60 threads, each with one finished turn (the offline engine answers in a few ms).
  const ids = await Promise.all(Array.from({ length: THREADS }, (_, i) => createThread(server, { title: `loader thread ${i}` })));
  const started = await Promise.all(ids.map((threadId) => startTurn(server, { threadId, prompt: 'count my words' })));
  expect(started.map((r) => r.__typename)).toEqual(ids.map(() => 'StartTurnPayload'));
  await waitFor(
    async () =>
      (await Promise.all(ids.map((id) => threadState(server, id)))).every((t) => t.status === 'IDLE' && t.latestTurn?.status === 'COMPLETED'),
    15_000,
    'every turn to finish',
  );
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe('store round trips per request', () => {
  const LATEST_ITEMS = `query($first: Int!) {
    threads(first: $first) { edges { node { latestTurn { items(first: 5) { edges { node { id summary } } } } } } }
  }`;

  it('threads → latestTurn → items costs the same for 5 threads as for 50', async () => {
    const five = await measure(LATEST_ITEMS, { first: 5 });
    const fifty = await measure(LATEST_ITEMS, { first: 50 });

    expect(five.data.threads.edges).toHaveLength(5);
    expect(fifty.data.threads.edges).toHaveLength(50);
    for (const { node } of fifty.data.threads.edges) {
      const items = node.latestTurn.items.edges.map((e: Json) => e.node);
      expect(items).toHaveLength(2);
      expect(items[0].summary).toBe('count my words');
      expect(items[1].summary).toContain('(offline engine)');
    }

    expect(fifty.roundTrips).toBe(five.roundTrips);
    // One page read of threads, one batched turn read, one batched item-page read.
    expect(fifty.roundTrips).toBeLessThanOrEqual(3);
  });

  it('a deeper tree (turns, items, back-references, latestSeq, totalCount) stays constant too', async () => {
    const DEEP = `query($first: Int!) {
      threads(first: $first) {
        totalCount
        edges { node {
          id latestSeq status
          turns(first: 3) { totalCount edges { node {
            id status thread { id title }
            items(first: 5) { totalCount edges { node { id kind turn { id prompt } ... on AgentMessageItem { text } } } }
          } } }
        } }
      }
    }`;
    const five = await measure(DEEP, { first: 5 });
    const fifty = await measure(DEEP, { first: 50 });
    expect(fifty.data.threads.totalCount).toBe(THREADS);
    expect(fifty.data.threads.edges).toHaveLength(50);
    for (const { node } of fifty.data.threads.edges) {
      expect(node.latestSeq).toBeGreaterThan(0);
      const [turn] = node.turns.edges.map((e: Json) => e.node);
      expect(turn.thread.id).toBe(node.id);
      expect(turn.items.edges.map((e: Json) => e.node.turn.id)).toEqual([turn.id, turn.id]);
    }
    expect(fifty.roundTrips).toBe(five.roundTrips);
    expect(fifty.roundTrips).toBeLessThanOrEqual(6);
  });

  it('nodes(ids:) of 5 or 50 threads costs the same', async () => {
    const { data } = await measure(`{ threads(first: 50) { edges { node { id } } } }`);
    const ids = data.threads.edges.map((e: Json) => e.node.id);
    const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Thread { latestTurn { id items(first: 1) { nodes { id } } } } } }`;
    const five = await measure(NODES, { ids: ids.slice(0, 5) });
    const fifty = await measure(NODES, { ids });
    expect(fifty.data.nodes.map((n: Json) => n.id)).toEqual(ids);
    expect(fifty.roundTrips).toBe(five.roundTrips);
    expect(fifty.roundTrips).toBeLessThanOrEqual(3);
  });
});
