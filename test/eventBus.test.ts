import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../src/domain/records.js';
import { LocalEventBus } from '../src/runtime/eventBus.js';
import { createRuntimePubSub } from '../src/runtime/eventLog.js';

// The event bus (src/runtime/eventBus.ts) of one process: committed events reach the runtime's pubsub subscribers.
const event = (seq: number, threadId: string) =>
  ({
    seq,
    timestamp: '2026-03-01T12:00:00.000Z',
    name: 'thread.updated',
    threadId,
    turnId: null,
    itemId: null,
    payload: {},
  }) as unknown as EventRecord;

async function take(live: AsyncIterator<EventRecord>, n: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.length < n) {
    const next = await live.next();
    if (next.done) break;
    seqs.push(next.value.seq);
  }
  return seqs;
}

describe('local event bus', () => {
  it('hands every published event to the subscribers of its thread and of all threads, once, in seq order', async () => {
    const pubsub = createRuntimePubSub();
    const bus = new LocalEventBus(pubsub);
    const a = pubsub.subscribe('threadEvents', 'thr_a');
    const all = pubsub.subscribe('events');
    const reading = Promise.all([take(a, 2), take(all, 4)]);
    bus.committed([event(1, 'thr_a'), event(2, 'thr_b')]);
    bus.committed([event(3, 'thr_a'), event(4, 'thr_b')]);
    expect(await reading).toEqual([
      [1, 3],
      [1, 2, 3, 4],
    ]);
    await a.return?.();
    await all.return?.();
  });

  it('keeps no history: a subscriber gets only what is published after it subscribed', async () => {
    const pubsub = createRuntimePubSub();
    const bus = new LocalEventBus(pubsub);
    bus.committed([event(1, 'thr_a')]);
    const late = pubsub.subscribe('threadEvents', 'thr_a');
    const reading = take(late, 1);
    bus.committed([event(2, 'thr_a')]);
    expect(await reading).toEqual([2]);
    await late.return?.();
  });

  it('ends a subscription on return(): it gets nothing more', async () => {
    const pubsub = createRuntimePubSub();
    const bus = new LocalEventBus(pubsub);
    const live = pubsub.subscribe('events');
    await live.return?.();
    bus.committed([event(1, 'thr_a')]);
    expect((await live.next()).done).toBe(true);
  });
});
