/**
 * Writes a data directory directly through the Store (much faster than running turns through the API), so a
 * process can be started on a thread with hundreds of finished turns.
 */
import path from 'node:path';
import { newItemRecord, newThreadRecord, newTurnRecord } from '../../src/domain/factories.js';
import { draftEvent, type EventDraftOf, type EventName, type EventPayloads } from '../../src/domain/events.js';
import { threadPayload } from '../../src/runtime/threadCommands.js';
import type { EventDraft, ThreadRecord } from '../../src/domain/records.js';
import { Store } from '../../src/store/store.js';

export interface SeededThread {
  threadId: string;
  turnIds: string[];
  itemsPerTurn: number;
}

export interface SeedOptions {
  threads?: number;
  turnsPerThread?: number;
  /** Items per turn: one USER_MESSAGE and the rest AGENT_MESSAGEs. */
  itemsPerTurn?: number;
  workspace: string;
}

/** The store under `dataDir/runtime` (as the server opens it), with finished turns and a gapless event log. */
export async function seedDataDir(dataDir: string, options: SeedOptions): Promise<SeededThread[]> {
  const store = await Store.open(path.join(dataDir, 'runtime'));
  try {
    return await seedStore(store, options);
  } finally {
    await store.close();
  }
}

export async function seedStore(
  store: Store,
  { threads = 1, turnsPerThread = 300, itemsPerTurn = 2, workspace }: SeedOptions,
): Promise<SeededThread[]> {
  const seeded: SeededThread[] = [];
  const base = Date.now() - 3_600_000;
  for (let t = 0; t < threads; t++) {
    const start = new Date(base + t * 1000).toISOString();
    const thread: ThreadRecord = newThreadRecord({ model: 'fake-model', mode: 'agent', workspace, title: `seeded ${t}` }, start);
    const event = <N extends EventName>(name: N, turnId: string | null, itemId: string | null, payload: EventPayloads[N]): EventDraftOf<N> =>
      draftEvent(name, { threadId: thread.id, turnId, itemId }, payload);
    // The store gives the events their seqs when each batch is committed.
    let batch = store.batch();
    let drafts: EventDraft[] = [event('thread.started', null, null, threadPayload(thread))];
    const turnIds: string[] = [];
    for (let i = 0; i < turnsPerThread; i++) {
      const turn = newTurnRecord(
        {
          threadId: thread.id,
          prompt: `prompt ${i} ${'lorem ipsum '.repeat(20)}`,
          model: thread.model,
          mode: 'agent',
          options: {},
          status: 'COMPLETED',
        },
        start,
      );
      turn.startedAt = start;
      turn.endedAt = start;
      turn.durationMs = 0;
      turn.itemCount = itemsPerTurn;
      for (let k = 0; k < itemsPerTurn; k++) {
        const item =
          k === 0
            ? newItemRecord(turn, { kind: 'USER_MESSAGE', text: turn.prompt, status: 'COMPLETED', endedAt: start }, start)
            : newItemRecord(
                turn,
                { kind: 'AGENT_MESSAGE', text: `answer ${i}.${k} ${'dolor sit amet '.repeat(30)}`, status: 'COMPLETED', endedAt: start },
                start,
              );
        batch.putItem(item);
      }
      batch.putTurn(turn);
      drafts.push(event('turn.completed', turn.id, null, { status: 'COMPLETED', error: null, durationMs: 0, usage: null, costUsd: null }));
      turnIds.push(turn.id);
      if (batch.size > 2000) {
        await store.commit([{ unit: batch, drafts }], start);
        batch = store.batch();
        drafts = [];
      }
    }
    thread.turnCount = turnsPerThread;
    thread.latestTurnId = turnIds.at(-1) ?? null;
    await store.commit([{ unit: batch.putThread(thread, null), drafts }], start);
    seeded.push({ threadId: thread.id, turnIds, itemsPerTurn });
  }
  return seeded;
}
