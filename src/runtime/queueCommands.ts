import { ConflictError, NotFoundError, OutOfRangeError } from '../domain/errors.js';
import { draftEvent } from '../domain/events.js';
import type { TurnRecord } from '../domain/records.js';
import { summarize } from '../domain/summary.js';
import { parseInput, requireId, validatePrompt } from '../domain/validation.js';
import { editQueuedTurnSchema, moveQueuedTurnSchema, type EditQueuedTurnInput } from '../domain/queue.js';
import type { Runtime } from './runtime.js';
import { forwardToOwner, type ForwardedCommand } from './turnOwners.js';

/**
 * Changes to a thread's queue of turns (docs/DESIGN.md "Editable queue"). They run under the thread's lock, as
 * does the start of its next queued turn, so an edit either lands before the turn starts (the turn runs the
 * edited prompt) or finds it started (CONFLICT): never half of each.
 */

export type { EditQueuedTurnInput };

export interface QueuedTurnResult {
  turn: TurnRecord;
  /** 1-based place in the queue. */
  position: number;
}

/**
 * The thread's queue in run order, and the turn asked for in it (CONFLICT when it is not queued any more): read
 * under the thread's lock, the turn as one of the queue's records (a QUEUED turn has its queue row).
 */
async function queueOf(rt: Runtime, threadId: string, turnId: string): Promise<{ turn: TurnRecord; queue: TurnRecord[] }> {
  const queue = (await rt.store.getTurns(await rt.store.listQueuedTurnIds(threadId))).filter((t): t is TurnRecord => t !== null);
  const turn = queue.find((t) => t.id === turnId);
  if (turn) return { turn, queue };
  const current = await rt.store.getTurn(turnId);
  if (!current) throw new NotFoundError('turn', turnId);
  throw new ConflictError(`turn ${turnId} is ${current.status}, not QUEUED: it is no longer in the queue`);
}

/** The turn a queue change names, read once before the thread's lock (its thread, and where to forward). */
async function turnToChange(rt: Runtime, turnId: string): Promise<TurnRecord> {
  requireId('turn', turnId, 'turnId');
  const turn = await rt.store.getTurn(turnId);
  if (!turn) throw new NotFoundError('turn', turnId);
  return turn;
}

/**
 * The node running the thread's turn starts its next queued turn under its lock: a queue change must run there,
 * under the same lock (like cancelQueuedTurn), or an edit could land after that node read the old prompt.
 */
async function forwardQueueChange(rt: Runtime, turn: TurnRecord, command: ForwardedCommand): Promise<QueuedTurnResult | null> {
  if (!rt.turnOwners || turn.status !== 'QUEUED' || rt.active.get(turn.threadId)) return null;
  const routed = await forwardToOwner<QueuedTurnResult>(rt, (owners) => owners.ownerOfThread(turn.threadId), command);
  return routed.forwarded ? routed.value : null;
}

/** Replaces the prompt of a QUEUED turn (event turn.queue_edited). */
export async function editQueuedTurn(rt: Runtime, input: EditQueuedTurnInput): Promise<QueuedTurnResult> {
  parseInput(editQueuedTurnSchema, input);
  validatePrompt(input.prompt, 'prompt', rt.config.maxPromptBytes);
  const turn = await turnToChange(rt, input.turnId);
  const command = {
    kind: 'editQueuedTurn',
    input: { turnId: input.turnId, prompt: input.prompt, inputSummary: input.inputSummary ?? null },
  } as const;
  return (await forwardQueueChange(rt, turn, command)) ?? editQueuedTurnHere(rt, input, turn.threadId);
}

/** editQueuedTurn on this node (a forwarded one runs here too); `knownThreadId`: the turn's thread, read already. */
export async function editQueuedTurnHere(rt: Runtime, input: EditQueuedTurnInput, knownThreadId?: string): Promise<QueuedTurnResult> {
  const threadId = knownThreadId ?? (await turnToChange(rt, input.turnId)).threadId;
  return rt.commands.run({ thread: threadId }, async () => {
    const { turn, queue } = await queueOf(rt, threadId, input.turnId);
    const inputSummary = input.inputSummary?.trim() ? summarize(input.inputSummary) : summarize(input.prompt);
    const edited: TurnRecord = { ...turn, prompt: input.prompt, inputSummary };
    const position = queue.findIndex((t) => t.id === turn.id) + 1;
    await rt.commit(rt.store.batch().putTurn(edited), [draftEvent('turn.queue_edited', { threadId, turnId: turn.id }, { inputSummary, position })]);
    return { turn: edited, position };
  });
}

/** A rank that sorts before every turn id ('q' < 't'), in queue order. */
const rankAt = (index: number) => `q${String(index).padStart(8, '0')}`;

/** Moves a QUEUED turn to `position` (1 = next to run) in its thread's queue (event turn.queue_moved). */
export async function moveQueuedTurn(rt: Runtime, turnId: string, position: number): Promise<QueuedTurnResult> {
  parseInput(moveQueuedTurnSchema, { turnId, position });
  const turn = await turnToChange(rt, turnId);
  return (
    (await forwardQueueChange(rt, turn, { kind: 'moveQueuedTurn', turnId, position })) ?? moveQueuedTurnHere(rt, turnId, position, turn.threadId)
  );
}

/** moveQueuedTurn on this node (a forwarded one runs here too); `knownThreadId`: the turn's thread, read already. */
export async function moveQueuedTurnHere(rt: Runtime, turnId: string, position: number, knownThreadId?: string): Promise<QueuedTurnResult> {
  const threadId = knownThreadId ?? (await turnToChange(rt, turnId)).threadId;
  return rt.commands.run({ thread: threadId }, async () => {
    const { turn, queue } = await queueOf(rt, threadId, turnId);
    if (position > queue.length) {
      throw new OutOfRangeError(`position ${position} is out of range: the queue of thread ${threadId} has ${queue.length} turns`);
    }
    const previousPosition = queue.findIndex((t) => t.id === turnId) + 1;
    const order = queue.filter((t) => t.id !== turnId);
    order.splice(position - 1, 0, turn);
    // Every queued turn gets its rank anew (a queue is short): one batch, the order is whole or unchanged.
    const batch = rt.store.batch();
    const ranked = order.map((t, i) => ({ ...t, queueRank: rankAt(i) }));
    for (const [i, t] of ranked.entries()) if (t.queueRank !== order[i]?.queueRank) batch.putTurn(t);
    await rt.commit(batch, [draftEvent('turn.queue_moved', { threadId, turnId }, { position, previousPosition, queue: ranked.map((t) => t.id) })]);
    return { turn: ranked[position - 1] ?? turn, position };
  });
}
