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
  /** Whether the transport cannot take more right now; asked per pushed event, so it must not start a wait. */
  full?: () => boolean;
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
  /**
   * Push delivery: once live and caught up (replayed, buffer drained, the consumer waiting and `writable`), each
   * accepted event is handed to this synchronously as it is published instead of being yielded, so one event
   * reaches every such subscriber of a thread in one loop (a graphql-ws subscription sent as shared frames,
   * src/server/eventFrames.ts). It must write the event exactly as the consumer writes a yielded one.
   */
  deliver?: (event: EventRecord) => void;
}

/** An option left out (the runtime's subscriberMaxPending and subscriberMergeFrom default to these). */
export const EVENT_STREAM_DEFAULTS = { maxPending: 10_000, mergeFrom: 256, replayPage: 500 } as const;

/**
 * Replay then live, with no gap and no duplicate (docs/DESIGN.md "Event log"): subscribe to live events first and buffer
 * them, replay `seq > sinceSeq` from the store, then drain the buffer skipping what replay already gave.
 * Every published event is durable, so whenever the buffer overflows during replay it is dropped and replay
 * simply continues from the store.
 */
export function eventStream(store: RecordStore, pubsub: RuntimePubSub, options: EventStreamOptions): EventPageStream {
  // `return()` (a client's `complete`) must end the stream even while it waits for a live event: an async
  // generator queues a return behind that wait, keeping its listener (and the operation) until the next event.
  const control: StreamControl = { stopped: false, held: () => page.length - at };
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    options.end?.removeEventListener('abort', wake);
    options.onClose?.();
  };
  const body = streamPages(store, pubsub, options, control, close);
  const wake = () => control.wake?.();
  options.end?.addEventListener('abort', wake);
  const stop = () => {
    control.stopped = true;
    control.wake?.();
  };
  // The body yields pages; `next` hands them out one event at a time, `nextPage` whole (the rest of the current
  // one first). The transport's backpressure is checked before each event, or before each page.
  let page: EventRecord[] = [];
  let at = 0;
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  const fill = async (): Promise<boolean> => {
    if (at < page.length) return true;
    const step = await body.next();
    if (step.done) return false;
    page = step.value;
    at = 0;
    const full = options.writable?.();
    if (full) await full;
    return !control.stopped;
  };
  const stream: EventPageStream = {
    next: async () => {
      if (!(await fill())) return done;
      if (at > 0) {
        const full = options.writable?.();
        if (full) await full;
        if (control.stopped) return done;
      }
      return { done: false, value: page[at++]! };
    },
    nextPage: async () => {
      if (!(await fill())) return done;
      const rest = at === 0 ? page : page.slice(at);
      at = page.length;
      return { done: false, value: rest };
    },
    return: (value) => {
      stop();
      return body.return(value).finally(close) as Promise<IteratorResult<EventRecord, undefined>>;
    },
    throw: (error) => {
      stop();
      return body.throw(error).finally(close) as Promise<IteratorResult<EventRecord, undefined>>;
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

/** An event stream that can also be read a page at a time (what a transport writing many frames at once wants). */
export interface EventPageStream extends AsyncGenerator<EventRecord, undefined> {
  /** The next events ready (never empty), or done. */
  nextPage(): Promise<IteratorResult<EventRecord[], undefined>>;
}

interface StreamControl {
  stopped: boolean;
  /** Wakes the stream waiting for live events. */
  wake?: () => void;
  /** Events taken from the stream but not yet handed to its consumer (they count as pending). */
  held: () => number;
}

async function* streamPages(
  store: RecordStore,
  pubsub: RuntimePubSub,
  options: EventStreamOptions,
  waiter: StreamControl,
  close: () => void,
): AsyncGenerator<EventRecord[], undefined> {
  const maxPending = options.maxPending ?? EVENT_STREAM_DEFAULTS.maxPending;
  const mergeFrom = options.mergeFrom ?? EVENT_STREAM_DEFAULTS.mergeFrom;
  const pageSize = options.replayPage ?? EVENT_STREAM_DEFAULTS.replayPage;
  const accept = options.accept ?? (() => true);
  const deliver = options.deliver;
  let lastSeq = options.sinceSeq;

  let buffer: EventRecord[] = [];
  let replaying = true;
  let overflowed = false;
  /** The body waits for live events and the consumer holds none: everything yielded has been handed out. */
  let caughtUp = false;
  /** A failure of `deliver`, thrown to the consumer. */
  let failure = null as { error: unknown } | null;

  const unlisten = pubsub.listen(options.threadId, (event) => {
    if (!accept(event) && !options.isLast?.(event)) return;
    const direct = deliver && caughtUp && !buffer.length && !waiter.held() && !failure && !waiter.stopped;
    // The last event goes through the body, which ends the stream after it; a full transport waits there too.
    if (direct && !options.end?.aborted && event.seq > lastSeq && !options.isLast?.(event) && !options.full?.()) {
      lastSeq = event.seq;
      try {
        deliver(event);
      } catch (error) {
        failure = { error };
        waiter.wake?.();
      }
      return;
    }
    push(event);
    waiter.wake?.();
  });

  function push(event: EventRecord): void {
    if (overflowed && !replaying) return; // the stream is ending; hold nothing more
    const merged = buffer.length >= mergeFrom ? mergeDelta(buffer[buffer.length - 1], event) : null;
    if (merged) buffer[buffer.length - 1] = merged;
    else buffer.push(event);
    if (buffer.length + (replaying ? 0 : waiter.held()) > maxPending) {
      overflowed = true;
      if (replaying) buffer = [];
    }
  }

  let last = false;
  /**
   * The accepted events of `events` past lastSeq, up to an isLast one (then `last` is set); lastSeq moves past
   * them all (the page is handed to the consumer before anything is read again).
   */
  function pageOf(events: readonly EventRecord[]): EventRecord[] {
    const out: EventRecord[] = [];
    for (const event of events) {
      if (event.seq <= lastSeq) continue;
      lastSeq = event.seq;
      if (accept(event)) out.push(event);
      if (options.isLast?.(event)) {
        last = true;
        break;
      }
    }
    return out;
  }
  /** Yields what the store holds past lastSeq, a page at a time; `last` is set when the stream must end (isLast or stopped). */
  async function* fromStore(): AsyncGenerator<EventRecord[]> {
    const read = (after: number) =>
      options.storedReplay ? store.readStoredEvents(options.threadId, after, pageSize) : store.readEvents(options.threadId, after, pageSize);
    let next = read(lastSeq);
    for (;;) {
      const rows = await next;
      if (waiter.stopped) return void (last = true);
      // The next page is read while this one is sent (rows once written never move).
      const more = rows.length >= pageSize;
      if (more) {
        next = read(rows[rows.length - 1]!.seq);
        next.catch(() => undefined); // a failure is seen when the page is awaited; none if the stream stopped first
      }
      const out = pageOf(rows);
      if (out.length) yield out;
      if (last || waiter.stopped) return void (last = true);
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
      if (failure) throw failure.error;
      if (buffer.length) {
        if (overflowed) throw new SubscriberTooSlowError(buffer.length + waiter.held(), lastSeq);
        const taken = buffer;
        buffer = [];
        const out = pageOf(taken);
        if (out.length) yield out;
        if (last || waiter.stopped) return;
        continue;
      }
      if (waiter.stopped) return;
      if (options.end?.aborted) {
        // Nothing more will be published; events still on their way through the bus are in the store.
        yield* fromStore();
        return;
      }
      caughtUp = true;
      await new Promise<void>(
        (resolve) =>
          (waiter.wake = () => {
            caughtUp = false;
            resolve();
          }),
      );
      waiter.wake = undefined;
    }
  } finally {
    unlisten();
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
