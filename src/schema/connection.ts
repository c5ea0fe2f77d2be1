import type { ArgBuilder } from '@pothos/core';
import { BadCursorError } from '../store/cursors.js';
import type { Page, PageArgs } from '../store/paging.js';
import { builder, type SchemaTypes } from './builder.js';
import { codedError } from './codedError.js';

export const MAX_PAGE = 500;

export interface ConnectionShape<T> {
  page: Page<T>;
  totalCount: () => Promise<number> | number;
}

export const PageInfo = builder.objectRef<Page<unknown>>('PageInfo').implement({
  description: 'Where a page sits in its connection (Relay cursor spec).',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'True when more entries follow the page (ask again with `after: endCursor`).' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
      description: 'True when entries come before the page (ask again with `before: startCursor`).',
    }),
    startCursor: t.string({
      nullable: true,
      description: 'Cursor of the first entry; null when the page is empty.',
      resolve: (p) => p.entries[0]?.cursor ?? null,
    }),
    endCursor: t.string({
      nullable: true,
      description: 'Cursor of the last entry; null when the page is empty.',
      resolve: (p) => p.entries[p.entries.length - 1]?.cursor ?? null,
    }),
  }),
});

/** `<Name>Connection` and `<Name>Edge` (Relay cursor spec, plus `totalCount` and a `nodes` shortcut). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function connectionOf<T>(name: string, nodeRef: any) {
  const Edge = builder.objectRef<{ cursor: string; value: T }>(`${name}Edge`).implement({
    description: `One ${name} of a page, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: 'Opaque position of this entry; pass it as `after` or `before` to page from here.' }),
      node: t.field({ type: nodeRef, description: `The ${name}.`, resolve: (e) => e.value as never }),
    }),
  });
  return builder.objectRef<ConnectionShape<T>>(`${name}Connection`).implement({
    description: `A page of ${name} records (Relay cursor connection), with the total count.`,
    fields: (t) => ({
      edges: t.field({ type: [Edge], description: "The page, in the connection's order, each with its cursor.", resolve: (c) => c.page.entries }),
      nodes: t.field({
        type: [nodeRef],
        description: 'The same page without cursors (a shortcut for `edges { node }`).',
        resolve: (c) => c.page.entries.map((e) => e.value) as never,
      }),
      pageInfo: t.field({ type: PageInfo, description: 'Cursors and whether more pages exist.', resolve: (c) => c.page as Page<unknown> }),
      totalCount: t.int({ description: 'How many entries the whole connection has (all pages).', resolve: (c) => c.totalCount() }),
    }),
  });
}

export function connectionArgs(arg: ArgBuilder<SchemaTypes>) {
  return {
    first: arg.int({
      required: false,
      description: `At most this many from the start (or from \`after\`), 0 to ${MAX_PAGE}; default 50 when neither first nor last is given; outside the range the field fails with code OUT_OF_RANGE.`,
    }),
    after: arg.string({
      required: false,
      description: 'Start after this cursor (an endCursor or edge cursor of this same connection; another string fails with code VALIDATION).',
    }),
    last: arg.int({
      required: false,
      description: `At most this many from the end (or before \`before\`), 0 to ${MAX_PAGE} (else code OUT_OF_RANGE).`,
    }),
    before: arg.string({
      required: false,
      description: 'End before this cursor (a startCursor or edge cursor of this same connection; another string fails with code VALIDATION).',
    }),
  };
}

/**
 * Relay arguments checked at the edge: counts within 0..MAX_PAGE, cursors of this connection's shape (a
 * cursor is a key position, so a foreign one would silently page from an arbitrary place).
 */
export function pageArgs(args: PageArgs, check: (cursor: string) => void): PageArgs {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n != null && (n < 0 || n > MAX_PAGE)) {
      throw codedError('OUT_OF_RANGE', `${key} must be between 0 and ${MAX_PAGE}`);
    }
  }
  for (const key of ['after', 'before'] as const) {
    const c = args[key];
    if (c != null && (c.length > 200 || !accepted(check, c))) {
      throw codedError('VALIDATION', `${key} is not a cursor of this connection`);
    }
  }
  return args;
}

/** Whether the store accepts a cursor (it alone knows their format; it throws BadCursorError otherwise). */
function accepted(check: (cursor: string) => void, cursor: string): boolean {
  try {
    check(cursor);
    return true;
  } catch (error) {
    if (error instanceof BadCursorError) return false;
    throw error;
  }
}
