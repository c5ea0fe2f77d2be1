import { isIdOf } from '../domain/ids.js';
import type { PageArgs } from './paging.js';
import type { ErrorCode } from '../domain/errorCodes.js';

/**
 * The connections a store pages: each has its own cursor format, known only to the store that made it.
 * `threads` is the thread list by update time, `threadsByCreated` by creation (see threadOrder.ts).
 */
export type CursorKind = 'threads' | 'threadsByCreated' | 'turns' | 'items';

/** A cursor this store did not hand out for that connection (or one it can no longer read). */
export class BadCursorError extends Error {
  readonly extensions: { code: ErrorCode } = { code: 'VALIDATION' };

  constructor(
    readonly kind: CursorKind,
    readonly cursor: string,
  ) {
    super(kind === 'threadsByCreated' ? 'not a cursor of the threads connection in CREATED_AT order' : `not a cursor of the ${kind} connection`);
  }
}

/** A page's `after` and `before`, checked by the store that pages (throws `BadCursorError`). */
export function checkPageCursors(store: { checkCursor(kind: CursorKind, cursor: string): void }, kind: CursorKind, args: PageArgs): void {
  if (args.after != null) store.checkCursor(kind, args.after);
  if (args.before != null) store.checkCursor(kind, args.before);
}

/**
 * LevelDB's cursors: a thread list cursor is its index key (inverted update time, `!`, thread id; in creation
 * order the thread id); a turn or item cursor is the record id. The PostgreSQL store hands out the same cursors, so it checks them here too.
 */
export function isLevelCursor(kind: CursorKind, cursor: string): boolean {
  if (cursor.length > 200) return false;
  if (kind === 'threads') return /^\d{13}!/.test(cursor) && isIdOf('thread', cursor.slice(14));
  if (kind === 'threadsByCreated') return isIdOf('thread', cursor);
  return isIdOf(kind === 'turns' ? 'turn' : 'item', cursor);
}
