import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import {
  DEFAULT_PRICING,
  computeCost,
  findPrice,
  parsePricingTable,
  toCostUnits,
  type PriceEntry,
  type PricingTable,
} from '../src/domain/pricing.js';
import { providerOf } from '../src/domain/provider.js';
import type { TokenUsage } from '../src/domain/records.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function usage(partial: Partial<TokenUsage>): TokenUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    missTokens: 0,
    reasoningTokens: 0,
    cacheReported: true,
    ...partial,
  };
}

const rates = (n: number) => ({ usd: { hit: n, miss: n, output: n }, cny: { hit: n, miss: n, output: n } });
const entry = (pattern: string, match: 'exact' | 'prefix', n: number, extra: Partial<PriceEntry> = {}): PriceEntry => ({
  pattern,
  match,
  prices: rates(n),
  ...extra,
});

describe('findPrice', () => {
  it('prices deepseek-v4-flash and other deepseek- models at the flash price', () => {
    expect(findPrice(DEFAULT_PRICING, 'deepseek-v4-flash', NOW)?.prices.usd).toEqual({ hit: 0.0028, miss: 0.14, output: 0.28 });
    const other = findPrice(DEFAULT_PRICING, 'deepseek-chat', NOW);
    expect(other?.match).toBe('prefix');
    expect(other?.prices.cny).toEqual({ hit: 0.02, miss: 1.0, output: 2.0 });
  });

  it('matches model names case-insensitively', () => {
    expect(findPrice(DEFAULT_PRICING, 'DeepSeek-V4-Flash', NOW)?.pattern).toBe('deepseek-v4-flash');
  });

  it('applies the v4-pro discount one second before 2026-05-31T15:59:00Z and not one second after', () => {
    const before = findPrice(DEFAULT_PRICING, 'deepseek-v4-pro', new Date('2026-05-31T15:58:59Z'));
    expect(before?.prices.usd).toEqual({ hit: 0.003625, miss: 0.435, output: 0.87 });
    expect(before?.prices.cny).toEqual({ hit: 0.025, miss: 3, output: 6 });
    // validUntil is exclusive.
    const at = findPrice(DEFAULT_PRICING, 'deepseek-v4-pro', new Date('2026-05-31T15:59:00Z'));
    expect(at?.prices.usd).toEqual({ hit: 0.0145, miss: 1.74, output: 3.48 });
    const after = findPrice(DEFAULT_PRICING, 'deepseek-v4-pro', new Date('2026-05-31T15:59:01Z'));
    expect(after?.prices.usd).toEqual({ hit: 0.0145, miss: 1.74, output: 3.48 });
    expect(after?.prices.cny).toEqual({ hit: 0.1, miss: 12, output: 24 });
  });

  it('gives deepseek-ai/DeepSeek-V3 no price and the nvidia-nim provider', () => {
    expect(findPrice(DEFAULT_PRICING, 'deepseek-ai/DeepSeek-V3', NOW)).toBeNull();
    expect(providerOf('deepseek-ai/DeepSeek-V3')).toBe('nvidia-nim');
  });

  it('gives an unknown model no price', () => {
    expect(findPrice(DEFAULT_PRICING, 'gpt-5', NOW)).toBeNull();
  });

  it('prefers exact over prefix and a longer prefix over a shorter one', () => {
    const table: PricingTable = {
      entries: [entry('a-', 'prefix', 1), entry('a-b-', 'prefix', 2), entry('a-b-c', 'exact', 3)],
    };
    expect(findPrice(table, 'a-b-c', NOW)?.prices.usd.hit).toBe(3);
    expect(findPrice(table, 'a-b-d', NOW)?.prices.usd.hit).toBe(2);
    expect(findPrice(table, 'a-x', NOW)?.prices.usd.hit).toBe(1);
  });

  it('lets a prefix containing / match vendor-prefixed models', () => {
    const table: PricingTable = { entries: [entry('deepseek-', 'prefix', 1), entry('deepseek-ai/', 'prefix', 2)] };
    expect(findPrice(table, 'deepseek-ai/DeepSeek-V3', NOW)?.prices.usd.hit).toBe(2);
  });

  it('honours validFrom (inclusive) and prefers the narrowest window', () => {
    const table: PricingTable = {
      entries: [
        entry('m', 'exact', 1),
        entry('m', 'exact', 2, { validFrom: '2026-02-01T00:00:00Z' }),
        entry('m', 'exact', 3, { validFrom: '2026-03-01T00:00:00Z', validUntil: '2026-03-02T00:00:00Z' }),
      ],
    };
    expect(findPrice(table, 'm', new Date('2026-01-31T23:59:59Z'))?.prices.usd.hit).toBe(1);
    expect(findPrice(table, 'm', new Date('2026-02-01T00:00:00Z'))?.prices.usd.hit).toBe(2);
    expect(findPrice(table, 'm', new Date('2026-03-01T12:00:00Z'))?.prices.usd.hit).toBe(3);
    expect(findPrice(table, 'm', new Date('2026-03-02T00:00:00Z'))?.prices.usd.hit).toBe(2);
  });

  it('applies an entry with a provider only to models of that provider', () => {
    const table: PricingTable = {
      entries: [entry('x-', 'prefix', 1, { provider: 'acme' })],
      providers: [{ prefix: 'x-a', provider: 'acme' }],
    };
    expect(findPrice(table, 'x-a1', NOW)?.prices.usd.hit).toBe(1);
    expect(findPrice(table, 'x-b1', NOW)).toBeNull();
  });
});

describe('computeCost', () => {
  const flash = () => findPrice(DEFAULT_PRICING, 'deepseek-v4-flash', NOW);

  it('prices the DeepSeek example: cache hits save exactly 800 × (miss − hit)', () => {
    const cost = computeCost(usage({ inputTokens: 1000, cachedTokens: 800, missTokens: 200, outputTokens: 200 }), flash());
    expect(cost.priced).toBe(true);
    // (800 × 0.0028 + 200 × 0.14 + 200 × 0.28) / 1e6
    expect(cost.costUsd).toBe(0.00008624);
    expect(cost.costUsdWithoutCache).toBe(0.000196);
    expect(toCostUnits(cost.costUsdWithoutCache) - toCostUnits(cost.costUsd)).toBe(toCostUnits((800 * (0.14 - 0.0028)) / 1e6));
    expect(cost.costUsdWithoutCache - cost.costUsd).toBeCloseTo((800 * (0.14 - 0.0028)) / 1e6, 15);
    // (800 × 0.02 + 200 × 1 + 200 × 2) / 1e6
    expect(cost.costCny).toBe(0.000616);
    expect(cost.costCnyWithoutCache).toBe(0.0014);
  });

  it('infers miss tokens as input − hit when not given', () => {
    const given = computeCost(usage({ inputTokens: 1000, cachedTokens: 800, missTokens: 200, outputTokens: 200 }), flash());
    const inferred = computeCost(usage({ inputTokens: 1000, cachedTokens: 800, outputTokens: 200 }), flash());
    expect(inferred).toEqual(given);
  });

  it('prices all input at the miss price when nothing was cached', () => {
    const cost = computeCost(usage({ inputTokens: 1000, outputTokens: 200 }), flash());
    expect(cost.costUsd).toBe(cost.costUsdWithoutCache);
    expect(cost.costUsd).toBe(0.000196);
  });

  it('has no float noise', () => {
    const cost = computeCost(usage({ inputTokens: 3, cachedTokens: 1, outputTokens: 7 }), flash());
    // (0.0028 + 2 × 0.14 + 7 × 0.28) / 1e6 = 2.2428e-6
    expect(cost.costUsd).toBe(0.0000022428);
  });

  it('costs nothing and is unpriced for an unknown model', () => {
    const price = findPrice(DEFAULT_PRICING, 'mystery-model', NOW);
    expect(computeCost(usage({ inputTokens: 1000, outputTokens: 200 }), price)).toEqual({
      costUsd: 0,
      costCny: 0,
      costUsdWithoutCache: 0,
      costCnyWithoutCache: 0,
      priced: false,
    });
  });
});

describe('providerOf', () => {
  it('uses the default rules', () => {
    expect(providerOf('deepseek-v4-pro')).toBe('deepseek');
    expect(providerOf('openai/gpt-4o')).toBe('openrouter');
    expect(providerOf('Anthropic/claude-sonnet')).toBe('openrouter');
    expect(providerOf('llama-3')).toBe('unknown');
  });

  it('takes configured rules, first match wins', () => {
    const rules = [
      { prefix: 'openai/', provider: 'azure' },
      { prefix: 'openai/', provider: 'openrouter' },
    ];
    expect(providerOf('openai/gpt-4o', rules)).toBe('azure');
    expect(providerOf('deepseek-chat', rules)).toBe('unknown');
  });
});

describe('parsePricingTable', () => {
  it('accepts the defaults', () => {
    expect(parsePricingTable(JSON.parse(JSON.stringify(DEFAULT_PRICING)))).toEqual(DEFAULT_PRICING);
  });

  it.each([
    ['not an object', 'nope', /invalid pricing table/],
    ['no entries', {}, /entries/],
    [
      'a negative price',
      { entries: [{ ...entry('m', 'exact', 1), prices: { ...rates(1), usd: { hit: -1, miss: 1, output: 1 } } }] },
      /entries\.0\.prices\.usd\.hit/,
    ],
    ['a bad match kind', { entries: [{ ...entry('m', 'exact', 1), match: 'glob' }] }, /entries\.0\.match/],
    ['a bad date', { entries: [entry('m', 'exact', 1, { validUntil: 'tomorrow' })] }, /entries\.0\.validUntil: must be an ISO date-time/],
    [
      'an empty window',
      { entries: [entry('m', 'exact', 1, { validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' })] },
      /validFrom must be before validUntil/,
    ],
    ['an unknown field', { entries: [{ ...entry('m', 'exact', 1), validUtil: '2026-01-01T00:00:00Z' }] }, /entries\.0/],
    ['a bad provider rule', { entries: [], providers: [{ prefix: '', provider: 'x' }] }, /providers\.0\.prefix/],
  ])('rejects %s with a ValidationError', (_name, json, message) => {
    expect(() => parsePricingTable(json)).toThrow(ValidationError);
    expect(() => parsePricingTable(json)).toThrow(message);
  });
});
