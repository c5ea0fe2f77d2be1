import { parsePricingTable, type PriceEntry, type PricingTable, type Rates } from '../domain/pricing.js';
import { ValidationError } from '../domain/errors.js';
import type { ProviderRule } from '../domain/provider.js';
import type { UsageTotals } from '../domain/usage.js';
import { aggregateUsage, type UsageAggregation } from '../runtime/usageQuery.js';
import { setPricing } from '../runtime/pricing.js';
import { builder } from './builder.js';

export const UsageGroupByEnum = builder.enumType('UsageGroupBy', { values: ['DAY', 'MODEL', 'PROVIDER', 'THREAD'] as const });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function totalsFields(t: any) {
  return {
    inputTokens: t.expose('inputTokens', { type: 'SafeInt' }),
    outputTokens: t.expose('outputTokens', { type: 'SafeInt' }),
    cachedTokens: t.expose('cachedTokens', { type: 'SafeInt', description: 'Input tokens served from the provider cache.' }),
    missTokens: t.expose('missTokens', { type: 'SafeInt', description: 'Input tokens not served from the cache (reported, else input − cached).' }),
    reasoningTokens: t.expose('reasoningTokens', { type: 'SafeInt' }),
    costUsd: t.exposeFloat('costUsd'),
    costCny: t.exposeFloat('costCny'),
    costUsdWithoutCache: t.exposeFloat('costUsdWithoutCache', { description: 'What the same turns would cost with every input token at the miss price.' }),
    costCnyWithoutCache: t.exposeFloat('costCnyWithoutCache'),
    cacheSavingsUsd: t.exposeFloat('cacheSavingsUsd', { description: 'max(0, costUsdWithoutCache − costUsd).' }),
    cacheSavingsCny: t.exposeFloat('cacheSavingsCny'),
    cacheHitRate: t.exposeFloat('cacheHitRate', { nullable: true, description: 'cachedTokens / inputTokens × 100; null without input.' }),
    turns: t.expose('turns', { type: 'SafeInt' }),
    unpricedTurns: t.expose('unpricedTurns', { type: 'SafeInt', description: 'Turns of models without a price (their cost counts as 0).' }),
    cacheTelemetryIncomplete: t.exposeBoolean('cacheTelemetryIncomplete'),
  };
}

export const UsageTotalsRef = builder.objectRef<UsageTotals>('UsageTotals').implement({
  description: 'Token and cost totals over ended turns.',
  fields: (t) => totalsFields(t as never),
});

const UsageBucketRef = builder.objectRef<UsageTotals & { key: string }>('UsageBucket').implement({
  description: 'Totals of one group: a day (YYYY-MM-DD), a model, a provider or a thread id.',
  fields: (t) => ({ key: t.exposeString('key'), ...totalsFields(t as never) }),
});

const UsageAggregationRef = builder.objectRef<UsageAggregation>('UsageAggregation').implement({
  fields: (t) => ({
    since: t.expose('since', { type: 'DateTime', nullable: true }),
    until: t.expose('until', { type: 'DateTime', nullable: true }),
    groupBy: t.field({ type: UsageGroupByEnum, resolve: (a) => a.groupBy }),
    timeZone: t.exposeString('timeZone', { nullable: true }),
    totals: t.field({ type: UsageTotalsRef, resolve: (a) => a.totals }),
    buckets: t.field({ type: [UsageBucketRef], resolve: (a) => a.buckets }),
    cacheTelemetryIncomplete: t.exposeBoolean('cacheTelemetryIncomplete'),
  }),
});

builder.queryField('usage', (t) =>
  t.field({
    type: UsageAggregationRef,
    description: 'Usage of turns that ended in [since, until] (inclusive, either may be omitted), grouped; buckets sorted by key.',
    args: {
      since: t.arg({ type: 'DateTime', required: false }),
      until: t.arg({ type: 'DateTime', required: false }),
      groupBy: t.arg({ type: UsageGroupByEnum, required: false, defaultValue: 'DAY' }),
      timeZone: t.arg.string({ required: false, description: 'IANA time zone for DAY keys (default UTC).' }),
    },
    resolve: (_, args, ctx) => aggregateUsage(ctx.rt, args),
  }),
);

// ---- pricing ----

const RatesRef = builder.objectRef<Rates>('Rates').implement({
  description: 'Prices per million tokens.',
  fields: (t) => ({ hit: t.exposeFloat('hit'), miss: t.exposeFloat('miss'), output: t.exposeFloat('output') }),
});
export const PriceEntryRef = builder.objectRef<PriceEntry>('PriceEntry').implement({
  fields: (t) => ({
    pattern: t.exposeString('pattern'),
    match: t.exposeString('match', { description: '`exact` or `prefix`.' }),
    usd: t.field({ type: RatesRef, resolve: (e) => e.prices.usd }),
    cny: t.field({ type: RatesRef, resolve: (e) => e.prices.cny }),
    validFrom: t.expose('validFrom', { type: 'DateTime', nullable: true }),
    validUntil: t.expose('validUntil', { type: 'DateTime', nullable: true }),
    provider: t.exposeString('provider', { nullable: true }),
  }),
});
const ProviderRuleRef = builder.objectRef<ProviderRule>('ProviderRule').implement({
  fields: (t) => ({ prefix: t.exposeString('prefix'), provider: t.exposeString('provider') }),
});
const PricingRef = builder.objectRef<PricingTable>('Pricing').implement({
  description: 'The pricing table in force (costs are fixed when a turn ends; changing prices never rewrites history).',
  fields: (t) => ({
    entries: t.field({ type: [PriceEntryRef], resolve: (p) => p.entries }),
    providers: t.field({ type: [ProviderRuleRef], resolve: (p) => p.providers ?? [] }),
  }),
});

builder.queryField('pricing', (t) => t.field({ type: PricingRef, resolve: (_, __, ctx) => ctx.rt.pricing }));

const SetPricingPayload = builder.objectRef<{ pricing: PricingTable }>('SetPricingPayload').implement({
  fields: (t) => ({ pricing: t.field({ type: PricingRef, resolve: (p) => p.pricing }) }),
});

builder.mutationField('setPricing', (t) =>
  t.field({
    type: SetPricingPayload,
    description: 'Replaces the pricing table (kept in the store). `table` is the JSON of a pricing file; null restores the defaults.',
    errors: { types: [ValidationError], union: { name: 'SetPricingResult' } },
    args: { input: t.arg({ type: builder.inputType('SetPricingInput', { fields: (f) => ({ table: f.field({ type: 'JSON', required: false }) }) }), required: true }) },
    resolve: async (_, { input }, ctx) => ({
      pricing: await setPricing(ctx.rt, input.table == null ? null : parsePricingTable(input.table)),
    }),
  }),
);
