import type { ItemKind, TurnRecord } from '../domain/records.js';
import type { ChangedFile } from '../engine/workspaceSnapshots.js';
import type { Runtime } from './runtime.js';

/** The workspace before and after one turn (git trees in the thread's private store), kept per turn. */
export interface TurnSnapshotRecord {
  workspace: string;
  before: string | null;
  after: string | null;
  /** Files over the size limit, left out of the snapshots. */
  skipped: string[];
  /** Why a snapshot is missing (git failed). */
  error: string | null;
  /** The turn ran no tool, so it changed no file: no snapshot was needed (its diff is empty). */
  noTools?: boolean;
}

/** Item kinds that are only text: a turn made of these alone cannot have changed the workspace. */
const TEXT_ONLY: ReadonlySet<ItemKind> = new Set(['USER_MESSAGE', 'AGENT_MESSAGE', 'CONTEXT_COMPACTION', 'STATUS', 'ERROR']);

/**
 * Whether an item the engine starts may be followed by changes to the workspace (a tool call, a command, a file
 * change): the "before" snapshot is taken when the first such item starts, while the engine waits — a turn that
 * only answers in text spends nothing on snapshots.
 */
export function mayChangeWorkspace(kind: ItemKind): boolean {
  return !TEXT_ONLY.has(kind);
}

/** The record of a turn that ran no tool (written with its end). */
export function noToolsRecord(workspace: string): TurnSnapshotRecord {
  return { workspace, before: null, after: null, skipped: [], error: null, noTools: true };
}

/** Whether turns of this runtime get snapshots: only when a store for them is configured and the engine writes files. */
export function snapshotsEnabled(rt: Runtime): boolean {
  return rt.snapshots !== null && rt.config.engine.changesFiles !== false;
}

/**
 * Before the turn's first tool runs (see `mayChangeWorkspace`): the workspace as the turn found it. A failure is
 * recorded, the turn still runs.
 */
export async function snapshotBeforeTurn(rt: Runtime, turn: TurnRecord): Promise<void> {
  if (!snapshotsEnabled(rt) || turn.purpose !== 'PROMPT') return;
  const thread = await rt.threadForWrite(turn.threadId);
  if (!thread) return;
  const record: TurnSnapshotRecord = { workspace: thread.workspace, before: null, after: null, skipped: [], error: null };
  try {
    const snapshot = await rt.snapshots!.take(thread.id, thread.workspace);
    record.before = snapshot.tree;
    record.skipped = snapshot.skipped;
  } catch (error) {
    record.error = (error as Error).message;
    rt.config.logger?.error({ err: error, turnId: turn.id }, 'workspace snapshot before the turn failed');
  }
  await rt.commit(rt.store.batch().putTurnSnapshots(turn.id, record), []);
}

/** After the engine stopped (or at recovery for a turn a crash cut short): what the turn left. Never throws. */
export async function snapshotAfterTurn(rt: Runtime, turn: TurnRecord): Promise<void> {
  if (!rt.snapshots) return;
  try {
    const [record] = await rt.store.getTurnSnapshots<TurnSnapshotRecord>([turn.id]);
    if (!record?.before || record.after) return;
    await takeAfter(rt, turn, record);
  } catch (error) {
    rt.config.logger?.error({ err: error, turnId: turn.id }, 'could not record the workspace snapshot after the turn');
  }
}

async function takeAfter(rt: Runtime, turn: TurnRecord, record: TurnSnapshotRecord): Promise<void> {
  try {
    const snapshot = await rt.snapshots!.take(turn.threadId, record.workspace);
    record.after = snapshot.tree;
    record.skipped = [...new Set([...record.skipped, ...snapshot.skipped])];
  } catch (error) {
    record.error = (error as Error).message;
  }
  await rt.commit(rt.store.batch().putTurnSnapshots(turn.id, record), []);
}

export async function turnSnapshotRecord(rt: Runtime, turnId: string): Promise<TurnSnapshotRecord | null> {
  return (await rt.store.getTurnSnapshots<TurnSnapshotRecord>([turnId]))[0] ?? null;
}

/** The files a turn changed (null while it runs or without snapshots). */
export async function turnChangedFiles(rt: Runtime, turn: TurnRecord): Promise<ChangedFile[] | null> {
  const record = await turnSnapshotRecord(rt, turn.id);
  if (record?.noTools) return [];
  if (!rt.snapshots || !record?.before || !record.after) return null;
  return rt.snapshots.changes(turn.threadId, record.workspace, record.before, record.after);
}

/** The unified diff of what a turn changed (null while it runs or without snapshots). */
export async function turnDiff(rt: Runtime, turn: TurnRecord): Promise<string | null> {
  const record = await turnSnapshotRecord(rt, turn.id);
  if (record?.noTools) return '';
  if (!rt.snapshots || !record?.before || !record.after) return null;
  return rt.snapshots.diff(turn.threadId, record.workspace, record.before, record.after);
}
