import { newId } from './ids.js';
import type { ItemKind, ItemRecord, ThreadRecord, TurnOptions, TurnPurpose, TurnRecord, TurnStatus } from './records.js';
import { SCHEMA_VERSION } from './records.js';
import { summarize } from './summary.js';

export interface ThreadDefaults {
  model: string;
  mode: string;
  workspace: string;
}

export function newThreadRecord(fields: Partial<ThreadRecord> & ThreadDefaults, now: string): ThreadRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: newId('thread'),
    title: null,
    allowShell: false,
    trustMode: false,
    autoApprove: false,
    archived: false,
    systemPrompt: null,
    taskId: null,
    taskType: 'CODE',
    activeTurnId: null,
    latestTurnId: null,
    turnCount: 0,
    forkedFrom: null,
    scratchpadRunId: null,
    scratchpadRunHistory: [],
    checklist: null,
    plan: null,
    usage: null,
    ...fields,
    createdAt: now,
    updatedAt: now,
  };
}

export interface NewTurn {
  threadId: string;
  prompt: string;
  inputSummary?: string | null;
  model: string;
  mode: string;
  options: TurnOptions;
  status: TurnStatus;
  purpose?: TurnPurpose;
}

export function newTurnRecord(t: NewTurn, now: string): TurnRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: newId('turn'),
    threadId: t.threadId,
    status: t.status,
    purpose: t.purpose ?? 'PROMPT',
    prompt: t.prompt,
    inputSummary: t.inputSummary?.trim() ? summarize(t.inputSummary) : summarize(t.prompt),
    model: t.model,
    mode: t.mode,
    options: t.options,
    createdAt: now,
    startedAt: t.status === 'IN_PROGRESS' ? now : null,
    endedAt: null,
    durationMs: null,
    usage: null,
    costUsd: null,
    costCny: null,
    costUsdWithoutCache: null,
    costCnyWithoutCache: null,
    price: null,
    error: null,
    steerCount: 0,
    itemCount: 0,
    supersededBy: null,
  };
}

/** A new item; the summary is derived from its main text. */
export function newItemRecord(turn: Pick<TurnRecord, 'id' | 'threadId'>, kind: ItemKind, fields: Partial<ItemRecord>, now: string): ItemRecord {
  const item: ItemRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: newId('item'),
    turnId: turn.id,
    threadId: turn.threadId,
    kind,
    status: 'IN_PROGRESS',
    summary: '',
    detail: null,
    metadata: null,
    artifactRefs: [],
    startedAt: now,
    endedAt: null,
    ...fields,
  };
  item.summary = itemSummary(item);
  return item;
}

export function itemSummary(item: ItemRecord): string {
  switch (item.kind) {
    case 'USER_MESSAGE':
    case 'AGENT_MESSAGE':
      return summarize(item.text ?? '');
    case 'TOOL_CALL':
    case 'MCP_TOOL_CALL':
      return summarize(`${item.toolName ?? 'tool'}(${item.arguments === undefined ? '' : JSON.stringify(item.arguments)})`);
    case 'COMMAND_EXECUTION':
      return summarize(`$ ${item.command ?? ''}`);
    case 'FILE_CHANGE':
      return summarize(`${item.changeKind ?? 'UPDATE'} ${item.path ?? ''}`);
    case 'CONTEXT_COMPACTION':
      return summarize(item.reason ? `Context compacted: ${item.reason}` : 'Context compacted');
    case 'STATUS':
    case 'ERROR':
      return summarize(item.message ?? '');
  }
}

export function isFinal(status: TurnStatus): boolean {
  return status !== 'QUEUED' && status !== 'IN_PROGRESS';
}
