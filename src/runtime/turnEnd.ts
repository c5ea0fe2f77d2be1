import { computeCost, findPrice } from '../domain/pricing.js';
import { isFinalStatus } from '../domain/enums.js';
import { draftEvent, type EventDraft, type TurnCompletedPayload } from '../domain/events.js';
import type { ThreadRecord, TurnRecord } from '../domain/records.js';
import { addFacts, emptyAccumulator, usageFactsOf, type UsageAccumulator } from '../domain/usage.js';
import { rollupQuarter } from '../domain/usageRollup.js';
import type { RollupId, UnitOfWork } from '../store/contract.js';
import type { Runtime } from './runtime.js';

/** The stored usage rollup row of `key` (undefined: none yet). */
export type RollupSource = (key: RollupId) => Promise<unknown>;

/**
 * Adds a turn's end to `batch`: end time, duration, cost at the prices valid now (fixed from then on), the
 * thread idle again with its usage totals, and the usage rollup. `turn.status`/`error`/`usage` are set by the
 * caller. Returns the events announcing it and the thread records written. `rollup` gives the row the end adds
 * to (by default read from the store; a running turn may have read it already, see turnRun.ts).
 */
export async function finishTurnBatch(
  rt: Runtime,
  batch: UnitOfWork,
  turn: TurnRecord,
  thread: ThreadRecord | null,
  rollup: RollupSource = (key) => rt.store.getRollup(key),
): Promise<{ events: EventDraft[]; threads: ThreadRecord[] }> {
  const endedAt = rt.now();
  turn.endedAt = endedAt;
  turn.durationMs = turn.startedAt ? Math.max(0, Date.parse(endedAt) - Date.parse(turn.startedAt)) : null;
  const events: EventDraft[] = [];
  const scope = { threadId: turn.threadId, turnId: turn.id };

  const facts = applyCost(rt, turn);
  batch.putTurn(turn);
  if (facts && turn.usage) {
    // Only this thread writes this row (its key has the thread), and its turn ends are serialised.
    const key = { quarter: rollupQuarter(turn.endedAt!), threadId: turn.threadId, model: turn.model };
    const previous = ((await rollup(key)) as UsageAccumulator | undefined) ?? emptyAccumulator();
    batch.putUsage(key, addFacts(previous, facts), turn.endedAt!, turn.id, facts);
    events.push(draftEvent('usage.recorded', scope, { model: turn.model, usage: turn.usage, costUsd: turn.costUsd, costCny: turn.costCny }));
  }
  events.push(turnCompletedEvent(turn));
  if (turn.purpose === 'COMPACTION' && turn.status === 'COMPLETED') events.push(draftEvent('thread.compacted', scope, { reason: turn.prompt }));

  const threads: ThreadRecord[] = [];
  if (thread) {
    const next: ThreadRecord = {
      ...thread,
      activeTurnId: thread.activeTurnId === turn.id ? null : thread.activeTurnId,
      updatedAt: endedAt,
      usage: facts ? addFacts(thread.usage ?? emptyAccumulator(), facts) : thread.usage,
    };
    batch.putThread(next, thread);
    threads.push(next);
  }
  return { events, threads };
}

/** The one turn.completed of an ended turn (also of a queued turn canceled before it started). */
export function turnCompletedEvent(turn: TurnRecord): EventDraft {
  if (!isFinalStatus(turn.status)) throw new Error(`internal error: turn ${turn.id} is ${turn.status}, not ended`);
  const payload: TurnCompletedPayload = {
    status: turn.status,
    error: turn.error,
    durationMs: turn.durationMs,
    usage: turn.usage,
    costUsd: turn.costUsd,
  };
  return draftEvent('turn.completed', { threadId: turn.threadId, turnId: turn.id }, payload);
}

/** Fixes the turn's cost at the prices valid at its end; returns what it adds to usage, or null without usage. */
function applyCost(rt: Runtime, turn: TurnRecord) {
  if (!turn.usage || !turn.endedAt) return null;
  const price = findPrice(rt.pricing, turn.model, new Date(turn.endedAt));
  const cost = computeCost(turn.usage, price);
  turn.price = price;
  turn.costUsd = cost.costUsd;
  turn.costCny = cost.costCny;
  turn.costUsdWithoutCache = cost.costUsdWithoutCache;
  turn.costCnyWithoutCache = cost.costCnyWithoutCache;
  return usageFactsOf(turn, price, rt.pricing.providers);
}
