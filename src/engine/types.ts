import type { StreamedField } from '../domain/events.js';
import type { ClientToolSpec, ItemEndStatus, ItemKind, ItemKindFields, ReasoningEffort, SandboxPolicy, TokenUsage } from '../domain/records.js';
import type { McpToolSource } from './mcp/types.js';

/** One message of the conversation sent to the model (OpenAI chat format). */
export type ChatMessage =
  | { role: 'system'; content: string }
  /** `images`: URLs (http(s) or data:) sent as image parts after the text. */
  | { role: 'user'; content: string; images?: string[] }
  | { role: 'assistant'; content: string | null; reasoning?: string; toolCalls?: { id: string; name: string; arguments: string }[] }
  | { role: 'tool'; toolCallId: string; content: string };

export type ApprovalDecision = 'APPROVED' | 'DENIED' | 'EXPIRED';

/** A person's answer; for a shell command also the policy it may run under (the one asked for, or a grant). */
export interface ApprovalOutcome {
  decision: ApprovalDecision;
  sandbox: SandboxPolicy | null;
}

export interface ApprovalRequest {
  toolName: string;
  arguments: unknown;
  reason: string | null;
  /** Shell commands: the policy the command runs under if approved as asked. */
  sandbox?: SandboxPolicy | null;
  /** The TOOL_CALL item waiting for the decision. */
  itemKey: string;
}

/** User input steered into a running turn. */
export interface SteerInput {
  text: string;
  /** Image URLs (http(s) or data:). */
  images?: string[];
}

/** Per-turn options of the OpenAI-compatible API, passed through as given. */
export interface ModelOptions {
  reasoningEffort?: ReasoningEffort;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  stop?: string[];
}

export interface ClientToolRequest {
  toolName: string;
  arguments: unknown;
  /** The TOOL_CALL item the client answers (its id is the callId of submitToolOutput). */
  itemKey: string;
}

/** The client's answer, or `expired` when it did not answer in time. */
export type ClientToolAnswer = { output: string } | { expired: true };

/** When to compact the conversation automatically before a model call. */
export interface AutoCompaction {
  /** Compact when the conversation counts at least this many tokens. */
  thresholdTokens: number;
  /** The model's context window, when known (for the item's reason). */
  contextWindow: number | null;
}

/** A model the provider lists. */
export interface ProviderModel {
  id: string;
  ownedBy: string | null;
  /** Epoch seconds, when the provider says. */
  created: number | null;
}

export interface EngineInput {
  threadId: string;
  turnId: string;
  model: string;
  mode: string;
  systemPrompt: string | null;
  /** The conversation so far, ending with this turn's user message(s). */
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  workspace: string;
  allowShell: boolean;
  trustMode: boolean;
  /** The policy shell commands run under (trustMode folded in: FULL_ACCESS). */
  sandbox: SandboxPolicy;
  /** Directories sandboxed commands must not see (the server's data directory). */
  hiddenPaths?: readonly string[];
  /** Read at each tool call: an approval given with `remember` applies to the rest of the turn too. */
  readonly autoApprove: boolean;
  /** Extra user input steered into the running turn since the last call; the engine sends it next. */
  takeSteers(): SteerInput[];
  modelOptions?: ModelOptions;
  /** JSON Schema the final answer must match. */
  outputSchema?: Record<string, unknown>;
  /** Tools the client answers itself. */
  clientTools?: ClientToolSpec[];
  /** Announces a client tool call and waits for the client's answer (or the timeout). */
  requestClientToolOutput?(request: ClientToolRequest): Promise<ClientToolAnswer>;
  /** MCP servers' tools, when configured. */
  mcp?: McpToolSource | null;
  /** Unset: no automatic compaction. */
  autoCompaction?: AutoCompaction | null;
  /** Asks a person to approve a tool call; resolves with their decision (or EXPIRED). */
  requestApproval(request: ApprovalRequest): Promise<ApprovalOutcome>;
  /** Replaces the thread's checklist or plan snapshot. */
  updateThread(fields: { checklist?: unknown; plan?: unknown }): Promise<void>;
  /** Model calls with tool rounds before the turn is stopped with a status item. */
  maxSteps?: number;
  /** What the turn is for: answering a prompt, or summarising the conversation (compaction). */
  purpose: 'PROMPT' | 'COMPACTION';
}

/** The item's metadata, which any kind may set when it starts or ends. */
type WithMetadata = { metadata?: Record<string, unknown> | null };

/** What an engine starts an item of kind K with: its kind's fields (a streamed `text` starts empty if not given). */
export type ItemStartFields<K extends ItemKind> = (ItemKindFields[K] extends { text: string }
  ? Omit<ItemKindFields[K], 'text'> & { text?: string }
  : ItemKindFields[K]) &
  WithMetadata;

/** An item starts: a union by kind, so a kind's start carries exactly that kind's fields (optional when none is required). */
export type ItemStarted = {
  [K in ItemKind]: { type: 'item.started'; key: string; kind: K } & ({} extends ItemStartFields<K>
    ? { fields?: ItemStartFields<K> }
    : { fields: ItemStartFields<K> });
}[ItemKind];

/**
 * An item ends. With kind-specific `fields` it names the `kind` it started as (the runtime checks it), so only
 * that kind's fields compile; a bare end (status, metadata) needs no kind.
 */
export type ItemCompleted =
  | {
      [K in ItemKind]: { type: 'item.completed'; key: string; kind: K; status?: ItemEndStatus; fields?: Partial<ItemKindFields[K]> & WithMetadata };
    }[ItemKind]
  | { type: 'item.completed'; key: string; kind?: undefined; status?: ItemEndStatus; fields?: WithMetadata };

/**
 * What an engine reports while it runs a turn. Items are named by an engine-local `key`; the runtime gives
 * them record ids, persists them and turns these into events.
 */
export type EngineEvent =
  | ItemStarted
  | { type: 'item.delta'; key: string; field: StreamedField; delta: string }
  | ItemCompleted
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'steer.consumed'; count: number };

export interface Engine {
  readonly name: string;
  /** False for an engine that never touches the workspace: no snapshots are taken around its turns. */
  readonly changesFiles?: boolean;
  runTurn(input: EngineInput, signal: AbortSignal): AsyncIterable<EngineEvent>;
  /** The models the engine can run (the provider's list); throws when the provider cannot be asked. */
  listModels?(signal?: AbortSignal): Promise<ProviderModel[]>;
}

export class EngineError extends Error {}
