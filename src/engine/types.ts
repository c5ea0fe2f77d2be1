import type { ItemKind, ItemRecord, SandboxPolicy, TokenUsage } from '../domain/records.js';

/** One message of the conversation sent to the model (OpenAI chat format). */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
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
  takeSteers(): string[];
  /** Asks a person to approve a tool call; resolves with their decision (or EXPIRED). */
  requestApproval(request: ApprovalRequest): Promise<ApprovalOutcome>;
  /** Replaces the thread's checklist or plan snapshot. */
  updateThread(fields: { checklist?: unknown; plan?: unknown }): Promise<void>;
  /** Model calls with tool rounds before the turn is stopped with a status item. */
  maxSteps?: number;
  /** What the turn is for: answering a prompt, or summarising the conversation (compaction). */
  purpose: 'PROMPT' | 'COMPACTION';
}

/**
 * What an engine reports while it runs a turn. Items are named by an engine-local `key`; the runtime gives
 * them record ids, persists them and turns these into events.
 */
export type EngineEvent =
  | { type: 'item.started'; key: string; kind: ItemKind; fields?: Partial<ItemRecord> }
  | { type: 'item.delta'; key: string; field: 'text' | 'reasoning' | 'output'; delta: string }
  | { type: 'item.completed'; key: string; status?: 'COMPLETED' | 'FAILED' | 'INTERRUPTED'; fields?: Partial<ItemRecord> }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'steer.consumed'; count: number };

export interface Engine {
  readonly name: string;
  runTurn(input: EngineInput, signal: AbortSignal): AsyncIterable<EngineEvent>;
}

export class EngineError extends Error {}
