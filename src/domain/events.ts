/**
 * The event table: every event name with the one payload shape it has (docs/DESIGN.md "Event log", "How to add
 * an event"). Producers build events with `draftEvent`, so a name or payload the table does not have does not
 * compile. Only imports ./enums.js: `npm run codegen` copies this file into the SDK (sdk/generated/events.ts),
 * where clients narrow `event.payload` by `event.name`.
 */
import type { ApprovalStatus, FinalTurnStatus, ItemKind, ItemStatus, PurgeReason, SandboxMode, TaskType, TurnPurpose, TurnStatus } from './enums.js';

/** Version of event names and payloads (runtimeInfo.eventSchemaVersion); raised when a payload changes incompatibly. */
export const EVENT_SCHEMA_VERSION = 1;

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  missTokens: number;
  reasoningTokens: number;
  /** false when the provider reported no cache fields (cached/miss are then inferred). */
  cacheReported: boolean;
}

/** The policy one shell command runs under. */
export interface SandboxPolicy {
  mode: SandboxMode;
  networkAccess: boolean;
}

/** A metadata value: scalars only, so exact-match filtering compares JSON values of one type (docs/DESIGN.md "Thread metadata"). */
export type ThreadMetadataValue = string | number | boolean;
/** A thread's own labels (at most 16 keys, 2 KiB of JSON), set by clients and filtered on by `threads(filter: { metadata })`. */
export type ThreadMetadata = Record<string, ThreadMetadataValue>;

/** A thread's settings: the fields thread.updated may carry (those named in `changed`); ThreadRecord has them too. */
export interface ThreadChanges {
  title: string | null;
  model: string;
  mode: string;
  workspace: string;
  systemPrompt: string | null;
  scratchpadRunId: string | null;
  allowShell: boolean;
  trustMode: boolean;
  /** Unset in records written before sandboxes: WORKSPACE_WRITE. */
  sandbox?: SandboxMode;
  /** Unset in records written before sandboxes: false. */
  networkAccess?: boolean;
  autoApprove: boolean;
  archived: boolean;
  /** When retention purges the thread (unset: never by itself). */
  expiresAt?: string | null;
  checklist: unknown;
  plan: unknown;
  /** Unset in records written before metadata: {}. */
  metadata?: ThreadMetadata;
}
export type ThreadChangeField = keyof ThreadChanges;

export interface ThreadStartedPayload {
  title: string | null;
  model: string;
  mode: string;
  workspace: string;
  taskType: TaskType;
  archived: boolean;
  /** Absent in events written before metadata. */
  metadata?: ThreadMetadata;
}

export type ThreadUpdatedPayload = { changed: ThreadChangeField[] } & Partial<ThreadChanges>;

export interface ThreadForkedPayload {
  sourceThreadId: string;
  depthFromTail: number | null;
  droppedTurnId: string | null;
  copiedTurns: number;
}

export interface ThreadRevertedPayload {
  beforeTurnId: string;
  removedTurnIds: string[];
  restoredFiles: string[];
  forced: boolean;
  /** Files changed outside the turns that the revert overwrote (only when forced). */
  overwritten: string[];
  /** The revert was finished at startup after a crash. */
  recovered: boolean;
}

export interface TurnStartedPayload {
  status: TurnStatus;
  purpose: TurnPurpose;
  inputSummary: string;
  model: string;
  mode: string;
  /** editLastTurn: the turn this one replaces. */
  replacesTurnId?: string;
  /** The seq the user had seen when typing the prompt (startTurn's seenSeq), when given. */
  seenSeq?: number;
}

export interface TurnQueuedPayload extends Omit<TurnStartedPayload, 'replacesTurnId'> {
  /** 1-based place in the queue. */
  position: number;
}

/** A queued turn's prompt was changed (editQueuedTurn). */
export interface TurnQueueEditedPayload {
  inputSummary: string;
  /** 1-based place in the queue. */
  position: number;
}

/** A queued turn was moved (moveQueuedTurn). */
export interface TurnQueueMovedPayload {
  position: number;
  previousPosition: number;
  /** The thread's queued turns in their new run order. */
  queue: string[];
}

export interface TurnCompletedPayload {
  status: FinalTurnStatus;
  error: string | null;
  /** null for a turn that never started (CANCELED while queued). */
  durationMs: number | null;
  usage: TokenUsage | null;
  costUsd: number | null;
}

/** item.started, item.completed, item.failed, item.interrupted. */
export interface ItemEventPayload {
  kind: ItemKind;
  status: ItemStatus;
  summary: string;
}

/** The item fields that stream: `delta` is appended to the field named by `kind`. */
export type StreamedField = 'text' | 'reasoning' | 'output';

export interface ItemDeltaPayload {
  kind: StreamedField;
  delta: string;
}

export interface EventPayloads {
  'thread.started': ThreadStartedPayload;
  'thread.updated': ThreadUpdatedPayload;
  'thread.archived': { archived: boolean };
  'thread.forked': ThreadForkedPayload;
  'thread.deleted': { reason: PurgeReason; purgedEvents: number };
  'thread.compacted': { reason: string };
  'thread.reverted': ThreadRevertedPayload;
  /** A content-free row where an event of a purged thread was (the seq stays, the content is gone). */
  'event.purged': { reason: PurgeReason };
  'turn.queued': TurnQueuedPayload;
  'turn.started': TurnStartedPayload;
  'turn.steered': { steerCount: number; summary: string; seenSeq?: number };
  'turn.queue_edited': TurnQueueEditedPayload;
  'turn.queue_moved': TurnQueueMovedPayload;
  'turn.interrupt_requested': Record<string, never>;
  'turn.completed': TurnCompletedPayload;
  'item.started': ItemEventPayload;
  'item.delta': ItemDeltaPayload;
  'item.completed': ItemEventPayload;
  'item.failed': ItemEventPayload;
  'item.interrupted': ItemEventPayload;
  'approval.required': {
    approvalId: string;
    toolName: string;
    arguments: unknown;
    reason: string | null;
    expiresAt: string;
    /** Shell commands: the policy the command runs under if approved as asked. */
    sandbox?: SandboxPolicy;
  };
  'approval.resolved': {
    approvalId: string;
    status: ApprovalStatus;
    toolName: string;
    remember: boolean;
    /** Set when a person widened the sandbox for this one command. */
    grantedSandbox?: SandboxPolicy;
  };
  'usage.recorded': { model: string; usage: TokenUsage; costUsd: number | null; costCny: number | null };
  'client_tool.requested': { callId: string; toolName: string; arguments: unknown; expiresAt: string };
  'client_tool.resolved': { callId: string; status: 'SUBMITTED' | 'EXPIRED' };
}

export type EventName = keyof EventPayloads;

/** Every event name, in the order of the table (the compiler checks that none is missing or unknown). */
export const EVENT_NAMES = [
  'thread.started',
  'thread.updated',
  'thread.archived',
  'thread.forked',
  'thread.deleted',
  'thread.compacted',
  'thread.reverted',
  'event.purged',
  'turn.queued',
  'turn.started',
  'turn.steered',
  'turn.queue_edited',
  'turn.queue_moved',
  'turn.interrupt_requested',
  'turn.completed',
  'item.started',
  'item.delta',
  'item.completed',
  'item.failed',
  'item.interrupted',
  'approval.required',
  'approval.resolved',
  'usage.recorded',
  'client_tool.requested',
  'client_tool.resolved',
] as const satisfies readonly EventName[];
// Compiles only while the list has every name of the table.
const _everyName: [Exclude<EventName, (typeof EVENT_NAMES)[number]>] extends [never] ? true : never = true;
void _everyName;

export const PURGED_EVENT = 'event.purged' satisfies EventName;

/** One event of the log with the payload of its name. */
export interface EventOf<N extends EventName> {
  seq: number;
  timestamp: string;
  name: N;
  threadId: string;
  turnId: string | null;
  itemId: string | null;
  payload: EventPayloads[N];
}

/** Any event: a union by `name`, so `if (e.name === 'turn.completed')` narrows `e.payload`. */
export type EventRecord = { [N in EventName]: EventOf<N> }[EventName];

/** An event before the log gives it a seq and a timestamp. */
export type EventDraftOf<N extends EventName> = Omit<EventOf<N>, 'seq' | 'timestamp'>;
export type EventDraft = { [N in EventName]: EventDraftOf<N> }[EventName];

/** Where an event belongs: its thread, and its turn and item when it has them. */
export interface EventScope {
  threadId: string;
  turnId?: string | null;
  itemId?: string | null;
}

/** The one way to make an event: the name picks the payload type. */
export function draftEvent<N extends EventName>(name: N, scope: EventScope, payload: EventPayloads[N]): EventDraftOf<N> {
  return { name, threadId: scope.threadId, turnId: scope.turnId ?? null, itemId: scope.itemId ?? null, payload };
}
