/**
 * Faults (issue #6): kill -9 of a real server process during a fork and during a burst of thread updates, a
 * provider that hangs, a disk that refuses writes, and 200 subscribers while 20 turns run. After each, the store
 * opens, every record is whole, indexes match records, `seq` has no gap and nothing acknowledged is missing.
 * (kill -9 mid-turn and a second server on one data directory are in crash.test.ts.)
 */
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newThreadRecord } from '../src/domain/factories.js';
import type { EventRecord } from '../src/domain/records.js';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import type { Engine, EngineEvent } from '../src/engine/types.js';
import { updateThread } from '../src/runtime/threadCommands.js';
import { startTurn } from '../src/runtime/turnCommands.js';
import { Store } from '../src/store/store.js';
import { startFakeProvider, type FakeProvider } from './support/fakeProvider.js';
import { startFlakyServer, type FlakyServer } from './support/flakyStore.js';
import { removeDir, startTestServer, subscribe, tempDir, waitFor, type TestServer } from './support/harness.js';
import { checkInvariants, dumpStore, type StoreDump } from './support/invariants.js';
import {
  createThread,
  graphqlError,
  mutate,
  narrow,
  storedEvent,
  threadCount,
  threadEvents,
  turnCount,
  turnState,
  type SdkServer,
} from './support/ops.js';
import { spawnServer, type ServerProcess } from './support/process.js';
import { seedDataDir, type SeededThread } from './support/seed.js';
import { defined } from '../src/domain/defined.js';
import { ZagensGraphQLError } from '../sdk/client.js';
import {
  CreateThreadDocument,
  ForkThreadDocument,
  RoutingRulesDocument,
  RuntimeInfoDocument,
  SetRoutingRulesDocument,
  StartTurnDocument,
  ThreadDocument,
  ThreadEventsDocument,
  ThreadsDocument,
  UpdateThreadDocument,
  type CreateThreadInput,
  type UpdateThreadInput,
} from '../sdk/generated/graphql.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fork = (server: SdkServer, threadId: string) => mutate(server, ForkThreadDocument, { threadId });
const update = (server: SdkServer, input: UpdateThreadInput) => mutate(server, UpdateThreadDocument, input);

/** A request the kill cut off: the server never answered (any answer, even an error, fails the test). */
function cutOff(error: unknown): undefined {
  if (error instanceof ZagensGraphQLError && error.status === undefined) return undefined;
  throw error;
}

const THREAD_KEYS = Object.keys(newThreadRecord({ model: 'm', mode: 'agent', workspace: '/' }, new Date().toISOString())).sort();

/** Opens the store a killed process left (its LOCK is free once the process is gone), dumps it, closes it. */
async function dumpDataDir(dataDir: string): Promise<StoreDump> {
  const store = await Store.open(path.join(dataDir, 'runtime'));
  try {
    return await dumpStore(store);
  } finally {
    await store.close();
  }
}

function eventsOf(d: StoreDump, threadId: string): EventRecord[] {
  return [...d.events.values()].filter((e) => e.threadId === threadId);
}

describe('kill -9 during a fork of a large thread', () => {
  const TURNS = 1000;
  const ITEMS = 3;
  let dataDir: string;
  let args: string[];
  let source: SeededThread;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    dataDir = await tempDir();
    args = ['--data-dir', dataDir, '--workspace', dataDir];
    source = defined((await seedDataDir(dataDir, { workspace: dataDir, turnsPerThread: TURNS, itemsPerTurn: ITEMS }))[0], 'the seeded thread');
  });
  afterAll(async () => {
    await server?.kill();
    await removeDir(dataDir);
  });

  /** Every fork of the source in the store must be whole: the thread, all copied turns and items, its events. */
  function checkForks(d: StoreDump): string[] {
    const forks = [...d.threads.values()].filter((t) => t.forkedFrom?.threadId === source.threadId);
    for (const fork of forks) {
      const turns = [...d.turns.values()].filter((t) => t.threadId === fork.id);
      expect(turns.length, `fork ${fork.id}: copied turns`).toBe(TURNS);
      expect(fork.turnCount).toBe(TURNS);
      const turnIds = new Set(turns.map((t) => t.id));
      const items = [...d.items.values()].filter((i) => turnIds.has(i.turnId));
      expect(items.length, `fork ${fork.id}: copied items`).toBe(TURNS * ITEMS);
      expect(items.every((i) => i.threadId === fork.id)).toBe(true);
      const names = eventsOf(d, fork.id).map((e) => e.name);
      expect(names, `fork ${fork.id}: events`).toEqual(['thread.started', 'thread.forked']);
      expect(eventsOf(d, fork.id)[1]?.payload).toMatchObject({ sourceThreadId: source.threadId, copiedTurns: TURNS });
    }
    // Nothing of a fork without its thread: every turn and item belongs to the source or a whole fork.
    const known = new Set([source.threadId, ...forks.map((f) => f.id)]);
    expect([...d.turns.values()].filter((t) => !known.has(t.threadId))).toEqual([]);
    expect([...d.items.values()].filter((i) => !known.has(i.threadId))).toEqual([]);
    // The source itself is untouched.
    expect([...d.turns.values()].filter((t) => t.threadId === source.threadId).length).toBe(TURNS);
    return forks.map((f) => f.id);
  }

  it('after each kill the store opens whole: the fork is all there or not at all, seq has no gap', async () => {
    // Delays from the request to the kill, spread over a cold process's fork of this size (~100-250 ms).
    const delays = [0, 25, 60, 100, 140, 180, 230].map((d) => d + Math.floor(Math.random() * 15));
    let previous: string[] = [];
    for (const delay of delays) {
      server = await spawnServer(args);
      let acked: string | null = null;
      const request = fork(server, source.threadId).then(
        (r) => (acked = r.__typename === 'ForkThreadPayload' ? r.thread.id : null),
        () => null,
      );
      await sleep(delay);
      await server.kill('SIGKILL');
      server = null;
      await request;

      const d = await dumpDataDir(dataDir);
      expect(checkInvariants(d, { quiescent: true }), `after a kill ${delay} ms into the fork`).toEqual([]);
      const forks = checkForks(d);
      // What was there stays; an acknowledged fork is there.
      for (const id of previous) expect(forks).toContain(id);
      if (acked) expect(forks).toContain(acked);
      expect(forks.length - previous.length).toBeLessThanOrEqual(1);
      previous = forks;
    }

    // Restarted on the same data: it serves what the store holds.
    server = await spawnServer(args);
    expect(await turnCount(server, source.threadId)).toBe(TURNS);
    expect(await threadCount(server, { archived: 'INCLUDE_ARCHIVED' })).toBe(1 + previous.length);
    // A fork now works and is whole.
    const forked = await fork(server, source.threadId);
    expect(forked.__typename).toBe('ForkThreadPayload');
    expect(await server.kill('SIGTERM')).toBe(0);
    server = null;
    const d = await dumpDataDir(dataDir);
    expect(checkInvariants(d, { quiescent: true })).toEqual([]);
    expect(checkForks(d)).toContain(narrow(forked, 'ForkThreadPayload').thread.id);
  }, 60_000);
});

describe('kill -9 during a burst of 200 concurrent updateThread calls', () => {
  const THREADS = 40;
  const UPDATES = 200;
  let dataDir: string;
  let args: string[];
  let threadIds: string[];
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    dataDir = await tempDir();
    args = ['--data-dir', dataDir, '--workspace', dataDir];
    threadIds = (await seedDataDir(dataDir, { workspace: dataDir, threads: THREADS, turnsPerThread: 0 })).map((s) => s.threadId);
  });
  afterAll(async () => {
    await server?.kill();
    await removeDir(dataDir);
  });

  it('every acknowledged update survives; records whole; threadsByUpdated matches the records', async () => {
    // Kill right after sending (0), or after this many acknowledgements: in the middle, near the end.
    const killAfter = [0, 40 + Math.floor(Math.random() * 40), 150 + Math.floor(Math.random() * 30)];
    for (const [round, k] of killAfter.entries()) {
      server = await spawnServer(args);
      const proc = server;
      const acked: { threadId: string; title: string }[] = [];
      let resolveEnough!: () => void;
      const enough = new Promise<void>((resolve) => (resolveEnough = resolve));
      const requests = Array.from({ length: UPDATES }, (_, i) => {
        const threadId = defined(threadIds[i % THREADS], `thread ${i % THREADS}`);
        const title = `round ${round} update ${i}`;
        return update(proc, { threadId, title, archived: (i + round) % 3 === 0, allowShell: i % 2 === 0 }).then((result) => {
          if (result.__typename === 'UpdateThreadPayload') {
            expect(result.thread.title).toBe(title);
            acked.push({ threadId, title });
          } else {
            throw new Error(`updateThread answered ${JSON.stringify(result)}`);
          }
          if (acked.length >= k) resolveEnough();
        }, cutOff);
      });
      if (k === 0) await sleep(5 + Math.floor(Math.random() * 20));
      else await Promise.race([enough, sleep(10_000)]);
      await proc.kill('SIGKILL');
      server = null;
      await Promise.all(requests);
      expect(acked.length).toBeGreaterThanOrEqual(k);

      const d = await dumpDataDir(dataDir);
      expect(checkInvariants(d, { quiescent: true }), `round ${round}, killed after ${acked.length} acknowledgements`).toEqual([]);
      expect(d.threads.size).toBe(THREADS);
      for (const thread of d.threads.values()) expect(Object.keys(thread).sort()).toEqual(THREAD_KEYS);
      // Each acknowledged update is in the log; each thread's record is what its last update event says.
      const updates = [...d.events.values()].filter((e) => e.name === 'thread.updated');
      for (const a of acked) {
        expect(
          updates.some((e) => e.threadId === a.threadId && e.payload.title === a.title),
          `acknowledged ${a.title}`,
        ).toBe(true);
      }
      for (const thread of d.threads.values()) {
        const last = updates.filter((e) => e.threadId === thread.id && (e.payload.changed as string[]).includes('title')).at(-1);
        if (last) expect(thread.title).toBe(last.payload.title);
        const lastArchive = updates.filter((e) => e.threadId === thread.id && (e.payload.changed as string[]).includes('archived')).at(-1);
        if (lastArchive) expect(thread.archived).toBe(lastArchive.payload.archived);
      }
    }

    // Restarted: the API serves the same records.
    server = await spawnServer(args);
    const { threads } = await server.sdk.request(ThreadsDocument, { first: 100, filter: { archived: 'INCLUDE_ARCHIVED' } });
    expect(threads.totalCount).toBe(THREADS);
    expect(await server.kill('SIGTERM')).toBe(0);
    server = null;
    const d = await dumpDataDir(dataDir);
    const titles = new Map(threads.edges.map(({ node }) => [node.id, node.title]));
    for (const thread of d.threads.values()) expect(titles.get(thread.id)).toBe(thread.title);
  }, 60_000);
});

describe('the provider hangs', () => {
  let fake: FakeProvider;
  let dataDir: string;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    fake = await startFakeProvider();
    dataDir = await tempDir();
    server = await spawnServer([
      '--data-dir',
      dataDir,
      '--workspace',
      dataDir,
      '--engine',
      'openai',
      '--base-url',
      fake.baseURL,
      '--api-key',
      'x',
      '--provider-idle-timeout',
      '300',
    ]);
  });
  afterAll(async () => {
    await server?.kill();
    await fake.close();
    await removeDir(dataDir);
  });

  async function runUntilEnd(threadId: string) {
    const turnId = narrow(await mutate(server!, StartTurnDocument, { threadId, prompt: 'hello?' }), 'StartTurnPayload').turn.id;
    return waitFor(
      async () => {
        const t = await turnState(server!, turnId);
        return t.status !== 'IN_PROGRESS' ? t : null;
      },
      5000,
      'the turn to end',
    );
  }

  it('no bytes after the headers, or no response at all: the turn fails with a clear error within the idle timeout', async () => {
    const threadId = await createThread(server!);
    for (const headers of [true, false]) {
      // The provider holds its answer until the test releases it, after the turn ended: the idle timeout, not the
      // provider, ended the turn, and the late answer changes nothing.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      fake.script({ kind: 'hang', headers, release: held, answer: { kind: 'stream', chunks: [{ content: 'too late' }] } });
      const turn = await runUntilEnd(threadId);
      expect(turn.status).toBe('FAILED');
      expect(turn.error).toMatch(/provider sent nothing for 300 ms/);
      // The hung request was given up by the server (the provider saw the client go away) while it was still held.
      await waitFor(() => fake.requests.at(-1)?.aborted, 5000, 'the hung request to be given up');
      release();
      const after = await turnState(server!, turn.id);
      expect(after.status).toBe('FAILED');
      expect(JSON.stringify(after.items.nodes)).not.toContain('too late');
    }
    // The thread works again.
    expect(fake.requests.slice(-2).every((r) => r.aborted)).toBe(true);
    fake.script({ kind: 'stream', chunks: [{ content: 'back' }] });
    const turn = await runUntilEnd(threadId);
    expect(turn.status).toBe('COMPLETED');
    expect(server!.stderr()).not.toMatch(/unhandled|uncaught/i);
  });
});

describe('the disk refuses writes', () => {
  let workspace: string;
  let server: FlakyServer;
  const create = (input: CreateThreadInput) => mutate(server, CreateThreadDocument, input);
  const start = (threadId: string, prompt: string) => mutate(server, StartTurnDocument, { threadId, prompt });
  const LONG_PROMPT = Array.from({ length: 150 }, (_, i) => `word${i}`).join(' ');

  beforeAll(async () => {
    workspace = await tempDir('zagens-ws-');
  });
  afterEach(async () => {
    await server?.stop();
  });
  afterAll(async () => {
    await removeDir(workspace);
  });

  /** The answer of a mutation while writes fail: an error, never a crash or a success. */
  async function expectRefused(request: Promise<unknown>, field: string) {
    const error = await graphqlError(request);
    expect(error.status, error.message).toBeLessThan(500);
    expect((error.data as Record<string, unknown> | undefined)?.[field] ?? null).toBeNull();
    expect(error.errors.length, error.message).toBeGreaterThan(0);
    expect(error.errors[0]).toMatchObject({
      message: expect.stringMatching(/store refused the write/),
      extensions: { code: 'STORAGE_UNAVAILABLE' },
    });
  }

  it('mutations return an error, the server stays up, nothing is half-written, seq continues without a gap', async () => {
    const logged: object[] = [];
    server = await startFlakyServer({ workspace, engine: new OfflineEngine(15), runtime: { logger: { error: (details) => logged.push(details) } } });
    const threadA = await createThread(server, { title: 'a' });
    const threadB = await createThread(server, { title: 'b' });
    const running = narrow(await start(threadB, LONG_PROMPT), 'StartTurnPayload').turn.id;
    await waitFor(async () => (await server.store.readEvents(threadB, 0, 100)).some((e) => e.name === 'item.delta'), 5000, 'deltas');

    server.db.failWrites = true;
    await sleep(50); // writes already handed to the db finish (or fail) first
    const before = await dumpStore(server.store);
    const seqBefore = (await server.sdk.request(RuntimeInfoDocument)).runtimeInfo.latestSeq;

    await expectRefused(create({ title: 'c' }), 'createThread');
    await expectRefused(update(server, { threadId: threadA, title: 'renamed' }), 'updateThread');
    await expectRefused(start(threadA, 'hello'), 'startTurn');
    await expectRefused(fork(server, threadA), 'forkThread');
    await expectRefused(mutate(server, SetRoutingRulesDocument, { rules: [{ intent: 'x', model: 'y' }] }), 'setRoutingRules');
    // The running turn's writes fail too: it stops.
    await waitFor(() => !server.runtime.active.get(threadB), 5000, 'the running turn to stop');

    // Still serving reads; /health says the store is not ready (it refuses writes).
    expect(await server.health()).toBe(503);
    const { thread } = await server.sdk.request(ThreadDocument, { id: threadA });
    expect(thread?.title).toBe('a');
    expect((await server.sdk.request(RuntimeInfoDocument)).runtimeInfo.latestSeq).toBe(seqBefore);
    expect((await server.sdk.request(RoutingRulesDocument)).routingRules).toEqual([]);
    // Nothing was written at all, so nothing half-written.
    expect(await dumpStore(server.store)).toEqual(before);
    expect(server.db.refused).toBeGreaterThanOrEqual(5);

    server.db.failWrites = false;
    await waitFor(async () => (await server.health()) === 200, 5000, '/health to be ready again');
    // The turn whose end could not be written: FAILED now, or IN_PROGRESS until the next start recovers it.
    let turn = await turnState(server, running);
    if (turn.status === 'IN_PROGRESS') {
      // The refused end was reported (the runtime's logger), not swallowed.
      expect(
        logged.some((details) => JSON.stringify(details).includes(running)),
        JSON.stringify(logged),
      ).toBe(true);
      expect(checkInvariants(await dumpStore(server.store))).toEqual([]);
      await server.stop();
      server = await startFlakyServer({ workspace, db: server.db });
      turn = await turnState(server, running);
      expect(turn).toMatchObject({ status: 'INTERRUPTED', error: 'Interrupted by process restart' });
    } else {
      expect(turn.status).toBe('FAILED');
      expect(turn.error).toMatch(/storage write failed/);
    }

    // Writes work again; seq continues where it was, without a gap.
    const latest = server.runtime.log.latestSeq;
    const created = await create({ title: 'after' });
    expect(created.__typename).toBe('CreateThreadPayload');
    const startedEvent = (await server.store.readEvents(narrow(created, 'CreateThreadPayload').thread.id, 0, 10))[0];
    expect(startedEvent?.seq).toBe(latest + 1);
    const updated = await update(server, { threadId: threadA, title: 'renamed' });
    expect(narrow(updated, 'UpdateThreadPayload').thread.title).toBe('renamed');
    const again = await start(threadB, 'again');
    expect(again.__typename).toBe('StartTurnPayload');
    await waitFor(() => !server.runtime.active.get(threadB), 5000, 'the new turn to end');
    await server.runtime.log.drain();
    const after = await dumpStore(server.store);
    expect(checkInvariants(after, { quiescent: true })).toEqual([]);
    expect(after.threads.size).toBe(3);
  });

  it('a transient write failure during a turn ends it FAILED with a storage error once writes work again', async () => {
    server = await startFlakyServer({ workspace, engine: new OfflineEngine(15) });
    const thread = await createThread(server);
    const turnId = narrow(await start(thread, LONG_PROMPT), 'StartTurnPayload').turn.id;
    await waitFor(async () => (await server.store.readEvents(thread, 0, 100)).some((e) => e.name === 'item.delta'), 5000, 'deltas');
    server.db.failNext = 1; // the turn's next delta flush
    await waitFor(() => !server.runtime.active.get(thread), 5000, 'the turn to end');
    await server.runtime.log.drain();
    const turn = await turnState(server, turnId);
    expect(turn.status).toBe('FAILED');
    expect(turn.error).toMatch(/storage write failed: the store refused the write, nothing was changed: ENOSPC/);
    const d = await dumpStore(server.store);
    expect(checkInvariants(d, { quiescent: true })).toEqual([]);
    const thr = d.threads.get(thread)!;
    expect(thr.activeTurnId).toBeNull();
    expect(eventsOf(d, thread).at(-1)).toMatchObject({ name: 'turn.completed', payload: { status: 'FAILED' } });
  });
});

describe('200 subscribers while 20 turns run', () => {
  let server: TestServer;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    server = await startTestServer({ engine: new OfflineEngine(3) });
  });
  afterAll(async () => {
    await server?.close();
    process.off('unhandledRejection', onRejection);
  });

  it('every client gets every event of its thread once, in order; memory stays bounded; no unhandled rejection', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const threads = await Promise.all(Array.from({ length: 20 }, (_, i) => createThread(server, { title: `t${i}` })));
    const baseline = heap();

    const subs = Array.from({ length: 200 }, (_, i) => {
      const threadId = defined(threads[i % threads.length], `thread ${i % threads.length}`);
      const sub = subscribe(server.ws(), ThreadEventsDocument, { threadId, sinceSeq: 0 }, (v) => v.threadEvents.name === 'turn.completed');
      return { threadId, sub };
    });
    // Every subscription is live (it replayed thread.started) before the turns start.
    await waitFor(() => subs.every((s) => s.sub.values.length >= 1), 15_000, 'every subscription to replay');
    expect(server.app.wss.clients.size).toBe(200);

    const prompt = Array.from({ length: 80 }, (_, i) => `w${i}`).join(' ');
    const started = await Promise.all(threads.map((threadId) => mutate(server, StartTurnDocument, { threadId, prompt })));
    expect(started.map((r) => r.__typename)).toEqual(threads.map(() => 'StartTurnPayload'));
    const received = await Promise.all(subs.map((s) => s.sub.done));
    const duringHeap = heap();

    const logs = new Map<string, Awaited<ReturnType<typeof threadEvents>>>();
    for (const t of threads) logs.set(t, await threadEvents(server, t));
    for (const [i, { threadId }] of subs.entries()) {
      const log = defined(logs.get(threadId), `the event log of ${threadId}`);
      expect(log.at(-1)?.name).toBe('turn.completed');
      expect(log.filter((e) => e.name === 'item.delta').length).toBeGreaterThan(5);
      expect(
        received[i]?.map((v) => storedEvent(v.threadEvents)),
        `client ${i} of thread ${threadId}`,
      ).toEqual(log.map((e) => ({ seq: e.seq, name: e.name, turnId: e.turnId, itemId: e.itemId, payload: e.payload })));
    }

    // Once the clients and what they received are gone, so is the memory: the server kept nothing per subscriber.
    await server.close();
    expect(server.app.wss.clients.size).toBe(0);
    subs.length = 0;
    received.length = 0;
    logs.clear();
    const afterHeap = heap();
    // 200 clients holding every event of their thread, and the server's 200 subscriptions: some MB, bounded.
    expect(duringHeap - baseline, `heap grew ${((duringHeap - baseline) / 1e6).toFixed(1)} MB`).toBeLessThan(64e6);
    expect(afterHeap - baseline, `heap after closing grew ${((afterHeap - baseline) / 1e6).toFixed(1)} MB`).toBeLessThan(8e6);
    await sleep(50);
    expect(rejections).toEqual([]);
  }, 60_000);
});

/** An engine whose turn streams a little, then waits until the test releases it. */
class GateEngine implements Engine {
  readonly name = 'gate';
  release: () => void = () => {};
  waiting: Promise<void> = Promise.resolve();
  private reached: () => void = () => {};

  arm(): void {
    this.waiting = new Promise((resolve) => (this.reached = resolve));
  }

  async *runTurn(): AsyncIterable<EngineEvent> {
    yield { type: 'item.started', key: 'a', kind: 'AGENT_MESSAGE' };
    yield { type: 'item.delta', key: 'a', field: 'text', delta: 'hello' };
    await new Promise<void>((resolve) => {
      this.release = resolve;
      this.reached();
    });
    yield { type: 'item.completed', key: 'a' };
  }
}

describe('a thread update at the moment its turn ends', () => {
  let server: TestServer;
  const engine = new GateEngine();

  beforeAll(async () => {
    // Every reading of the clock is a later millisecond, as on a busy server: index keys then differ.
    let now = Date.now();
    server = await startTestServer({ engine, runtime: { clock: () => (now += 1) } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('loses neither change: the acknowledged title stays, the thread is idle, one index row', async () => {
    const rt = server.runtime;
    const threadId = await createThread(server, {});
    const nextTick = (macro: boolean) => (macro ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve());
    const failures: string[] = [];
    // The update is sent a few (micro or macro) ticks before or after the turn is released to end.
    for (const macro of [false, true]) {
      for (const updateFirst of [false, true]) {
        for (let ticks = 0; ticks < 4; ticks++) {
          engine.arm();
          await startTurn(rt, { threadId, prompt: 'hi' });
          await engine.waiting;
          const title = `${macro ? 'macro' : 'micro'} ${updateFirst ? 'update first' : 'end first'} ${ticks}`;
          let update: Promise<unknown>;
          if (updateFirst) {
            update = updateThread(rt, { threadId, title });
            for (let i = 0; i < ticks; i++) await nextTick(macro);
            engine.release();
          } else {
            engine.release();
            update = (async () => {
              for (let i = 0; i < ticks; i++) await nextTick(macro);
              return updateThread(rt, { threadId, title });
            })();
          }
          await update; // acknowledged
          await waitFor(() => rt.active.size === 0, 5000, 'the turn to end');
          await rt.commands.idle();
          await rt.log.drain();
          const thread = (await rt.store.getThread(threadId))!;
          const problems = checkInvariants(await dumpStore(server.store), { quiescent: true });
          if (thread.title !== title || thread.activeTurnId !== null || problems.length) {
            failures.push(`${title}: stored title ${JSON.stringify(thread.title)}, activeTurnId ${thread.activeTurnId}, ${JSON.stringify(problems)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
