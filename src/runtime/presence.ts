/** One thread's presence at a moment. */
export interface ThreadPresenceState {
  threadId: string;
  subscriberCount: number;
}

/** Presence across nodes (PostgreSQL, docs/DESIGN.md "Presence"): this node's counts are shared with the others. */
export interface SharedPresence {
  /** This node's count of `threadId` changed: the share stores it and tells every node's watchers (`changed`). */
  changed(threadId: string): void;
  /** Followers of `threadId` on every live node. */
  count(threadId: string): Promise<number>;
}

/**
 * Who follows each thread live now (docs/DESIGN.md "Presence"): the client connections with an open event
 * stream of the thread. Presence is this node's live state, not part of the event log: nothing is stored, and a
 * change reaches watchers (`threadPresence`) as the current count, at most once per `intervalMs` per thread.
 */
export class Presence {
  /** Thread id → connection → the streams of that connection following the thread. */
  private readonly followers = new Map<string, Map<object, number>>();
  private readonly watchers = new Map<string, Set<(count: number) => void>>();
  /** Per thread: when watchers were last told, and the timer of a change held back until the interval is over. */
  private readonly notices = new Map<string, { at: number; timer: NodeJS.Timeout | null }>();
  /** Ends each open `counts` stream. */
  private readonly streams = new Set<() => void>();
  private shared: SharedPresence | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Connections (distinct clients) following `threadId` now: on this node, or on every live node once shared. */
  count(threadId: string): number | Promise<number> {
    return this.shared ? this.shared.count(threadId) : this.localCount(threadId);
  }

  /** Connections following `threadId` on this node. */
  localCount(threadId: string): number {
    return this.followers.get(threadId)?.size ?? 0;
  }

  /** Counts span the nodes of `shared` from now on (PostgreSQL). */
  share(shared: SharedPresence): void {
    this.shared = shared;
  }

  /** Threads followed on this node now. */
  followedThreads(): string[] {
    return [...this.followers.keys()];
  }

  /** Threads with a `counts` watcher on this node now. */
  watchedThreads(): string[] {
    return [...this.watchers.keys()];
  }

  /**
   * One stream of `connection` follows `threadIds` from now on; the function returned ends that (call it once).
   * A connection with several streams of a thread counts once.
   */
  join(threadIds: readonly string[], connection: object): () => void {
    const threads = [...new Set(threadIds)];
    for (const id of threads) {
      const byConnection = this.followers.get(id) ?? new Map<object, number>();
      this.followers.set(id, byConnection);
      const streams = byConnection.get(connection) ?? 0;
      byConnection.set(connection, streams + 1);
      if (streams === 0) this.localChanged(id);
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      for (const id of threads) {
        const byConnection = this.followers.get(id);
        const streams = byConnection?.get(connection) ?? 0;
        if (!byConnection || streams === 0) continue;
        if (streams > 1) {
          byConnection.set(connection, streams - 1);
          continue;
        }
        byConnection.delete(connection);
        if (byConnection.size === 0) this.followers.delete(id);
        this.localChanged(id);
      }
    };
  }

  /**
   * The count of `threadId` now, then after each change (coalesced; a count equal to the last one yielded is
   * skipped). Ends when the consumer returns or at `close()`.
   */
  counts(threadId: string): AsyncGenerator<ThreadPresenceState> {
    const first = this.count(threadId);
    let pending: number | null = typeof first === 'number' ? first : null;
    let last: number | null = null;
    let ended = false;
    let wake: (() => void) | null = null;
    const end = () => {
      ended = true;
      wake?.();
    };
    const unwatch = this.watch(threadId, (count) => {
      pending = count;
      wake?.();
    });
    this.streams.add(end);
    const stop = () => {
      unwatch();
      this.streams.delete(end);
    };
    async function* run(): AsyncGenerator<ThreadPresenceState> {
      try {
        // Shared: a notice that arrived during the first read was read later, so it is the newer count.
        if (typeof first !== 'number') {
          const count = await first;
          pending ??= count;
        }
        for (;;) {
          if (pending !== null && pending !== last) {
            last = pending;
            pending = null;
            yield { threadId, subscriberCount: last };
            continue;
          }
          pending = null;
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      } finally {
        stop();
      }
    }
    const body = run();
    // return() must end the stream also while it waits for a change (an async generator would queue it).
    const stream: AsyncGenerator<ThreadPresenceState> = {
      next: () => body.next(),
      return: (value) => {
        end();
        stop();
        return body.return(value);
      },
      throw: (error) => {
        end();
        stop();
        return body.throw(error);
      },
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  /** Ends every `counts` stream and drops held-back notices (shutdown). */
  close(): void {
    for (const end of [...this.streams]) end();
    for (const notice of this.notices.values()) if (notice.timer) clearTimeout(notice.timer);
    this.notices.clear();
  }

  private watch(threadId: string, listener: (count: number) => void): () => void {
    const set = this.watchers.get(threadId) ?? new Set();
    this.watchers.set(threadId, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(threadId);
    };
  }

  private localChanged(threadId: string): void {
    this.shared?.changed(threadId);
    this.changed(threadId);
  }

  /** The count of `threadId` may have changed (here, or on another node): its watchers are told, coalesced. */
  changed(threadId: string): void {
    if (!this.watchers.has(threadId)) return;
    const notice = this.notices.get(threadId);
    if (notice?.timer) return; // a notice is due; it will carry the count of that moment
    const wait = notice ? notice.at + this.intervalMs - this.clock() : 0;
    if (wait <= 0) return this.notify(threadId);
    this.notices.set(threadId, { at: notice!.at, timer: setTimeout(() => this.notify(threadId), wait).unref() });
  }

  private notify(threadId: string): void {
    const notice = { at: this.clock(), timer: null };
    this.notices.set(threadId, notice);
    const deliver = (count: number) => {
      for (const listener of [...(this.watchers.get(threadId) ?? [])]) listener(count);
    };
    const count = this.count(threadId);
    if (typeof count === 'number') deliver(count);
    // A failed read was logged by the share; the watchers get the count at the next try, after the interval.
    else count.then(deliver, () => this.changed(threadId));
    // Forgotten once the interval is over with nothing held back, so the map does not grow with every thread.
    setTimeout(() => {
      if (this.notices.get(threadId) === notice) this.notices.delete(threadId);
    }, this.intervalMs).unref();
  }
}
