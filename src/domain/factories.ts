import type { StreamedField } from './events.js';
import { newId } from './ids.js';
import type { ItemCommon, ItemKind, ItemKindFields, ItemRecord, ThreadRecord, TurnOptions, TurnPurpose, TurnRecord, TurnStatus } from './records.js';
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

/** What a new item is made with: its kind, that kind's fields, and the common fields that differ from a start. */
export type NewItem = {
  [K in ItemKind]: { kind: K } & ItemKindFields[K] & Partial<Pick<ItemCommon, 'status' | 'endedAt' | 'metadata' | 'detail'>>;
}[ItemKind];

/** A new item (IN_PROGRESS from now unless `fields` say otherwise); the summary is derived from its main text. */
export function newItemRecord(turn: Pick<TurnRecord, 'id' | 'threadId'>, fields: NewItem, now: string): ItemRecord {
  const common: ItemCommon = {
    schemaVersion: SCHEMA_VERSION,
    id: newId('item'),
    turnId: turn.id,
    threadId: turn.threadId,
    status: 'IN_PROGRESS',
    summary: '',
    detail: null,
    metadata: null,
    artifactRefs: [],
    startedAt: now,
    endedAt: null,
  };
  const item: ItemRecord = { ...common, ...fields };
  item.summary = itemSummary(item);
  return item;
}

export function itemSummary(item: ItemRecord): string {
  switch (item.kind) {
    case 'USER_MESSAGE':
    case 'AGENT_MESSAGE':
      return summarize(item.text);
    case 'TOOL_CALL':
    case 'MCP_TOOL_CALL':
      return summarize(`${item.toolName}(${item.arguments === undefined ? '' : JSON.stringify(item.arguments)})`);
    case 'COMMAND_EXECUTION':
      return summarize(`$ ${item.command}`);
    case 'FILE_CHANGE':
      return summarize(`${item.changeKind} ${item.path}`);
    case 'CONTEXT_COMPACTION':
      return summarize(item.reason ? `Context compacted: ${item.reason}` : 'Context compacted');
    case 'STATUS':
    case 'ERROR':
      return summarize(item.message);
  }
}

/** Appends streamed text to the item's field; false (nothing changed) when the item's kind has no such field. */
export function appendStreamed(item: ItemRecord, field: StreamedField, delta: string): boolean {
  switch (field) {
    case 'text':
      if (item.kind !== 'USER_MESSAGE' && item.kind !== 'AGENT_MESSAGE' && item.kind !== 'CONTEXT_COMPACTION') return false;
      item.text += delta;
      return true;
    case 'reasoning':
      if (item.kind !== 'AGENT_MESSAGE') return false;
      item.reasoning = (item.reasoning ?? '') + delta;
      return true;
    case 'output':
      if (item.kind !== 'TOOL_CALL' && item.kind !== 'MCP_TOOL_CALL' && item.kind !== 'COMMAND_EXECUTION') return false;
      item.output = (item.output ?? '') + delta;
      return true;
  }
}
