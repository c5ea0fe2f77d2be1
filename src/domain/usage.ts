/** Usage aggregation: what finished turns add up to. Pure: no I/O. */
import { ValidationError } from './errors.js';
import { billedMissTokens, computeCost, fromCostUnits, toCostUnits, type PriceEntry } from './pricing.js';
import { providerOf, type ProviderRule } from './provider.js';
import type { TokenUsage, TurnRecord } from './records.js';
import type { UsageGroupBy } from './enums.js';

/** What one finished turn contributes to the usage totals. */
export interface UsageFacts {
  endedAt: string;
  model: string;
  provider: string;
  threadId: string;
  usage: TokenUsage;
  costUsd: number;
  costCny: number;
  costUsdWithoutCache: number;
  costCnyWithoutCache: number;
  priced: boolean;
  cacheReported: boolean;
}

/**
 * Running sums, kept as a plain JSON object (the store persists per-day/per-model rollups of them).
 * Everything is an integer (costs in units of 1e-10, see COST_SCALE), so adding and merging are exact
 * while each sum stays below Number.MAX_SAFE_INTEGER (about 900,000 currency units).
 */
export interface UsageAccumulator {
  turns: number;
  unpricedTurns: number;
  /** Turns whose provider reported no cache fields. */
  cacheUnreportedTurns: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  missTokens: number;
  reasoningTokens: number;
  costUsdUnits: number;
  costCnyUnits: number;
  costUsdWithoutCacheUnits: number;
  costCnyWithoutCacheUnits: number;
}

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  missTokens: number;
  reasoningTokens: number;
  costUsd: number;
  costCny: number;
  costUsdWithoutCache: number;
  costCnyWithoutCache: number;
  cacheSavingsUsd: number;
  cacheSavingsCny: number;
  /** Percent of input tokens served from the cache; null when there was no input. */
  cacheHitRate: number | null;
  turns: number;
  unpricedTurns: number;
  /** Some turns' providers reported no cache fields, so cached tokens and savings are understated. */
  cacheTelemetryIncomplete: boolean;
}

export type { UsageGroupBy };

export function emptyAccumulator(): UsageAccumulator {
  return {
    turns: 0,
    unpricedTurns: 0,
    cacheUnreportedTurns: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    missTokens: 0,
    reasoningTokens: 0,
    costUsdUnits: 0,
    costCnyUnits: 0,
    costUsdWithoutCacheUnits: 0,
    costCnyWithoutCacheUnits: 0,
  };
}

const count = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

/** The accumulator with one more turn added (a new object; `acc` is not changed). */
export function addFacts(acc: UsageAccumulator, facts: UsageFacts): UsageAccumulator {
  const u = facts.usage;
  return {
    turns: acc.turns + 1,
    unpricedTurns: acc.unpricedTurns + (facts.priced ? 0 : 1),
    cacheUnreportedTurns: acc.cacheUnreportedTurns + (facts.cacheReported ? 0 : 1),
    inputTokens: acc.inputTokens + count(u.inputTokens),
    outputTokens: acc.outputTokens + count(u.outputTokens),
    cachedTokens: acc.cachedTokens + count(u.cachedTokens),
    missTokens: acc.missTokens + billedMissTokens(u),
    reasoningTokens: acc.reasoningTokens + count(u.reasoningTokens),
    costUsdUnits: acc.costUsdUnits + toCostUnits(facts.costUsd),
    costCnyUnits: acc.costCnyUnits + toCostUnits(facts.costCny),
    costUsdWithoutCacheUnits: acc.costUsdWithoutCacheUnits + toCostUnits(facts.costUsdWithoutCache),
    costCnyWithoutCacheUnits: acc.costCnyWithoutCacheUnits + toCostUnits(facts.costCnyWithoutCache),
  };
}

/** The sum of two accumulators; equal to adding both sets of facts one by one. */
export function mergeAccumulators(a: UsageAccumulator, b: UsageAccumulator): UsageAccumulator {
  return {
    turns: a.turns + b.turns,
    unpricedTurns: a.unpricedTurns + b.unpricedTurns,
    cacheUnreportedTurns: a.cacheUnreportedTurns + b.cacheUnreportedTurns,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    missTokens: a.missTokens + b.missTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    costUsdUnits: a.costUsdUnits + b.costUsdUnits,
    costCnyUnits: a.costCnyUnits + b.costCnyUnits,
    costUsdWithoutCacheUnits: a.costUsdWithoutCacheUnits + b.costUsdWithoutCacheUnits,
    costCnyWithoutCacheUnits: a.costCnyWithoutCacheUnits + b.costCnyWithoutCacheUnits,
  };
}

export function finishTotals(acc: UsageAccumulator): UsageTotals {
  return {
    inputTokens: acc.inputTokens,
    outputTokens: acc.outputTokens,
    cachedTokens: acc.cachedTokens,
    missTokens: acc.missTokens,
    reasoningTokens: acc.reasoningTokens,
    costUsd: fromCostUnits(acc.costUsdUnits),
    costCny: fromCostUnits(acc.costCnyUnits),
    costUsdWithoutCache: fromCostUnits(acc.costUsdWithoutCacheUnits),
    costCnyWithoutCache: fromCostUnits(acc.costCnyWithoutCacheUnits),
    cacheSavingsUsd: fromCostUnits(Math.max(0, acc.costUsdWithoutCacheUnits - acc.costUsdUnits)),
    cacheSavingsCny: fromCostUnits(Math.max(0, acc.costCnyWithoutCacheUnits - acc.costCnyUnits)),
    cacheHitRate: acc.inputTokens === 0 ? null : (acc.cachedTokens / acc.inputTokens) * 100,
    turns: acc.turns,
    unpricedTurns: acc.unpricedTurns,
    cacheTelemetryIncomplete: acc.cacheUnreportedTurns > 0,
  };
}

/**
 * The facts of a finished turn, its cost computed with `price` (the entry fixed when the turn ended);
 * null when the turn has not ended or reported no usage.
 */
export function usageFactsOf(turn: TurnRecord, price: PriceEntry | null, providerRules?: readonly ProviderRule[]): UsageFacts | null {
  if (turn.endedAt === null || turn.usage === null) return null;
  const cost = computeCost(turn.usage, price);
  return {
    endedAt: turn.endedAt,
    model: turn.model,
    provider: providerOf(turn.model, providerRules),
    threadId: turn.threadId,
    usage: turn.usage,
    costUsd: cost.costUsd,
    costCny: cost.costCny,
    costUsdWithoutCache: cost.costUsdWithoutCache,
    costCnyWithoutCache: cost.costCnyWithoutCache,
    priced: cost.priced,
    cacheReported: turn.usage.cacheReported,
  };
}

// Intl.DateTimeFormat is costly to build; one per zone is kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new ValidationError(`timeZone: unknown time zone ${JSON.stringify(timeZone)}`, 'timeZone');
    }
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** The calendar day (`YYYY-MM-DD`) of an ISO instant, in UTC or in the given IANA time zone. */
export function dayKey(isoDate: string, timeZone?: string): string {
  const date = new Date(isoDate);
  if (Number.isNaN(date.getTime())) {
    throw new ValidationError(`not an ISO date-time: ${JSON.stringify(isoDate.slice(0, 80))}`);
  }
  if (timeZone === undefined) return date.toISOString().slice(0, 10);
  const parts = dayFormat(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** The key a turn's facts are grouped under. */
export function groupKey(facts: UsageFacts, groupBy: UsageGroupBy, timeZone?: string): string {
  switch (groupBy) {
    case 'DAY':
      return dayKey(facts.endedAt, timeZone);
    case 'MODEL':
      return facts.model;
    case 'PROVIDER':
      return facts.provider;
    case 'THREAD':
      return facts.threadId;
  }
}

/** A turn's usage over several model calls: the sum of each call's (cache reported only if every call did). */
export function addTokenUsage(a: TokenUsage | null, b: TokenUsage): TokenUsage {
  if (!a) return { ...b };
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    missTokens: a.missTokens + b.missTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    cacheReported: a.cacheReported && b.cacheReported,
  };
}
