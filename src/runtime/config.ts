import type { Engine } from '../engine/types.js';
import type { PricingTable } from '../domain/pricing.js';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from '../domain/images.js';
import type { ModelLimit } from '../domain/modelLimits.js';
import type { McpServers } from '../engine/mcp/types.js';
import type { CommandQueue } from './commandQueue.js';
import { EVENT_STREAM_DEFAULTS } from './eventStream.js';

export interface RuntimeConfig {
  engine: Engine;
  defaultModel: string;
  defaultMode: string;
  defaultWorkspace: string;
  /** Engines (loaded conversations) kept in memory; a thread with a running turn is never evicted. */
  maxActiveThreads: number;
  approvalTimeoutMs: number;
  maxPromptBytes: number;
  /** Text deltas are coalesced into one event per item at most this often... */
  deltaFlushMs: number;
  /** ...or as soon as this many bytes are pending. */
  deltaFlushBytes: number;
  /** Tool rounds per turn before the turn is stopped. */
  maxSteps: number;
  /** Live events a subscriber may have pending before its stream ends with an error (after merging). */
  subscriberMaxPending: number;
  /** Pending events from which a subscriber's consecutive deltas of one item are merged. */
  subscriberMergeFrom: number;
  pricing?: PricingTable;
  /** Directories sandboxed shell commands must not see (the data directory). */
  sandboxHiddenPaths?: readonly string[];
  /** Images on one message and bytes of one image. */
  imageLimits: ImageLimits;
  /** Context windows and automatic compaction thresholds per model (over the known windows). */
  modelLimits: ModelLimit[];
  /** How long a turn waits for the client's answer to one of its client tools. */
  clientToolTimeoutMs: number;
  /** How long the provider's model list is kept before it is fetched again. */
  modelListTtlMs: number;
  /** The MCP servers whose tools the model is offered (none when unset). */
  mcp?: McpServers | null;
  /** Where the runtime reports failures it handles itself (pino's shape). */
  logger?: { error(details: object, message: string): void };
  /** Archived threads not updated for this many days are purged (unset: kept). */
  retainArchivedDays?: number | null;
  /** How often retention looks for threads to purge (default DEFAULT_RETENTION_SWEEP_MS, retention.ts). */
  retentionSweepMs?: number;
  /** Where per-thread workspace snapshots are kept (unset: no snapshots, no file revert). */
  snapshotDir?: string | null;
  /** Files bigger than this are left out of snapshots (default DEFAULT_SNAPSHOT_MAX_FILE_BYTES, workspaceSnapshots.ts). */
  snapshotMaxFileBytes?: number;
  /** Directories never snapshotted (the store's own, when a workspace contains it). */
  snapshotExclude?: string[];
  /** URL patterns webhooks may call (empty or unset: registering a webhook is refused). */
  webhookAllow?: string[];
  /** A delivery attempt that takes longer fails (and is retried). The webhook options' defaults: WEBHOOK_DEFAULTS (webhooks.ts). */
  webhookTimeoutMs?: number;
  /** Pause before the first retry; it doubles with each further one. */
  webhookRetryBaseMs?: number;
  /** Attempts before a delivery is FAILED for good. */
  webhookMaxAttempts?: number;
  /** How often the outbox is checked for retries that are due. */
  webhookPollMs?: number;
  /** Turns running at once across threads; past it startTurn queues (QUEUE) or answers OVERLOADED. Unset: no bound. */
  maxRunningTurns?: number;
  /** How long a mutation's clientRequestId is kept (a repeat within it gets the first answer); default DEFAULT_IDEMPOTENCY_TTL_MS (idempotency.ts). */
  idempotencyTtlMs?: number;
  /** Serialises commands within their scope (unset: LocalCommandQueue, this process only). */
  commandQueue?: CommandQueue;
  /** Presence changes of a thread reach `threadPresence` watchers at most this often (default: RUNTIME_DEFAULTS). */
  presenceIntervalMs?: number;
  /** Epoch ms; Date.now when not set. Turn end times (and so prices) follow it. */
  clock?: () => number;
}

export const RUNTIME_DEFAULTS = {
  defaultModel: 'deepseek-chat',
  defaultMode: 'agent',
  maxActiveThreads: 8,
  approvalTimeoutMs: 120_000,
  maxPromptBytes: 256 * 1024,
  deltaFlushMs: 10,
  deltaFlushBytes: 4096,
  maxSteps: 50,
  subscriberMaxPending: EVENT_STREAM_DEFAULTS.maxPending,
  subscriberMergeFrom: EVENT_STREAM_DEFAULTS.mergeFrom,
  imageLimits: DEFAULT_IMAGE_LIMITS,
  modelLimits: [] as ModelLimit[],
  clientToolTimeoutMs: 120_000,
  modelListTtlMs: 10 * 60_000,
  presenceIntervalMs: 1000,
  /** The server's default bound (a runtime made without one has none). */
  maxRunningTurns: 100,
} as const;
