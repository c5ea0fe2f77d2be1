/**
 * 7. Turn latency for a short answer: `startTurn` (HTTP) → `turn.completed` received on an open graphql-ws
 * subscription, through the openai engine against a local OpenAI-compatible provider that streams "Hi there!"
 * at once. Baseline in the same run: the same provider called directly with the same `openai` client, a streamed
 * completion read to its end. Runs alternate (ours, baseline) so load on the machine hits both alike; synced and
 * relaxed durability each get a row.
 */
import OpenAI from 'openai';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { DURABILITIES, type Durability } from '../src/store/store.js';
import { startFakeProvider, textReply } from '../test/support/fakeProvider.js';
import { gql, startOurServer, type BenchContext, type BenchResult } from './lib/context.js';
import { row, type Row } from './lib/report.js';
import { fmt, now, percentilesOf } from './lib/stats.js';

const TARGET = 3;
const START_TURN = `mutation Start($id: ID!) { startTurn(input: { threadId: $id, prompt: "hi" }) { __typename ... on StartTurnPayload { turn { id } } } }`;
const CREATE_THREAD = `mutation { createThread(input: { title: "latency" }) { ... on CreateThreadPayload { thread { id } } } }`;

async function turnLatency(ctx: BenchContext, durability: Durability, runs: number): Promise<{ ours: Float64Array; direct: Float64Array }> {
  const provider = await startFakeProvider();
  provider.scriptFn(() => textReply('Hi there!', { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }));
  const server = await startOurServer(
    await ctx.dir(`latency-${durability}`),
    new OpenAIEngine({ baseURL: provider.baseURL, apiKey: 'bench', maxRetries: 0 }),
    {},
    { durability },
  );
  const client = createClient({ url: server.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
  const direct = new OpenAI({ baseURL: provider.baseURL, apiKey: 'bench', maxRetries: 0 });
  const waiting = new Map<string, () => void>();
  const completedEarly = new Set<string>();
  const unsubscribe = client.subscribe<{ runtimeEvents: { name: string; turnId: string | null } }>(
    { query: `subscription { runtimeEvents { name turnId } }` },
    {
      next: ({ data }) => {
        const e = data?.runtimeEvents;
        if (e?.name !== 'turn.completed' || !e.turnId) return;
        const done = waiting.get(e.turnId);
        if (done) done();
        else completedEarly.add(e.turnId);
      },
      error: (error) => ctx.log(`  turn latency: subscription failed: ${String(error)}`),
      complete: () => undefined,
    },
  );
  const ours: number[] = [];
  const baseline: number[] = [];
  try {
    const one = async (): Promise<number> => {
      const thread = (await gql<{ createThread: { thread: { id: string } } }>(server.url, CREATE_THREAD)).createThread.thread.id;
      const start = now();
      let turnId = '';
      const completed = new Promise<void>((resolve) => {
        void gql<{ startTurn: { turn: { id: string } } }>(server.url, START_TURN, { id: thread }).then((r) => {
          turnId = r.startTurn.turn.id;
          if (completedEarly.delete(turnId)) resolve();
          else waiting.set(turnId, resolve);
        });
      });
      await completed;
      waiting.delete(turnId);
      return now() - start;
    };
    const oneDirect = async (): Promise<number> => {
      const start = now();
      const stream = await direct.chat.completions.create({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const chunk of stream) void chunk;
      return now() - start;
    };
    // Warm-up (connections, JIT), then alternate.
    for (let i = 0; i < 5; i++) {
      await one();
      await oneDirect();
    }
    for (let i = 0; i < runs; i++) {
      ours.push(await one());
      baseline.push(await oneDirect());
    }
  } finally {
    unsubscribe();
    await client.dispose();
    await server.stop();
    await provider.close();
  }
  return { ours: Float64Array.from(ours), direct: Float64Array.from(baseline) };
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const runs = ctx.quick ? 40 : 100;
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const durability of DURABILITIES) {
    ctx.log(`  turn latency (${durability}): ${runs} short turns, each beside a direct provider call...`);
    const { ours, direct } = await turnLatency(ctx, durability, runs);
    const o = percentilesOf(ours);
    const d = percentilesOf(direct);
    const ratio = d.p50 / o.p50;
    ctx.log(`    p50 ${fmt(o.p50)} ms (p99 ${fmt(o.p99)}) vs provider direct ${fmt(d.p50)} ms (p99 ${fmt(d.p99)})`);
    const met = o.p50 <= TARGET * d.p50;
    rows.push(
      row({
        bench: 'turns',
        name: `short turn startTurn→turn.completed p50, ${durability === 'strict' ? 'synced' : 'relaxed'} (p99 ${fmt(o.p99)} ms)`,
        ours: o.p50,
        unit: 'ms',
        better: 'lower',
        baseline: d.p50,
        baselineName: 'the provider called directly',
        ratio,
        target: `≤ ${TARGET}× baseline (ratio ≥ ${fmt(1 / TARGET, 2)})`,
        met,
        why: met
          ? undefined
          : `p50 ${fmt(o.p50)} ms is ${fmt(o.p50 / d.p50, 2)}× the provider: profile a turn (node --cpu-prof) — HTTP + GraphQL of startTurn, the turn's group commits${durability === 'strict' ? ' (each synced)' : ''}, conversation load and the subscription frame.`,
      }),
    );
    details[`turnLatency-${durability}`] = { ours: o, direct: d };
  }
  return { rows, details };
}
