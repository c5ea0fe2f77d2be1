import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import { DEFAULT_PRICING, computeCost, findPrice } from '../src/domain/pricing.js';
import { providerOf } from '../src/domain/provider.js';
import type { TokenUsage, TurnRecord } from '../src/domain/records.js';
import { addFacts, dayKey, emptyAccumulator, finishTotals, groupKey, mergeAccumulators, usageFactsOf, type UsageFacts } from '../src/domain/usage.js';
import { defined } from '../src/domain/defined.js';

function facts(model: string, endedAt: string, u: Partial<TokenUsage>, threadId = 'thr_1'): UsageFacts {
  const usage: TokenUsage = {
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    missTokens: 0,
    reasoningTokens: 0,
    cacheReported: true,
    ...u,
  };
  const cost = computeCost(usage, findPrice(DEFAULT_PRICING, model, new Date(endedAt)));
  return { endedAt, model, provider: providerOf(model), threadId, usage, ...cost, cacheReported: usage.cacheReported };
}

const sample: UsageFacts[] = [
  facts('deepseek-v4-flash', '2026-01-01T10:00:00Z', { inputTokens: 1000, cachedTokens: 800, missTokens: 200, outputTokens: 200 }),
  facts('deepseek-v4-pro', '2026-05-31T15:58:59Z', { inputTokens: 333, cachedTokens: 111, outputTokens: 77, reasoningTokens: 30 }),
  facts('deepseek-v4-pro', '2026-06-01T00:00:00Z', { inputTokens: 12345, cachedTokens: 10000, missTokens: 2345, outputTokens: 999 }, 'thr_2'),
  facts('deepseek-ai/DeepSeek-V3', '2026-06-02T00:00:00Z', { inputTokens: 500, outputTokens: 50, cacheReported: false }),
  facts('deepseek-chat', '2026-06-03T00:00:00Z', { inputTokens: 7, cachedTokens: 3, outputTokens: 1 }),
];

describe('usage totals', () => {
  it('sums tokens and costs, counts unpriced turns and flags missing cache telemetry', () => {
    const totals = finishTotals(sample.reduce(addFacts, emptyAccumulator()));
    expect(totals.turns).toBe(5);
    expect(totals.unpricedTurns).toBe(1);
    expect(totals.cacheTelemetryIncomplete).toBe(true);
    expect(totals.inputTokens).toBe(1000 + 333 + 12345 + 500 + 7);
    expect(totals.cachedTokens).toBe(800 + 111 + 10000 + 3);
    // Miss inferred as input − cached where not given.
    expect(totals.missTokens).toBe(200 + 222 + 2345 + 500 + 4);
    expect(totals.reasoningTokens).toBe(30);
    expect(totals.cacheHitRate).toBeCloseTo((10914 / 14185) * 100, 10);
    expect(totals.cacheSavingsUsd).toBeGreaterThan(0);
    expect(totals.cacheSavingsUsd).toBeCloseTo(totals.costUsdWithoutCache - totals.costUsd, 12);
    const expectedUsd = sample.reduce((sum, f) => sum + f.costUsd, 0);
    expect(totals.costUsd).toBeCloseTo(expectedUsd, 12);
  });

  it('has a null hit rate and zero costs with no input', () => {
    const totals = finishTotals(emptyAccumulator());
    expect(totals.cacheHitRate).toBeNull();
    expect(totals.costUsd).toBe(0);
    expect(totals.cacheSavingsCny).toBe(0);
    expect(totals.cacheTelemetryIncomplete).toBe(false);
  });

  it('never reports negative savings', () => {
    const f = { ...defined(sample[0], 'sample 0'), costUsdWithoutCache: 0, costCnyWithoutCache: 0 };
    const totals = finishTotals(addFacts(emptyAccumulator(), f));
    expect(totals.cacheSavingsUsd).toBe(0);
    expect(totals.cacheSavingsCny).toBe(0);
  });

  it('merges exactly: merge == sequential add, in any split', () => {
    const sequential = sample.reduce(addFacts, emptyAccumulator());
    for (let split = 0; split <= sample.length; split++) {
      const left = sample.slice(0, split).reduce(addFacts, emptyAccumulator());
      const right = sample.slice(split).reduce(addFacts, emptyAccumulator());
      expect(mergeAccumulators(left, right)).toEqual(sequential);
      expect(mergeAccumulators(right, left)).toEqual(sequential);
    }
    const singles = sample.map((f) => addFacts(emptyAccumulator(), f));
    expect(singles.reduceRight((acc, one) => mergeAccumulators(one, acc), emptyAccumulator())).toEqual(sequential);
  });

  it('merges exactly for arbitrary facts (property)', () => {
    const tokens = fc.nat({ max: 10_000_000 });
    const arbFacts = fc
      .record({
        inputTokens: tokens,
        cachedTokens: tokens,
        outputTokens: tokens,
        reasoningTokens: tokens,
        cacheReported: fc.boolean(),
        model: fc.constantFrom('deepseek-v4-flash', 'deepseek-v4-pro', 'deepseek-chat', 'other'),
        endedAt: fc.constantFrom('2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'),
      })
      .map(({ model, endedAt, ...u }) => facts(model, endedAt, u));
    fc.assert(
      fc.property(fc.array(arbFacts, { maxLength: 20 }), fc.nat(), (list, cut) => {
        const split = list.length === 0 ? 0 : cut % (list.length + 1);
        const left = list.slice(0, split).reduce(addFacts, emptyAccumulator());
        const right = list.slice(split).reduce(addFacts, emptyAccumulator());
        expect(mergeAccumulators(left, right)).toEqual(list.reduce(addFacts, emptyAccumulator()));
      }),
    );
  });

  it('keeps accumulators JSON-serialisable', () => {
    const acc = sample.reduce(addFacts, emptyAccumulator());
    const revived = JSON.parse(JSON.stringify(acc));
    expect(revived).toEqual(acc);
    expect(finishTotals(mergeAccumulators(revived, emptyAccumulator()))).toEqual(finishTotals(acc));
  });

  it('does not change the accumulator it adds to', () => {
    const acc = emptyAccumulator();
    addFacts(acc, defined(sample[0], 'sample 0'));
    expect(acc).toEqual(emptyAccumulator());
  });
});

describe('usageFactsOf', () => {
  const turn = {
    id: 'turn_1',
    threadId: 'thr_9',
    model: 'deepseek-v4-flash',
    endedAt: '2026-01-01T00:00:00Z',
    usage: { inputTokens: 1000, outputTokens: 200, cachedTokens: 800, missTokens: 200, reasoningTokens: 0, cacheReported: true },
  } as TurnRecord;

  it('builds facts from a finished turn', () => {
    const f = usageFactsOf(turn, findPrice(DEFAULT_PRICING, turn.model, new Date(turn.endedAt!)));
    expect(f).toMatchObject({ threadId: 'thr_9', provider: 'deepseek', priced: true, costUsd: 0.00008624, cacheReported: true });
  });

  it('returns null for a turn without usage or end', () => {
    expect(usageFactsOf({ ...turn, usage: null }, null)).toBeNull();
    expect(usageFactsOf({ ...turn, endedAt: null }, null)).toBeNull();
  });
});

describe('dayKey and groupKey', () => {
  it('puts an instant on different days in UTC and Asia/Shanghai around midnight', () => {
    expect(dayKey('2026-03-01T15:59:59Z')).toBe('2026-03-01');
    expect(dayKey('2026-03-01T15:59:59Z', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(dayKey('2026-03-01T16:00:00Z')).toBe('2026-03-01');
    expect(dayKey('2026-03-01T16:00:00Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(dayKey('2026-03-02T00:30:00+08:00')).toBe('2026-03-01');
    expect(dayKey('2026-03-02T00:30:00+08:00', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(dayKey('2026-03-01T16:00:00Z', 'UTC')).toBe('2026-03-01');
  });

  it('rejects an unknown time zone and a bad date with a ValidationError', () => {
    expect(() => dayKey('2026-03-01T00:00:00Z', 'Mars/Olympus_Mons')).toThrow(ValidationError);
    expect(() => dayKey('not a date')).toThrow(ValidationError);
  });

  it('groups by day, model, provider and thread', () => {
    const f = defined(sample[2], 'sample 2');
    expect(groupKey(f, 'DAY')).toBe('2026-06-01');
    expect(groupKey({ ...f, endedAt: '2026-05-31T16:00:00Z' }, 'DAY', 'Asia/Shanghai')).toBe('2026-06-01');
    expect(groupKey(f, 'MODEL')).toBe('deepseek-v4-pro');
    expect(groupKey(f, 'PROVIDER')).toBe('deepseek');
    expect(groupKey(defined(sample[3], 'sample 3'), 'PROVIDER')).toBe('nvidia-nim');
    expect(groupKey(f, 'THREAD')).toBe('thr_2');
  });
});
