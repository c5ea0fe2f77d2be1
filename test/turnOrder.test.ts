/**
 * The same-turn ordering rule of the event log (docs/DESIGN.md "Event log"): a turn's writes are queued without
 * waiting for each other, so a refused write of a turn refuses the writes of that turn queued behind it — its
 * end is never recorded over a lost item. Real LevelDB code on a memory-level whose writes can be refused late
 * (test/support/flakyStore.ts), the real runtime and app.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { draftEvent } from '../src/domain/events.js';
import type { EventRecord } from '../src/domain/records.js';
import { EventLog } from '../src/runtime/eventLog.js';
import { Store, StorageError } from '../src/store/store.js';
import { FlakyLevel, startFlakyServer, type FlakyServer } from './support/flakyStore.js';
import type { Engine, EngineEvent } from '../src/engine/types.js';
import { removeDir, tempDir, waitFor } from './support/harness.js';
import { checkInvariants, dumpStore } from './support/invariants.js';
import { createThread, eventsNamed, startedTurn, startTurn, threadEvents, waitForTurnEnd } from './support/ops.js';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { startFakeProvider, type FakeProvider } from './support/fakeProvider.js';

const updated = (threadId: string) => [draftEvent('thread.updated', { threadId }, { changed: ['title'] })];

describe('the event log refuses what a turn queued behind a refused write of that turn', () => {
  it('later units of the refused turn are refused unwritten; other units, and those queued once the refusal is known, commit', async () => {
    const db = new FlakyLevel();
    const store = await Store.attach(db as never);
    const published: EventRecord[] = [];
    const log = new EventLog(store, { committed: (events) => published.push(...events) }, 0);
    const late = db.refuseNextLate();
    const first = log.commit(store.batch().putMeta('first', 1), updated('a'), { turnId: 'turn-1' });
    await late.reached;
    // Queued while the first write is in flight: one more of its turn, one of another turn, one of no turn.
    const sameTurn = log.commit(store.batch().putMeta('same turn', 1), updated('a'), { turnId: 'turn-1' });
    const otherTurn = log.commit(store.batch().putMeta('other turn', 1), updated('b'), { turnId: 'turn-2' });
    const noTurn = log.commit(store.batch().putMeta('no turn', 1), updated('c'));
    expect(log.queued).toBe(3);
    // Queued by the turn once it knows of the refusal (as its end recorded FAILED is).
    const afterRefusal = first.catch(() => log.commit(store.batch().putMeta('after refusal', 1), updated('a'), { turnId: 'turn-1' }));
    late.release();

    const results = await Promise.allSettled([first, sameTurn, otherTurn, noTurn, afterRefusal]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    for (const r of results.slice(0, 2)) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
    expect(await store.getMeta('first')).toBeUndefined();
    expect(await store.getMeta('same turn')).toBeUndefined();
    expect(await store.getMeta('other turn')).toBe(1);
    expect(await store.getMeta('no turn')).toBe(1);
    expect(await store.getMeta('after refusal')).toBe(1);
    // The refused units used no seq: what committed is numbered from 1 without a gap, published in order.
    expect(published.map((e) => [e.seq, e.threadId])).toEqual([
      [1, 'b'],
      [2, 'c'],
      [3, 'a'],
    ]);
    expect((await store.readEvents(null, 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
    await store.close();
  });
});

/** Streams one answer, then waits for the test before it ends the answer, and again before it ends the turn. */
class TwoGateEngine implements Engine {
  readonly name = 'two gates';
  readonly changesFiles = false;
  private gates: (() => void)[] = [];

  /** A turn waits at a gate now. */
  get waiting(): boolean {
    return this.gates.length > 0;
  }

  /** Lets the waiting turn go on to its next step. */
  step(): void {
    for (const open of this.gates.splice(0)) open();
  }

  private gate(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      this.gates.push(resolve);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  async *runTurn(_input: unknown, signal: AbortSignal): AsyncIterable<EngineEvent> {
    yield { type: 'item.started', key: 'answer', kind: 'AGENT_MESSAGE' };
    yield { type: 'item.delta', key: 'answer', field: 'text', delta: 'hello' };
    await this.gate(signal);
    yield { type: 'item.completed', key: 'answer' };
    await this.gate(signal);
  }
}

describe('a turn whose item write is refused while its end is queued behind it', () => {
  let workspace: string;
  let server: FlakyServer;
  const engine = new TwoGateEngine();

  beforeAll(async () => {
    workspace = await tempDir('zagens-ws-');
    server = await startFlakyServer({ workspace, engine });
  });
  afterEach(() => engine.step());
  afterAll(async () => {
    await server?.stop();
    await removeDir(workspace);
  });

  it('is not recorded COMPLETED: the end is refused with the item, then written FAILED with the storage error', async () => {
    const rt = server.runtime;
    const threadId = await createThread(server);
    const turn = await startedTurn(server, { threadId, prompt: 'hi' });
    // The answer has started and its first text is stored; the engine waits before ending the item.
    await waitFor(async () => engine.waiting && eventsNamed(await threadEvents(server, threadId), 'item.delta').length > 0, 5000, 'the first delta');
    const late = server.db.refuseNextLate();
    engine.step();
    // The item's end reaches the disk and waits there; the turn's end is queued behind it meanwhile.
    await late.reached;
    engine.step();
    await waitFor(() => rt.log.queued > 0, 5000, "the turn's end to be queued");
    late.release();

    const ended = await waitForTurnEnd(server, turn.id);
    expect(ended.status).toBe('FAILED');
    expect(ended.error).toMatch(/storage write failed: the store refused the write, nothing was changed: ENOSPC/);
    await rt.log.drain();
    const events = await threadEvents(server, threadId);
    expect(eventsNamed(events, 'turn.completed').map((e) => e.payload.status)).toEqual(['FAILED']);
    // The item whose end was refused is written by the FAILED end, announced once.
    const answerEnds = events.filter((e) => e.itemId && e.itemId === eventsNamed(events, 'item.delta')[0]?.itemId && e.name === 'item.completed');
    expect(answerEnds).toHaveLength(1);
    const d = await dumpStore(server.store);
    expect([...d.items.values()].filter((i) => i.turnId === turn.id).map((i) => [i.kind, i.status])).toEqual([
      ['USER_MESSAGE', 'COMPLETED'],
      ['AGENT_MESSAGE', 'COMPLETED'],
    ]);
    expect(d.threads.get(threadId)?.activeTurnId).toBeNull();
    expect(checkInvariants(d, { quiescent: true })).toEqual([]);
    // The thread takes turns again.
    const next = await startedTurn(server, { threadId, prompt: 'again' });
    for (let gate = 0; gate < 2; gate++) {
      await waitFor(() => engine.waiting, 5000, 'the next turn to wait at its gate');
      engine.step();
    }
    expect((await waitForTurnEnd(server, next.id)).status).toBe('COMPLETED');
  });
});

describe('a turn whose start the store refuses while the provider is already asked', () => {
  let workspace: string;
  let provider: FakeProvider;
  let server: FlakyServer;

  beforeAll(async () => {
    workspace = await tempDir('zagens-ws-');
    provider = await startFakeProvider();
    server = await startFlakyServer({ workspace, engine: new OpenAIEngine({ baseURL: provider.baseURL, apiKey: 'x', maxRetries: 0 }) });
  });
  afterAll(async () => {
    await server?.stop();
    await provider?.close();
    await removeDir(workspace);
  });

  it('answers the refusal, aborts the provider request, and publishes and stores nothing of the turn', async () => {
    const threadId = await createThread(server);
    const seen: string[] = [];
    const live = server.runtime.pubsub.subscribe('threadEvents', threadId);
    void (async () => {
      for await (const event of live) seen.push(event.name);
    })();
    provider.script({ kind: 'hang' });
    const before = await dumpStore(server.store);
    const late = server.db.refuseNextLate();
    const answer = startTurn(server, { threadId, prompt: 'hi' });
    answer.catch(() => undefined); // awaited below
    await late.reached;
    // The engine's request is sent while the start is being written.
    await waitFor(() => provider.requests.length === 1, 5000, 'the provider request');
    late.release();
    await expect(answer).rejects.toThrow(/the store refused the write.*STORAGE_UNAVAILABLE/);
    await waitFor(() => provider.requests[0]?.aborted === true, 5000, 'the provider request to be aborted');
    await waitFor(() => server.runtime.slots.running === 0 && server.runtime.commands.isIdle, 5000, 'the slot to be free');
    await server.runtime.log.drain();
    expect(server.runtime.active.size).toBe(0);
    expect(seen).toEqual([]);
    expect(await dumpStore(server.store)).toEqual(before);
    expect((await threadEvents(server, threadId)).map((e) => e.name)).toEqual(['thread.started']);
    await live.return?.(undefined);
  });
});
