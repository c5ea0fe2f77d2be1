/** Records and helpers the store tests build on (test/store.test.ts and the shared suite, storeSuite.ts). */
import { newItemRecord, newThreadRecord, newTurnRecord } from '../../src/domain/factories.js';
import { newId } from '../../src/domain/ids.js';
import type { ApprovalRecord, ItemRecord, ThreadRecord, TurnRecord, TurnStatus } from '../../src/domain/records.js';
import { SCHEMA_VERSION } from '../../src/domain/records.js';
import type { ThreadListFilter } from '../../src/store/contract.js';
import type { Page } from '../../src/store/paging.js';

export const T0 = Date.parse('2026-03-01T12:00:00.000Z');
/** An ISO time `minutes` after a fixed origin. */
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export function thread(fields: Partial<ThreadRecord> = {}, now = at(0)): ThreadRecord {
  return newThreadRecord({ model: 'deepseek-v4-flash', mode: 'agent', workspace: '/ws', ...fields }, now);
}

export function turn(of: ThreadRecord, prompt = 'hello', status: TurnStatus = 'COMPLETED', now = at(0)): TurnRecord {
  return newTurnRecord({ threadId: of.id, prompt, model: of.model, mode: of.mode, options: {}, status }, now);
}

export function item(of: TurnRecord, text = 'answer'): ItemRecord {
  return newItemRecord(of, { kind: 'AGENT_MESSAGE', text }, at(0));
}

export function approval(of: TurnRecord, status: ApprovalRecord['status'] = 'PENDING'): ApprovalRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: newId('approval'),
    threadId: of.threadId,
    turnId: of.id,
    itemId: null,
    toolName: 'shell',
    arguments: { command: 'ls' },
    reason: null,
    status,
    createdAt: at(0),
    expiresAt: at(10),
    resolvedAt: null,
  };
}

export const ids = (page: Page<{ id: string }>) => page.entries.map((e) => e.value.id);
export const shape = (page: Page<{ id: string }>) => ({ ids: ids(page), hasPreviousPage: page.hasPreviousPage, hasNextPage: page.hasNextPage });
export const ALL: ThreadListFilter = { archived: 'INCLUDE_ARCHIVED' };

/** Resolves to the rejection of `run` (synchronous throws included), failing when it resolves. */
export async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
