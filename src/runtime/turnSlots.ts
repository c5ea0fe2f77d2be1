/**
 * The bound on turns running at once across threads (`--max-running-turns`, docs/DESIGN.md "Overload"). A turn
 * holds a slot from its start until its final state is durable. Threads whose queued turn could not start for
 * want of a slot wait in arrival order; a freed slot is handed to the first of them, not taken back by
 * whoever asks next, so a thread with a long queue cannot starve the others.
 */
export class TurnSlots {
  private used = 0;
  /** Threads with a queued turn waiting for a slot, in arrival order. */
  private readonly waiting = new Set<string>();

  constructor(
    readonly max: number,
    /** Starts the next queued turn of a thread that was handed a slot (it must release it if it cannot use it). */
    private readonly handOver: (threadId: string) => void,
  ) {}

  get running(): number {
    return this.used;
  }

  get waitingThreads(): number {
    return this.waiting.size;
  }

  /** Takes a slot for a turn of the thread; false when all are used. `force`: the slot of a turn it replaces. */
  take(threadId: string, force = false): boolean {
    if (!force && this.used >= this.max) return false;
    this.used++;
    this.waiting.delete(threadId);
    return true;
  }

  /** The thread's next queued turn waits for a slot. */
  wait(threadId: string): void {
    this.waiting.add(threadId);
  }

  release(): void {
    // Over the bound (a forced take): the slot goes, nobody is handed one.
    const next = this.used <= this.max ? this.waiting.values().next() : null;
    if (next && !next.done) {
      this.waiting.delete(next.value);
      this.handOver(next.value);
      return;
    }
    this.used = Math.max(0, this.used - 1);
  }

  /** A hint for clients refused a slot: a second per thread waiting ahead of them, at most 30 s. */
  retryAfterMs(): number {
    return Math.min(30_000, 1000 * (1 + this.waiting.size));
  }
}
