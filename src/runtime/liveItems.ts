import type { ItemRecord } from '../domain/records.js';

/**
 * Items streaming now, newer than their stored record: text arrives as deltas and the record is written at the
 * item's end. The running turn owns each record and updates it in place; readers get it through `get`
 * (Runtime.overlayItem) until the turn calls `finish`.
 */
export class LiveItems {
  readonly #byId = new Map<string, ItemRecord>();

  /** The item started streaming: readers see this record from now on. */
  start(item: ItemRecord): void {
    this.#byId.set(item.id, item);
  }

  /** The item's end is written (or its turn ended): readers go back to the store. */
  finish(itemId: string): void {
    this.#byId.delete(itemId);
  }

  get(itemId: string): ItemRecord | undefined {
    return this.#byId.get(itemId);
  }
}
