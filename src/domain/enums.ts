/**
 * The closed sets of values the records, the events and the GraphQL enums share, declared once as `as const`
 * arrays; each type is derived from its array. No imports: `npm run codegen` copies this file into the SDK
 * (sdk/generated/enums.ts) so that clients get the same types.
 */

export const TASK_TYPES = ['CODE', 'OFFICE'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TURN_STATUSES = ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'INTERRUPTED', 'CANCELED'] as const;
export type TurnStatus = (typeof TURN_STATUSES)[number];

/** The statuses a turn ends with (announced by turn.completed); a final turn never changes again. */
export const FINAL_TURN_STATUSES = ['COMPLETED', 'FAILED', 'INTERRUPTED', 'CANCELED'] as const satisfies readonly TurnStatus[];
export type FinalTurnStatus = (typeof FINAL_TURN_STATUSES)[number];

/** Is a turn (or item) with this status over? The one test of it. */
export function isFinalStatus(status: TurnStatus): status is FinalTurnStatus {
  return (FINAL_TURN_STATUSES as readonly TurnStatus[]).includes(status);
}

export const ITEM_STATUSES = TURN_STATUSES;
export type ItemStatus = TurnStatus;
/** The statuses an item ends with while its turn runs (CANCELED is for turns that never started). */
export type ItemEndStatus = Exclude<FinalTurnStatus, 'CANCELED'>;

export const ITEM_KINDS = [
  'USER_MESSAGE',
  'AGENT_MESSAGE',
  'TOOL_CALL',
  'MCP_TOOL_CALL',
  'FILE_CHANGE',
  'COMMAND_EXECUTION',
  'CONTEXT_COMPACTION',
  'STATUS',
  'ERROR',
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const TURN_PURPOSES = ['PROMPT', 'COMPACTION'] as const;
export type TurnPurpose = (typeof TURN_PURPOSES)[number];

export const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'DENIED', 'EXPIRED'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** What a shell command may touch: nothing but a private tmp, also the workspace, or everything (no sandbox). */
export const SANDBOX_MODES = ['READ_ONLY', 'WORKSPACE_WRITE', 'FULL_ACCESS'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

export const FILE_CHANGE_KINDS = ['ADD', 'UPDATE', 'DELETE'] as const;
export type FileChangeKind = (typeof FILE_CHANGE_KINDS)[number];

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export const PURGE_REASONS = ['DELETED', 'EXPIRED', 'RETENTION'] as const;
export type PurgeReason = (typeof PURGE_REASONS)[number];

/** How a prompt meets a thread that already runs a turn (startTurn `delivery`). */
export const TURN_DELIVERIES = ['REJECT', 'QUEUE', 'STEER', 'INTERRUPT'] as const;
export type TurnDelivery = (typeof TURN_DELIVERIES)[number];

/** A task type as createThread takes it: AUTO lets the server choose. */
export const TASK_TYPE_INPUTS = ['AUTO', ...TASK_TYPES] as const;
export type TaskTypeInput = (typeof TASK_TYPE_INPUTS)[number];

export const THREAD_STATUSES = ['IDLE', 'RUNNING'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export const ARCHIVED_FILTERS = ['ACTIVE_ONLY', 'INCLUDE_ARCHIVED', 'ARCHIVED_ONLY'] as const;
export type ArchivedFilter = (typeof ARCHIVED_FILTERS)[number];

export const THREAD_ORDER_FIELDS = ['UPDATED_AT', 'CREATED_AT'] as const;
export type ThreadOrderField = (typeof THREAD_ORDER_FIELDS)[number];

export const ORDER_DIRECTIONS = ['ASC', 'DESC'] as const;
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];

/** A person's answer to a pending approval (resolveApproval); the approval then becomes APPROVED or DENIED. */
export const RESOLVE_DECISIONS = ['APPROVE', 'DENY'] as const;
export type ResolveDecision = (typeof RESOLVE_DECISIONS)[number];

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'CANCELED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const USAGE_GROUP_BYS = ['DAY', 'MODEL', 'PROVIDER', 'THREAD'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];

/** How a turn changed a workspace file, from the snapshots before and after it. */
export const WORKSPACE_FILE_CHANGES = ['ADDED', 'MODIFIED', 'DELETED', 'RENAMED', 'TYPE_CHANGED'] as const;
export type WorkspaceFileChange = (typeof WORKSPACE_FILE_CHANGES)[number];

export const MCP_SERVER_STATES = ['STARTING', 'READY', 'RESTARTING', 'FAILED', 'STOPPED'] as const;
export type McpServerState = (typeof MCP_SERVER_STATES)[number];

export const MCP_TRANSPORTS = ['STDIO', 'HTTP'] as const;
export type McpTransport = (typeof MCP_TRANSPORTS)[number];
