import { LocalEventBus } from '../src/runtime/eventBus.js';
import { MemoryLevel } from 'memory-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventDraft, EventRecord } from '../src/domain/records.js';
import { createRuntimePubSub, EventLog } from '../src/runtime/eventLog.js';
import { eventStream, SubscriberTooSlowError } from '../src/runtime/eventStream.js';
import { Store } from '../src/store/store.js';
import { defined } from '../src/domain/defined.js';

// The event log and the replay+live stream, on an in-memory store (the backend does not matter here).
describe('event log and event stream', () => {
  let store: Store;
  let log: EventLog;
  const pubsub = createRuntimePubSub();
  const delta = (itemId: string, text: string): EventDraft => ({
    name: 'item.delta',
    threadId: 'thr_A',
    turnId: 'turn_A',
    itemId,
    payload: { kind: 'text', delta: text },
  });
  // The log carries events whatever their name: these are labelled rows, outside the event table.
  const other = (name: string) => ({ name, threadId: 'thr_A', turnId: null, itemId: null, payload: {} }) as unknown as EventDraft;

  beforeEach(async () => {
    store = await Store.attach(new MemoryLevel());
    log = new EventLog(store, new LocalEventBus(pubsub), (await store.nextSeq()) - 1);
  });
  afterEach(() => store.close());

  it('gives events committed in the same tick consecutive seqs in one batch, and publishes only after the write', async () => {
    const published: number[] = [];
    const sub = pubsub.subscribe('events');
    const reader = (async () => {
      for await (const e of sub) {
        published.push(e.seq);
        // Published means durable: the store has it already.
        expect((await store.readEvents(null, e.seq - 1, 1))[0]?.seq).toBe(e.seq);
        if (published.length === 3) break;
      }
    })();
    const [a, b] = await Promise.all([log.commit(store.batch(), [other('x.a'), other('x.b')]), log.commit(store.batch(), [other('x.c')])]);
    await reader;
    expect([...a, ...b].map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(published).toEqual([1, 2, 3]);
    expect(await store.nextSeq()).toBe(4);
  });

  it('a failed batch uses no seq: the next events continue without a gap', async () => {
    const bad = store.batch();
    bad.putMeta('x', 10n); // JSON cannot encode a bigint: LevelDB refuses the batch
    await expect(log.commit(bad, [other('lost')])).rejects.toThrow();
    const [next] = await log.commit(store.batch(), [other('kept')]);
    expect(next?.seq).toBe(1);
    expect((await store.readEvents(null, 0, 10)).map((e) => e.name)).toEqual(['kept']);
  });

  it("merges a lagging subscriber's consecutive deltas of one item, keeping the text and the last seq", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stream = eventStream(store, pubsub, { threadId: 'thr_A', sinceSeq: 0, mergeFrom: 2, maxPending: 1000, writable: () => gate });
    const got: EventRecord[] = [];
    const reading = (async () => {
      for await (const e of stream) {
        got.push(e);
        if ((e.name as string) === 'end') return;
      }
    })();
    await new Promise((r) => setTimeout(r, 20));
    await log.commit(store.batch(), [other('first')]);
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 50; i++) await log.commit(store.batch(), [delta('item_1', `${i},`)]);
    await log.commit(store.batch(), [other('end')]);
    open();
    await reading;
    const deltas = got.filter((e) => e.name === 'item.delta');
    expect(deltas.length).toBeLessThan(50);
    expect(deltas.map((e) => e.payload.delta).join('')).toBe(Array.from({ length: 50 }, (_, i) => `${i},`).join(''));
    expect(deltas[deltas.length - 1]?.seq).toBe(51);
    for (const [i, e] of got.entries()) if (i > 0) expect(e.seq).toBeGreaterThan(defined(got[i - 1], 'the previous event').seq);
  });

  it('ends a subscriber that is still too far behind after merging with SubscriberTooSlowError', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stream = eventStream(store, pubsub, { threadId: 'thr_A', sinceSeq: 0, mergeFrom: 2, maxPending: 10, writable: () => gate });
    const got: EventRecord[] = [];
    const reading = (async () => {
      for await (const e of stream) got.push(e);
    })();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 30; i++) await log.commit(store.batch(), [other(`n${i}`)]);
    open();
    const error = await reading.then(
      () => null,
      (e) => e,
    );
    expect(error).toBeInstanceOf(SubscriberTooSlowError);
    expect(error.lastSeq).toBe(got.length ? got[got.length - 1]?.seq : 0);
  });

  it('pushes live events while the transport takes them; a full one gets them in order through one wait', async () => {
    let isFull = false;
    let waitsStarted = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const delivered: number[] = [];
    const stream = eventStream(store, pubsub, {
      threadId: 'thr_A',
      sinceSeq: 0,
      deliver: (e) => delivered.push(e.seq),
      full: () => isFull,
      // Each call while full starts a wait (a socket's drain listener and timer): only a consumer that awaits it may.
      writable: () => (isFull ? (waitsStarted++, gate) : null),
    });
    const yielded: number[] = [];
    const reading = (async () => {
      for await (const e of stream) {
        yielded.push(e.seq);
        if (e.seq === 21) return;
      }
    })();
    await new Promise((r) => setTimeout(r, 20));
    await log.commit(store.batch(), [other('pushed')]);
    expect(delivered).toEqual([1]);
    isFull = true;
    for (let i = 0; i < 20; i++) await log.commit(store.batch(), [other(`held${i}`)]);
    await new Promise((r) => setTimeout(r, 20));
    expect(delivered).toEqual([1]);
    expect(waitsStarted).toBe(1);
    isFull = false;
    open();
    await reading;
    expect(yielded).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });

  it('replays then goes live without duplicates when events arrive during the replay', async () => {
    for (let i = 0; i < 1200; i++) await log.commit(store.batch(), [other(`old${i}`)]);
    const stream = eventStream(store, pubsub, { threadId: 'thr_A', sinceSeq: 0, replayPage: 100 });
    const got: number[] = [];
    let committing = true;
    const writer = (async () => {
      for (let i = 0; i < 200; i++) await log.commit(store.batch(), [other(`new${i}`)]);
      committing = false;
    })();
    for await (const e of stream) {
      got.push(e.seq);
      if (!committing && e.seq === 1400) break;
    }
    await writer;
    expect(got).toEqual(Array.from({ length: 1400 }, (_, i) => i + 1));
  });
});
