/**
 * Reads a whole store raw (through `inspectSublevels`, read-only) and checks what must always hold between records, index
 * rows and the event log. Used by the fault and property tests, in-process and on a data directory left by a
 * killed server.
 */
import { isDeepStrictEqual } from 'node:util';
import { isFinalStatus } from '../../src/domain/enums.js';
import type { ApprovalRecord, EventRecord, ItemRecord, ThreadRecord, TurnRecord } from '../../src/domain/records.js';
import { childKey, lastPart, seqKey, SEP, threadSeqKey, updatedKey } from '../../src/store/keys.js';
import { inspectSublevels, type Store } from '../../src/store/store.js';
import type { ReadonlySublevel } from '../../src/store/sublevels.js';

export interface StoreDump {
  meta: Map<string, unknown>;
  threads: Map<string, ThreadRecord>;
  threadsByUpdated: Map<string, unknown>;
  turns: Map<string, TurnRecord>;
  threadTurns: Map<string, unknown>;
  items: Map<string, ItemRecord>;
  turnItems: Map<string, unknown>;
  events: Map<string, EventRecord>;
  threadEvents: Map<string, EventRecord>;
  queue: Map<string, unknown>;
  openTurns: Map<string, unknown>;
  approvals: Map<string, ApprovalRecord>;
  pendingApprovals: Map<string, unknown>;
  threadApprovals: Map<string, unknown>;
}

async function rows<V>(sub: ReadonlySublevel): Promise<Map<string, V>> {
  const entries = (await sub.iterator().all()) as [string, V][];
  return new Map(entries);
}

export async function dumpStore(store: Store): Promise<StoreDump> {
  const s = inspectSublevels(store);
  return {
    meta: await rows(s.meta),
    threads: await rows(s.threads),
    threadsByUpdated: await rows(s.threadsByUpdated),
    turns: await rows(s.turns),
    threadTurns: await rows(s.threadTurns),
    items: await rows(s.items),
    turnItems: await rows(s.turnItems),
    events: await rows(s.events),
    threadEvents: await rows(s.threadEvents),
    queue: await rows(s.queue),
    openTurns: await rows(s.openTurns),
    approvals: await rows(s.approvals),
    pendingApprovals: await rows(s.pendingApprovals),
    threadApprovals: await rows(s.threadApprovals),
  };
}

export interface InvariantOptions {
  /**
   * No turn is running and the runtime is at rest (or the store was just recovered): no IN_PROGRESS turn, no
   * thread with an activeTurnId, counters match their rows.
   */
  quiescent?: boolean;
}

/** Every problem found (an empty list when the store is consistent). Messages are short and name the record. */
export function checkInvariants(d: StoreDump, options: InvariantOptions = {}): string[] {
  const problems: string[] = [];
  const p = (msg: string) => {
    if (problems.length < 50) problems.push(msg);
  };

  // ---- threads and their by-update index ----
  const indexRowsPerThread = new Map<string, number>();
  for (const [key, value] of d.threadsByUpdated) {
    const id = lastPart(key);
    indexRowsPerThread.set(id, (indexRowsPerThread.get(id) ?? 0) + 1);
    const thread = d.threads.get(id);
    if (!thread) {
      p(`threadsByUpdated ${key}: no thread ${id}`);
      continue;
    }
    if (updatedKey(thread.updatedAt, thread.id) !== key)
      p(`threadsByUpdated ${key}: thread ${id} has updatedAt ${thread.updatedAt} (key ${updatedKey(thread.updatedAt, id)})`);
    if (!isDeepStrictEqual(value, { archived: thread.archived, taskId: thread.taskId })) {
      p(`threadsByUpdated ${key}: value ${JSON.stringify(value)} but thread archived=${thread.archived} taskId=${JSON.stringify(thread.taskId)}`);
    }
  }
  const turnRowsPerThread = new Map<string, number>();
  for (const key of d.threadTurns.keys()) {
    const [threadId = '', turnId = ''] = key.split(SEP);
    turnRowsPerThread.set(threadId, (turnRowsPerThread.get(threadId) ?? 0) + 1);
    const turn = d.turns.get(turnId);
    if (!turn) p(`threadTurns ${key}: no turn ${turnId}`);
    else if (turn.threadId !== threadId) p(`threadTurns ${key}: turn ${turnId} belongs to ${turn.threadId}`);
  }
  for (const [id, thread] of d.threads) {
    if (thread.id !== id) p(`thread row ${id} holds record ${thread.id}`);
    if (indexRowsPerThread.get(id) !== 1) p(`thread ${id}: ${indexRowsPerThread.get(id) ?? 0} threadsByUpdated rows (want 1)`);
    if (typeof thread.updatedAt !== 'string' || Number.isNaN(Date.parse(thread.updatedAt))) p(`thread ${id}: bad updatedAt ${thread.updatedAt}`);
    if (thread.latestTurnId && !d.turns.has(thread.latestTurnId)) p(`thread ${id}: latestTurnId ${thread.latestTurnId} does not exist`);
    if (thread.activeTurnId) {
      const active = d.turns.get(thread.activeTurnId);
      if (!active) p(`thread ${id}: activeTurnId ${thread.activeTurnId} does not exist`);
      else if (options.quiescent) p(`thread ${id}: activeTurnId ${thread.activeTurnId} (${active.status}) set while nothing runs`);
    }
    // Every write that adds a turn row counts it in the same batch (fork: all copies with the thread).
    if (thread.turnCount !== (turnRowsPerThread.get(id) ?? 0))
      p(`thread ${id}: turnCount ${thread.turnCount} but ${turnRowsPerThread.get(id) ?? 0} turns`);
  }

  // ---- turns with their indexes ----
  const itemRowsPerTurn = new Map<string, number>();
  for (const key of d.turnItems.keys()) {
    const [turnId = '', itemId = ''] = key.split(SEP);
    itemRowsPerTurn.set(turnId, (itemRowsPerTurn.get(turnId) ?? 0) + 1);
    const item = d.items.get(itemId);
    if (!item) p(`turnItems ${key}: no item ${itemId}`);
    else if (item.turnId !== turnId) p(`turnItems ${key}: item ${itemId} belongs to ${item.turnId}`);
  }
  for (const [id, turn] of d.turns) {
    if (turn.id !== id) p(`turn row ${id} holds record ${turn.id}`);
    if (!d.threads.has(turn.threadId)) p(`turn ${id}: thread ${turn.threadId} does not exist`);
    const key = childKey(turn.threadId, id);
    if (!d.threadTurns.has(key)) p(`turn ${id}: no threadTurns row`);
    if ((turn.status === 'QUEUED') !== d.queue.has(key))
      p(`turn ${id}: status ${turn.status} but queue row ${d.queue.has(key) ? 'present' : 'absent'}`);
    if ((turn.status === 'IN_PROGRESS') !== d.openTurns.has(id))
      p(`turn ${id}: status ${turn.status} but openTurns row ${d.openTurns.has(id) ? 'present' : 'absent'}`);
    if (options.quiescent && !isFinalStatus(turn.status) && turn.status !== 'QUEUED') p(`turn ${id}: ${turn.status} while nothing runs`);
    if (isFinalStatus(turn.status) && turn.status !== 'CANCELED' && turn.itemCount !== (itemRowsPerTurn.get(id) ?? 0)) {
      p(`turn ${id} (${turn.status}): itemCount ${turn.itemCount} but ${itemRowsPerTurn.get(id) ?? 0} items`);
    }
    if (turn.supersededBy && !d.turns.has(turn.supersededBy)) p(`turn ${id}: supersededBy ${turn.supersededBy} does not exist`);
  }
  for (const key of d.queue.keys()) {
    const turnId = lastPart(key);
    const turn = d.turns.get(turnId);
    if (!turn || turn.status !== 'QUEUED' || childKey(turn.threadId, turnId) !== key)
      p(`queue ${key}: turn is ${turn ? `${turn.status} of ${turn.threadId}` : 'missing'}`);
  }
  for (const key of d.openTurns.keys()) {
    const turn = d.turns.get(key);
    if (!turn || turn.status !== 'IN_PROGRESS') p(`openTurns ${key}: turn is ${turn?.status ?? 'missing'}`);
  }

  // ---- items ----
  for (const [id, item] of d.items) {
    if (item.id !== id) p(`item row ${id} holds record ${item.id}`);
    const turn = d.turns.get(item.turnId);
    if (!turn) p(`item ${id}: turn ${item.turnId} does not exist`);
    else if (turn.threadId !== item.threadId) p(`item ${id}: threadId ${item.threadId} but its turn is of ${turn.threadId}`);
    if (!d.turnItems.has(childKey(item.turnId, id))) p(`item ${id}: no turnItems row`);
    if (options.quiescent && item.status === 'IN_PROGRESS') p(`item ${id}: IN_PROGRESS while nothing runs`);
  }

  // ---- approvals ----
  for (const key of d.pendingApprovals.keys()) {
    const a = d.approvals.get(lastPart(key));
    if (!a || a.status !== 'PENDING') p(`pendingApprovals ${key}: approval is ${a?.status ?? 'missing'}`);
  }
  for (const key of d.threadApprovals.keys()) if (!d.approvals.has(lastPart(key))) p(`threadApprovals ${key}: no approval`);
  for (const [id, a] of d.approvals) {
    if (!d.threads.has(a.threadId)) p(`approval ${id}: thread ${a.threadId} does not exist`);
    if ((a.status === 'PENDING') !== d.pendingApprovals.has(childKey(a.threadId, id))) p(`approval ${id}: ${a.status} vs pendingApprovals row`);
  }

  // ---- event log ----
  let expected = 1;
  for (const [key, event] of d.events) {
    if (event.seq !== expected) {
      p(`events: seq ${event.seq} where ${expected} was expected (gap or duplicate)`);
      expected = event.seq;
    }
    if (key !== seqKey(event.seq)) p(`events ${key}: holds seq ${event.seq}`);
    if (typeof event.name !== 'string' || typeof event.threadId !== 'string' || typeof event.payload !== 'object') p(`event ${event.seq}: not whole`);
    if (d.threads.has(event.threadId) && !d.threadEvents.has(threadSeqKey(event.threadId, event.seq))) {
      p(`event ${event.seq} (${event.name}) of thread ${event.threadId}: no threadEvents row`);
    }
    expected++;
  }
  const nextSeq = d.meta.get('next_seq');
  if (d.events.size > 0 && nextSeq !== d.events.size + 1) p(`meta next_seq ${String(nextSeq)} but ${d.events.size} events`);
  for (const [key, row] of d.threadEvents) {
    const global = d.events.get(seqKey(row.seq));
    if (!global) p(`threadEvents ${key}: no event ${row.seq}`);
    else if (!isDeepStrictEqual(global, row)) p(`threadEvents ${key}: differs from event ${row.seq}`);
    if (threadSeqKey(row.threadId, row.seq) !== key) p(`threadEvents ${key}: holds ${row.threadId}/${row.seq}`);
  }
  return problems;
}

/** Opens nothing: dumps the given store and returns the problems. */
export async function storeProblems(store: Store, options: InvariantOptions = {}): Promise<string[]> {
  return checkInvariants(await dumpStore(store), options);
}

export function allEvents(d: StoreDump): EventRecord[] {
  return [...d.events.values()];
}
