/**
 * Serialises the commands of one thread (docs/DESIGN.md "Turns and locking"): two commands on one thread never interleave, commands
 * on different threads run concurrently.
 */
export class ThreadLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(threadId: string, command: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(threadId) ?? Promise.resolve();
    const result = previous.then(command, command);
    const tail = result.catch(() => undefined);
    this.tails.set(threadId, tail);
    void tail.then(() => {
      if (this.tails.get(threadId) === tail) this.tails.delete(threadId);
    });
    return result;
  }

  /** No command is running or queued. */
  get isIdle(): boolean {
    return this.tails.size === 0;
  }

  /** Resolves when every command queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}
