import type { ThreadOrder } from './contract.js';
import type { CursorKind } from './cursors.js';

/** What `threads` lists without an orderBy: the most recently changed first. */
export const NEWEST_UPDATED_FIRST: ThreadOrder = { field: 'UPDATED_AT', direction: 'DESC' };

/** The cursors of an order are the keys of its field, so each field has its own cursor kind. */
export function threadCursorKind(order: ThreadOrder): CursorKind {
  return order.field === 'CREATED_AT' ? 'threadsByCreated' : 'threads';
}

/**
 * Whether the list runs against its index's key order. Update keys are inverted times (ascending key = newest
 * first); creation keys are thread ids (ascending key = oldest first).
 */
export function descendingKeys(order: ThreadOrder): boolean {
  return order.field === 'CREATED_AT' ? order.direction === 'DESC' : order.direction === 'ASC';
}
