import { ValidationError } from '../domain/errors.js';
import { providerOf } from '../domain/provider.js';
import {
  addFacts,
  dayKey,
  emptyAccumulator,
  finishTotals,
  groupKey,
  mergeAccumulators,
  type UsageAccumulator,
  type UsageFacts,
  type UsageGroupBy,
  type UsageTotals,
} from '../domain/usage.js';
import { splitRange } from '../domain/usageRollup.js';
import type { Runtime } from './runtime.js';

export interface UsageQuery {
  since?: Date | null;
  until?: Date | null;
  groupBy?: UsageGroupBy | null;
  timeZone?: string | null;
}

export interface UsageAggregation {
  since: Date | null;
  until: Date | null;
  groupBy: UsageGroupBy;
  timeZone: string | null;
  totals: UsageTotals;
  buckets: (UsageTotals & { key: string })[];
  cacheTelemetryIncomplete: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Usage of the turns that ended in [since, until], grouped. Whole quarter hours come from the rollups kept at
 * each turn's end, the partial quarters at the edges from per-turn facts (see usageRollup.ts).
 */
export async function aggregateUsage(rt: Runtime, query: UsageQuery): Promise<UsageAggregation> {
  const groupBy = query.groupBy ?? 'DAY';
  const timeZone = query.timeZone?.trim() || null;
  if (timeZone) dayKey(new Date().toISOString(), timeZone); // rejects an unknown zone up front
  const since = query.since ?? null;
  const until = query.until ?? null;
  if (since && until && since > until) throw new ValidationError('since: must not be after until', 'since');

  const buckets = new Map<string, UsageAccumulator>();
  const add = (key: string, acc: UsageAccumulator) => buckets.set(key, mergeAccumulators(buckets.get(key) ?? emptyAccumulator(), acc));
  const rules = rt.pricing.providers;
  const { full, edges } = splitRange(since?.getTime() ?? null, until?.getTime() ?? null);

  if (full) {
    const rows = await rt.store.readRollups(full.from === null ? null : iso(full.from), full.to === null ? null : iso(full.to));
    for (const row of rows) {
      const { quarter, threadId, model } = row.id;
      const key =
        groupBy === 'DAY'
          ? dayKey(quarter, timeZone ?? undefined)
          : groupBy === 'MODEL'
            ? model
            : groupBy === 'PROVIDER'
              ? providerOf(model, rules)
              : threadId;
      add(key, row.value as UsageAccumulator);
    }
  }
  for (const [from, to] of edges) {
    for (const facts of (await rt.store.readUsageFacts(iso(from), iso(to))) as UsageFacts[]) {
      add(groupKey(facts, groupBy, timeZone ?? undefined), addFacts(emptyAccumulator(), facts));
    }
  }

  const total = [...buckets.values()].reduce(mergeAccumulators, emptyAccumulator());
  const totals = finishTotals(total);
  return {
    since,
    until,
    groupBy,
    timeZone,
    totals,
    buckets: [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, acc]) => ({ key, ...finishTotals(acc) })),
    cacheTelemetryIncomplete: totals.cacheTelemetryIncomplete,
  };
}
