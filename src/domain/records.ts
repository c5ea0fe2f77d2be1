import type { UsageAccumulator } from './usage.js';

/** The records the store keeps. Every record carries the schema version it was written with. */
export const SCHEMA_VERSION = 2;

export type TaskType = 'CODE' | 'OFFICE';
export type TurnStatus = 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'INTERRUPTED' | 'CANCELED';
export type ItemStatus = TurnStatus;
export type ItemKind =
  'USER_MESSAGE' | 'AGENT_MESSAGE' | 'TOOL_CALL' | 'MCP_TOOL_CALL' | 'FILE_CHANGE' | 'COMMAND_EXECUTION' | 'CONTEXT_COMPACTION' | 'STATUS' | 'ERROR';
export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'DENIED' | 'EXPIRED';

/** What a shell command may touch: nothing but a private tmp, also the workspace, or everything (no sandbox). */
export type SandboxMode = 'READ_ONLY' | 'WORKSPACE_WRITE' | 'FULL_ACCESS';
export const SANDBOX_MODES: readonly SandboxMode[] = ['READ_ONLY', 'WORKSPACE_WRITE', 'FULL_ACCESS'];

/** The policy one shell command runs under. */
export interface SandboxPolicy {
  mode: SandboxMode;
  networkAccess: boolean;
}

export const DEFAULT_SANDBOX_POLICY: SandboxPolicy = { mode: 'WORKSPACE_WRITE', networkAccess: false };

/** `trustMode` is the older name of FULL_ACCESS: when on, it wins over `sandbox`. */
export function effectiveSandboxPolicy(settings: { trustMode: boolean; sandbox?: SandboxMode; networkAccess?: boolean }): SandboxPolicy {
  if (settings.trustMode) return { mode: 'FULL_ACCESS', networkAccess: true };
  const mode = settings.sandbox ?? DEFAULT_SANDBOX_POLICY.mode;
  return { mode, networkAccess: mode === 'FULL_ACCESS' || (settings.networkAccess ?? DEFAULT_SANDBOX_POLICY.networkAccess) };
}

export const FINAL_TURN_STATUSES: readonly TurnStatus[] = ['COMPLETED', 'FAILED', 'INTERRUPTED', 'CANCELED'];

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  missTokens: number;
  reasoningTokens: number;
  /** false when the provider reported no cache fields (cached/miss are then inferred). */
  cacheReported: boolean;
}

export interface ForkOrigin {
  threadId: string;
  /** The dropped turn (first turn not copied), null when everything was copied. */
  turnId: string | null;
  depthFromTail: number;
}

export interface ThreadRecord {
  schemaVersion: number;
  id: string;
  title: string | null;
  model: string;
  mode: string;
  workspace: string;
  allowShell: boolean;
  trustMode: boolean;
  /** Unset in records written before sandboxes: WORKSPACE_WRITE. */
  sandbox?: SandboxMode;
  /** Unset in records written before sandboxes: false. */
  networkAccess?: boolean;
  autoApprove: boolean;
  archived: boolean;
  systemPrompt: string | null;
  taskId: string | null;
  taskType: TaskType;
  createdAt: string;
  updatedAt: string;
  activeTurnId: string | null;
  latestTurnId: string | null;
  turnCount: number;
  forkedFrom: ForkOrigin | null;
  scratchpadRunId: string | null;
  scratchpadRunHistory: string[];
  checklist: unknown;
  plan: unknown;
  /** Usage of all ended turns of this thread (a usage accumulator, see usage.ts). */
  usage: UsageAccumulator | null;
  /** When retention purges the thread (unset: never by itself). */
  expiresAt?: string | null;
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

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

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

export type TurnPurpose = 'PROMPT' | 'COMPACTION';

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
}

export interface ItemRecord {
  schemaVersion: number;
  id: string;
  turnId: string;
  threadId: string;
  kind: ItemKind;
  status: ItemStatus;
  summary: string;
  detail: string | null;
  metadata: Record<string, unknown> | null;
  artifactRefs: string[];
  startedAt: string | null;
  endedAt: string | null;
  // Kind-specific fields (only those of the item's kind are set).
  text?: string;
  reasoning?: string;
  toolName?: string;
  arguments?: unknown;
  output?: string | null;
  command?: string;
  exitCode?: number | null;
  path?: string;
  changeKind?: 'ADD' | 'UPDATE' | 'DELETE';
  diff?: string;
  reason?: string;
  message?: string;
  images?: ImageRef[];
  /** AGENT_MESSAGE of a turn with an output schema: the parsed answer, or why it does not match. */
  json?: unknown;
  jsonError?: string | null;
  /** MCP_TOOL_CALL */
  mcpServer?: string;
  mcpTool?: string;
  isError?: boolean;
}

export interface EventRecord {
  seq: number;
  timestamp: string;
  name: string;
  threadId: string;
  turnId: string | null;
  itemId: string | null;
  payload: Record<string, unknown>;
}

/** An event before the log gives it a seq and a timestamp. */
export type EventDraft = Omit<EventRecord, 'seq' | 'timestamp'>;

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

/** What a purged event's row holds instead: the seq stays, the content is gone. */
export const PURGED_EVENT = 'event.purged';

export type PurgeReason = 'DELETED' | 'EXPIRED' | 'RETENTION';

export interface RoutingRule {
  intent: string;
  model: string;
}
