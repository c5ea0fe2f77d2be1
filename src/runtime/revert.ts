import { ConflictError, NotFoundError, TurnActiveError, WorkspaceConflictError } from '../domain/errors.js';
import { draftEvent } from '../domain/events.js';
import type { ApprovalRecord, ThreadRecord, TurnRecord } from '../domain/records.js';
import { requireId } from '../domain/validation.js';
import { crashPoint } from './faults.js';
import type { Runtime } from './runtime.js';
import type { TurnSnapshotRecord } from './turnSnapshots.js';

export interface RevertThreadInput {
  threadId: string;
  beforeTurnId: string;
  force?: boolean | null;
}

export interface RevertResult {
  thread: ThreadRecord;
  removedTurnIds: string[];
  /** Workspace files the revert rewrote, created or deleted. */
  restoredFiles: string[];
}

/** Written before the workspace is touched; its presence at open means "finish this revert". */
interface RevertIntent {
  threadId: string;
  beforeTurnId: string;
  workspace: string;
  /** The tree to restore (null: the removed turns changed no files we know of). */
  target: string | null;
  forced: boolean;
  conflicts: string[];
}

const INTENT_PREFIX = 'revert:';

/**
 * Removes `beforeTurnId` and every later turn of the thread from the conversation and puts the workspace back
 * to the snapshot taken before that turn. Files changed outside the agent since (between or after the removed
 * turns) make it a CONFLICT listing them, with nothing changed, unless `force`.
 *
 * All or nothing across crashes: an intent row is made durable first, then the files are restored, then one
 * batch removes the turns, deletes the intent and writes `thread.reverted`. A crash after the intent is
 * finished at the next open (`finishRevertsAtOpen`): restoring a tree is idempotent.
 */
export async function revertThread(rt: Runtime, input: RevertThreadInput): Promise<RevertResult> {
  requireId('thread', input.threadId, 'threadId');
  requireId('turn', input.beforeTurnId, 'beforeTurnId');
  return rt.commands.run({ thread: input.threadId }, async () => {
    const thread = await rt.threadForWrite(input.threadId);
    if (!thread) throw new NotFoundError('thread', input.threadId);
    const running = rt.active.get(thread.id);
    if (running) throw new TurnActiveError(running.turn.id);
    const removed = await turnsFrom(rt, thread.id, input.beforeTurnId);
    if (removed.length === 0) throw new NotFoundError('turn', input.beforeTurnId);
    const snapshots = await rt.store.getTurnSnapshots<TurnSnapshotRecord>(removed.map((t) => t.id));
    // A turn that ran no tool changed no file: nothing of it to restore or compare.
    const ran = removed.map((turn, i) => ({ turn, snap: snapshots[i] })).filter((r) => r.snap != null && !r.snap.noTools) as {
      turn: TurnRecord;
      snap: TurnSnapshotRecord;
    }[];
    const forced = input.force === true;

    const broken = ran.find((r) => !r.snap.before);
    if (broken && !forced) {
      throw new ConflictError(
        `turn ${broken.turn.id} has no workspace snapshot (${broken.snap.error ?? 'unknown'}); its file changes cannot be undone; pass force to revert anyway`,
      );
    }
    const usable = ran.filter((r) => r.snap.before);
    let target: string | null = null;
    let conflicts: string[] = [];
    const firstUsable = usable[0];
    if (firstUsable && rt.snapshots) {
      target = firstUsable.snap.before;
      conflicts = await outsideChanges(
        rt,
        thread,
        usable.map((r) => r.snap),
      );
      if (conflicts.length && !forced) throw new WorkspaceConflictError(conflicts);
    }
    const intent: RevertIntent = {
      threadId: thread.id,
      beforeTurnId: input.beforeTurnId,
      workspace: usable[0]?.snap.workspace ?? thread.workspace,
      target,
      forced,
      conflicts,
    };
    await rt.commit(rt.store.batch().putMeta(INTENT_PREFIX + thread.id, intent), []);
    crashPoint('revert.intent');
    return finishRevert(rt, intent);
  });
}

/** Completes reverts a crash interrupted (intent written, turns not yet removed). Call at open, before turns run. */
export async function finishRevertsAtOpen(rt: Runtime): Promise<number> {
  const intents = await rt.store.listMeta<RevertIntent>(INTENT_PREFIX);
  for (const { value } of intents) await rt.commands.run({ thread: value.threadId }, () => finishRevert(rt, value, true));
  return intents.length;
}

async function finishRevert(rt: Runtime, intent: RevertIntent, recovered = false): Promise<RevertResult> {
  let restoredFiles: string[] = [];
  if (intent.target && rt.snapshots) {
    const current = await rt.snapshots.take(intent.threadId, intent.workspace);
    restoredFiles = (await rt.snapshots.changes(intent.threadId, intent.workspace, current.tree, intent.target)).flatMap((f) =>
      f.oldPath ? [f.oldPath, f.path] : [f.path],
    );
    await rt.snapshots.restore(intent.threadId, intent.workspace, intent.target);
  }
  crashPoint('revert.files');

  const removed = await turnsFrom(rt, intent.threadId, intent.beforeTurnId);
  const removedIds = removed.map((t) => t.id);
  const removedSet = new Set(removedIds);
  const batch = rt.store.batch().deleteMeta(INTENT_PREFIX + intent.threadId);
  const itemIds = (await Promise.all(removedIds.map((id) => rt.store.listItemIds(id)))).flat();
  for (const turn of removed) batch.deleteTurn(turn).deleteTurnSnapshots(turn.id);
  for (const item of await rt.store.getItems(itemIds)) if (item) batch.deleteItem(item);
  const approvals = (await rt.store.getApprovals(await rt.store.listApprovalIdsOfThread(intent.threadId))).filter(
    (a): a is ApprovalRecord => a !== null && removedSet.has(a.turnId),
  );
  for (const approval of approvals) batch.deleteApproval(approval);
  const kept = (await rt.store.listTurnIds(intent.threadId)).filter((id) => !removedSet.has(id));

  const result = await rt.writeThread(intent.threadId, async (previous) => {
    if (!previous) {
      // The thread was purged meanwhile: only the intent is left to clear.
      await rt.commit(rt.store.batch().deleteMeta(INTENT_PREFIX + intent.threadId), []);
      return null;
    }
    const next: ThreadRecord = {
      ...previous,
      activeTurnId: null,
      latestTurnId: kept.at(-1) ?? null,
      turnCount: kept.length,
      updatedAt: rt.now(),
    };
    batch.putThread(next, previous);
    await rt.commit(
      batch,
      [
        draftEvent(
          'thread.reverted',
          { threadId: intent.threadId },
          {
            beforeTurnId: intent.beforeTurnId,
            removedTurnIds: removedIds,
            restoredFiles,
            forced: intent.forced,
            overwritten: intent.conflicts,
            recovered,
          },
        ),
      ],
      [next],
    );
    return next;
  });
  rt.conversations.invalidate(intent.threadId);
  if (!result) throw new NotFoundError('thread', intent.threadId);
  return { thread: result, removedTurnIds: removedIds, restoredFiles };
}

/** The thread's turns from `turnId` on (ids sort by creation), empty when it is not one of them. */
async function turnsFrom(rt: Runtime, threadId: string, turnId: string): Promise<TurnRecord[]> {
  const ids = await rt.store.listTurnIds(threadId);
  const at = ids.indexOf(turnId);
  if (at < 0) return [];
  return (await rt.store.getTurns(ids.slice(at))).filter((t): t is TurnRecord => t !== null);
}

/**
 * Files changed outside the agent since the first removed turn began: between one removed turn's end and the
 * next one's start, and since the last one ended.
 */
async function outsideChanges(rt: Runtime, thread: ThreadRecord, snaps: TurnSnapshotRecord[]): Promise<string[]> {
  const s = rt.snapshots!;
  const files = new Set<string>();
  const add = async (from: string | null, to: string | null, workspace: string) => {
    if (!from || !to || from === to) return;
    for (const f of await s.changes(thread.id, workspace, from, to)) {
      if (f.oldPath) files.add(f.oldPath);
      files.add(f.path);
    }
  };
  for (const [i, snap] of snaps.entries()) {
    const next = snaps[i + 1];
    if (next) await add(snap.after, next.before, next.workspace);
  }
  const last = snaps.at(-1);
  if (!last) return [...files];
  const now = await s.take(thread.id, last.workspace);
  await add(last.after, now.tree, last.workspace);
  return [...files].sort();
}
