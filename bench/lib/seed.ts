/**
 * Seeds large stores fast: realistic records made by the domain factories, written straight through
 * `store.batch()` in big batches (no runtime, no events per write), with `meta.next_seq` set at the end.
 */
import path from 'node:path';
import { newItemRecord, newThreadRecord, newTurnRecord, type NewItem } from '../../src/domain/factories.js';
import { newId } from '../../src/domain/ids.js';
import { computeCost, DEFAULT_PRICING, findPrice } from '../../src/domain/pricing.js';
import { draftEvent, type EventName, type EventPayloads } from '../../src/domain/events.js';
import type { EventRecord, ItemKind, ItemRecord, ThreadRecord, TokenUsage, TurnRecord } from '../../src/domain/records.js';
import { addFacts, emptyAccumulator, usageFactsOf, type UsageAccumulator } from '../../src/domain/usage.js';
import { rollupQuarter } from '../../src/domain/usageRollup.js';
import { rollupKey } from '../../src/store/keys.js';
import type { StoreBatch } from '../../src/store/batch.js';
import { Store } from '../../src/store/store.js';
import { now } from './stats.js';
import { defined } from '../../src/domain/defined.js';

const BATCH_OPS = 20_000;
const DAY = 86_400_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same shapes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the runtime stores every turn and item of a thread so an agent can resume where it stopped while clients ' +
  'stream events live refactor the parser add tests for the store fix the failing build read the config file ' +
  'update the schema explain why the query is slow rename the function and its callers check the lint output'
).split(' ');

/** The entry at `index`, wrapping around the list. */
function pick<T>(list: readonly T[], index: number): T {
  return defined(list[index % list.length], `entry ${index} of a non-empty list`);
}

export function words(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(pick(WORDS, Math.floor(r() * WORDS.length)));
  return out.join(' ');
}

const iso = (ms: number) => new Date(ms).toISOString();
const MODELS = ['deepseek-v4-flash', 'deepseek-v4-pro', 'deepseek-chat'];

/** Writes batches of about BATCH_OPS ops, one at a time. */
export class Writer {
  private batch: StoreBatch;
  ops = 0;

  constructor(readonly store: Store) {
    this.batch = store.batch();
  }

  get current(): StoreBatch {
    return this.batch;
  }

  async maybeFlush(): Promise<void> {
    if (this.batch.size >= BATCH_OPS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.size === 0) return;
    this.ops += this.batch.size;
    await this.batch.write();
    this.batch = this.store.batch();
  }
}

function usageFor(r: () => number): TokenUsage {
  const inputTokens = 2000 + Math.floor(r() * 30_000);
  const cachedTokens = Math.floor(inputTokens * r() * 0.9);
  return {
    inputTokens,
    outputTokens: 100 + Math.floor(r() * 2000),
    cachedTokens,
    missTokens: inputTokens - cachedTokens,
    reasoningTokens: 0,
    cacheReported: true,
  };
}

/** A finished turn record (as the runtime leaves it), `startMs` its start. */
export function endedTurn(thread: ThreadRecord, r: () => number, startMs: number, itemCount: number, durationMs = 4000): TurnRecord {
  const turn = newTurnRecord(
    { threadId: thread.id, prompt: words(r, 8 + Math.floor(r() * 30)), model: thread.model, mode: thread.mode, options: {}, status: 'IN_PROGRESS' },
    iso(startMs),
  );
  const endedAt = iso(startMs + durationMs);
  turn.status = 'COMPLETED';
  turn.endedAt = endedAt;
  turn.durationMs = durationMs;
  turn.usage = usageFor(r);
  const price = findPrice(DEFAULT_PRICING, turn.model, new Date(endedAt));
  const cost = computeCost(turn.usage, price);
  turn.price = price;
  turn.costUsd = cost.costUsd;
  turn.costCny = cost.costCny;
  turn.costUsdWithoutCache = cost.costUsdWithoutCache;
  turn.costCnyWithoutCache = cost.costCnyWithoutCache;
  turn.itemCount = itemCount;
  return turn;
}

const ITEM_CYCLE: ItemKind[] = ['AGENT_MESSAGE', 'TOOL_CALL', 'COMMAND_EXECUTION', 'AGENT_MESSAGE', 'FILE_CHANGE', 'TOOL_CALL'];

/** The items of a finished turn: the user's message, then a realistic mix of answers and tool work. */
export function turnItems(turn: TurnRecord, r: () => number, count: number, startMs: number): ItemRecord[] {
  const items: ItemRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = iso(startMs + i * 200);
    const kind: ItemKind = i === 0 ? 'USER_MESSAGE' : pick(ITEM_CYCLE, i - 1);
    let fields: NewItem;
    switch (kind) {
      case 'USER_MESSAGE':
        fields = { kind, text: turn.prompt };
        break;
      case 'AGENT_MESSAGE':
        fields = { kind, text: words(r, 30 + Math.floor(r() * 60)) };
        break;
      case 'TOOL_CALL':
        fields = { kind, toolName: 'read_file', arguments: { path: `src/${words(r, 1)}/${words(r, 1)}.ts` }, output: words(r, 40) };
        break;
      case 'COMMAND_EXECUTION':
        fields = { kind, command: 'npm test -- --run store', exitCode: 0, output: words(r, 50) };
        break;
      default:
        fields = {
          kind: 'FILE_CHANGE',
          path: `src/${words(r, 1)}.ts`,
          changeKind: 'UPDATE',
          diff: `@@ -1,3 +1,3 @@\n-${words(r, 8)}\n+${words(r, 8)}\n`,
        };
    }
    const item = newItemRecord(turn, { ...fields, status: 'COMPLETED', endedAt: at }, at);
    items.push(item);
  }
  return items;
}

export interface BigStoreSpec {
  dataDir: string;
  threads: number;
  turnsPerThread: number;
  itemsPerTurn: number;
  /** Events of the one thread the replay benchmark reads. */
  replayEvents: number;
}

export interface BigStore extends BigStoreSpec {
  threadIds: string[];
  replayThreadId: string;
  lastSeq: number;
  totalEvents: number;
  totalItems: number;
  seedMs: { records: number; events: number };
}

/**
 * The large store: `threads` threads of `turnsPerThread` finished turns of `itemsPerTurn` items, one
 * thread.started event each, plus one thread with `replayEvents` events (a realistic mix of a streaming turn's events).
 */
export async function seedBigStore(spec: BigStoreSpec, log: (m: string) => void): Promise<BigStore> {
  // Bulk loading, not measured: not synced.
  const store = await Store.open(path.join(spec.dataDir, 'runtime'), { durability: 'relaxed' });
  const w = new Writer(store);
  const r = rng(7);
  const base = Date.now() - 60 * DAY;
  const threadIds: string[] = [];
  let seq = 1;
  let totalItems = 0;
  let t0 = now();
  for (let t = 0; t < spec.threads; t++) {
    const created = base + t * 500_000;
    const thread = newThreadRecord({ model: pick(MODELS, t), mode: 'agent', workspace: '/srv/work/project', title: words(r, 5) }, iso(created));
    let at = created + 1000;
    for (let k = 0; k < spec.turnsPerThread; k++) {
      const turn = endedTurn(thread, r, at, spec.itemsPerTurn);
      w.current.putTurn(turn);
      for (const item of turnItems(turn, r, spec.itemsPerTurn, at)) w.current.putItem(item);
      totalItems += spec.itemsPerTurn;
      thread.latestTurnId = turn.id;
      thread.turnCount++;
      at += 20_000;
    }
    thread.updatedAt = iso(at);
    w.current.putThread(thread, null);
    w.current.putEvent(threadStarted(thread, seq++));
    threadIds.push(thread.id);
    await w.maybeFlush();
  }
  await w.flush();
  const recordsMs = now() - t0;
  log(
    `  seeded ${spec.threads.toLocaleString()} threads, ${(spec.threads * spec.turnsPerThread).toLocaleString()} turns, ${totalItems.toLocaleString()} items in ${(recordsMs / 1000).toFixed(1)} s`,
  );

  t0 = now();
  const replay = newThreadRecord(
    { model: pick(MODELS, 0), mode: 'agent', workspace: '/srv/work/project', title: 'replay: a very long thread' },
    iso(base),
  );
  w.current.putThread(replay, null);
  let count = 0;
  for (const event of streamEvents(replay, r, spec.replayEvents, base)) {
    event.seq = seq++;
    w.current.putEvent(event);
    if (++count % 5000 === 0) await w.maybeFlush();
  }
  w.current.putMeta('next_seq', seq);
  await w.flush();
  const eventsMs = now() - t0;
  log(`  seeded ${spec.replayEvents.toLocaleString()} events of one thread in ${(eventsMs / 1000).toFixed(1)} s`);
  await compact(store);
  await store.close();
  return {
    ...spec,
    threadIds,
    replayThreadId: replay.id,
    lastSeq: seq - 1,
    totalEvents: seq - 1,
    totalItems,
    seedMs: { records: recordsMs, events: eventsMs },
  };
}

/** Compacts the whole store (classic-level), so background compaction after seeding does not disturb the runs. */
export async function compact(store: Store): Promise<void> {
  const db = store.db as unknown as { compactRange?: (start: string, end: string) => Promise<void> };
  await db.compactRange?.('\x00', '\xff');
}

export function threadStarted(thread: ThreadRecord, seq: number): EventRecord {
  return {
    seq,
    timestamp: thread.createdAt,
    name: 'thread.started',
    threadId: thread.id,
    turnId: null,
    itemId: null,
    payload: { title: thread.title, model: thread.model, mode: thread.mode, workspace: thread.workspace, taskType: thread.taskType, archived: false },
  };
}

/** `count` events shaped like the runtime's for streaming turns (started, user message, deltas, end, usage). */
export function* streamEvents(thread: ThreadRecord, r: () => number, count: number, startMs: number): Generator<EventRecord> {
  let emitted = 0;
  let at = startMs;
  const event = <N extends EventName>(name: N, turnId: string | null, itemId: string | null, payload: EventPayloads[N]): EventRecord =>
    ({ seq: 0, timestamp: iso(at++), ...draftEvent(name, { threadId: thread.id, turnId, itemId }, payload) }) as EventRecord;
  while (emitted < count) {
    const turnId = newId('turn');
    const userId = newId('item');
    const agentId = newId('item');
    const prompt = words(r, 12);
    const cycle: EventRecord[] = [
      event('turn.started', turnId, null, { status: 'IN_PROGRESS', purpose: 'PROMPT', inputSummary: prompt, model: thread.model, mode: thread.mode }),
      event('item.started', turnId, userId, { kind: 'USER_MESSAGE', status: 'IN_PROGRESS', summary: prompt }),
      event('item.completed', turnId, userId, { kind: 'USER_MESSAGE', status: 'COMPLETED', summary: prompt }),
      event('item.started', turnId, agentId, { kind: 'AGENT_MESSAGE', status: 'IN_PROGRESS', summary: '' }),
    ];
    for (let i = 0; i < 40; i++) cycle.push(event('item.delta', turnId, agentId, { kind: 'text', delta: words(r, 6) + ' ' }));
    const usage = usageFor(r);
    cycle.push(
      event('item.completed', turnId, agentId, { kind: 'AGENT_MESSAGE', status: 'COMPLETED', summary: words(r, 20) }),
      event('usage.recorded', turnId, null, { model: thread.model, usage, costUsd: 0.0012, costCny: 0.0087 }),
      event('turn.completed', turnId, null, { status: 'COMPLETED', error: null, durationMs: 5120, usage, costUsd: 0.0012 }),
    );
    for (const e of cycle) {
      if (emitted++ >= count) return;
      yield e;
    }
  }
}

/** One thread of `turns` finished turns with `itemsPerTurn` items each (the fork benchmark's source). */
export async function seedLongThread(store: Store, turns: number, itemsPerTurn: number): Promise<ThreadRecord> {
  const w = new Writer(store);
  const r = rng(11);
  const start = Date.now() - 10 * DAY;
  const thread = newThreadRecord(
    { model: pick(MODELS, 0), mode: 'agent', workspace: '/srv/work/project', title: 'a thread of many turns' },
    iso(start),
  );
  let at = start + 1000;
  for (let k = 0; k < turns; k++) {
    const turn = endedTurn(thread, r, at, itemsPerTurn);
    w.current.putTurn(turn);
    for (const item of turnItems(turn, r, itemsPerTurn, at)) w.current.putItem(item);
    thread.latestTurnId = turn.id;
    thread.turnCount++;
    at += 30_000;
    await w.maybeFlush();
  }
  thread.updatedAt = iso(at);
  w.current.putThread(thread, null);
  await w.flush();
  return thread;
}

/**
 * Usage of `turns` finished turns, written as finishTurnBatch writes it: per-turn facts and quarter-hour
 * rollups per thread and model. Threads work in sessions of consecutive turns a minute apart, spread over 30 days.
 */
export async function seedUsage(
  store: Store,
  turns: number,
  turnsPerThread = 100,
): Promise<{ threads: number; rollupRows: number; from: number; to: number }> {
  const w = new Writer(store);
  const r = rng(13);
  const to = Date.now() - DAY;
  const from = to - 30 * DAY;
  const threads = Math.ceil(turns / turnsPerThread);
  const rollups = new Map<string, UsageAccumulator>();
  let written = 0;
  for (let t = 0; t < threads && written < turns; t++) {
    const thread = newThreadRecord({ model: pick(MODELS, t), mode: 'agent', workspace: '/srv/work/project' }, iso(from));
    let at = from + Math.floor(r() * (to - from - turnsPerThread * 60_000));
    for (let k = 0; k < turnsPerThread && written < turns; k++, written++) {
      const turn = endedTurn(thread, r, at, 4);
      const facts = usageFactsOf(turn, turn.price as never, DEFAULT_PRICING.providers)!;
      const id = { quarter: rollupQuarter(turn.endedAt!), threadId: thread.id, model: turn.model };
      const key = rollupKey(id);
      const acc = addFacts(rollups.get(key) ?? emptyAccumulator(), facts);
      rollups.set(key, acc);
      w.current.putUsage(id, acc, turn.endedAt!, turn.id, facts);
      at += 60_000;
      await w.maybeFlush();
    }
  }
  await w.flush();
  return { threads, rollupRows: rollups.size, from, to };
}
