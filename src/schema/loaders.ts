import DataLoader from 'dataloader';
import type { ApprovalRecord, ItemRecord, ThreadRecord, TurnRecord } from '../domain/records.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Page, PageArgs } from '../store/paging.js';

export interface PageKey {
  parentId: string;
  args: PageArgs;
}

const pageKeyOf = (k: PageKey) => `${k.parentId}|${k.args.first ?? ''}|${k.args.after ?? ''}|${k.args.last ?? ''}|${k.args.before ?? ''}`;

/**
 * Per-request loaders: every record read of one GraphQL request is batched into one store call per kind,
 * and so is every page of children (a page of 50 threads with their latest turns' items costs the same
 * number of store round trips as a page of 1).
 */
export function createLoaders(rt: Runtime) {
  const store = rt.store;
  return {
    thread: new DataLoader<string, ThreadRecord | null>((ids) => store.getThreads(ids)),
    turn: new DataLoader<string, TurnRecord | null>(async (ids) => (await store.getTurns(ids)).map((t) => rt.overlayTurn(t))),
    item: new DataLoader<string, ItemRecord | null>(async (ids) => (await store.getItems(ids)).map((i) => rt.overlayItem(i))),
    approval: new DataLoader<string, ApprovalRecord | null>((ids) => store.getApprovals(ids)),
    latestSeq: new DataLoader<string, number>((ids) => store.latestSeqs(ids)),
    turnPage: new DataLoader<PageKey, Page<TurnRecord>, string>(
      async (keys) =>
        (await store.pageTurnsMany(keys)).map((page) => ({ ...page, entries: page.entries.map((e) => ({ ...e, value: rt.overlayTurn(e.value)! })) })),
      { cacheKeyFn: pageKeyOf },
    ),
    itemPage: new DataLoader<PageKey, Page<ItemRecord>, string>(
      async (keys) =>
        (await store.pageItemsMany(keys)).map((page) => ({ ...page, entries: page.entries.map((e) => ({ ...e, value: rt.overlayItem(e.value)! })) })),
      { cacheKeyFn: pageKeyOf },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Forgets everything loaded (a subscription resolves each event against the current state). */
export function clearLoaders(loaders: Loaders): void {
  for (const loader of Object.values(loaders)) (loader as DataLoader<unknown, unknown>).clearAll();
}
