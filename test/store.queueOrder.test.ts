/**
 * A thread's queue in run order, on every store: by a moved turn's rank (`queueRank`, set by moveQueuedTurn),
 * else by turn id (arrival); a turn queued after a move goes to the end; a turn leaving the queue leaves it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { newThreadRecord, newTurnRecord } from '../src/domain/factories.js';
import type { TurnRecord } from '../src/domain/records.js';
import type { RecordStore, UnitOfWork } from '../src/store/contract.js';
import { MemoryStore } from '../src/store/memory/memoryStore.js';
import { PgStore } from '../src/store/postgres/pgStore.js';
import { Store } from '../src/store/store.js';
import { removeDir, tempDir } from './support/harness.js';
import { useTestPostgres } from './support/postgres.js';

const NOW = '2026-03-01T12:00:00.000Z';

async function checkQueueOrder(store: RecordStore & { batch(): UnitOfWork }) {
  const thread = newThreadRecord({ model: 'm', mode: 'agent', workspace: '/ws' }, NOW);
  const queued = (prompt: string): TurnRecord =>
    newTurnRecord({ threadId: thread.id, prompt, model: 'm', mode: 'agent', options: {}, status: 'QUEUED' }, NOW);
  const [a, b, c] = [queued('a'), queued('b'), queued('c')];
  await store.batch().putThread(thread, null).putTurn(a).putTurn(b).putTurn(c).write();
  expect(await store.listQueuedTurnIds(thread.id)).toEqual([a.id, b.id, c.id]);

  // moveQueuedTurn's ranks: c first.
  const ranked = [c, a, b].map((t, i) => ({ ...t, queueRank: `q${String(i).padStart(8, '0')}` }));
  const move = store.batch();
  for (const t of ranked) move.putTurn(t);
  await move.write();
  expect(await store.listQueuedTurnIds(thread.id)).toEqual([c.id, a.id, b.id]);

  const d = queued('d');
  await store.batch().putTurn(d).write();
  expect(await store.listQueuedTurnIds(thread.id)).toEqual([c.id, a.id, b.id, d.id]);

  await store
    .batch()
    .putTurn({ ...ranked[0]!, status: 'IN_PROGRESS' })
    .write();
  expect(await store.listQueuedTurnIds(thread.id)).toEqual([a.id, b.id, d.id]);
}

describe('queue order on the LevelDB store', () => {
  let dir: string;
  afterAll(async () => removeDir(dir));

  it('follows ranks, then arrival', async () => {
    dir = await tempDir();
    const store = await Store.open(dir);
    try {
      await checkQueueOrder(store);
    } finally {
      await store.close();
    }
  });
});

describe('queue order on the in-memory store', () => {
  it('follows ranks, then arrival', async () => {
    const store = new MemoryStore();
    try {
      await checkQueueOrder(store);
    } finally {
      await store.close();
    }
  });
});

describe('queue order on the PostgreSQL store', () => {
  const server = useTestPostgres();

  it('follows ranks, then arrival', async () => {
    const store = await PgStore.open(await server().createDatabase('queue_order'), { nodeId: 'node-1', leaseMs: 15_000 });
    try {
      await checkQueueOrder(store);
    } finally {
      await store.close();
    }
  });
});
