/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A person's decision on a pending approval. */
export type ApprovalDecision =
  /** Let the tool call run. */
  | 'APPROVE'
  /** Refuse it; the model is told the call was denied. */
  | 'DENY';

/** Where an approval is: PENDING until a decision, the timeout or the turn's end (event approval.resolved). */
export type ApprovalStatus =
  /** Approved; the tool ran (final). */
  | 'APPROVED'
  /** Denied; the tool did not run and the model was told so (final). */
  | 'DENIED'
  /** Nobody decided before expiresAt, or the turn ended first; the tool did not run (final). */
  | 'EXPIRED'
  /** Waiting for resolveApproval; the tool has not run. */
  | 'PENDING';

/** Which threads a thread list includes, by their `archived` flag. */
export type ArchivedFilter =
  /** Threads not archived (the default). */
  | 'ACTIVE_ONLY'
  /** Archived threads only. */
  | 'ARCHIVED_ONLY'
  /** All threads. */
  | 'INCLUDE_ARCHIVED';

/** The QUEUED turn to cancel. */
export type CancelQueuedTurnInput = {
  /** A turn id (`turn_…`). */
  turnId: string | number;
};

/** A tool the client offers the model for this turn and answers itself with submitToolOutput. */
export type ClientToolInput = {
  /** What the tool does, for the model. */
  description?: string | null | undefined;
  /** The name the model calls (1 to 64 letters, digits, _ or -; not one of the runtime's tools). */
  name: string;
  /** JSON Schema of the arguments (default: an object with no properties). */
  parameters?: unknown;
};

/** The thread to compact. */
export type CompactThreadInput = {
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** Why, at most 2000 characters (kept on the compaction item and the turn's prompt). */
  reason?: string | null | undefined;
  /** The thread (`thr_…`); it must be IDLE and not archived. */
  threadId: string | number;
};

/** Settings of a new thread; every field is optional (`{}` uses the server's defaults). */
export type CreateThreadInput = {
  /** Let the agent run shell commands; default false. */
  allowShell?: boolean | null | undefined;
  /** Archive (true) or unarchive (false); archived threads refuse new turns. */
  archived?: boolean | null | undefined;
  /** Run risky tools without asking for approval; default false. */
  autoApprove?: boolean | null | undefined;
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** Purge the thread, content and events, at this time. */
  expiresAt?: string | null | undefined;
  /** Merged into the thread's metadata: a key with a value sets it, a key with null removes it, other keys stay. At most 16 keys of 1 to 64 characters (A-Z a-z 0-9 _ . : / -), string (at most 512 characters), number or boolean values, 2 KiB of JSON, after the merge; else VALIDATION and nothing changes. */
  metadata?: unknown;
  /** Free-form mode label, 1 to 100 characters; default `agent`. */
  mode?: string | null | undefined;
  /** Model of the thread's turns, 1 to 200 characters; default: the server's `--model`. */
  model?: string | null | undefined;
  /** Let sandboxed commands use the network; default false. */
  networkAccess?: boolean | null | undefined;
  /** The sandbox shell commands run in; default WORKSPACE_WRITE. */
  sandbox?: SandboxMode | null | undefined;
  /** Extra instructions for the model, at most 64 KiB. */
  systemPrompt?: string | null | undefined;
  /** Your own id for the task this thread belongs to, at most 200 characters. */
  taskId?: string | null | undefined;
  /** The kind of work; default AUTO. */
  taskType?: TaskTypeInput | null | undefined;
  /** Title for people, at most 500 characters. */
  title?: string | null | undefined;
  /** Same as sandbox FULL_ACCESS (and wins over sandbox): no sandbox, no screening of shell commands; default false. */
  trustMode?: boolean | null | undefined;
  /** An existing directory; relative paths resolve against the server default workspace. */
  workspace?: string | null | undefined;
};

/** The thread to delete. */
export type DeleteThreadInput = {
  /** A thread id (`thr_…`). */
  threadId: string | number;
};

/** The webhook to remove. */
export type DeleteWebhookInput = {
  /** A webhook id (`whk_…`). */
  webhookId: string | number;
};

/** The thread, the new prompt, and settings that differ from the old turn's. */
export type EditLastTurnInput = {
  /** Overrides the thread flag for this turn only. */
  allowShell?: boolean | null | undefined;
  /** Overrides the thread's autoApprove for this turn only. */
  autoApprove?: boolean | null | undefined;
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** The new prompt: not blank, at most the server's prompt limit. */
  content: string;
  /** frequency_penalty, -2 to 2. */
  frequencyPenalty?: number | null | undefined;
  /** Most tokens one model call may generate, 1 to 1000000; default: the provider's. */
  maxTokens?: number | null | undefined;
  /** Mode label for this turn, 1 to 100 characters; default: the thread's. */
  mode?: string | null | undefined;
  /** Explicit model; else the routing rule for routeIntent; else the thread model. */
  model?: string | null | undefined;
  /** Overrides the thread's networkAccess for this turn only. */
  networkAccess?: boolean | null | undefined;
  /** presence_penalty, -2 to 2. */
  presencePenalty?: number | null | undefined;
  /** Reasoning effort for reasoning models (reasoning_effort). */
  reasoningEffort?: ReasoningEffort | null | undefined;
  /** Picks the model of the first routing rule with this intent (trimmed, case-insensitive) when `model` is not given. */
  routeIntent?: string | null | undefined;
  /** Overrides the thread's sandbox for this turn only. */
  sandbox?: SandboxMode | null | undefined;
  /** seed, for providers that sample deterministically with one. */
  seed?: number | null | undefined;
  /** Up to 4 stop sequences. */
  stop?: Array<string> | null | undefined;
  /** Sampling temperature, 0 to 2; default: the provider's. */
  temperature?: number | null | undefined;
  /** The thread (`thr_…`); it must be IDLE. */
  threadId: string | number;
  /** Nucleus sampling, greater than 0 up to 1; default: the provider's. */
  topP?: number | null | undefined;
  /** Overrides the thread's trustMode for this turn only. */
  trustMode?: boolean | null | undefined;
};

/** The queued turn and its new prompt. */
export type EditQueuedTurnInput = {
  /** The line shown in lists; default: the start of the new prompt. */
  inputSummary?: string | null | undefined;
  /** The new prompt: not blank, at most the server's prompt limit. */
  prompt: string;
  /** A QUEUED turn (`turn_…`). */
  turnId: string | number;
};

/** What happened to the file. */
export type FileChangeKind =
  /** The file was created. */
  | 'ADD'
  /** The file was removed. */
  | 'DELETE'
  /** The file existed and its content changed. */
  | 'UPDATE';

/** The source thread and where to stop copying. */
export type ForkThreadInput = {
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** Stop before the Nth-from-last user turn (0 drops the newest); omitted: copy all. */
  depthFromTail?: number | null | undefined;
  /** The source thread (`thr_…`); it is not changed. */
  threadId: string | number;
};

/** An image sent with a prompt: a URL, or base64 data with its MIME type (PNG, JPEG, GIF or WebP). Give exactly one of url and data. */
export type ImageInput = {
  /** The image bytes, base64; stored once with the thread. */
  data?: string | null | undefined;
  /** MIME type of data: image/png, image/jpeg, image/gif or image/webp. */
  mimeType?: string | null | undefined;
  /** An http(s) URL the model fetches the image from. */
  url?: string | null | undefined;
};

/** The running turn to stop. */
export type InterruptTurnInput = {
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** A turn id (`turn_…`). */
  turnId: string | number;
};

/** What an item is; each kind has its own object type implementing Item (select its fields with `... on <Type>`). */
export type ItemKind =
  /** The model's answer text, streamed as item.delta events (AgentMessageItem). */
  | 'AGENT_MESSAGE'
  /** A shell command run in the workspace (CommandExecutionItem); only when shell is allowed. */
  | 'COMMAND_EXECUTION'
  /** A summary that replaces the conversation before it (ContextCompactionItem), made by compactThread. */
  | 'CONTEXT_COMPACTION'
  /** An error inside the turn, e.g. the provider failed (ErrorItem). */
  | 'ERROR'
  /** A file the agent added, updated or deleted in the workspace (FileChangeItem). */
  | 'FILE_CHANGE'
  /** A call of a tool of an MCP server (McpToolCallItem); approved unless the server is trusted. */
  | 'MCP_TOOL_CALL'
  /** A note from the runtime, e.g. a step limit reached (StatusItem). */
  | 'STATUS'
  /** A tool the model called (ToolCallItem); risky tools wait for an Approval first. */
  | 'TOOL_CALL'
  /** The prompt, or a prompt steered into the running turn (UserMessageItem). */
  | 'USER_MESSAGE';

/** Where an item is in its life: IN_PROGRESS, then exactly one of the final statuses (announced by item.completed, item.failed or item.interrupted). */
export type ItemStatus =
  /** Dropped before it started (final). */
  | 'CANCELED'
  /** Finished normally (final). */
  | 'COMPLETED'
  /** Finished with an error, e.g. a tool failed or was denied (final). */
  | 'FAILED'
  /** Stopped by interruptTurn, a new INTERRUPT prompt, or a server restart (final). */
  | 'INTERRUPTED'
  /** Being produced (text still streaming, tool or command running, approval pending). */
  | 'IN_PROGRESS'
  /** Created, not started yet. */
  | 'QUEUED';

/** Where an MCP server stands. */
export type McpServerState =
  /** It could not be started; it is tried again later. */
  | 'FAILED'
  /** Connected; its tools are offered to the model. */
  | 'READY'
  /** It crashed or dropped and is being started again (with a growing pause). */
  | 'RESTARTING'
  /** Being started or connected for the first time. */
  | 'STARTING'
  /** Closed by the server shutting down. */
  | 'STOPPED';

/** How the runtime talks to an MCP server. */
export type McpTransport =
  /** Streamable HTTP at a URL (`url`). */
  | 'HTTP'
  /** A child process speaking MCP on stdin/stdout (`command`, `args`, `env`). */
  | 'STDIO';

/** The queued turn and where it goes. */
export type MoveQueuedTurnInput = {
  /** Its new place: 1 = next to run, up to the length of the queue. */
  position: number;
  /** A QUEUED turn (`turn_…`). */
  turnId: string | number;
};

/** Ascending (oldest first) or descending (newest first). */
export type OrderDirection =
  /** Oldest first. */
  | 'ASC'
  /** Newest first. */
  | 'DESC';

/** How hard a reasoning model thinks before it answers (the API's reasoning_effort). */
export type ReasoningEffort =
  /** Most reasoning, slower answers. */
  | 'HIGH'
  /** Little reasoning, faster answers. */
  | 'LOW'
  /** The model's usual amount. */
  | 'MEDIUM'
  /** As little reasoning as the model allows. */
  | 'MINIMAL';

/** A URL to POST events to, which events, and the signing secret. */
export type RegisterWebhookInput = {
  /** A note for you, at most 500 characters. */
  description?: string | null | undefined;
  /** Event names to deliver (e.g. "turn.completed"), or ["*"] for all; 1 to 100. */
  events: Array<string>;
  /** HMAC-SHA256 key, 16 to 512 characters; omitted: the server makes one and returns it once. */
  secret?: string | null | undefined;
  /** http or https URL matching one of the server's --webhook-allow patterns. */
  url: string;
};

/** The approval and the decision. */
export type ResolveApprovalInput = {
  /** A PENDING approval (`appr_…`). */
  approvalId: string | number;
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** APPROVE or DENY. */
  decision: ApprovalDecision;
  /** With APPROVE of a shell command: run this one command without sandbox (recorded as grantedSandbox); default false. */
  grantFullAccess?: boolean | null | undefined;
  /** With APPROVE of a shell command: let this one command use the network (recorded as grantedSandbox); default false. */
  grantNetworkAccess?: boolean | null | undefined;
  /** With APPROVE: also set the thread's autoApprove, so later risky tools of this thread run without asking (escalations still ask); default false. */
  remember?: boolean | null | undefined;
};

/** Which thread to rewind, and to before which of its turns. */
export type RevertThreadInput = {
  /** This turn and every later one are removed; the workspace goes back to the snapshot taken before it. */
  beforeTurnId: string | number;
  /** Revert even if files were changed outside the agent (their changes are lost). */
  force?: boolean | null | undefined;
  /** The thread to rewind. */
  threadId: string | number;
};

/** One routing rule. */
export type RoutingRuleInput = {
  /** Not blank; unique among the rules (compared trimmed, case-insensitive). */
  intent: string;
  /** The model, 1 to 200 characters. */
  model: string;
};

/** What a shell command may touch. The guarantee is bubblewrap (bwrap); the text policy is only a first screen. */
export type SandboxMode =
  /** No sandbox and no text policy: the command runs as the server user with network. What trustMode grants. */
  | 'FULL_ACCESS'
  /** Everything read-only except a private /tmp; a new pid namespace; network only with networkAccess. */
  | 'READ_ONLY'
  /** As READ_ONLY, and the workspace writable (its .git/hooks and .git/config stay read-only). The default. */
  | 'WORKSPACE_WRITE';

/** The new pricing table. */
export type SetPricingInput = {
  /** A pricing file's JSON: `{ entries: [{ pattern, match, prices: { usd: {hit, miss, output}, cny: {...} }, validFrom?, validUntil?, provider? }], providers?: [{ prefix, provider }] }`; null restores the defaults. */
  table?: unknown;
};

/** The new rules. */
export type SetRoutingRulesInput = {
  /** All rules, in order (at most 200); `[]` removes them all. */
  rules: Array<RoutingRuleInput>;
};

/** A prompt for a thread, with optional settings for this turn only. */
export type StartTurnInput = {
  /** Overrides the thread flag for this turn only. */
  allowShell?: boolean | null | undefined;
  /** Overrides the thread's autoApprove for this turn only. */
  autoApprove?: boolean | null | undefined;
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** Tools the client answers itself (submitToolOutput). */
  clientTools?: Array<ClientToolInput> | null | undefined;
  /** What to do when a turn is already running; default REJECT. */
  delivery?: TurnDelivery | null | undefined;
  /** frequency_penalty, -2 to 2. */
  frequencyPenalty?: number | null | undefined;
  /** Images sent with the prompt (count and size limited). */
  images?: Array<ImageInput> | null | undefined;
  /** A short line to show for this turn in lists; default: the start of the prompt. */
  inputSummary?: string | null | undefined;
  /** Most tokens one model call may generate, 1 to 1000000; default: the provider's. */
  maxTokens?: number | null | undefined;
  /** Mode label for this turn, 1 to 100 characters; default: the thread's. */
  mode?: string | null | undefined;
  /** Explicit model; else the routing rule for routeIntent; else the thread model. */
  model?: string | null | undefined;
  /** Overrides the thread's networkAccess for this turn only. */
  networkAccess?: boolean | null | undefined;
  /** A JSON Schema the final answer must match: sent as the provider's json_schema response format; the answer's parsed value is AgentMessageItem.json. */
  outputSchema?: unknown;
  /** presence_penalty, -2 to 2. */
  presencePenalty?: number | null | undefined;
  /** What to ask: not blank, at most the server's prompt limit (256 KiB of UTF-8 by default). */
  prompt: string;
  /** Reasoning effort for reasoning models (reasoning_effort). */
  reasoningEffort?: ReasoningEffort | null | undefined;
  /** Picks the model of the first routing rule with this intent (trimmed, case-insensitive) when `model` is not given. */
  routeIntent?: string | null | undefined;
  /** Overrides the thread's sandbox for this turn only. */
  sandbox?: SandboxMode | null | undefined;
  /** seed, for providers that sample deterministically with one. */
  seed?: number | null | undefined;
  /** The seq of the newest event the user had seen when typing the prompt (e.g. the last one of the thread shown), kept as Turn.seenSeq: what they answered to. 0 to the server's newest seq. */
  seenSeq?: number | null | undefined;
  /** Up to 4 stop sequences. */
  stop?: Array<string> | null | undefined;
  /** Sampling temperature, 0 to 2; default: the provider's. */
  temperature?: number | null | undefined;
  /** The thread (`thr_…`); it must not be archived. */
  threadId: string | number;
  /** Nucleus sampling, greater than 0 up to 1; default: the provider's. */
  topP?: number | null | undefined;
  /** Overrides the thread's trustMode for this turn only. */
  trustMode?: boolean | null | undefined;
};

/** The running turn and the prompt to add. */
export type SteerTurnInput = {
  /** Your id of this request (1 to 200 visible ASCII characters, e.g. a UUID) to retry it safely: a repeat with the same id returns the first answer (the same records, as they are now) without a second effect, also after a server restart, for at least 24 hours (--idempotency-ttl-hours). The same id with a different input is a CONFLICT. A request that failed stored nothing: its repeat runs again. */
  clientRequestId?: string | null | undefined;
  /** Images sent with the steered input. */
  images?: Array<ImageInput> | null | undefined;
  /** What to add: not blank, at most the server's prompt limit. */
  prompt: string;
  /** The seq of the newest event the user had seen when typing: kept in the USER_MESSAGE item's metadata (seenSeq) and turn.steered. */
  seenSeq?: number | null | undefined;
  /** The running turn (`turn_…`). */
  turnId: string | number;
};

/** The answer to one client tool call. */
export type SubmitToolOutputInput = {
  /** The callId of the `client_tool.requested` event (the ToolCallItem id). */
  callId: string | number;
  /** What the tool returned, as the model should read it. */
  output: string;
};

/** The kind of work a thread is for (a label clients can filter and display by). */
export type TaskType =
  /** Software work in a code workspace. */
  | 'CODE'
  /** Documents, mail and other office work. */
  | 'OFFICE';

/** AUTO lets the server choose (CODE). */
export type TaskTypeInput =
  /** Let the server choose (currently CODE). */
  | 'AUTO'
  /** Software work in a code workspace. */
  | 'CODE'
  /** Documents, mail and other office work. */
  | 'OFFICE';

/** Which threads `threads` lists; the conditions combine with AND. */
export type ThreadFilter = {
  /** Archived threads or not; default ACTIVE_ONLY. */
  archived?: ArchivedFilter | null | undefined;
  /** Only threads whose metadata has every one of these keys with exactly this value, e.g. `{"project": "apollo", "tier": 1}` (a JSON object of 1 to 16 keys, string, number or boolean values; `1` and `"1"` differ). Indexed by each key and value: put the most selective key first. Anything else is a VALIDATION error. */
  metadata?: unknown;
  /** Case-insensitive text in the title or any prompt (at most 500 characters, else a VALIDATION error). Not indexed: it reads every thread and turn, so it costs 10,000 plus the number of threads and turns stored in the query complexity budget. */
  search?: string | null | undefined;
  /** Only threads with exactly this taskId. */
  taskId?: string | null | undefined;
};

/** The order of `threads`. A cursor belongs to its field's order: both directions take it, the other field refuses it (VALIDATION). */
export type ThreadOrder = {
  /** Default DESC (newest first). */
  direction?: OrderDirection;
  /** Default UPDATED_AT. */
  field?: ThreadOrderField;
};

/** What a thread list is ordered by. */
export type ThreadOrderField =
  /** Its creation (`createdAt`; thread ids sort the same way). */
  | 'CREATED_AT'
  /** The last change of its settings or turns (`updatedAt`). */
  | 'UPDATED_AT';

/** Whether a turn is running on the thread. */
export type ThreadStatus =
  /** No turn is running; startTurn starts one at once. */
  | 'IDLE'
  /** A turn is running (activeTurn); a new prompt needs a `delivery` other than REJECT. */
  | 'RUNNING';

/** What happens when the thread already has an active turn. */
export type TurnDelivery =
  /** Interrupt the active turn and start this one right after. */
  | 'INTERRUPT'
  /** Store the turn QUEUED; it starts by itself when the turns before it end. */
  | 'QUEUE'
  /** Fail with TURN_ACTIVE. */
  | 'REJECT'
  /** Add the prompt to the active turn. */
  | 'STEER';

/** Where a turn is in its life. The four final statuses are announced by turn.completed (its payload has the status). */
export type TurnStatus =
  /** A QUEUED turn canceled before it started (final). */
  | 'CANCELED'
  /** Ended normally (final). */
  | 'COMPLETED'
  /** Ended with an error, see `error` (final). */
  | 'FAILED'
  /** Stopped by interruptTurn, an INTERRUPT prompt, thread deletion or a server restart (final). */
  | 'INTERRUPTED'
  /** Running: the model and its tools are working (event turn.started). */
  | 'IN_PROGRESS'
  /** Waiting behind the running turn (delivery QUEUE); starts by itself, or cancelQueuedTurn cancels it. */
  | 'QUEUED';

/** Give at least one field besides threadId. An empty title or systemPrompt clears it. */
export type UpdateThreadInput = {
  /** Let the agent run shell commands; default false. */
  allowShell?: boolean | null | undefined;
  /** Archive (true) or unarchive (false); archived threads refuse new turns. */
  archived?: boolean | null | undefined;
  /** Run risky tools without asking for approval; default false. */
  autoApprove?: boolean | null | undefined;
  /** Purge the thread, content and events, at this time; null clears it. */
  expiresAt?: string | null | undefined;
  /** Merged into the thread's metadata: a key with a value sets it, a key with null removes it, other keys stay. At most 16 keys of 1 to 64 characters (A-Z a-z 0-9 _ . : / -), string (at most 512 characters), number or boolean values, 2 KiB of JSON, after the merge; else VALIDATION and nothing changes. */
  metadata?: unknown;
  /** Free-form mode label, 1 to 100 characters; default `agent`. */
  mode?: string | null | undefined;
  /** Model of the thread's turns, 1 to 200 characters; default: the server's `--model`. */
  model?: string | null | undefined;
  /** Let sandboxed commands use the network; default false. */
  networkAccess?: boolean | null | undefined;
  /** The sandbox shell commands run in; default WORKSPACE_WRITE. */
  sandbox?: SandboxMode | null | undefined;
  /** Your id of the current scratchpad run, at most 200 characters; the previous one moves to scratchpadRunHistory. */
  scratchpadRunId?: string | null | undefined;
  /** Extra instructions for the model, at most 64 KiB. */
  systemPrompt?: string | null | undefined;
  /** The thread to change. */
  threadId: string | number;
  /** Title for people, at most 500 characters. */
  title?: string | null | undefined;
  /** Same as sandbox FULL_ACCESS (and wins over sandbox): no sandbox, no screening of shell commands; default false. */
  trustMode?: boolean | null | undefined;
  /** An existing directory; relative paths resolve against the server default workspace. */
  workspace?: string | null | undefined;
};

/** How usage splits into buckets; each bucket key is named below. */
export type UsageGroupBy =
  /** By the day the turn ended, key YYYY-MM-DD (in `timeZone`, default UTC). */
  | 'DAY'
  /** By model name, e.g. `deepseek-chat`. */
  | 'MODEL'
  /** By the provider serving the model (from the pricing table's provider rules), e.g. `deepseek`; `unknown` when no rule matches. */
  | 'PROVIDER'
  /** By thread id (deleted threads' usage stays under their id). */
  | 'THREAD';

/** Where one delivery of an event to a webhook stands. */
export type WebhookDeliveryStatus =
  /** Not sent: the webhook was deleted or the event was purged. */
  | 'CANCELED'
  /** The receiver answered with a 2xx status. */
  | 'DELIVERED'
  /** Every attempt failed (or the URL left the allow-list); lastError says why. Not retried. */
  | 'FAILED'
  /** Not delivered yet: the first attempt or a retry is due at nextAttemptAt. */
  | 'PENDING';

/** How a turn changed a workspace file. */
export type WorkspaceFileChange =
  /** The file is new. */
  | 'ADDED'
  /** The file was removed. */
  | 'DELETED'
  /** The content changed. */
  | 'MODIFIED'
  /** The file moved (`oldPath` is where it was), perhaps with changes. */
  | 'RENAMED'
  /** A file became a symlink or the other way round. */
  | 'TYPE_CHANGED';

export type ThreadFieldsFragment = { id: string, title: string | null, model: string, mode: string, workspace: string, allowShell: boolean, trustMode: boolean, sandbox: SandboxMode, networkAccess: boolean, autoApprove: boolean, archived: boolean, systemPrompt: string | null, taskId: string | null, taskType: TaskType, status: ThreadStatus, createdAt: string, updatedAt: string, latestSeq: number, scratchpadRunId: string | null, scratchpadRunHistory: Array<string>, checklist: unknown, plan: unknown, expiresAt: string | null, metadata: unknown, sandboxPolicy: { mode: SandboxMode, networkAccess: boolean }, forkedFrom: { threadId: string, turnId: string | null, depthFromTail: number, thread: { id: string } | null } | null };

export type TurnFieldsFragment = { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null };

type ItemFields_AgentMessageItem_Fragment = { __typename: 'AgentMessageItem', text: string, reasoning: string | null, json: unknown, jsonError: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_CommandExecutionItem_Fragment = { __typename: 'CommandExecutionItem', command: string, exitCode: number | null, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_ContextCompactionItem_Fragment = { __typename: 'ContextCompactionItem', reason: string | null, text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_ErrorItem_Fragment = { __typename: 'ErrorItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_FileChangeItem_Fragment = { __typename: 'FileChangeItem', path: string, changeKind: FileChangeKind, diff: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_McpToolCallItem_Fragment = { __typename: 'McpToolCallItem', toolName: string, server: string, tool: string, arguments: unknown, output: string | null, isError: boolean, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_StatusItem_Fragment = { __typename: 'StatusItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_ToolCallItem_Fragment = { __typename: 'ToolCallItem', toolName: string, arguments: unknown, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null };

type ItemFields_UserMessageItem_Fragment = { __typename: 'UserMessageItem', text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null }> };

export type ItemFieldsFragment =
  | ItemFields_AgentMessageItem_Fragment
  | ItemFields_CommandExecutionItem_Fragment
  | ItemFields_ContextCompactionItem_Fragment
  | ItemFields_ErrorItem_Fragment
  | ItemFields_FileChangeItem_Fragment
  | ItemFields_McpToolCallItem_Fragment
  | ItemFields_StatusItem_Fragment
  | ItemFields_ToolCallItem_Fragment
  | ItemFields_UserMessageItem_Fragment
;

export type EventFieldsFragment = { seq: number, timestamp: string, name: string, threadId: string, turnId: string | null, itemId: string | null, payload: unknown };

export type UsageTotalsFieldsFragment = { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number, costUsd: number, costCny: number, costUsdWithoutCache: number, cacheSavingsUsd: number, cacheHitRate: number | null, turns: number, unpricedTurns: number, cacheTelemetryIncomplete: boolean };

export type PageInfoFieldsFragment = { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null };

export type ApprovalFieldsFragment = { id: string, status: ApprovalStatus, toolName: string, arguments: unknown, reason: string | null, createdAt: string, expiresAt: string, resolvedAt: string | null, sandbox: { mode: SandboxMode, networkAccess: boolean } | null, grantedSandbox: { mode: SandboxMode, networkAccess: boolean } | null, thread: { id: string }, turn: { id: string, status: TurnStatus } };

export type PriceEntryFieldsFragment = { pattern: string, match: string, provider: string | null, validFrom: string | null, validUntil: string | null, usd: { hit: number, miss: number, output: number }, cny: { hit: number, miss: number, output: number } };

export type CreateThreadMutationVariables = Exact<{
  input: CreateThreadInput;
}>;


export type CreateThreadMutation = { createThread:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'CreateThreadPayload', thread: { id: string, title: string | null, model: string, mode: string, workspace: string, allowShell: boolean, trustMode: boolean, sandbox: SandboxMode, networkAccess: boolean, autoApprove: boolean, archived: boolean, systemPrompt: string | null, taskId: string | null, taskType: TaskType, status: ThreadStatus, createdAt: string, updatedAt: string, latestSeq: number, scratchpadRunId: string | null, scratchpadRunHistory: Array<string>, checklist: unknown, plan: unknown, expiresAt: string | null, metadata: unknown, sandboxPolicy: { mode: SandboxMode, networkAccess: boolean }, forkedFrom: { threadId: string, turnId: string | null, depthFromTail: number, thread: { id: string } | null } | null } }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
    | { __typename: 'WorkspaceInvalidError', code: string, message: string, path: string }
   };

export type UpdateThreadMutationVariables = Exact<{
  input: UpdateThreadInput;
}>;


export type UpdateThreadMutation = { updateThread:
    | { __typename: 'NotFoundError', code: string, message: string, kind: string, missingId: string }
    | { __typename: 'UpdateThreadPayload', thread: { id: string, title: string | null, model: string, mode: string, workspace: string, allowShell: boolean, trustMode: boolean, sandbox: SandboxMode, networkAccess: boolean, autoApprove: boolean, archived: boolean, systemPrompt: string | null, taskId: string | null, taskType: TaskType, status: ThreadStatus, createdAt: string, updatedAt: string, latestSeq: number, scratchpadRunId: string | null, scratchpadRunHistory: Array<string>, checklist: unknown, plan: unknown, expiresAt: string | null, metadata: unknown, sandboxPolicy: { mode: SandboxMode, networkAccess: boolean }, forkedFrom: { threadId: string, turnId: string | null, depthFromTail: number, thread: { id: string } | null } | null } }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
    | { __typename: 'WorkspaceInvalidError', code: string, message: string, path: string }
   };

export type DeleteThreadMutationVariables = Exact<{
  input: DeleteThreadInput;
}>;


export type DeleteThreadMutation = { deleteThread:
    | { __typename: 'DeleteThreadPayload', deletedThreadId: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type StartTurnMutationVariables = Exact<{
  input: StartTurnInput;
}>;


export type StartTurnMutation = { startTurn:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NoActiveTurnError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'OverloadedError', retryAfterMs: number, maxRunningTurns: number, code: string, message: string }
    | { __typename: 'StartTurnPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null }, queued: { position: number } | null }
    | { __typename: 'ThreadArchivedError', code: string, message: string }
    | { __typename: 'TurnActiveError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
   };

export type SteerTurnMutationVariables = Exact<{
  input: SteerTurnInput;
}>;


export type SteerTurnMutation = { steerTurn:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NoActiveTurnError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'SteerTurnPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
   };

export type InterruptTurnMutationVariables = Exact<{
  input: InterruptTurnInput;
}>;


export type InterruptTurnMutation = { interruptTurn:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'InterruptTurnPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } }
    | { __typename: 'NoActiveTurnError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type CancelQueuedTurnMutationVariables = Exact<{
  input: CancelQueuedTurnInput;
}>;


export type CancelQueuedTurnMutation = { cancelQueuedTurn:
    | { __typename: 'CancelQueuedTurnPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } }
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type EditLastTurnMutationVariables = Exact<{
  input: EditLastTurnInput;
}>;


export type EditLastTurnMutation = { editLastTurn:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'EditLastTurnPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'OverloadedError', retryAfterMs: number, maxRunningTurns: number, code: string, message: string }
    | { __typename: 'ThreadArchivedError', code: string, message: string }
    | { __typename: 'TurnActiveError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type ForkThreadMutationVariables = Exact<{
  input: ForkThreadInput;
}>;


export type ForkThreadMutation = { forkThread:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'ForkThreadPayload', originalUserText: string | null, thread: { id: string, title: string | null, model: string, mode: string, workspace: string, allowShell: boolean, trustMode: boolean, sandbox: SandboxMode, networkAccess: boolean, autoApprove: boolean, archived: boolean, systemPrompt: string | null, taskId: string | null, taskType: TaskType, status: ThreadStatus, createdAt: string, updatedAt: string, latestSeq: number, scratchpadRunId: string | null, scratchpadRunHistory: Array<string>, checklist: unknown, plan: unknown, expiresAt: string | null, metadata: unknown, sandboxPolicy: { mode: SandboxMode, networkAccess: boolean }, forkedFrom: { threadId: string, turnId: string | null, depthFromTail: number, thread: { id: string } | null } | null } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'OutOfRangeError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type CompactThreadMutationVariables = Exact<{
  input: CompactThreadInput;
}>;


export type CompactThreadMutation = { compactThread:
    | { __typename: 'CompactThreadPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } }
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'OverloadedError', retryAfterMs: number, maxRunningTurns: number, code: string, message: string }
    | { __typename: 'ThreadArchivedError', code: string, message: string }
    | { __typename: 'TurnActiveError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type ResolveApprovalMutationVariables = Exact<{
  input: ResolveApprovalInput;
}>;


export type ResolveApprovalMutation = { resolveApproval:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ResolveApprovalPayload', approval: { id: string, status: ApprovalStatus, toolName: string, arguments: unknown, reason: string | null, createdAt: string, expiresAt: string, resolvedAt: string | null, sandbox: { mode: SandboxMode, networkAccess: boolean } | null, grantedSandbox: { mode: SandboxMode, networkAccess: boolean } | null, thread: { id: string }, turn: { id: string, status: TurnStatus } } }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type SetRoutingRulesMutationVariables = Exact<{
  input: SetRoutingRulesInput;
}>;


export type SetRoutingRulesMutation = { setRoutingRules:
    | { __typename: 'SetRoutingRulesPayload', rules: Array<{ intent: string, model: string }> }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type SetPricingMutationVariables = Exact<{
  input: SetPricingInput;
}>;


export type SetPricingMutation = { setPricing:
    | { __typename: 'SetPricingPayload', pricing: { entries: Array<{ pattern: string, match: string }> } }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type SubmitToolOutputMutationVariables = Exact<{
  input: SubmitToolOutputInput;
}>;


export type SubmitToolOutputMutation = { submitToolOutput:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'SubmitToolOutputPayload', item:
        | { __typename: 'AgentMessageItem', text: string, reasoning: string | null, json: unknown, jsonError: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'CommandExecutionItem', command: string, exitCode: number | null, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'ContextCompactionItem', reason: string | null, text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'ErrorItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'FileChangeItem', path: string, changeKind: FileChangeKind, diff: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'McpToolCallItem', toolName: string, server: string, tool: string, arguments: unknown, output: string | null, isError: boolean, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'StatusItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'ToolCallItem', toolName: string, arguments: unknown, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'UserMessageItem', text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null }> }
       }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type RevertThreadMutationVariables = Exact<{
  input: RevertThreadInput;
}>;


export type RevertThreadMutation = { revertThread:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'RevertThreadPayload', removedTurnIds: Array<string>, restoredFiles: Array<string>, thread: { id: string, title: string | null, model: string, mode: string, workspace: string, allowShell: boolean, trustMode: boolean, sandbox: SandboxMode, networkAccess: boolean, autoApprove: boolean, archived: boolean, systemPrompt: string | null, taskId: string | null, taskType: TaskType, status: ThreadStatus, createdAt: string, updatedAt: string, latestSeq: number, scratchpadRunId: string | null, scratchpadRunHistory: Array<string>, checklist: unknown, plan: unknown, expiresAt: string | null, metadata: unknown, sandboxPolicy: { mode: SandboxMode, networkAccess: boolean }, forkedFrom: { threadId: string, turnId: string | null, depthFromTail: number, thread: { id: string } | null } | null } }
    | { __typename: 'TurnActiveError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
    | { __typename: 'WorkspaceConflictError', files: Array<string>, code: string, message: string }
   };

export type RegisterWebhookMutationVariables = Exact<{
  input: RegisterWebhookInput;
}>;


export type RegisterWebhookMutation = { registerWebhook:
    | { __typename: 'RegisterWebhookPayload', secret: string, webhook: { id: string, url: string, events: Array<string>, description: string | null, createdAt: string } }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type DeleteWebhookMutationVariables = Exact<{
  input: DeleteWebhookInput;
}>;


export type DeleteWebhookMutation = { deleteWebhook:
    | { __typename: 'DeleteWebhookPayload', deletedWebhookId: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type EditQueuedTurnMutationVariables = Exact<{
  input: EditQueuedTurnInput;
}>;


export type EditQueuedTurnMutation = { editQueuedTurn:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'EditQueuedTurnPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null }, queued: { position: number } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type MoveQueuedTurnMutationVariables = Exact<{
  input: MoveQueuedTurnInput;
}>;


export type MoveQueuedTurnMutation = { moveQueuedTurn:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MoveQueuedTurnPayload', turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null }, queued: { position: number } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'OutOfRangeError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type ThreadQueryVariables = Exact<{
  id: string | number;
}>;


export type ThreadQuery = { thread: { subscriberCount: number, id: string, title: string | null, model: string, mode: string, workspace: string, allowShell: boolean, trustMode: boolean, sandbox: SandboxMode, networkAccess: boolean, autoApprove: boolean, archived: boolean, systemPrompt: string | null, taskId: string | null, taskType: TaskType, status: ThreadStatus, createdAt: string, updatedAt: string, latestSeq: number, scratchpadRunId: string | null, scratchpadRunHistory: Array<string>, checklist: unknown, plan: unknown, expiresAt: string | null, metadata: unknown, activeTurn: { id: string, status: TurnStatus } | null, latestTurn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } | null, queuedTurns: Array<{ id: string, status: TurnStatus, prompt: string, inputSummary: string }>, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number, costUsd: number, costCny: number, costUsdWithoutCache: number, cacheSavingsUsd: number, cacheHitRate: number | null, turns: number, unpricedTurns: number, cacheTelemetryIncomplete: boolean }, sandboxPolicy: { mode: SandboxMode, networkAccess: boolean }, forkedFrom: { threadId: string, turnId: string | null, depthFromTail: number, thread: { id: string } | null } | null } | null };

export type ThreadsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  filter?: ThreadFilter | null | undefined;
  orderBy?: ThreadOrder | null | undefined;
}>;


export type ThreadsQuery = { threads: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, title: string | null, model: string, mode: string, workspace: string, allowShell: boolean, trustMode: boolean, sandbox: SandboxMode, networkAccess: boolean, autoApprove: boolean, archived: boolean, systemPrompt: string | null, taskId: string | null, taskType: TaskType, status: ThreadStatus, createdAt: string, updatedAt: string, latestSeq: number, scratchpadRunId: string | null, scratchpadRunHistory: Array<string>, checklist: unknown, plan: unknown, expiresAt: string | null, metadata: unknown, sandboxPolicy: { mode: SandboxMode, networkAccess: boolean }, forkedFrom: { threadId: string, turnId: string | null, depthFromTail: number, thread: { id: string } | null } | null } }> } };

export type ThreadTurnsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  itemsFirst?: number | null | undefined;
}>;


export type ThreadTurnsQuery = { thread: { id: string, turns: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, items: { totalCount: number, nodes: Array<
              | { __typename: 'AgentMessageItem', text: string, reasoning: string | null, json: unknown, jsonError: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'CommandExecutionItem', command: string, exitCode: number | null, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'ContextCompactionItem', reason: string | null, text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'ErrorItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'FileChangeItem', path: string, changeKind: FileChangeKind, diff: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'McpToolCallItem', toolName: string, server: string, tool: string, arguments: unknown, output: string | null, isError: boolean, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'StatusItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'ToolCallItem', toolName: string, arguments: unknown, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
              | { __typename: 'UserMessageItem', text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null }> }
            > }, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } }> } } | null };

export type TurnQueryVariables = Exact<{
  id: string | number;
}>;


export type TurnQuery = { turn: { id: string, status: TurnStatus, purpose: string, prompt: string, inputSummary: string, model: string, mode: string, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, error: string | null, steerCount: number, seenSeq: number | null, costUsd: number | null, costCny: number | null, thread: { id: string }, items: { totalCount: number, nodes: Array<
        | { __typename: 'AgentMessageItem', text: string, reasoning: string | null, json: unknown, jsonError: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'CommandExecutionItem', command: string, exitCode: number | null, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'ContextCompactionItem', reason: string | null, text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'ErrorItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'FileChangeItem', path: string, changeKind: FileChangeKind, diff: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'McpToolCallItem', toolName: string, server: string, tool: string, arguments: unknown, output: string | null, isError: boolean, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'StatusItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'ToolCallItem', toolName: string, arguments: unknown, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
        | { __typename: 'UserMessageItem', text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null }> }
      > }, supersededBy: { id: string } | null, usage: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number } | null } | null };

export type TurnItemsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type TurnItemsQuery = { turn: { id: string, items: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node:
          | { __typename: 'AgentMessageItem', text: string, reasoning: string | null, json: unknown, jsonError: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'CommandExecutionItem', command: string, exitCode: number | null, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'ContextCompactionItem', reason: string | null, text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'ErrorItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'FileChangeItem', path: string, changeKind: FileChangeKind, diff: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'McpToolCallItem', toolName: string, server: string, tool: string, arguments: unknown, output: string | null, isError: boolean, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'StatusItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'ToolCallItem', toolName: string, arguments: unknown, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null }
          | { __typename: 'UserMessageItem', text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null }> }
         }> } } | null };

export type ItemQueryVariables = Exact<{
  id: string | number;
}>;


export type ItemQuery = { item:
    | { __typename: 'AgentMessageItem', text: string, reasoning: string | null, json: unknown, jsonError: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'CommandExecutionItem', command: string, exitCode: number | null, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'ContextCompactionItem', reason: string | null, text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'ErrorItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'FileChangeItem', path: string, changeKind: FileChangeKind, diff: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'McpToolCallItem', toolName: string, server: string, tool: string, arguments: unknown, output: string | null, isError: boolean, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'StatusItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'ToolCallItem', toolName: string, arguments: unknown, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string } }
    | { __typename: 'UserMessageItem', text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string }, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null }> }
   | null };

export type NodeQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQuery = { node:
    | { __typename: 'AgentMessageItem', id: string }
    | { __typename: 'Approval', id: string }
    | { __typename: 'CommandExecutionItem', id: string }
    | { __typename: 'ContextCompactionItem', id: string }
    | { __typename: 'ErrorItem', id: string }
    | { __typename: 'FileChangeItem', id: string }
    | { __typename: 'McpToolCallItem', id: string }
    | { __typename: 'StatusItem', id: string }
    | { __typename: 'Thread', id: string }
    | { __typename: 'ToolCallItem', id: string }
    | { __typename: 'Turn', id: string }
    | { __typename: 'UserMessageItem', id: string }
    | { __typename: 'Webhook', id: string }
    | { __typename: 'WebhookDelivery', id: string }
   | null };

export type ItemImagesQueryVariables = Exact<{
  id: string | number;
}>;


export type ItemImagesQuery = { item:
    | { __typename: 'AgentMessageItem', id: string }
    | { __typename: 'CommandExecutionItem', id: string }
    | { __typename: 'ContextCompactionItem', id: string }
    | { __typename: 'ErrorItem', id: string }
    | { __typename: 'FileChangeItem', id: string }
    | { __typename: 'McpToolCallItem', id: string }
    | { __typename: 'StatusItem', id: string }
    | { __typename: 'ToolCallItem', id: string }
    | { __typename: 'UserMessageItem', id: string, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null, data: string | null }> }
   | null };

export type NodesQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type NodesQuery = { nodes: Array<
    | { __typename: 'AgentMessageItem', id: string }
    | { __typename: 'Approval', id: string }
    | { __typename: 'CommandExecutionItem', id: string }
    | { __typename: 'ContextCompactionItem', id: string }
    | { __typename: 'ErrorItem', id: string }
    | { __typename: 'FileChangeItem', id: string }
    | { __typename: 'McpToolCallItem', id: string }
    | { __typename: 'StatusItem', id: string }
    | { __typename: 'Thread', id: string }
    | { __typename: 'ToolCallItem', id: string }
    | { __typename: 'Turn', id: string }
    | { __typename: 'UserMessageItem', id: string }
    | { __typename: 'Webhook', id: string }
    | { __typename: 'WebhookDelivery', id: string }
   | null> };

export type EventsQueryVariables = Exact<{
  threadId: string | number;
  sinceSeq?: number | null | undefined;
  limit?: number | null | undefined;
}>;


export type EventsQuery = { events: Array<{ seq: number, timestamp: string, name: string, threadId: string, turnId: string | null, itemId: string | null, payload: unknown }> };

export type UsageQueryVariables = Exact<{
  since?: string | null | undefined;
  until?: string | null | undefined;
  groupBy?: UsageGroupBy | null | undefined;
  timeZone?: string | null | undefined;
}>;


export type UsageQuery = { usage: { since: string | null, until: string | null, groupBy: UsageGroupBy, cacheTelemetryIncomplete: boolean, totals: { inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number, costUsd: number, costCny: number, costUsdWithoutCache: number, cacheSavingsUsd: number, cacheHitRate: number | null, turns: number, unpricedTurns: number, cacheTelemetryIncomplete: boolean }, buckets: Array<{ key: string, inputTokens: number, outputTokens: number, cachedTokens: number, missTokens: number, reasoningTokens: number, costUsd: number, costCny: number, costUsdWithoutCache: number, cacheSavingsUsd: number, cacheHitRate: number | null, turns: number }> } };

export type RoutingRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type RoutingRulesQuery = { routingRules: Array<{ intent: string, model: string }> };

export type PendingApprovalsQueryVariables = Exact<{
  threadId?: string | number | null | undefined;
}>;


export type PendingApprovalsQuery = { pendingApprovals: Array<{ id: string, status: ApprovalStatus, toolName: string, arguments: unknown, reason: string | null, createdAt: string, expiresAt: string, resolvedAt: string | null, sandbox: { mode: SandboxMode, networkAccess: boolean } | null, grantedSandbox: { mode: SandboxMode, networkAccess: boolean } | null, thread: { id: string }, turn: { id: string, status: TurnStatus } }> };

export type ApprovalQueryVariables = Exact<{
  id: string | number;
}>;


export type ApprovalQuery = { node:
    | { __typename: 'AgentMessageItem', id: string }
    | { __typename: 'Approval', id: string, status: ApprovalStatus, toolName: string, arguments: unknown, reason: string | null, createdAt: string, expiresAt: string, resolvedAt: string | null, sandbox: { mode: SandboxMode, networkAccess: boolean } | null, grantedSandbox: { mode: SandboxMode, networkAccess: boolean } | null, thread: { id: string }, turn: { id: string, status: TurnStatus } }
    | { __typename: 'CommandExecutionItem', id: string }
    | { __typename: 'ContextCompactionItem', id: string }
    | { __typename: 'ErrorItem', id: string }
    | { __typename: 'FileChangeItem', id: string }
    | { __typename: 'McpToolCallItem', id: string }
    | { __typename: 'StatusItem', id: string }
    | { __typename: 'Thread', id: string }
    | { __typename: 'ToolCallItem', id: string }
    | { __typename: 'Turn', id: string }
    | { __typename: 'UserMessageItem', id: string }
    | { __typename: 'Webhook', id: string }
    | { __typename: 'WebhookDelivery', id: string }
   | null };

export type RuntimeInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type RuntimeInfoQuery = { runtimeInfo: { version: string, schemaVersion: number, eventSchemaVersion: number, latestSeq: number, engine: string, defaultModel: string, startedAt: string, activeThreads: number, maxActiveThreads: number, maxRunningTurns: number | null, turnsWaitingForSlot: number, sandbox: { available: boolean, version: string | null, problem: string | null, resourceLimits: string, memoryLimitBytes: number, maxProcesses: number, summary: string, defaultPolicy: { mode: SandboxMode, networkAccess: boolean } } } };

export type PricingQueryVariables = Exact<{ [key: string]: never; }>;


export type PricingQuery = { pricing: { entries: Array<{ pattern: string, match: string, provider: string | null, validFrom: string | null, validUntil: string | null, usd: { hit: number, miss: number, output: number }, cny: { hit: number, miss: number, output: number } }> } };

export type ModelsQueryVariables = Exact<{
  refresh?: boolean | null | undefined;
}>;


export type ModelsQuery = { models: { fetchedAt: string | null, error: string | null, models: Array<{ model: string, ownedBy: string | null, created: string | null, provider: string, contextWindow: number | null, compactAtTokens: number | null, price: { pattern: string, match: string } | null }> } };

export type McpServersQueryVariables = Exact<{ [key: string]: never; }>;


export type McpServersQuery = { mcpServers: Array<{ name: string, transport: McpTransport, state: McpServerState, trusted: boolean, restarts: number, lastError: string | null, lastErrorAt: string | null, connectedAt: string | null, tools: Array<{ name: string, tool: string, description: string }> }> };

export type PendingClientToolCallsQueryVariables = Exact<{
  threadId?: string | number | null | undefined;
}>;


export type PendingClientToolCallsQuery = { pendingClientToolCalls: Array<
    | { __typename: 'AgentMessageItem', text: string, reasoning: string | null, json: unknown, jsonError: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'CommandExecutionItem', command: string, exitCode: number | null, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'ContextCompactionItem', reason: string | null, text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'ErrorItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'FileChangeItem', path: string, changeKind: FileChangeKind, diff: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'McpToolCallItem', toolName: string, server: string, tool: string, arguments: unknown, output: string | null, isError: boolean, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'StatusItem', message: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'ToolCallItem', toolName: string, arguments: unknown, output: string | null, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } } }
    | { __typename: 'UserMessageItem', text: string, id: string, kind: ItemKind, status: ItemStatus, summary: string, detail: string | null, metadata: unknown, startedAt: string | null, endedAt: string | null, turn: { id: string, thread: { id: string } }, images: Array<{ url: string | null, sha256: string | null, mimeType: string | null, byteSize: number | null }> }
  > };

export type TurnCostQueryVariables = Exact<{
  id: string | number;
}>;


export type TurnCostQuery = { turn: { id: string, costUsd: number | null, costCny: number | null, priced: boolean | null, price: { pattern: string, match: string, provider: string | null, validFrom: string | null, validUntil: string | null, usd: { hit: number, miss: number, output: number }, cny: { hit: number, miss: number, output: number } } | null } | null };

export type TurnDiffQueryVariables = Exact<{
  id: string | number;
}>;


export type TurnDiffQuery = { turn: { id: string, diff: string | null, changedFiles: Array<{ path: string, oldPath: string | null, change: WorkspaceFileChange, binary: boolean, additions: number | null, deletions: number | null }> | null } | null };

export type WebhooksQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhooksQuery = { webhooks: Array<{ id: string, url: string, events: Array<string>, description: string | null, createdAt: string }> };

export type WebhookDeliveriesQueryVariables = Exact<{
  webhookId?: string | number | null | undefined;
  status?: WebhookDeliveryStatus | null | undefined;
  limit?: number | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhookDeliveries: Array<{ id: string, webhookId: string, seq: number, eventName: string, threadId: string, status: WebhookDeliveryStatus, attempts: number, createdAt: string, nextAttemptAt: string | null, deliveredAt: string | null, lastStatusCode: number | null, lastError: string | null }> };

export type ThreadEventsSubscriptionVariables = Exact<{
  threadId: string | number;
  sinceSeq?: number | null | undefined;
  names?: Array<string> | string | null | undefined;
}>;


export type ThreadEventsSubscription = { threadEvents: { seq: number, timestamp: string, name: string, threadId: string, turnId: string | null, itemId: string | null, payload: unknown } };

export type TurnEventsSubscriptionVariables = Exact<{
  turnId: string | number;
  names?: Array<string> | string | null | undefined;
}>;


export type TurnEventsSubscription = { turnEvents: { seq: number, timestamp: string, name: string, threadId: string, turnId: string | null, itemId: string | null, payload: unknown } };

export type RuntimeEventsSubscriptionVariables = Exact<{
  sinceSeq?: number | null | undefined;
  names?: Array<string> | string | null | undefined;
  threadIds?: Array<string | number> | string | number | null | undefined;
}>;


export type RuntimeEventsSubscription = { runtimeEvents: { seq: number, timestamp: string, name: string, threadId: string, turnId: string | null, itemId: string | null, payload: unknown } };

export type ThreadPresenceSubscriptionVariables = Exact<{
  threadId: string | number;
}>;


export type ThreadPresenceSubscription = { threadPresence: { threadId: string, subscriberCount: number } };

export const ThreadFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ThreadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thread"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"}},{"kind":"Field","name":{"kind":"Name","value":"allowShell"}},{"kind":"Field","name":{"kind":"Name","value":"trustMode"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}},{"kind":"Field","name":{"kind":"Name","value":"sandboxPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoApprove"}},{"kind":"Field","name":{"kind":"Name","value":"archived"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"taskType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunId"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunHistory"}},{"kind":"Field","name":{"kind":"Name","value":"checklist"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"depthFromTail"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<ThreadFieldsFragment, unknown>;
export const TurnFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<TurnFieldsFragment, unknown>;
export const ItemFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"json"}},{"kind":"Field","name":{"kind":"Name","value":"jsonError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"McpToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"server"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommandExecutionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FileChangeItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"changeKind"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContextCompactionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StatusItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ItemFieldsFragment, unknown>;
export const EventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RuntimeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"itemId"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}}]}}]} as unknown as DocumentNode<EventFieldsFragment, unknown>;
export const UsageTotalsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UsageTotalsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageTotals"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdWithoutCache"}},{"kind":"Field","name":{"kind":"Name","value":"cacheSavingsUsd"}},{"kind":"Field","name":{"kind":"Name","value":"cacheHitRate"}},{"kind":"Field","name":{"kind":"Name","value":"turns"}},{"kind":"Field","name":{"kind":"Name","value":"unpricedTurns"}},{"kind":"Field","name":{"kind":"Name","value":"cacheTelemetryIncomplete"}}]}}]} as unknown as DocumentNode<UsageTotalsFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<PageInfoFieldsFragment, unknown>;
export const ApprovalFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApprovalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Approval"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grantedSandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<ApprovalFieldsFragment, unknown>;
export const PriceEntryFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PriceEntryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PriceEntry"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}},{"kind":"Field","name":{"kind":"Name","value":"usd"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hit"}},{"kind":"Field","name":{"kind":"Name","value":"miss"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cny"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hit"}},{"kind":"Field","name":{"kind":"Name","value":"miss"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}}]}}]} as unknown as DocumentNode<PriceEntryFieldsFragment, unknown>;
export const CreateThreadDocument = {"__meta__":{"hash":"sha256:fc951c8d5be42308957030700f84f8faf78ed0c0c148245f0779994fba22c816"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateThreadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateThreadPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ThreadFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkspaceInvalidError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ThreadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thread"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"}},{"kind":"Field","name":{"kind":"Name","value":"allowShell"}},{"kind":"Field","name":{"kind":"Name","value":"trustMode"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}},{"kind":"Field","name":{"kind":"Name","value":"sandboxPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoApprove"}},{"kind":"Field","name":{"kind":"Name","value":"archived"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"taskType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunId"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunHistory"}},{"kind":"Field","name":{"kind":"Name","value":"checklist"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"depthFromTail"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<CreateThreadMutation, CreateThreadMutationVariables>;
export const UpdateThreadDocument = {"__meta__":{"hash":"sha256:08e399678fad91ee8948ff0094c9881fdde0ea01c88dd30965a753465f26c1c6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateThreadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateThreadPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ThreadFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotFoundError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"missingId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkspaceInvalidError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ThreadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thread"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"}},{"kind":"Field","name":{"kind":"Name","value":"allowShell"}},{"kind":"Field","name":{"kind":"Name","value":"trustMode"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}},{"kind":"Field","name":{"kind":"Name","value":"sandboxPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoApprove"}},{"kind":"Field","name":{"kind":"Name","value":"archived"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"taskType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunId"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunHistory"}},{"kind":"Field","name":{"kind":"Name","value":"checklist"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"depthFromTail"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateThreadMutation, UpdateThreadMutationVariables>;
export const DeleteThreadDocument = {"__meta__":{"hash":"sha256:ea9d9d621229c442e9c01bc21e9622cb7f613d32fbf8833d2983ed707891cffd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteThreadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteThreadPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedThreadId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteThreadMutation, DeleteThreadMutationVariables>;
export const StartTurnDocument = {"__meta__":{"hash":"sha256:2e61e324d5498e3ada4955e083207c0e78a2533f329b8fe2cf05dd79eceac97a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartTurn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartTurnInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTurn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StartTurnPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"queued"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OverloadedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxRunningTurns"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<StartTurnMutation, StartTurnMutationVariables>;
export const SteerTurnDocument = {"__meta__":{"hash":"sha256:fb3d6f098ef3d1f1126889f1b877ca0a08300f088d1c979c01c1480b7a62e62f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SteerTurn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SteerTurnInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"steerTurn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SteerTurnPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<SteerTurnMutation, SteerTurnMutationVariables>;
export const InterruptTurnDocument = {"__meta__":{"hash":"sha256:0e469b361107b5e74650e0f1616b6313e7da32de616247de63a742c983997c92"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"InterruptTurn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InterruptTurnInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interruptTurn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InterruptTurnPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<InterruptTurnMutation, InterruptTurnMutationVariables>;
export const CancelQueuedTurnDocument = {"__meta__":{"hash":"sha256:9a589888b58966a5b5864c20eb6b698d5100f1736f3fab4549334e2b4dbeb10f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelQueuedTurn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelQueuedTurnInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelQueuedTurn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CancelQueuedTurnPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<CancelQueuedTurnMutation, CancelQueuedTurnMutationVariables>;
export const EditLastTurnDocument = {"__meta__":{"hash":"sha256:b11a178d5be56291cc8ec0e1052f96ed119ce3f0dec1f48acbb508b75fa417a0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EditLastTurn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EditLastTurnInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"editLastTurn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EditLastTurnPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OverloadedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxRunningTurns"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<EditLastTurnMutation, EditLastTurnMutationVariables>;
export const ForkThreadDocument = {"__meta__":{"hash":"sha256:56ad9b168b0acba8e41fbb6ede2a5ee6b0c27c2e57ce211809c927f7ac2ef22e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ForkThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ForkThreadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"forkThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ForkThreadPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ThreadFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalUserText"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ThreadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thread"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"}},{"kind":"Field","name":{"kind":"Name","value":"allowShell"}},{"kind":"Field","name":{"kind":"Name","value":"trustMode"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}},{"kind":"Field","name":{"kind":"Name","value":"sandboxPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoApprove"}},{"kind":"Field","name":{"kind":"Name","value":"archived"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"taskType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunId"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunHistory"}},{"kind":"Field","name":{"kind":"Name","value":"checklist"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"depthFromTail"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<ForkThreadMutation, ForkThreadMutationVariables>;
export const CompactThreadDocument = {"__meta__":{"hash":"sha256:037c0d7619b04eff23a4d06cdd1f102cbc4c8ee323e4a916dc512114ef0b4d0d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompactThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompactThreadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compactThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CompactThreadPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OverloadedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxRunningTurns"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<CompactThreadMutation, CompactThreadMutationVariables>;
export const ResolveApprovalDocument = {"__meta__":{"hash":"sha256:061bd539761cade6be9742d71796f3d3cb4287c4359da2123a095c648dba4a3f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResolveApproval"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResolveApprovalInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resolveApproval"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ResolveApprovalPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"approval"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ApprovalFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApprovalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Approval"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grantedSandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<ResolveApprovalMutation, ResolveApprovalMutationVariables>;
export const SetRoutingRulesDocument = {"__meta__":{"hash":"sha256:018ad4f57ad53ee8b661cb84c7643be152768dd1896e672cdeeff1a767500185"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetRoutingRules"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetRoutingRulesInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setRoutingRules"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SetRoutingRulesPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intent"}},{"kind":"Field","name":{"kind":"Name","value":"model"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SetRoutingRulesMutation, SetRoutingRulesMutationVariables>;
export const SetPricingDocument = {"__meta__":{"hash":"sha256:c2948b2507ef6c0c6ca440b9cd379b6827f2204a330cbac0002f84ec78ad67df"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetPricing"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetPricingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setPricing"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SetPricingPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pricing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"entries"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"}},{"kind":"Field","name":{"kind":"Name","value":"match"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SetPricingMutation, SetPricingMutationVariables>;
export const SubmitToolOutputDocument = {"__meta__":{"hash":"sha256:827c8ced9adc98ffa0f8010f409a4dc460d1cf7d919d25bec52b96445f8b8af0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SubmitToolOutput"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SubmitToolOutputInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitToolOutput"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SubmitToolOutputPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"item"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ItemFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"json"}},{"kind":"Field","name":{"kind":"Name","value":"jsonError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"McpToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"server"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommandExecutionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FileChangeItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"changeKind"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContextCompactionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StatusItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<SubmitToolOutputMutation, SubmitToolOutputMutationVariables>;
export const RevertThreadDocument = {"__meta__":{"hash":"sha256:b19a1c25aa9344b898c56895fb5f37b5413a33aa572b48e4d8494a020b3cdff4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevertThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RevertThreadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revertThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RevertThreadPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ThreadFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"removedTurnIds"}},{"kind":"Field","name":{"kind":"Name","value":"restoredFiles"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkspaceConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"files"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ThreadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thread"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"}},{"kind":"Field","name":{"kind":"Name","value":"allowShell"}},{"kind":"Field","name":{"kind":"Name","value":"trustMode"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}},{"kind":"Field","name":{"kind":"Name","value":"sandboxPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoApprove"}},{"kind":"Field","name":{"kind":"Name","value":"archived"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"taskType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunId"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunHistory"}},{"kind":"Field","name":{"kind":"Name","value":"checklist"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"depthFromTail"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<RevertThreadMutation, RevertThreadMutationVariables>;
export const RegisterWebhookDocument = {"__meta__":{"hash":"sha256:82b0c728b2feacf42957f7b1523765ce0f0cedc37501e3aa5f3afb0b2b3269b3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterWebhookInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterWebhookPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterWebhookMutation, RegisterWebhookMutationVariables>;
export const DeleteWebhookDocument = {"__meta__":{"hash":"sha256:40e8d8b54e79d85d11f40749fdc26c1774d47d9e11e202ad0b8d48a504f34379"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteWebhookInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteWebhookPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedWebhookId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const EditQueuedTurnDocument = {"__meta__":{"hash":"sha256:b30e3f3b7e74b996de417b3087d3a4f8d1e40b26e75479960796987a2786f9ef"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EditQueuedTurn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EditQueuedTurnInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"editQueuedTurn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EditQueuedTurnPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"queued"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<EditQueuedTurnMutation, EditQueuedTurnMutationVariables>;
export const MoveQueuedTurnDocument = {"__meta__":{"hash":"sha256:5adb007cbc984b2044f6f2b8611a16f657895245ea0c783b31d162029da4fb30"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MoveQueuedTurn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MoveQueuedTurnInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"moveQueuedTurn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MoveQueuedTurnPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"queued"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}}]} as unknown as DocumentNode<MoveQueuedTurnMutation, MoveQueuedTurnMutationVariables>;
export const ThreadDocument = {"__meta__":{"hash":"sha256:22cf0ee8586934506181d503f0f9276a70debe77b0f2bde24cbea2934e914daf"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Thread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ThreadFields"}},{"kind":"Field","name":{"kind":"Name","value":"subscriberCount"}},{"kind":"Field","name":{"kind":"Name","value":"activeTurn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestTurn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"queuedTurns"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageTotalsFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ThreadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thread"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"}},{"kind":"Field","name":{"kind":"Name","value":"allowShell"}},{"kind":"Field","name":{"kind":"Name","value":"trustMode"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}},{"kind":"Field","name":{"kind":"Name","value":"sandboxPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoApprove"}},{"kind":"Field","name":{"kind":"Name","value":"archived"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"taskType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunId"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunHistory"}},{"kind":"Field","name":{"kind":"Name","value":"checklist"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"depthFromTail"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UsageTotalsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageTotals"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdWithoutCache"}},{"kind":"Field","name":{"kind":"Name","value":"cacheSavingsUsd"}},{"kind":"Field","name":{"kind":"Name","value":"cacheHitRate"}},{"kind":"Field","name":{"kind":"Name","value":"turns"}},{"kind":"Field","name":{"kind":"Name","value":"unpricedTurns"}},{"kind":"Field","name":{"kind":"Name","value":"cacheTelemetryIncomplete"}}]}}]} as unknown as DocumentNode<ThreadQuery, ThreadQueryVariables>;
export const ThreadsDocument = {"__meta__":{"hash":"sha256:cfdfc5761b295576793fe8ec271b76c793765d088388c365fa162a20ff9d7727"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Threads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ThreadFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ThreadOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ThreadFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ThreadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thread"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"}},{"kind":"Field","name":{"kind":"Name","value":"allowShell"}},{"kind":"Field","name":{"kind":"Name","value":"trustMode"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}},{"kind":"Field","name":{"kind":"Name","value":"sandboxPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoApprove"}},{"kind":"Field","name":{"kind":"Name","value":"archived"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"taskType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunId"}},{"kind":"Field","name":{"kind":"Name","value":"scratchpadRunHistory"}},{"kind":"Field","name":{"kind":"Name","value":"checklist"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"depthFromTail"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<ThreadsQuery, ThreadsQueryVariables>;
export const ThreadTurnsDocument = {"__meta__":{"hash":"sha256:451bd59f23d570bf48c1aef7c76466ae0f3db0b01624616817cedb6246ad366a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ThreadTurns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"itemsFirst"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"turns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"itemsFirst"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ItemFields"}}]}}]}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"json"}},{"kind":"Field","name":{"kind":"Name","value":"jsonError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"McpToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"server"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommandExecutionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FileChangeItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"changeKind"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContextCompactionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StatusItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ThreadTurnsQuery, ThreadTurnsQueryVariables>;
export const TurnDocument = {"__meta__":{"hash":"sha256:363d10a29b298ac1a15672eabee00223345803ba3df76380c073c11d2cf82166"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Turn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TurnFields"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"items"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"500"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ItemFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TurnFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Turn"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"prompt"}},{"kind":"Field","name":{"kind":"Name","value":"inputSummary"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"steerCount"}},{"kind":"Field","name":{"kind":"Name","value":"seenSeq"}},{"kind":"Field","name":{"kind":"Name","value":"supersededBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"json"}},{"kind":"Field","name":{"kind":"Name","value":"jsonError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"McpToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"server"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommandExecutionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FileChangeItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"changeKind"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContextCompactionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StatusItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<TurnQuery, TurnQueryVariables>;
export const TurnItemsDocument = {"__meta__":{"hash":"sha256:7c7fab3e87f45a929fd1f40f43b410bd36b587f2c4923dc19c7662fc01f2d851"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TurnItems"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ItemFields"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"json"}},{"kind":"Field","name":{"kind":"Name","value":"jsonError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"McpToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"server"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommandExecutionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FileChangeItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"changeKind"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContextCompactionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StatusItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<TurnItemsQuery, TurnItemsQueryVariables>;
export const ItemDocument = {"__meta__":{"hash":"sha256:5eeb43f8ba643f57f03925d34c46cb135e96889f81a11e9534f2f6584de59d9e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Item"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"item"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ItemFields"}},{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"json"}},{"kind":"Field","name":{"kind":"Name","value":"jsonError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"McpToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"server"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommandExecutionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FileChangeItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"changeKind"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContextCompactionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StatusItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ItemQuery, ItemQueryVariables>;
export const NodeDocument = {"__meta__":{"hash":"sha256:674a4e60b765ab762155deb5480b435445a7ecf217bd9a818ee68fa139bfb45a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Node"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<NodeQuery, NodeQueryVariables>;
export const ItemImagesDocument = {"__meta__":{"hash":"sha256:7adc009be86283f2ec0f4b9221733380e2cf79fad939656f4c0d18ead56711f7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ItemImages"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"item"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}},{"kind":"Field","name":{"kind":"Name","value":"data"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ItemImagesQuery, ItemImagesQueryVariables>;
export const NodesDocument = {"__meta__":{"hash":"sha256:061e5e74ee7113d4c05a2475b34214b4bfa1c7f3a4c3904eb3829d10d065773b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Nodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<NodesQuery, NodesQueryVariables>;
export const EventsDocument = {"__meta__":{"hash":"sha256:1de83d00bd23bcea4d505409ecc02dfc6bbe36aef87c892e84ed5be3e35f2c4f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Events"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sinceSeq"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SafeInt"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"threadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}},{"kind":"Argument","name":{"kind":"Name","value":"sinceSeq"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sinceSeq"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RuntimeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"itemId"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}}]}}]} as unknown as DocumentNode<EventsQuery, EventsQueryVariables>;
export const UsageDocument = {"__meta__":{"hash":"sha256:cdeac7723c000cb45d4d4515014f57466a74f8da00b304bb5714ae825c63f3a6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Usage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageGroupBy"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"timeZone"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"timeZone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"timeZone"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"until"}},{"kind":"Field","name":{"kind":"Name","value":"groupBy"}},{"kind":"Field","name":{"kind":"Name","value":"cacheTelemetryIncomplete"}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageTotalsFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"buckets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdWithoutCache"}},{"kind":"Field","name":{"kind":"Name","value":"cacheSavingsUsd"}},{"kind":"Field","name":{"kind":"Name","value":"cacheHitRate"}},{"kind":"Field","name":{"kind":"Name","value":"turns"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UsageTotalsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageTotals"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"missTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdWithoutCache"}},{"kind":"Field","name":{"kind":"Name","value":"cacheSavingsUsd"}},{"kind":"Field","name":{"kind":"Name","value":"cacheHitRate"}},{"kind":"Field","name":{"kind":"Name","value":"turns"}},{"kind":"Field","name":{"kind":"Name","value":"unpricedTurns"}},{"kind":"Field","name":{"kind":"Name","value":"cacheTelemetryIncomplete"}}]}}]} as unknown as DocumentNode<UsageQuery, UsageQueryVariables>;
export const RoutingRulesDocument = {"__meta__":{"hash":"sha256:aad28ef2d6f43130f25a3a240a31b6d5b18732065b1318d717adb9ae30edd108"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RoutingRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"routingRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intent"}},{"kind":"Field","name":{"kind":"Name","value":"model"}}]}}]}}]} as unknown as DocumentNode<RoutingRulesQuery, RoutingRulesQueryVariables>;
export const PendingApprovalsDocument = {"__meta__":{"hash":"sha256:80eddbe281d914b8db77ec204889af5a0844f2de98de2822d733d9c17d083fa2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PendingApprovals"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pendingApprovals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"threadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ApprovalFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApprovalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Approval"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grantedSandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<PendingApprovalsQuery, PendingApprovalsQueryVariables>;
export const ApprovalDocument = {"__meta__":{"hash":"sha256:9f18a6577a9fb643fbfe8770f1ba8b067043c93716ac9433450608209b276d21"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Approval"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Approval"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ApprovalFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApprovalFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Approval"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grantedSandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<ApprovalQuery, ApprovalQueryVariables>;
export const RuntimeInfoDocument = {"__meta__":{"hash":"sha256:48ebac0da1ee2170570b6582ed26928823351f97ea19986f9828a73c3c7b7936"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RuntimeInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runtimeInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"schemaVersion"}},{"kind":"Field","name":{"kind":"Name","value":"eventSchemaVersion"}},{"kind":"Field","name":{"kind":"Name","value":"latestSeq"}},{"kind":"Field","name":{"kind":"Name","value":"engine"}},{"kind":"Field","name":{"kind":"Name","value":"defaultModel"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"activeThreads"}},{"kind":"Field","name":{"kind":"Name","value":"maxActiveThreads"}},{"kind":"Field","name":{"kind":"Name","value":"maxRunningTurns"}},{"kind":"Field","name":{"kind":"Name","value":"turnsWaitingForSlot"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"problem"}},{"kind":"Field","name":{"kind":"Name","value":"resourceLimits"}},{"kind":"Field","name":{"kind":"Name","value":"memoryLimitBytes"}},{"kind":"Field","name":{"kind":"Name","value":"maxProcesses"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"defaultPolicy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"networkAccess"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RuntimeInfoQuery, RuntimeInfoQueryVariables>;
export const PricingDocument = {"__meta__":{"hash":"sha256:6458adbd168c90ba42490bba49912009b49c10b79b437e1311b9575b38770817"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Pricing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pricing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"entries"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PriceEntryFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PriceEntryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PriceEntry"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}},{"kind":"Field","name":{"kind":"Name","value":"usd"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hit"}},{"kind":"Field","name":{"kind":"Name","value":"miss"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cny"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hit"}},{"kind":"Field","name":{"kind":"Name","value":"miss"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}}]}}]} as unknown as DocumentNode<PricingQuery, PricingQueryVariables>;
export const ModelsDocument = {"__meta__":{"hash":"sha256:4570c72b096282130fb569d2591034d4b94331b0e3957bfb10a2d92471afb6b2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Models"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"refresh"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"refresh"},"value":{"kind":"Variable","name":{"kind":"Name","value":"refresh"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fetchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"ownedBy"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"contextWindow"}},{"kind":"Field","name":{"kind":"Name","value":"compactAtTokens"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"}},{"kind":"Field","name":{"kind":"Name","value":"match"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ModelsQuery, ModelsQueryVariables>;
export const McpServersDocument = {"__meta__":{"hash":"sha256:c35102332a6867e2b1a489104b6e97fa398f37a55d3ca52cfe32d08bf94cad95"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"McpServers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mcpServers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"transport"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"trusted"}},{"kind":"Field","name":{"kind":"Name","value":"restarts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastErrorAt"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAt"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]} as unknown as DocumentNode<McpServersQuery, McpServersQueryVariables>;
export const PendingClientToolCallsDocument = {"__meta__":{"hash":"sha256:cc8ef6862a15496abb2bebbdd8d50479435d4c17904df009a62d611dc20483e1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PendingClientToolCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pendingClientToolCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"threadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ItemFields"}},{"kind":"Field","name":{"kind":"Name","value":"turn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"thread"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ItemFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"byteSize"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentMessageItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"json"}},{"kind":"Field","name":{"kind":"Name","value":"jsonError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"McpToolCallItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"server"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommandExecutionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FileChangeItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"changeKind"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContextCompactionItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StatusItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ErrorItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<PendingClientToolCallsQuery, PendingClientToolCallsQueryVariables>;
export const TurnCostDocument = {"__meta__":{"hash":"sha256:37b3afe6df1c9d65e04a981caf56899d1a5452ee2c6b0516c2fba34f8e7ff780"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TurnCost"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costCny"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PriceEntryFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PriceEntryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PriceEntry"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}},{"kind":"Field","name":{"kind":"Name","value":"usd"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hit"}},{"kind":"Field","name":{"kind":"Name","value":"miss"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cny"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hit"}},{"kind":"Field","name":{"kind":"Name","value":"miss"}},{"kind":"Field","name":{"kind":"Name","value":"output"}}]}}]}}]} as unknown as DocumentNode<TurnCostQuery, TurnCostQueryVariables>;
export const TurnDiffDocument = {"__meta__":{"hash":"sha256:b489d006ac98dbaf85d860c1eff151a03775ad6624eac3604580d32252d4e4d9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TurnDiff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"diff"}},{"kind":"Field","name":{"kind":"Name","value":"changedFiles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"oldPath"}},{"kind":"Field","name":{"kind":"Name","value":"change"}},{"kind":"Field","name":{"kind":"Name","value":"binary"}},{"kind":"Field","name":{"kind":"Name","value":"additions"}},{"kind":"Field","name":{"kind":"Name","value":"deletions"}}]}}]}}]}}]} as unknown as DocumentNode<TurnDiffQuery, TurnDiffQueryVariables>;
export const WebhooksDocument = {"__meta__":{"hash":"sha256:0681441fdcb81dc5be86f8b9b81053d8fb48a6e2fa9c691d2d754e1769f114a9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Webhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<WebhooksQuery, WebhooksQueryVariables>;
export const WebhookDeliveriesDocument = {"__meta__":{"hash":"sha256:24421442434040eed41a9c314b4267892ec89062cf40f1b2c290a92df6330d0e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webhookId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookDeliveryStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"webhookId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webhookId"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"webhookId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"eventName"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const ThreadEventsDocument = {"__meta__":{"hash":"sha256:f289381a24567ee16d92649d1b9f7074dd4d7766e07a47978f6f518cdc0e9fef"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ThreadEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sinceSeq"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SafeInt"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"names"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"threadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}},{"kind":"Argument","name":{"kind":"Name","value":"sinceSeq"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sinceSeq"}}},{"kind":"Argument","name":{"kind":"Name","value":"names"},"value":{"kind":"Variable","name":{"kind":"Name","value":"names"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RuntimeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"itemId"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}}]}}]} as unknown as DocumentNode<ThreadEventsSubscription, ThreadEventsSubscriptionVariables>;
export const TurnEventsDocument = {"__meta__":{"hash":"sha256:a2d30f3b4a84c7f1517750fe45e7762f349e0749ed86f7ef118a9ec7181557a6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TurnEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"turnId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"names"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"turnEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"turnId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"turnId"}}},{"kind":"Argument","name":{"kind":"Name","value":"names"},"value":{"kind":"Variable","name":{"kind":"Name","value":"names"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RuntimeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"itemId"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}}]}}]} as unknown as DocumentNode<TurnEventsSubscription, TurnEventsSubscriptionVariables>;
export const RuntimeEventsDocument = {"__meta__":{"hash":"sha256:403a16035982259b5c753dd3dc499a9ea87e82f049b4f555e82f19e8ffe6cbf5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RuntimeEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sinceSeq"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SafeInt"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"names"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runtimeEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sinceSeq"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sinceSeq"}}},{"kind":"Argument","name":{"kind":"Name","value":"names"},"value":{"kind":"Variable","name":{"kind":"Name","value":"names"}}},{"kind":"Argument","name":{"kind":"Name","value":"threadIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RuntimeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"turnId"}},{"kind":"Field","name":{"kind":"Name","value":"itemId"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}}]}}]} as unknown as DocumentNode<RuntimeEventsSubscription, RuntimeEventsSubscriptionVariables>;
export const ThreadPresenceDocument = {"__meta__":{"hash":"sha256:5772914acdf99f93fc7334fd94fe3fff68b329dbdb2729faafd27ba774e56cad"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ThreadPresence"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadPresence"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"threadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"subscriberCount"}}]}}]}}]} as unknown as DocumentNode<ThreadPresenceSubscription, ThreadPresenceSubscriptionVariables>;