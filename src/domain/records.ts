import type {
  ApprovalStatus,
  FileChangeKind,
  ItemKind,
  ItemStatus,
  ReasoningEffort,
  SandboxMode,
  TaskType,
  TurnPurpose,
  TurnStatus,
} from './enums.js';
import type { SandboxPolicy, ThreadChanges, TokenUsage } from './events.js';
import type { UsageAccumulator } from './usage.js';

/** The records the store keeps. Every record carries the schema version it was written with. */
export const SCHEMA_VERSION = 2;

export * from './enums.js';
export { EVENT_SCHEMA_VERSION, PURGED_EVENT, type EventDraft, type EventRecord, type SandboxPolicy, type TokenUsage } from './events.js';

export const DEFAULT_SANDBOX_POLICY: SandboxPolicy = { mode: 'WORKSPACE_WRITE', networkAccess: false };

/** `trustMode` is the older name of FULL_ACCESS: when on, it wins over `sandbox`. */
export function effectiveSandboxPolicy(settings: { trustMode: boolean; sandbox?: SandboxMode; networkAccess?: boolean }): SandboxPolicy {
  if (settings.trustMode) return { mode: 'FULL_ACCESS', networkAccess: true };
  const mode = settings.sandbox ?? DEFAULT_SANDBOX_POLICY.mode;
  return { mode, networkAccess: mode === 'FULL_ACCESS' || (settings.networkAccess ?? DEFAULT_SANDBOX_POLICY.networkAccess) };
}

export interface ForkOrigin {
  threadId: string;
  /** The dropped turn (first turn not copied), null when everything was copied. */
  turnId: string | null;
  depthFromTail: number;
}

/** A thread: its settings (ThreadChanges, the fields thread.updated may carry) and what the runtime keeps. */
export interface ThreadRecord extends ThreadChanges {
  schemaVersion: number;
  id: string;
  taskId: string | null;
  taskType: TaskType;
  createdAt: string;
  updatedAt: string;
  activeTurnId: string | null;
  latestTurnId: string | null;
  turnCount: number;
  forkedFrom: ForkOrigin | null;
  scratchpadRunHistory: string[];
  /** Usage of all ended turns of this thread (a usage accumulator, see usage.ts). */
  usage: UsageAccumulator | null;
}

/** Options a turn was started with; flags override the thread's for this turn only. */
export interface TurnOptions {
  allowShell?: boolean;
  trustMode?: boolean;
  sandbox?: SandboxMode;
  networkAccess?: boolean;
  autoApprove?: boolean;
  routeIntent?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  reasoningEffort?: ReasoningEffort;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  stop?: string[];
  /** JSON Schema the final answer must match (sent as the provider's json_schema response format). */
  outputSchema?: Record<string, unknown>;
  /** Tools the client declared for this turn and answers itself (submitToolOutput). */
  clientTools?: ClientToolSpec[];
}

export interface ClientToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

/** An image of a user message as the item keeps it: a URL, or a reference to data stored once (by hash). */
export interface ImageRef {
  /** Set for a URL image. */
  url?: string;
  /** Set for data stored in the image store: sha256 of the bytes, hex. */
  sha256?: string;
  mimeType?: string;
  byteSize?: number;
}

/** Image data stored once per thread, referenced from items by sha256. */
export interface ImageBlob {
  sha256: string;
  mimeType: string;
  /** base64 */
  data: string;
  byteSize: number;
}

export interface TurnRecord {
  schemaVersion: number;
  id: string;
  threadId: string;
  status: TurnStatus;
  purpose: TurnPurpose;
  prompt: string;
  inputSummary: string;
  model: string;
  mode: string;
  options: TurnOptions;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  usage: TokenUsage | null;
  costUsd: number | null;
  costCny: number | null;
  costUsdWithoutCache: number | null;
  costCnyWithoutCache: number | null;
  /** The price entry the cost was computed with (fixed when the turn ended). */
  price: unknown;
  error: string | null;
  steerCount: number;
  itemCount: number;
  /** Seq just before the turn's first event (unset: unknown, e.g. a turn that was queued). */
  startSeq?: number;
  /** Set by editLastTurn on the turn it replaced: kept as history, left out of the model's conversation. */
  supersededBy: string | null;
  /** Images sent with the prompt (their data is stored once in the thread's image store). */
  images?: ImageRef[];
  /** Sort key in the thread's queue, set by moveQueuedTurn (unset: the turn id, i.e. the order of arrival). */
  queueRank?: string;
  /** The seq the user had seen when they typed the prompt (startTurn's seenSeq); unset: not told. */
  seenSeq?: number | null;
}

/** What every item has, whatever its kind. */
export interface ItemCommon {
  schemaVersion: number;
  id: string;
  turnId: string;
  threadId: string;
  status: ItemStatus;
  summary: string;
  detail: string | null;
  metadata: Record<string, unknown> | null;
  artifactRefs: string[];
  startedAt: string | null;
  endedAt: string | null;
}

/**
 * The fields of each item kind, and only those (docs/DESIGN.md "Items"). Stored flat beside the common fields,
 * in the same JSON shape as before the union: records written by older versions read as they are.
 */
export interface ItemKindFields {
  USER_MESSAGE: { text: string; images?: ImageRef[] };
  AGENT_MESSAGE: {
    text: string;
    reasoning?: string;
    /** A turn with an output schema: the parsed answer, or why it does not match. */
    json?: unknown;
    jsonError?: string | null;
  };
  TOOL_CALL: { toolName: string; arguments?: unknown; output?: string | null };
  MCP_TOOL_CALL: { toolName: string; mcpServer: string; mcpTool: string; arguments?: unknown; output?: string | null; isError?: boolean };
  COMMAND_EXECUTION: { command: string; exitCode?: number | null; output?: string | null };
  FILE_CHANGE: { path: string; changeKind: FileChangeKind; diff: string };
  CONTEXT_COMPACTION: { text: string; reason?: string | null };
  STATUS: { message: string };
  ERROR: { message: string };
}
// Compiles only while ItemKindFields has exactly the kinds of ITEM_KINDS.
const _everyKind: [Exclude<ItemKind, keyof ItemKindFields> | Exclude<keyof ItemKindFields, ItemKind>] extends [never] ? true : never = true;
void _everyKind;

/** An item of one kind. */
export type ItemOf<K extends ItemKind> = ItemCommon & { kind: K } & ItemKindFields[K];

/** Any item: a union by `kind`, so `if (item.kind === 'FILE_CHANGE')` narrows to its fields. */
export type ItemRecord = { [K in ItemKind]: ItemOf<K> }[ItemKind];

export interface ApprovalRecord {
  schemaVersion: number;
  id: string;
  threadId: string;
  turnId: string;
  itemId: string | null;
  toolName: string;
  arguments: unknown;
  reason: string | null;
  /** Shell approvals: the policy the command runs under if approved as asked (unset for other tools). */
  sandbox?: SandboxPolicy | null;
  /** Shell approvals: the policy a person granted, when it differs from `sandbox` (one command only). */
  grantedSandbox?: SandboxPolicy | null;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  resolvedAt: string | null;
}

export interface RoutingRule {
  intent: string;
  model: string;
}
