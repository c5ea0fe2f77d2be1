/** Model prices as data, price lookup and per-turn cost. Pure: no I/O. */
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { DEFAULT_PROVIDER_RULES, providerOf, type ProviderRule } from './provider.js';
import type { TokenUsage } from './records.js';
import { firstIssue } from './validation.js';

/** Prices per million tokens in one currency. */
export interface Rates {
  /** Input tokens served from the provider's cache. */
  hit: number;
  /** Input tokens not served from the cache. */
  miss: number;
  output: number;
}

export interface PriceEntry {
  /** The model name (`exact`) or its beginning (`prefix`), compared case-insensitively. */
  pattern: string;
  match: 'exact' | 'prefix';
  prices: { usd: Rates; cny: Rates };
  /** ISO date-time, inclusive: the entry applies from this instant on. */
  validFrom?: string;
  /** ISO date-time, exclusive: the entry no longer applies at this instant. */
  validUntil?: string;
  /** When set, the entry applies only to models whose provider (per the table's rules) is this one. */
  provider?: string;
}

export interface PricingTable {
  entries: PriceEntry[];
  /** Provider rules, first match wins; the defaults apply when absent. */
  providers?: ProviderRule[];
}

const flash = {
  usd: { hit: 0.0028, miss: 0.14, output: 0.28 },
  cny: { hit: 0.02, miss: 1.0, output: 2.0 },
};

export const DEFAULT_PRICING: PricingTable = {
  entries: [
    { pattern: 'deepseek-v4-flash', match: 'exact', provider: 'deepseek', prices: flash },
    // Any other DeepSeek model not priced more precisely.
    { pattern: 'deepseek-', match: 'prefix', provider: 'deepseek', prices: flash },
    {
      pattern: 'deepseek-v4-pro',
      match: 'exact',
      provider: 'deepseek',
      prices: { usd: { hit: 0.0145, miss: 1.74, output: 3.48 }, cny: { hit: 0.1, miss: 12, output: 24 } },
    },
    {
      pattern: 'deepseek-v4-pro',
      match: 'exact',
      provider: 'deepseek',
      validUntil: '2026-05-31T15:59:00Z',
      prices: { usd: { hit: 0.003625, miss: 0.435, output: 0.87 }, cny: { hit: 0.025, miss: 3, output: 6 } },
    },
  ],
  providers: DEFAULT_PROVIDER_RULES.map((rule) => ({ ...rule })),
};

// ---------------------------------------------------------------------------------------------------------
// Validation

const rate = z.number().nonnegative('must be a non-negative number');
const ratesSchema = z.strictObject({ hit: rate, miss: rate, output: rate });
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO date-time (e.g. 2026-05-31T15:59:00Z)' });
const nonEmpty = z.string().trim().min(1, 'must not be empty');

const priceEntrySchema = z
  .strictObject({
    pattern: nonEmpty,
    match: z.enum(['exact', 'prefix']),
    prices: z.strictObject({ usd: ratesSchema, cny: ratesSchema }),
    validFrom: instant.optional(),
    validUntil: instant.optional(),
    provider: nonEmpty.optional(),
  })
  .refine((e) => !e.validFrom || !e.validUntil || Date.parse(e.validFrom) < Date.parse(e.validUntil), {
    message: 'validFrom must be before validUntil',
    path: ['validUntil'],
  });

const pricingTableSchema = z.strictObject({
  entries: z.array(priceEntrySchema),
  providers: z.array(z.strictObject({ prefix: nonEmpty, provider: nonEmpty })).optional(),
});

/** Validate a pricing table (e.g. parsed JSON); the first problem becomes a ValidationError naming its path. */
export function parsePricingTable(json: unknown): PricingTable {
  const result = pricingTableSchema.safeParse(json);
  if (result.success) return result.data;
  const { field, message } = firstIssue(result.error);
  throw new ValidationError(`invalid pricing table: ${field ? `${field}: ` : ''}${message}`, field);
}

// ---------------------------------------------------------------------------------------------------------
// Lookup

function matches(entry: PriceEntry, name: string): boolean {
  const pattern = entry.pattern.toLowerCase();
  if (entry.match === 'exact') return name === pattern;
  // A vendor-prefixed name (`deepseek-ai/x`) is another host's model: only a prefix naming the vendor matches.
  if (name.includes('/') && !pattern.includes('/')) return false;
  return name.startsWith(pattern);
}

function instantOf(iso: string | undefined, missing: number): number {
  return iso === undefined ? missing : Date.parse(iso);
}

function inWindow(entry: PriceEntry, at: number): boolean {
  return instantOf(entry.validFrom, -Infinity) <= at && at < instantOf(entry.validUntil, Infinity);
}

/** Negative when `a` should win over `b`. */
function compareEntries(a: PriceEntry, b: PriceEntry): number {
  // 1. exact beats prefix; 2. longer pattern beats shorter.
  if (a.match !== b.match) return a.match === 'exact' ? -1 : 1;
  if (a.pattern.length !== b.pattern.length) return b.pattern.length - a.pattern.length;
  // 3. more bounds beat fewer (a time-limited entry overrides an open-ended one).
  const bounds = (e: PriceEntry) => (e.validFrom ? 1 : 0) + (e.validUntil ? 1 : 0);
  if (bounds(a) !== bounds(b)) return bounds(b) - bounds(a);
  // 4. the narrower window wins: later start, then earlier end.
  const fromA = instantOf(a.validFrom, -Infinity);
  const fromB = instantOf(b.validFrom, -Infinity);
  if (fromA !== fromB) return fromA > fromB ? -1 : 1;
  const untilA = instantOf(a.validUntil, Infinity);
  const untilB = instantOf(b.validUntil, Infinity);
  if (untilA !== untilB) return untilA < untilB ? -1 : 1;
  return 0; // keep table order
}

/**
 * The price of `model` at instant `at`, or null when none applies. Among the entries that match the name
 * (case-insensitive), whose provider condition holds and whose window contains `at` (validFrom inclusive,
 * validUntil exclusive): exact beats prefix, a longer prefix beats a shorter one, then a time-limited entry
 * beats an open-ended one (narrowest window first), then the earlier entry in the table.
 */
export function findPrice(table: PricingTable, model: string, at: Date): PriceEntry | null {
  const name = model.trim().toLowerCase();
  const time = at.getTime();
  let provider: string | undefined;
  let best: PriceEntry | null = null;
  for (const entry of table.entries) {
    if (!matches(entry, name) || !inWindow(entry, time)) continue;
    if (entry.provider !== undefined) {
      provider ??= providerOf(model, table.providers ?? DEFAULT_PROVIDER_RULES);
      if (entry.provider !== provider) continue;
    }
    if (best === null || compareEntries(entry, best) < 0) best = entry;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------
// Cost

/** Costs are rounded to 1e-10 of a currency unit (an integer count of COST_SCALE-ths), removing float noise. */
export const COST_SCALE = 1e10;

export function toCostUnits(amount: number): number {
  return Math.round(amount * COST_SCALE);
}

export function fromCostUnits(units: number): number {
  return units / COST_SCALE;
}

export interface TurnCost {
  costUsd: number;
  costCny: number;
  /** What the turn would have cost with every input token at the miss price. */
  costUsdWithoutCache: number;
  costCnyWithoutCache: number;
  /** false when no price applied (all costs are then 0). */
  priced: boolean;
}

const count = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

/**
 * Input tokens billed at the miss price: the reported misses, or at least every input token not a cache hit
 * (so a missing miss count is inferred as input − hit).
 */
export function billedMissTokens(usage: TokenUsage): number {
  return Math.max(count(usage.missTokens), count(usage.inputTokens) - count(usage.cachedTokens), 0);
}

function costIn(rates: Rates, hit: number, miss: number, output: number): { actual: number; withoutCache: number } {
  // Prices are per million tokens; units of 1e-10 are therefore tokens × price × 1e4.
  const outputPart = output * rates.output;
  const actual = Math.round((hit * rates.hit + miss * rates.miss + outputPart) * (COST_SCALE / 1e6));
  const withoutCache = Math.round(((hit + miss) * rates.miss + outputPart) * (COST_SCALE / 1e6));
  return { actual: fromCostUnits(actual), withoutCache: fromCostUnits(withoutCache) };
}

/**
 * The cost of one turn's usage: cache hits at the hit price, misses (see billedMissTokens) at the miss price,
 * output tokens (which include reasoning tokens) at the output price.
 */
export function computeCost(usage: TokenUsage, price: PriceEntry | null): TurnCost {
  if (price === null) {
    return { costUsd: 0, costCny: 0, costUsdWithoutCache: 0, costCnyWithoutCache: 0, priced: false };
  }
  const hit = count(usage.cachedTokens);
  const miss = billedMissTokens(usage);
  const output = count(usage.outputTokens);
  const usd = costIn(price.prices.usd, hit, miss, output);
  const cny = costIn(price.prices.cny, hit, miss, output);
  return {
    costUsd: usd.actual,
    costCny: cny.actual,
    costUsdWithoutCache: usd.withoutCache,
    costCnyWithoutCache: cny.withoutCache,
    priced: true,
  };
}
