import { draftEvent } from '../domain/events.js';
import type { PurgeReason, ThreadRecord, TurnRecord } from '../domain/records.js';
import type { Runtime } from './runtime.js';

/** Called after a thread's rows are gone, to remove what lives outside the store (workspace snapshots). */
export type PurgeListener = (threadId: string) => Promise<void>;

/**
 * Removes a thread's content everywhere, in one batch: its record, turns, items, approvals, snapshot rows,
 * per-thread event rows, and in the global log each of its events becomes a content-free tombstone with the
 * same seq (so seq stays gapless and a replay says what happened). One `thread.deleted` event, without content,
 * announces it. Call under the thread's command lock.
 */
export async function purgeThread(rt: Runtime, thread: ThreadRecord, reason: PurgeReason): Promise<void> {
  const id = thread.id;
  await rt.active.get(id)?.interrupt(reason === 'DELETED' ? 'Thread deleted' : 'Thread expired');
  // Everything this thread committed so far is in the store before it is read back for removal.
  await rt.log.drain();
  const current = (await rt.threadForWrite(id)) ?? thread;
  const batch = rt.store.batch().deleteThread(current);
  const turnIds = await rt.store.listTurnIds(id);
  const turns = (await rt.store.getTurns(turnIds)).filter((t): t is TurnRecord => t !== null);
  const itemIds = (await Promise.all(turnIds.map((t) => rt.store.listItemIds(t)))).flat();
  for (const turn of turns) batch.deleteTurn(turn).deleteTurnSnapshots(turn.id);
  for (const item of await rt.store.getItems(itemIds)) if (item) batch.deleteItem(item);
  for (const approval of await rt.store.getApprovals(await rt.store.listApprovalIdsOfThread(id))) if (approval) batch.deleteApproval(approval);
  for (const hash of await rt.store.listImageHashesOfThread(id)) batch.deleteImage(id, hash);
  let purged = 0;
  for (let after = 0; ;) {
    const page = await rt.store.readEvents(id, after, 1000);
    for (const event of page) {
      batch.deleteThreadEventRow(id, event.seq).tombstoneEvent(event, reason);
      purged++;
    }
    const last = page.at(-1);
    if (!last || page.length < 1000) break;
    after = last.seq;
  }
  await rt.commit(batch, [draftEvent('thread.deleted', { threadId: id }, { reason, purgedEvents: purged })], [], {
    threadIndexed: false,
  });
  rt.conversations.invalidate(id);
  await rt.threadPurged(id);
}
