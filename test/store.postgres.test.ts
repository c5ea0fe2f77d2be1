/**
 * What only the PostgreSQL store promises beyond the shared store suite: seqs assigned by the commit
 * transaction across stores (nodes) on one database — gapless, in commit order, none used by a failed
 * transaction — and open turns owned by a live node left to it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newThreadRecord, newTurnRecord } from '../src/domain/factories.js';
import type { EventRecord, ThreadRecord } from '../src/domain/records.js';
import { PgEventFeed } from '../src/store/postgres/pgEventFeed.js';
import { PgStore } from '../src/store/postgres/pgStore.js';
import { useTestPostgres } from './support/postgres.js';

const NOW = '2026-03-01T12:00:00.000Z';
const thread = (): ThreadRecord => newThreadRecord({ model: 'm', mode: 'agent', workspace: '/ws' }, NOW);
const event = (threadId: string, n: number) =>
  ({ seq: 0, timestamp: NOW, name: 'turn.updated', threadId, turnId: null, itemId: null, payload: { n } }) as unknown as EventRecord;

describe('PostgreSQL store: seqs and ownership across nodes', () => {
  const server = useTestPostgres();
  const open: PgStore[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  let databases = 0;
  async function stores(count: number, leaseMs = 15_000): Promise<PgStore[]> {
    const url = await server().createDatabase(`pgstore_${++databases}`);
    const made: PgStore[] = [];
    for (let i = 0; i < count; i++) made.push(await PgStore.open(url, { nodeId: `node-${i}`, leaseMs }));
    open.push(...made);
    return made;
  }

  it('numbers events of racing commits from two stores gaplessly, in commit order, each once', async () => {
    const [a, b] = (await stores(2)) as [PgStore, PgStore];
    const t = thread();
    await a.batch().putThread(t, null).write();
    const commits = Array.from({ length: 40 }, (_, i) => {
      const unit = (i % 2 ? a : b).batch();
      for (let k = 0; k < 3; k++) unit.putEvent(event(t.id, i * 3 + k));
      return unit.write().then(() => unit.events.map((p) => p.event.seq));
    });
    const assigned = await Promise.all(commits);
    // Each commit's events are consecutive.
    for (const seqs of assigned) expect(seqs).toEqual([seqs[0]!, seqs[0]! + 1, seqs[0]! + 2]);
    const log = await b.readEvents(null, 0, 1000);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await a.readEvents(t.id, 0, 1000)).toEqual(log);
    expect(await a.nextSeq()).toBe(121);
  });

  it('a failed transaction uses no seq and writes nothing', async () => {
    const [a] = (await stores(1)) as [PgStore];
    const t = thread();
    await a.batch().putThread(t, null).putEvent(event(t.id, 1)).write();
    const t2 = thread();
    const bad = a
      .batch()
      .putThread(t2, null)
      .putEvent(event(t2.id, 2))
      .putMeta(null as unknown as string, 1);
    await expect(bad.write()).rejects.toThrow();
    expect(a.writeError).not.toBeNull();
    expect(await a.getThread(t2.id)).toBeNull();
    await a.batch().putEvent(event(t.id, 3)).write();
    expect(a.writeError).toBeNull();
    expect((await a.readEvents(null, 0, 10)).map((e) => [e.seq, e.payload])).toEqual([
      [1, { n: 1 }],
      [2, { n: 3 }],
    ]);
  });

  it('two turns of one thread cannot both be IN_PROGRESS, whichever store writes them', async () => {
    const [a, b] = (await stores(2)) as [PgStore, PgStore];
    const t = thread();
    await a.batch().putThread(t, null).write();
    const first = newTurnRecord({ threadId: t.id, prompt: 'a', model: 'm', mode: 'agent', options: {}, status: 'IN_PROGRESS' }, NOW);
    const second = newTurnRecord({ threadId: t.id, prompt: 'b', model: 'm', mode: 'agent', options: {}, status: 'IN_PROGRESS' }, NOW);
    const results = await Promise.allSettled([a.batch().putTurn(first).write(), b.batch().putTurn(second).write()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await a.listTurnIds(t.id)).length).toBe(1);
  });

  it('leaves open turns of a live node to it and hands those of a silent node to the others', async () => {
    const [a, b] = (await stores(2, 500)) as [PgStore, PgStore];
    const t = thread();
    await a.batch().putThread(t, null).write();
    const running = newTurnRecord({ threadId: t.id, prompt: 'a', model: 'm', mode: 'agent', options: {}, status: 'IN_PROGRESS' }, NOW);
    await a.batch().putTurn(running).write();
    await a.pool.query("INSERT INTO nodes (id, started_at, heartbeat_at) VALUES ('node-0', now(), now())");
    expect(await a.listOpenTurnIds()).toEqual([running.id]);
    expect(await b.listOpenTurnIds()).toEqual([]);
    await a.pool.query("UPDATE nodes SET heartbeat_at = now() - interval '1 second' WHERE id = 'node-0'");
    expect(await b.listOpenTurnIds()).toEqual([running.id]);
  });
});

describe('PostgreSQL event feed: every node delivers the global log once, in order', () => {
  const server = useTestPostgres();
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function node(url: string, id: string) {
    const store = await PgStore.open(url, { nodeId: id, leaseMs: 15_000 });
    const seen: EventRecord[] = [];
    const feed = new PgEventFeed(store, { url, publish: (e) => seen.push(e), after: (await store.nextSeq()) - 1, pollMs: 200 });
    await feed.start();
    cleanup.push(
      () => store.close(),
      () => feed.stop(),
    );
    return { store, feed, seen };
  }

  it('delivers what other nodes commit, gapless and equal to the stored log, also after its LISTEN connection is cut', async () => {
    const url = await server().createDatabase('feed_two_nodes');
    const a = await node(url, 'a');
    const b = await node(url, 'b');
    const t = thread();
    await a.store.batch().putThread(t, null).write();
    const writers = [a, b].map(async (n, w) => {
      for (let i = 0; i < 30; i++) {
        const [events] = await n.store.commit([{ unit: n.store.batch(), drafts: [event(t.id, w * 100 + i), event(t.id, w * 100 + i)] }], NOW);
        n.feed.committed(events!);
        // Halfway, cut node b's LISTEN connection: its notifications are lost until the poll reconnects.
        if (w === 0 && i === 15) await a.store.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
      }
    });
    await Promise.all(writers);
    await Promise.all([a.feed.reached(120), b.feed.reached(120)]);
    const log = await a.store.readEvents(null, 0, 1000);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(a.seen).toEqual(log);
    expect(b.seen).toEqual(log);
  });
});
