import type { EventRecord } from '../domain/records.js';
import type { RecordStore } from '../store/contract.js';
import type { RuntimePubSub } from './eventLog.js';
import type { ErrorCode } from '../domain/errorCodes.js';

export class SubscriberTooSlowError extends Error {
  /** GraphQL copies these into the error the client sees (so it is not masked). */
  readonly extensions: { code: ErrorCode; lastSeq: number };

  constructor(
    readonly pending: number,
    readonly lastSeq: number,
  ) {
    super(`subscriber fell behind by ${pending} events; resubscribe with sinceSeq: ${lastSeq} to resume without loss`);
    this.extensions = { code: 'SUBSCRIBER_TOO_SLOW', lastSeq };
  }
}

export interface EventStreamOptions {
  /** One thread's events, or every thread's when null. */
  threadId: string | null;
  sinceSeq: number;
  /** Keep only the events this returns true for (e.g. one turn's); the others are skipped before anything runs. */
  accept?: (event: EventRecord) => boolean;
  /** Ends the stream at an event this returns true for (after yielding it when accepted). */
  isLast?: (event: EventRecord) => boolean;
  /** Pending live events past which the subscriber is cut off (after delta merging). */
  maxPending?: number;
  /** Pending events from which consecutive deltas of one item are merged. */
  mergeFrom?: number;
  /** A promise to wait on while the transport cannot take more (e.g. a WebSocket's send buffer is full), else null. */
  writable?: () => Promise<void> | null;
  replayPage?: number;
  /**
   * Replayed events come as the store's StoredEvent objects (read as EventRecords; their JSON text passed
   * through by a consumer that can, src/server/eventFrames.ts); live events stay the published records.
   */
  storedReplay?: boolean;
  /** End after the stored events (nothing matching will be published any more, e.g. a finished turn's). */
  replayOnly?: boolean;
  /**
   * Aborted when nothing more will be published (the server is shutting down and every write is durable): the
   * stream yields what the store holds past its last event, then finishes.
   */
  end?: AbortSignal;
  /** Called once when the stream is finished (by its consumer, an error or `end`). */
  onClose?: () => void;
}

const DEFAULTS = { maxPending: 10_000, mergeFrom: 256, replayPage: 500 };

/**
 * Replay then live, with no gap and no duplicate (docs/DESIGN.md "Event log"): subscribe to live events first and buffer
 * them, replay `seq > sinceSeq` from the store, then drain the buffer skipping what replay already gave.
 * Every published event is durable, so whenever the buffer overflows during replay it is dropped and replay
 * simply continues from the store.
 */
export function eventStream(store: RecordStore, pubsub: RuntimePubSub, options: EventStreamOptions): AsyncGenerator<EventRecord> {
  // `return()` (a client's `complete`) must end the stream even while it waits for a live event: an async
  // generator queues a return behind that wait, keeping its listener (and the operation) until the next event.
  const control: StreamControl = { stopped: false };
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    options.end?.removeEventListener('abort', wake);
    options.onClose?.();
  };
  const body = streamEvents(store, pubsub, options, control, close);
  const wake = () => control.wake?.();
  options.end?.addEventListener('abort', wake);
  const stop = () => {
    control.stopped = true;
    control.wake?.();
  };
  const stream: AsyncGenerator<EventRecord> = {
    next: (...args) => body.next(...args),
    return: (value) => {
      stop();
      return body.return(value).finally(close);
    },
    throw: (error) => {
      stop();
      return body.throw(error).finally(close);
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

interface StreamControl {
  stopped: boolean;
  /** Wakes the stream waiting for live events. */
  wake?: () => void;
}

async function* streamEvents(
  store: RecordStore,
  pubsub: RuntimePubSub,
  options: EventStreamOptions,
  waiter: StreamControl,
  close: () => void,
): AsyncGenerator<EventRecord> {
  const maxPending = options.maxPending ?? DEFAULTS.maxPending;
  const mergeFrom = options.mergeFrom ?? DEFAULTS.mergeFrom;
  const pageSize = options.replayPage ?? DEFAULTS.replayPage;
  const accept = options.accept ?? (() => true);
  const live = options.threadId === null ? pubsub.subscribe('events') : pubsub.subscribe('threadEvents', options.threadId);

  let buffer: EventRecord[] = [];
  let replaying = true;
  let overflowed = false;
  let liveEnded = false;

  const pump = (async () => {
    for await (const event of live) {
      if (!accept(event) && !options.isLast?.(event)) continue;
      push(event);
      waiter.wake?.();
    }
    liveEnded = true;
    waiter.wake?.();
  })();

  function push(event: EventRecord): void {
    if (overflowed && !replaying) return; // the stream is ending; hold nothing more
    const merged = buffer.length >= mergeFrom ? mergeDelta(buffer[buffer.length - 1], event) : null;
    if (merged) buffer[buffer.length - 1] = merged;
    else buffer.push(event);
    if (buffer.length > maxPending) {
      overflowed = true;
      if (replaying) buffer = [];
    }
  }

  let lastSeq = options.sinceSeq;
  let last = false;
  /** Yields what the store holds past lastSeq; `last` is set when the stream must end (isLast or stopped). */
  async function* fromStore(): AsyncGenerator<EventRecord> {
    const read = (after: number) =>
      options.storedReplay
        ? (store.readStoredEvents(options.threadId, after, pageSize) as unknown as Promise<EventRecord[]>)
        : store.readEvents(options.threadId, after, pageSize);
    let next = read(lastSeq);
    for (;;) {
      const page = await next;
      // The next page is read while this one is sent (rows once written never move).
      const more = page.length >= pageSize;
      if (more) {
        next = read(page[page.length - 1]!.seq);
        next.catch(() => undefined); // a failure is seen when the page is awaited; none if the stream stopped first
      }
      for (const event of page) {
        lastSeq = event.seq;
        if (accept(event)) {
          const full = options.writable?.();
          if (full) await full;
          if (waiter.stopped) return void (last = true);
          yield event;
        }
        if (options.isLast?.(event)) return void (last = true);
      }
      if (!more) return;
    }
  }

  try {
    // Replay until the store has nothing newer than what we yielded and the buffer did not overflow meanwhile.
    for (;;) {
      overflowed = false;
      yield* fromStore();
      if (last) return;
      if (!overflowed) break;
    }
    if (options.replayOnly) return;
    replaying = false;

    for (;;) {
      while (buffer.length) {
        if (overflowed) throw new SubscriberTooSlowError(buffer.length, lastSeq);
        const event = buffer.shift()!;
        if (event.seq <= lastSeq) continue;
        lastSeq = event.seq;
        if (accept(event)) {
          const full = options.writable?.();
          if (full) await full;
          if (waiter.stopped) return;
          yield event;
        }
        if (options.isLast?.(event)) return;
      }
      if (liveEnded || waiter.stopped) return;
      if (options.end?.aborted) {
        // Nothing more will be published; events still on their way through the bus are in the store.
        yield* fromStore();
        return;
      }
      await new Promise<void>((resolve) => (waiter.wake = resolve));
      waiter.wake = undefined;
    }
  } finally {
    await live.return?.();
    await pump.catch(() => undefined); // a pump failure was handed to the reader through the buffer; here it only has to stop
    close();
  }
}

/** `last` and `next` as one event when both are deltas of the same item and kind (text concatenated, last seq). */
function mergeDelta(last: EventRecord | undefined, next: EventRecord): EventRecord | null {
  if (!last || last.name !== 'item.delta' || next.name !== 'item.delta') return null;
  if (last.itemId !== next.itemId || last.payload.kind !== next.payload.kind) return null;
  // A new object: published events are shared by every subscriber.
  return { ...next, payload: { ...next.payload, delta: last.payload.delta + next.payload.delta } };
}
