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
  const made: DataLoader<unknown, unknown>[] = [];
  // Made on first use: a subscription that only streams events needs none of them.
  const lazy = <K, V, C = K>(make: () => DataLoader<K, V, C>) => {
    let loader: DataLoader<K, V, C> | undefined;
    return () => {
      if (!loader) {
        loader = make();
        made.push(loader as DataLoader<unknown, unknown>);
      }
      return loader;
    };
  };
  const thread = lazy(() => new DataLoader<string, ThreadRecord | null>((ids) => store.getThreads(ids)));
  const turn = lazy(() => new DataLoader<string, TurnRecord | null>(async (ids) => (await store.getTurns(ids)).map((t) => rt.overlayTurn(t))));
  const item = lazy(() => new DataLoader<string, ItemRecord | null>(async (ids) => (await store.getItems(ids)).map((i) => rt.overlayItem(i))));
  const approval = lazy(() => new DataLoader<string, ApprovalRecord | null>((ids) => store.getApprovals(ids)));
  const latestSeq = lazy(() => new DataLoader<string, number>((ids) => store.latestSeqs(ids)));
  const turnPage = lazy(
    () =>
      new DataLoader<PageKey, Page<TurnRecord>, string>(
        async (keys) =>
          (await store.pageTurnsMany(keys)).map((page) => ({
            ...page,
            entries: page.entries.map((e) => ({ ...e, value: rt.overlayTurn(e.value)! })),
          })),
        { cacheKeyFn: pageKeyOf },
      ),
  );
  const itemPage = lazy(
    () =>
      new DataLoader<PageKey, Page<ItemRecord>, string>(
        async (keys) =>
          (await store.pageItemsMany(keys)).map((page) => ({
            ...page,
            entries: page.entries.map((e) => ({ ...e, value: rt.overlayItem(e.value)! })),
          })),
        { cacheKeyFn: pageKeyOf },
      ),
  );
  return {
    get thread() {
      return thread();
    },
    get turn() {
      return turn();
    },
    get item() {
      return item();
    },
    get approval() {
      return approval();
    },
    get latestSeq() {
      return latestSeq();
    },
    get turnPage() {
      return turnPage();
    },
    get itemPage() {
      return itemPage();
    },
    /** Forgets everything loaded (a subscription resolves each event against the current state). */
    clearAll() {
      for (const loader of made) loader.clearAll();
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
