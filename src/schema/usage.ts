import { USAGE_GROUP_BYS } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import { parsePricingTable, type PriceEntry, type PricingTable, type Rates } from '../domain/pricing.js';
import { ValidationError } from '../domain/errors.js';
import type { ProviderRule } from '../domain/provider.js';
import type { UsageTotals } from '../domain/usage.js';
import { aggregateUsage, type UsageAggregation } from '../runtime/usageQuery.js';
import { setPricing } from '../runtime/pricing.js';
import { builder } from './builder.js';

export const UsageGroupByEnum = builder.enumType('UsageGroupBy', {
  description: 'How usage splits into buckets; each bucket key is named below.',
  values: enumValues(USAGE_GROUP_BYS, {
    DAY: 'By the day the turn ended, key YYYY-MM-DD (in `timeZone`, default UTC).',
    MODEL: 'By model name, e.g. `deepseek-chat`.',
    PROVIDER: "By the provider serving the model (from the pricing table's provider rules), e.g. `deepseek`; `unknown` when no rule matches.",
    THREAD: "By thread id (deleted threads' usage stays under their id).",
  }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function totalsFields(t: any) {
  return {
    inputTokens: t.expose('inputTokens', { type: 'SafeInt', description: 'Prompt tokens sent to models (cached and not).' }),
    outputTokens: t.expose('outputTokens', { type: 'SafeInt', description: 'Tokens models generated, reasoning included.' }),
    cachedTokens: t.expose('cachedTokens', { type: 'SafeInt', description: 'Input tokens served from the provider cache.' }),
    missTokens: t.expose('missTokens', { type: 'SafeInt', description: 'Input tokens not served from the cache (reported, else input − cached).' }),
    reasoningTokens: t.expose('reasoningTokens', { type: 'SafeInt', description: 'Output tokens spent on reasoning.' }),
    costUsd: t.exposeFloat('costUsd', { description: 'Cost in USD at the prices valid when each turn ended (unpriced turns count 0).' }),
    costCny: t.exposeFloat('costCny', { description: 'Cost in CNY at the prices valid when each turn ended (unpriced turns count 0).' }),
    costUsdWithoutCache: t.exposeFloat('costUsdWithoutCache', {
      description: 'What the same turns would cost with every input token at the miss price.',
    }),
    costCnyWithoutCache: t.exposeFloat('costCnyWithoutCache', { description: 'costUsdWithoutCache in CNY.' }),
    cacheSavingsUsd: t.exposeFloat('cacheSavingsUsd', { description: 'max(0, costUsdWithoutCache − costUsd).' }),
    cacheSavingsCny: t.exposeFloat('cacheSavingsCny', { description: 'max(0, costCnyWithoutCache − costCny).' }),
    cacheHitRate: t.exposeFloat('cacheHitRate', {
      nullable: true,
      description: 'cachedTokens / inputTokens × 100 (a percentage, 0 to 100); null without input.',
    }),
    turns: t.expose('turns', { type: 'SafeInt', description: 'Ended turns counted.' }),
    unpricedTurns: t.expose('unpricedTurns', { type: 'SafeInt', description: 'Turns of models without a price (their cost counts as 0).' }),
    cacheTelemetryIncomplete: t.exposeBoolean('cacheTelemetryIncomplete', {
      description: "True when some turns' providers reported no cache fields, so cachedTokens and the savings are understated.",
    }),
  };
}

export const UsageTotalsRef = builder.objectRef<UsageTotals>('UsageTotals').implement({
  description: 'Token and cost totals over ended turns.',
  fields: (t) => totalsFields(t as never),
});

const UsageBucketRef = builder.objectRef<UsageTotals & { key: string }>('UsageBucket').implement({
  description: 'Totals of one group: a day (YYYY-MM-DD), a model, a provider or a thread id.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The group: YYYY-MM-DD, a model, a provider or a thread id (see UsageGroupBy).' }),
    ...totalsFields(t as never),
  }),
});

const UsageAggregationRef = builder.objectRef<UsageAggregation>('UsageAggregation').implement({
  description: 'Usage of the turns that ended in a time range: totals and one bucket per group.',
  fields: (t) => ({
    since: t.expose('since', { type: 'DateTime', nullable: true, description: 'Start of the range as asked (inclusive); null: from the beginning.' }),
    until: t.expose('until', { type: 'DateTime', nullable: true, description: 'End of the range as asked (inclusive); null: up to now.' }),
    groupBy: t.field({ type: UsageGroupByEnum, description: 'How the buckets are grouped.', resolve: (a) => a.groupBy }),
    timeZone: t.exposeString('timeZone', { nullable: true, description: 'The IANA time zone of DAY keys; null means UTC.' }),
    totals: t.field({ type: UsageTotalsRef, description: 'Sum over all buckets.', resolve: (a) => a.totals }),
    buckets: t.field({
      type: [UsageBucketRef],
      description: 'One per group with usage, sorted by key; empty when no turn ended in the range.',
      resolve: (a) => a.buckets,
    }),
    cacheTelemetryIncomplete: t.exposeBoolean('cacheTelemetryIncomplete', { description: 'Same as totals.cacheTelemetryIncomplete.' }),
  }),
});

builder.queryField('usage', (t) =>
  t.field({
    type: UsageAggregationRef,
    description: 'Usage of turns that ended in [since, until] (inclusive, either may be omitted), grouped; buckets sorted by key.',
    args: {
      since: t.arg({ type: 'DateTime', required: false, description: 'Turns that ended at or after this instant; omitted: from the beginning.' }),
      until: t.arg({
        type: 'DateTime',
        required: false,
        description: 'Turns that ended at or before this instant; omitted: up to now. Before `since`: VALIDATION error.',
      }),
      groupBy: t.arg({ type: UsageGroupByEnum, required: false, defaultValue: 'DAY', description: 'How to group; default DAY.' }),
      timeZone: t.arg.string({
        required: false,
        description: 'IANA time zone for DAY keys, e.g. `Asia/Shanghai` (default UTC; an unknown zone is a VALIDATION error).',
      }),
    },
    resolve: (_, args, ctx) => aggregateUsage(ctx.rt, args),
  }),
);

// ---- pricing ----

const RatesRef = builder.objectRef<Rates>('Rates').implement({
  description: 'Prices per million tokens, in the currency of the field that holds them.',
  fields: (t) => ({
    hit: t.exposeFloat('hit', { description: 'Per million input tokens served from the cache.' }),
    miss: t.exposeFloat('miss', { description: 'Per million input tokens not served from the cache.' }),
    output: t.exposeFloat('output', { description: 'Per million output tokens.' }),
  }),
});
export const PriceEntryRef = builder.objectRef<PriceEntry>('PriceEntry').implement({
  description: 'The prices of the models one pattern names, in a time window.',
  fields: (t) => ({
    pattern: t.exposeString('pattern', { description: 'The model name (`exact`) or its beginning (`prefix`), compared case-insensitively.' }),
    match: t.exposeString('match', { description: '`exact` or `prefix`.' }),
    usd: t.field({ type: RatesRef, description: 'Prices in USD.', resolve: (e) => e.prices.usd }),
    cny: t.field({ type: RatesRef, description: 'Prices in CNY.', resolve: (e) => e.prices.cny }),
    validFrom: t.expose('validFrom', {
      type: 'DateTime',
      nullable: true,
      description: 'The entry applies from this instant on (inclusive); null: always before validUntil.',
    }),
    validUntil: t.expose('validUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'The entry no longer applies at this instant (exclusive); null: no end.',
    }),
    provider: t.exposeString('provider', {
      nullable: true,
      description: 'When set, the entry applies only to models of this provider (per the provider rules).',
    }),
  }),
});
const ProviderRuleRef = builder.objectRef<ProviderRule>('ProviderRule').implement({
  description: 'Models whose name starts with `prefix` are served by `provider`; the first matching rule wins.',
  fields: (t) => ({
    prefix: t.exposeString('prefix', { description: 'Start of the model name, compared case-insensitively, e.g. `deepseek-`.' }),
    provider: t.exposeString('provider', { description: 'Provider label used by PROVIDER grouping and provider-specific prices, e.g. `deepseek`.' }),
  }),
});
const PricingRef = builder.objectRef<PricingTable>('Pricing').implement({
  description: 'The pricing table in force (costs are fixed when a turn ends; changing prices never rewrites history).',
  fields: (t) => ({
    entries: t.field({
      type: [PriceEntryRef],
      description: 'Price entries; for a model and an instant the most specific entry that applies is used.',
      resolve: (p) => p.entries,
    }),
    providers: t.field({ type: [ProviderRuleRef], description: 'Provider rules in order (first match wins).', resolve: (p) => p.providers ?? [] }),
  }),
});

builder.queryField('pricing', (t) =>
  t.field({
    type: PricingRef,
    description: 'The pricing table in force (the defaults unless setPricing replaced it).',
    resolve: (_, __, ctx) => ctx.rt.pricing,
  }),
);

const SetPricingPayload = builder.objectRef<{ pricing: PricingTable }>('SetPricingPayload').implement({
  description: 'The pricing table was replaced.',
  fields: (t) => ({
    pricing: t.field({ type: PricingRef, description: 'The table now in force (applies to turns that end from now on).', resolve: (p) => p.pricing }),
  }),
});

builder.mutationField('setPricing', (t) =>
  t.field({
    type: SetPricingPayload,
    description: 'Replaces the pricing table (kept in the store). `table` is the JSON of a pricing file; null restores the defaults.',
    errors: {
      types: [ValidationError],
      union: { name: 'SetPricingResult', description: 'SetPricingPayload, or ValidationError (the table is malformed; the old one stays).' },
    },
    args: {
      input: t.arg({
        type: builder.inputType('SetPricingInput', {
          description: 'The new pricing table.',
          fields: (f) => ({
            table: f.field({
              type: 'JSON',
              required: false,
              description:
                "A pricing file's JSON: `{ entries: [{ pattern, match, prices: { usd: {hit, miss, output}, cny: {...} }, validFrom?, validUntil?, provider? }], providers?: [{ prefix, provider }] }`; null restores the defaults.",
            }),
          }),
        }),
        required: true,
        description: 'The new pricing table.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({
      pricing: await setPricing(ctx.rt, input.table == null ? null : parsePricingTable(input.table)),
    }),
  }),
);
