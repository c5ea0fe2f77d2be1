/**
 * What a command is serialised with (docs/DESIGN.md "Turns and locking"):
 * - `{ thread }`: the commands of one thread (start, steer, interrupt, edit, fork, compact, update, delete, revert,
 *   queue edits, the start of its next queued turn); may be held while the command waits, e.g. for an interrupted
 *   turn to end;
 * - `{ threadRecord }`: one read-modify-write of a thread record; held only for that write, never while waiting on
 *   a turn; taken inside `{ thread }` or `{ approval }`, never the other way round;
 * - `{ approval }`: deciding one approval (a person's decision, its expiry);
 * - `'runtime'`: runtime-wide settings (pricing, routing rules, webhooks); serialised with each other only.
 */
export type CommandScope = { readonly thread: string } | { readonly threadRecord: string } | { readonly approval: string } | 'runtime';

/**
 * Runs commands one at a time within their scope; commands of different scopes run concurrently. A command's
 * failure is its caller's and does not stop the next one. The runtime holds one (`RuntimeConfig.commandQueue`,
 * by default `LocalCommandQueue`); a shared store may plug in one that also serialises across nodes.
 */
export interface CommandQueue {
  run<T>(scope: CommandScope, command: () => Promise<T>): Promise<T>;
  /** No command is running or waiting in this process. */
  readonly isIdle: boolean;
  /** Resolves when no command is running or waiting in this process (also those queued meanwhile). */
  idle(): Promise<void>;
}

/** The scope as one string: equal scopes, equal keys. */
export function scopeKey(scope: CommandScope): string {
  if (scope === 'runtime') return 'runtime';
  if ('thread' in scope) return `thread:${scope.thread}`;
  if ('threadRecord' in scope) return `threadRecord:${scope.threadRecord}`;
  return `approval:${scope.approval}`;
}

/** One process: a promise chain per scope, dropped when its last command ends. */
export class LocalCommandQueue implements CommandQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(scope: CommandScope, command: () => Promise<T>): Promise<T> {
    const key = scopeKey(scope);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(command, command);
    // The chain only orders commands: the caller gets this command's failure through `result`.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  get isIdle(): boolean {
    return this.tails.size === 0;
  }

  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}
