/**
 * Client request keys with work running now in this process: a mutation's first attempt, or the retention
 * purge of an expired key. Others with the same key wait for it (docs/DESIGN.md "Idempotency keys").
 */
export class RequestsInFlight {
  readonly #byKey = new Map<string, Promise<unknown>>();

  /** The work running for `key`, if any. */
  running(key: string): Promise<unknown> | undefined {
    return this.#byKey.get(key);
  }

  isRunning(key: string): boolean {
    return this.#byKey.has(key);
  }

  /** Marks `work` as the one running for `key` until `end(key)`. */
  start(key: string, work: Promise<unknown>): void {
    this.#byKey.set(key, work);
  }

  end(key: string): void {
    this.#byKey.delete(key);
  }
}
