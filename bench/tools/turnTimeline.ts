/**
 * A timeline of short turns, as the turn latency row runs them (bench/turnLatency.ts): startTurn over HTTP →
 * turn.completed on a graphql-ws subscription, through the openai engine against the fake provider. Wraps the
 * store's reads and commits, the LevelDB batch write, the event log's commit, the engine and the provider's
 * request handling with `performance.now()` marks, then prints the median time of each mark from the turn's start.
 *   npx tsx bench/tools/turnTimeline.ts [strict|relaxed] [RUNS=40]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { OpenAIEngine } from '../../src/engine/openaiEngine.js';
import type { Engine } from '../../src/engine/types.js';
import type { Durability } from '../../src/store/store.js';
import { startFakeProvider, textReply } from '../../test/support/fakeProvider.js';
import { gql, startOurServer } from '../lib/context.js';

const durability = (process.argv[2] ?? 'strict') as Durability;
const runs = Number(process.argv[3] ?? 40);

let marks: { label: string; at: number }[] = [];
const mark = (label: string) => marks.push({ label, at: performance.now() });

/** Replaces `obj[name]` (an async method) with one that marks its start and end. */
function wrap(obj: object, name: string, label = name): void {
  const target = obj as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name]!.bind(obj);
  target[name] = (...args: unknown[]) => {
    mark(`${label} >`);
    const result = original(...args);
    if (result instanceof Promise) return result.finally(() => mark(`${label} <`));
    mark(`${label} <`);
    return result;
  };
}

function timedEngine(engine: Engine): Engine {
  return {
    name: engine.name,
    changesFiles: engine.changesFiles,
    async *runTurn(input, signal) {
      mark('engine.runTurn');
      for await (const event of engine.runTurn(input, signal)) {
        mark(`engine ${event.type}`);
        yield event;
      }
      mark('engine done');
    },
  };
}

const provider = await startFakeProvider();
provider.scriptFn(() => {
  mark('provider request');
  return textReply('Hi there!', { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
});
const dir = await mkdtemp(path.join(tmpdir(), 'zagens-timeline-'));
const server = await startOurServer(
  dir,
  timedEngine(new OpenAIEngine({ baseURL: provider.baseURL, apiKey: 'bench', maxRetries: 0 })),
  {},
  { durability },
);
const store = server.store;
for (const name of [
  'commit',
  'getThread',
  'getRollup',
  'pageTurns',
  'pageItemsMany',
  'getImages',
  'listQueuedTurnIds',
  'getTurn',
  'getIdempotency',
]) {
  if (name in store) wrap(store, name, `store.${name}`);
}
wrap(store.db, 'batch', 'leveldb.batch');
wrap(server.runtime.log, 'commit', 'log.commit');

const client = createClient({ url: server.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
const waiting = new Map<string, () => void>();
client.subscribe<{ runtimeEvents: { name: string; turnId: string | null } }>(
  { query: `subscription { runtimeEvents { name turnId } }` },
  {
    next: ({ data }) => {
      const e = data?.runtimeEvents;
      if (e?.name === 'turn.completed' && e.turnId) waiting.get(e.turnId)?.();
    },
    error: () => undefined,
    complete: () => undefined,
  },
);
const START = `mutation Start($id: ID!) { startTurn(input: { threadId: $id, prompt: "hi" }) { ... on StartTurnPayload { turn { id } } } }`;
const CREATE = `mutation { createThread(input: { title: "latency" }) { ... on CreateThreadPayload { thread { id } } } }`;

/** Per label occurrence ("label #n"), the offsets from the turn's start of every run. */
const offsets = new Map<string, number[]>();
const order: string[] = [];
for (let i = 0; i < runs + 5; i++) {
  const thread = (await gql<{ createThread: { thread: { id: string } } }>(server.url, CREATE)).createThread.thread.id;
  await new Promise((r) => setTimeout(r, 20));
  marks = [];
  const start = performance.now();
  mark('client startTurn');
  const done = new Promise<void>((resolve) => {
    void gql<{ startTurn: { turn: { id: string } } }>(server.url, START, { id: thread }).then((r) => {
      mark('client startTurn answered');
      waiting.set(r.startTurn.turn.id, resolve);
    });
  });
  await done;
  mark('client turn.completed');
  if (i < 5) continue;
  const seen = new Map<string, number>();
  for (const m of marks) {
    const n = (seen.get(m.label) ?? 0) + 1;
    seen.set(m.label, n);
    const key = `${m.label} #${n}`;
    if (!offsets.has(key)) {
      offsets.set(key, []);
      order.push(key);
    }
    offsets.get(key)!.push(m.at - start);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = order.map((key) => ({ key, at: median(offsets.get(key)!), n: offsets.get(key)!.length }));
rows.sort((a, b) => a.at - b.at);
console.log(`turn timeline, ${durability}, ${runs} turns (median ms from startTurn sent; n = turns with that mark)`);
for (const r of rows) console.log(`${r.at.toFixed(2).padStart(8)}  ${r.key}${r.n < runs ? ` (n=${r.n})` : ''}`);
await client.dispose();
await server.stop();
await provider.close();
await rm(dir, { recursive: true, force: true });
