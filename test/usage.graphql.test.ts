import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { startFakeProvider, textReply, type FakeUsage, type FakeProvider } from './support/fakeProvider.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestServer, tempDir, type TestServer } from './support/harness.js';
import { codeOf, createThread, graphqlError, narrow, startTurn, threadState, waitForTurnEnd } from './support/ops.js';
import { PricingDocument, SetPricingDocument, TurnCostDocument, UsageDocument, type UsageQueryVariables } from '../sdk/generated/graphql.js';

const deepseekUsage = (input: number, hit: number, output: number): FakeUsage => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
  prompt_cache_hit_tokens: hit,
  prompt_cache_miss_tokens: input - hit,
});

// Usage and cost through the whole server: the turn's end time is the runtime clock, set by each test.
describe('usage and cost', () => {
  let fake: FakeProvider;
  let server: TestServer;
  let now = Date.parse('2026-03-01T10:00:00Z');

  /** Runs one turn that ends at `at` with the given provider usage; returns the turn. */
  async function turnAt(at: string, options: { model?: string; usage?: FakeUsage; threadId?: string } = {}) {
    now = Date.parse(at);
    const threadId = options.threadId ?? (await createThread(server, { model: options.model ?? 'deepseek-v4-flash' }));
    fake.script(textReply('ok', options.usage ?? deepseekUsage(1000, 800, 200)));
    const t = await startTurn(server, { threadId, prompt: 'cost me', model: options.model });
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.endedAt).toBe(new Date(now).toISOString());
    return { ...turn, threadId };
  }

  async function usage(variables: UsageQueryVariables) {
    return (await server.sdk.request(UsageDocument, variables)).usage;
  }
  async function turnCost(id: string) {
    const { turn } = await server.sdk.request(TurnCostDocument, { id });
    if (!turn) throw new Error(`turn ${id} not found`);
    return turn;
  }
  const setPricing = async (table: unknown) => (await server.sdk.request(SetPricingDocument, { input: { table } })).setPricing;
  const pricePatterns = async (s: TestServer) => (await s.sdk.request(PricingDocument)).pricing.entries.map((e) => e.pattern);

  beforeAll(async () => {
    fake = await startFakeProvider();
    server = await startTestServer({
      engine: new OpenAIEngine({ baseURL: fake.baseURL, apiKey: 'test' }),
      runtime: { clock: () => now },
    });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  it('prices the DeepSeek example: cache hits save exactly hit tokens × (miss − hit price)', async () => {
    const turn = await turnAt('2026-03-01T10:00:00Z');
    expect(turn.usage).toMatchObject({ inputTokens: 1000, cachedTokens: 800, missTokens: 200, outputTokens: 200 });
    const allMiss = (1000 * 0.14 + 200 * 0.28) / 1e6;
    expect(allMiss - turn.costUsd!).toBeCloseTo((800 * (0.14 - 0.0028)) / 1e6, 15);
    const price = (await turnCost(turn.id)).price;
    expect({ pattern: price?.pattern, usd: price?.usd }).toEqual({ pattern: 'deepseek-v4-flash', usd: { hit: 0.0028, miss: 0.14, output: 0.28 } });
    const u = await usage({ since: '2026-03-01T10:00:00Z', until: '2026-03-01T10:00:00Z' });
    expect(u.totals.turns).toBe(1);
    expect(u.totals.costUsd).toBeCloseTo(turn.costUsd!, 15);
    expect(u.totals.costUsdWithoutCache).toBeCloseTo(allMiss, 15);
    expect(u.totals.cacheSavingsUsd).toBeCloseTo(allMiss - turn.costUsd!, 15);
    expect(u.totals.cacheHitRate).toBe(80);
  });

  it("applies the v4-pro discount by the turn's end time: one second before its end, not one second after", async () => {
    const before = await turnAt('2026-05-31T15:58:59Z', { model: 'deepseek-v4-pro' });
    const after = await turnAt('2026-05-31T15:59:01Z', { model: 'deepseek-v4-pro' });
    expect(before.costUsd).toBeCloseTo((800 * 0.003625 + 200 * 0.435 + 200 * 0.87) / 1e6, 15);
    expect(after.costUsd).toBeCloseTo((800 * 0.0145 + 200 * 1.74 + 200 * 3.48) / 1e6, 15);
    // Asking later (the clock is past the window now) does not change what was fixed.
    now = Date.parse('2026-11-01T00:00:00Z');
    expect((await turnCost(before.id)).costUsd).toBe(before.costUsd);
  });

  it('a price change never rewrites stored costs; later turns use the new price', async () => {
    const first = await turnAt('2026-04-01T08:00:00Z', { model: 'custom-model' });
    expect(first.costUsd).toBe(0); // no price for this model yet
    const table = {
      entries: [{ pattern: 'custom-model', match: 'exact', prices: { usd: { hit: 1, miss: 2, output: 4 }, cny: { hit: 7, miss: 14, output: 28 } } }],
    };
    expect((await setPricing(table)).__typename).toBe('SetPricingPayload');
    const second = await turnAt('2026-04-01T08:05:00Z', { model: 'custom-model' });
    expect(second.costUsd).toBeCloseTo((800 * 1 + 200 * 2 + 200 * 4) / 1e6, 15);
    const again = await turnCost(first.id);
    expect({ costUsd: again.costUsd, priced: again.priced }).toEqual({ costUsd: 0, priced: false });
    const u = await usage({ since: '2026-04-01T08:00:00Z', until: '2026-04-01T08:05:00Z' });
    expect(u.totals.unpricedTurns).toBe(1);
    expect(u.totals.costUsd).toBeCloseTo(second.costUsd!, 15);
    // A bad table is a VALIDATION error and leaves the prices in force.
    expect(codeOf(await setPricing({ entries: [{ pattern: '' }] }))).toBe('VALIDATION');
    expect(await pricePatterns(server)).toEqual(['custom-model']);
    expect((await setPricing(null)).__typename).toBe('SetPricingPayload');
    expect(await pricePatterns(server)).toContain('deepseek-v4-pro');
  });

  it('groups by day (UTC or a time zone), model, provider and thread, buckets sorted by key', async () => {
    const threadId = await createThread(server, { model: 'deepseek-v4-flash' });
    await turnAt('2026-02-10T15:30:00Z', { threadId });
    await turnAt('2026-02-10T16:30:00Z', { threadId, model: 'deepseek-ai/DeepSeek-V3' });
    await turnAt('2026-02-11T09:00:00Z', { model: 'openai/gpt-x' });
    const range = { since: '2026-02-10T00:00:00Z', until: '2026-02-11T23:59:59.999Z' };

    expect((await usage({ ...range, groupBy: 'DAY' })).buckets.map((b) => [b.key, b.turns])).toEqual([
      ['2026-02-10', 2],
      ['2026-02-11', 1],
    ]);
    // 16:30Z is already the 11th in Shanghai (UTC+8).
    expect((await usage({ ...range, groupBy: 'DAY', timeZone: 'Asia/Shanghai' })).buckets.map((b) => [b.key, b.turns])).toEqual([
      ['2026-02-10', 1],
      ['2026-02-11', 2],
    ]);
    expect((await usage({ ...range, groupBy: 'MODEL' })).buckets.map((b) => b.key)).toEqual([
      'deepseek-ai/DeepSeek-V3',
      'deepseek-v4-flash',
      'openai/gpt-x',
    ]);
    expect((await usage({ ...range, groupBy: 'PROVIDER' })).buckets.map((b) => [b.key, b.turns])).toEqual([
      ['deepseek', 1],
      ['nvidia-nim', 1],
      ['openrouter', 1],
    ]);
    const byThread = (await usage({ ...range, groupBy: 'THREAD' })).buckets;
    expect(byThread.find((b) => b.key === threadId)?.turns).toBe(2);
    const thread = await threadState(server, threadId);
    expect({ turns: thread.usage.turns, inputTokens: thread.usage.inputTokens }).toEqual({ turns: 2, inputTokens: 2000 });
    // A model hosted elsewhere under a vendor prefix has no DeepSeek price.
    expect((await usage({ ...range, groupBy: 'MODEL' })).buckets[0]?.costUsd).toBe(0);
  });

  it('since and until are inclusive at any instant, across quarter-hour rollups and partial edges', async () => {
    const times = [
      '2026-01-05T10:07:13.250Z',
      '2026-01-05T10:15:00.000Z',
      '2026-01-05T10:29:59.999Z',
      '2026-01-05T10:45:00.001Z',
      '2026-01-05T12:00:00.000Z',
    ];
    for (const at of times) await turnAt(at);
    const count = async (since: string | null, until: string | null) => (await usage({ since, until })).totals.turns;
    const brute = (since: string | null, until: string | null) => times.filter((t) => (!since || t >= since) && (!until || t <= until)).length;
    const bounds = [
      null,
      '2026-01-05T00:00:00Z',
      '2026-01-05T10:07:13.250Z',
      '2026-01-05T10:07:13.251Z',
      '2026-01-05T10:15:00.000Z',
      '2026-01-05T10:29:59.999Z',
      '2026-01-05T10:30:00Z',
      '2026-01-05T12:00:00.000Z',
      '2026-01-05T11:59:59.999Z',
    ];
    for (const since of bounds) {
      for (const until of bounds) {
        if (since && until && since > until) continue;
        const expected = brute(since && new Date(since).toISOString(), until && new Date(until).toISOString());
        // Other tests' turns are outside January; unbounded sides are restricted to the day to ignore them.
        const s = since ?? '2026-01-05T00:00:00Z';
        const u = until ?? '2026-01-05T23:59:59Z';
        expect([since, until, await count(s, u)]).toEqual([since, until, expected]);
      }
    }
  });

  it('reads a pricing table from --pricing-file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'pricing.json');
    await writeFile(
      file,
      JSON.stringify({
        entries: [{ pattern: 'my-', match: 'prefix', prices: { usd: { hit: 0, miss: 1, output: 1 }, cny: { hit: 0, miss: 1, output: 1 } } }],
      }),
    );
    const other = await startTestServer({ config: { pricingFile: file } });
    try {
      const entries = (await other.sdk.request(PricingDocument)).pricing.entries;
      expect(entries.map(({ pattern, match }) => ({ pattern, match }))).toEqual([{ pattern: 'my-', match: 'prefix' }]);
    } finally {
      await other.close();
    }
  });

  it('an empty range gives empty buckets and zero totals; bad arguments are errors', async () => {
    const u = await usage({ since: '2020-01-01T00:00:00Z', until: '2020-01-02T00:00:00Z', groupBy: 'MODEL' });
    expect(u.buckets).toEqual([]);
    expect(u.totals).toMatchObject({ turns: 0, inputTokens: 0, costUsd: 0, cacheHitRate: null, cacheTelemetryIncomplete: false });
    const reversed = await graphqlError(usage({ since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }));
    expect(reversed.errors[0]?.message).toMatch(/since/);
    const zone = await graphqlError(usage({ timeZone: 'Mars/Olympus' }));
    expect(zone.errors[0]?.message).toMatch(/time zone|Mars/i);
  });

  it('flags incomplete cache telemetry when a counted turn reported no cache fields', async () => {
    await turnAt('2026-06-10T10:00:00Z');
    await turnAt('2026-06-11T10:00:00Z', { usage: { prompt_tokens: 500, completion_tokens: 10, total_tokens: 510 } });
    const complete = await usage({ since: '2026-06-10T00:00:00Z', until: '2026-06-10T23:59:59Z' });
    expect(complete.cacheTelemetryIncomplete).toBe(false);
    const both = await usage({ since: '2026-06-10T00:00:00Z', until: '2026-06-11T23:59:59Z' });
    expect(both.cacheTelemetryIncomplete).toBe(true);
    // Without cache fields, miss is inferred as input − cached.
    expect(both.totals.missTokens).toBe(200 + 500);
  });
});
