import { draftEvent, type EventDraft, type StreamedField } from '../domain/events.js';
import type { ItemRecord, TurnRecord } from '../domain/records.js';
import { appendStreamed, itemSummary } from '../domain/factories.js';
import { TurnActiveError } from '../domain/errors.js';
import { expireOrphanedApprovals } from './approvals.js';
import { finishTurnBatch } from './turnEnd.js';
import { snapshotAfterTurn } from './turnSnapshots.js';
import { finishRevertsAtOpen } from './revert.js';
import { startNextQueued } from './turnCommands.js';
import type { Runtime } from './runtime.js';

/** Text an item streamed, by field. */
type Streamed = Partial<Record<StreamedField, string>>;

export const RESTART_ERROR = 'Interrupted by process restart';

/**
 * At open: turns left IN_PROGRESS by a crash (found through the open-turns index, not by scanning threads)
 * become INTERRUPTED with their open items, whose text is rebuilt from the deltas the log kept; pending
 * approvals of dead turns expire; queued turns start.
 */
export async function recover(rt: Runtime): Promise<{ interruptedTurns: number; resumedThreads: number; finishedReverts: number }> {
  const finishedReverts = await finishRevertsAtOpen(rt);
  const open = (await rt.store.getTurns(await rt.store.listOpenTurnIds())).filter((t): t is TurnRecord => t !== null);
  for (const turn of open) await interruptAfterRestart(rt, turn, RESTART_ERROR);
  await expireOrphanedApprovals(rt);
  const queuedThreads = await rt.store.listThreadsWithQueue();
  for (const threadId of queuedThreads) await rt.commands.run({ thread: threadId }, () => startNextQueued(rt, threadId).catch(runsElsewhere));
  return { interruptedTurns: open.length, resumedThreads: queuedThreads.length, finishedReverts };
}

/** A thread whose turn another node runs (sharing the store): that node starts the queue when its turn ends. */
function runsElsewhere(error: unknown): void {
  if (!(error instanceof TurnActiveError)) throw error;
}

/**
 * Another node stopped heartbeating (docs/DESIGN.md "Many nodes"): its running turns — claimed for this node by
 * `listOpenTurnIds` — become INTERRUPTED with `reason`, their pending approvals EXPIRED, and the queues of their
 * threads run here.
 */
export async function takeOver(rt: Runtime, reason: string): Promise<{ interruptedTurns: number }> {
  const open = (await rt.store.getTurns(await rt.store.listOpenTurnIds())).filter((t): t is TurnRecord => t !== null);
  const orphans = open.filter((turn) => !rt.active.byTurnId(turn.id));
  for (const turn of orphans) await interruptAfterRestart(rt, turn, reason);
  if (orphans.length) await expireOrphanedApprovals(rt);
  for (const threadId of new Set(orphans.map((t) => t.threadId)))
    await rt.commands.run({ thread: threadId }, () => startNextQueued(rt, threadId).catch(runsElsewhere));
  return { interruptedTurns: orphans.length };
}

async function interruptAfterRestart(rt: Runtime, turn: TurnRecord, reason: string): Promise<void> {
  await snapshotAfterTurn(rt, turn);
  const items = (await rt.store.getItems(await rt.store.listItemIds(turn.id))).filter((i): i is ItemRecord => i !== null);
  const openItems = items.filter((i) => i.status === 'IN_PROGRESS');
  const streamed = openItems.length ? await streamedText(rt, turn) : new Map<string, Streamed>();
  const batch = rt.store.batch();
  const drafts: EventDraft[] = [];
  const now = rt.now();
  for (const item of openItems) {
    const fixed: ItemRecord = { ...item, status: 'INTERRUPTED', endedAt: now };
    for (const [field, text] of Object.entries(streamed.get(item.id) ?? {}) as [StreamedField, string][]) appendStreamed(fixed, field, text);
    fixed.summary = itemSummary(fixed);
    batch.putItem(fixed);
    drafts.push(
      draftEvent(
        'item.interrupted',
        { threadId: turn.threadId, turnId: turn.id, itemId: item.id },
        { kind: item.kind, status: 'INTERRUPTED', summary: fixed.summary },
      ),
    );
  }
  const ended: TurnRecord = { ...turn, status: 'INTERRUPTED', error: reason };
  await rt.writeThread(turn.threadId, async (thread) => {
    const { events, threads } = await finishTurnBatch(rt, batch, ended, thread);
    await rt.commit(batch, [...drafts, ...events], threads);
  });
}

/** What each item of the turn had streamed, from its `item.delta` events (records are written at item end). */
async function streamedText(rt: Runtime, turn: TurnRecord): Promise<Map<string, Streamed>> {
  const byItem = new Map<string, Streamed>();
  let after = 0;
  for (;;) {
    const page = await rt.store.readEvents(turn.threadId, after, 1000);
    for (const e of page) {
      if (e.turnId !== turn.id || e.name !== 'item.delta' || !e.itemId) continue;
      const fields = byItem.get(e.itemId) ?? {};
      const field = e.payload.kind;
      fields[field] = (fields[field] ?? '') + e.payload.delta;
      byItem.set(e.itemId, fields);
    }
    const last = page.at(-1);
    if (!last || page.length < 1000) return byItem;
    after = last.seq;
  }
}
