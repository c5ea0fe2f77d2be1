/**
 * Thread metadata: `threads(first: 20, filter: { metadata })` over the real server (HTTP, LevelDB) with N
 * threads, thread i labelled `{ owner: u<i % 1000>, project: p<i % (N / 100)>, tier: <i % 3> }`: every project
 * has 100 threads, 1% of N. Baselines in the same run: the unfiltered `threads(first: 20)` page on the same store,
 * and the same filtered page on a store of N/10 threads (also 100 per project): the filter's cost must not grow
 * with the threads stored, since it reads index rows of one key and value.
 */
import { newThreadRecord } from '../src/domain/factories.js';
import type { ThreadRecord } from '../src/domain/records.js';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { gql, startOurServer, type BenchContext, type BenchResult } from './lib/context.js';
import { row } from './lib/report.js';
import { median, timeAlternately } from './lib/stats.js';

const PAGE_QUERY = `query Page($filter: ThreadFilter, $orderBy: ThreadOrder) {
  threads(first: 20, filter: $filter, orderBy: $orderBy) {
    edges { cursor node { id title updatedAt metadata } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const TARGET = 0.5;

type Page = { threads: { edges: { node: { id: string; metadata: Record<string, unknown> } }[] } };

/** A server whose store holds `count` labelled threads, 100 per project (written through the store, 500 per batch). */
async function serverWith(ctx: BenchContext, count: number) {
  const server = await startOurServer(await ctx.dir(`metadata-${count}`), new OfflineEngine(0));
  const start = Date.parse('2026-01-01T00:00:00Z');
  const projects = Math.max(1, Math.floor(count / 100));
  for (let from = 0; from < count; from += 500) {
    const batch = server.store.batch();
    for (let i = from; i < Math.min(count, from + 500); i++) {
      const thread: ThreadRecord = newThreadRecord(
        {
          model: 'm',
          mode: 'agent',
          workspace: '/ws',
          title: `thread ${i}`,
          metadata: { owner: `u${i % 1000}`, project: `p${i % projects}`, tier: i % 3 },
        },
        new Date(start + i * 1000).toISOString(),
      );
      batch.putThread(thread, null);
    }
    await batch.write();
  }
  return server;
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const threads = ctx.sizes.threads;
  const small = Math.max(100, Math.floor(threads / 10));
  const times = ctx.quick ? 40 : 200;
  const oneKey = { filter: { metadata: { project: 'p0' } } };
  const twoKeysByCreation = { filter: { metadata: { project: 'p0', tier: 1 } }, orderBy: { field: 'CREATED_AT', direction: 'ASC' } };
  const unfiltered = {};

  ctx.log(`metadata: seeding ${threads.toLocaleString()} and ${small.toLocaleString()} labelled threads...`);
  const big = await serverWith(ctx, threads);
  const little = await serverWith(ctx, small);
  try {
    const page = (server: { url: string }, variables: Record<string, unknown>) => () => gql<Page>(server.url, PAGE_QUERY, variables);
    // Check the answers once: 20 threads of project p0, each with that label.
    const check = await page(big, oneKey)();
    if (check.threads.edges.length !== 20 || check.threads.edges.some((e) => e.node.metadata.project !== 'p0')) {
      throw new Error(`unexpected metadata page: ${JSON.stringify(check).slice(0, 300)}`);
    }
    const [filtered, plain] = await timeAlternately(times, page(big, oneKey), page(big, unfiltered));
    const [twoKeys] = await timeAlternately(times, page(big, twoKeysByCreation), page(big, unfiltered));
    const [filteredBig, filteredSmall] = await timeAlternately(times, page(big, oneKey), page(little, oneKey));
    const ms = (values: number[]) => median(values);
    const ratio = (ours: number[], base: number[]) => ms(base) / ms(ours);
    return {
      rows: [
        row({
          bench: 'metadata',
          name: `threads(first: 20, filter: { metadata: 1 key }) of ${threads.toLocaleString()} threads (100 match): median`,
          ours: ms(filtered),
          unit: 'ms',
          better: 'lower',
          baseline: ms(plain),
          baselineName: 'threads(first: 20), no filter, same store',
          target: `ratio ≥ ${TARGET.toFixed(2)}`,
          met: ratio(filtered, plain) >= TARGET,
          why: 'the metadata page reads index rows of its first key and value, then the 20 records, like the plain page.',
        }),
        row({
          bench: 'metadata',
          name: `same, 2 keys (about 33 match), orderBy CREATED_AT ASC: median`,
          ours: ms(twoKeys),
          unit: 'ms',
          better: 'lower',
          baseline: ms(plain),
          baselineName: 'threads(first: 20), no filter, same store',
          target: `ratio ≥ ${TARGET.toFixed(2)}`,
          met: ratio(twoKeys, plain) >= TARGET,
          why: 'the second key is checked on the index rows of the first: a page passes over the 100 rows of the first key and value.',
        }),
        row({
          bench: 'metadata',
          name: `metadata page at ${threads.toLocaleString()} threads vs at ${small.toLocaleString()}: median`,
          ours: ms(filteredBig),
          unit: 'ms',
          better: 'lower',
          baseline: ms(filteredSmall),
          baselineName: `same page, ${small.toLocaleString()} threads`,
          target: `ratio ≥ ${TARGET.toFixed(2)} (bounded as threads grow)`,
          met: ratio(filteredBig, filteredSmall) >= TARGET,
          why: 'an index read does not depend on the number of threads; a miss here means a scan.',
        }),
      ],
      details: {
        threads,
        small,
        times,
        medians: { filtered: ms(filtered), plain: ms(plain), twoKeys: ms(twoKeys), filteredSmall: ms(filteredSmall) },
      },
    };
  } finally {
    await big.stop();
    await little.stop();
  }
}
