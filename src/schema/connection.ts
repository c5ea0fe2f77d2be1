import type { ArgBuilder } from '@pothos/core';
import { GraphQLError } from 'graphql';
import type { Page, PageArgs } from '../store/paging.js';
import { builder, type SchemaTypes } from './builder.js';

export const MAX_PAGE = 500;

export interface ConnectionShape<T> {
  page: Page<T>;
  totalCount: () => Promise<number> | number;
}

export const PageInfo = builder
  .objectRef<Page<unknown>>('PageInfo')
  .implement({
    description: 'Relay page info.',
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
      startCursor: t.string({ nullable: true, resolve: (p) => p.entries[0]?.cursor ?? null }),
      endCursor: t.string({ nullable: true, resolve: (p) => p.entries[p.entries.length - 1]?.cursor ?? null }),
    }),
  });

/** `<Name>Connection` and `<Name>Edge` (Relay cursor spec, plus `totalCount` and a `nodes` shortcut). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function connectionOf<T>(name: string, nodeRef: any) {
  const Edge = builder.objectRef<{ cursor: string; value: T }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: nodeRef, resolve: (e) => e.value as never }),
    }),
  });
  return builder.objectRef<ConnectionShape<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [Edge], resolve: (c) => c.page.entries }),
      nodes: t.field({ type: [nodeRef], resolve: (c) => c.page.entries.map((e) => e.value) as never }),
      pageInfo: t.field({ type: PageInfo, resolve: (c) => c.page as Page<unknown> }),
      totalCount: t.int({ resolve: (c) => c.totalCount() }),
    }),
  });
}

export function connectionArgs(arg: ArgBuilder<SchemaTypes>) {
  return {
    first: arg.int({ required: false }),
    after: arg.string({ required: false }),
    last: arg.int({ required: false }),
    before: arg.string({ required: false }),
  };
}

/**
 * Relay arguments checked at the edge: counts within 0..MAX_PAGE, cursors of this connection's shape (a
 * cursor is a key position, so a foreign one would silently page from an arbitrary place).
 */
export function pageArgs(args: PageArgs, isCursor: (cursor: string) => boolean): PageArgs {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n != null && (n < 0 || n > MAX_PAGE)) {
      throw new GraphQLError(`${key} must be between 0 and ${MAX_PAGE}`, { extensions: { code: 'OUT_OF_RANGE' } });
    }
  }
  for (const key of ['after', 'before'] as const) {
    const c = args[key];
    if (c != null && (c.length > 200 || !isCursor(c))) {
      throw new GraphQLError(`${key} is not a cursor of this connection`, { extensions: { code: 'VALIDATION' } });
    }
  }
  return args;
}
