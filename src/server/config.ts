import { Command, InvalidArgumentError, Option } from 'commander';
import { OPENAI_ENGINE_DEFAULTS } from '../engine/openaiEngine.js';
import { RUNTIME_DEFAULTS } from '../runtime/config.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS } from '../runtime/idempotency.js';
import { DEFAULT_QUERY_LIMITS } from '../schema/context.js';
import { DEFAULT_NODE_LEASE_MS } from '../store/postgres/pgNodes.js';
import { DEFAULT_DURABILITY, DURABILITIES, type Durability } from '../store/store.js';
import { DEFAULT_SECURITY } from './app.js';
import { PERSISTED_OPERATIONS_MODES, type PersistedOperationsMode } from './persistedOperations.js';
import { DEFAULT_HOST, isLoopbackHost } from './security.js';
import { DEFAULT_WS_KEEPALIVE_MS } from './wsServer.js';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** strict (default): every write synced to disk before it is acknowledged or published; relaxed: not synced. */
  durability: Durability;
  engine: 'openai' | 'offline';
  baseUrl: string;
  apiKey: string | null;
  model: string;
  authToken: string | null;
  workspace: string;
  pricingFile: string | null;
  approvalTimeoutSecs: number;
  maxActiveThreads: number;
  providerIdleTimeoutMs: number;
  logLevel: string;
  corsOrigins: string[];
  allowedHosts: string[];
  allowUnauthenticated: boolean;
  maxBodyBytes: number;
  maxPromptBytes: number;
  introspection: boolean;
  maxSteps: number;
  maxWsConnections: number;
  maxOperationsPerConnection: number;
  /** Every WebSocket is pinged this often; one that has not answered by the next ping is dropped (and counted out of presence). */
  wsKeepaliveMs: number;
  maxQueryComplexity: number;
  maxQueryDepth: number;
  /** off (default), allow (hashes of known documents too) or only (nothing but hashes of known documents). */
  persistedOperations: PersistedOperationsMode;
  /** The hash -> document manifest; null: the SDK's (sdk/generated/persisted-documents.json). */
  persistedOperationsFile: string | null;
  /** MCP servers file (mcpServers format). */
  mcpConfig: string | null;
  /** Context windows and compaction thresholds per model. */
  modelLimitsFile: string | null;
  clientToolTimeoutSecs: number;
  /** Archived threads not updated for this many days are purged; null keeps them. */
  retainArchivedDays: number | null;
  /** URL patterns webhooks may be registered for (empty: no webhooks). */
  webhookAllow: string[];
  /** postgres://… : the PostgreSQL store (and event feed) shared by every node; null: LevelDB under dataDir. */
  databaseUrl: string | null;
  /** With a database: seconds without a heartbeat after which a node's running turns are taken over. */
  nodeLeaseSecs: number;
  /** Hours a mutation's clientRequestId is kept (a repeat within them gets the first answer). */
  idempotencyTtlHours: number;
  /** Turns running at once across threads; past it startTurn queues (QUEUE) or answers OVERLOADED. */
  maxRunningTurns: number;
}

export class ConfigError extends Error {}

const int = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/** A repeatable flag, or a comma-separated environment variable. */
function splitList(value: string[] | string | undefined): string[] | null {
  if (value === undefined) return null;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return items.length ? items : null;
}

/**
 * The command line (README "Configuration"): each flag also reads its environment variable; flags win. Each
 * default is the one its owning module exports (test/config.defaults.test.ts).
 */
export function configCommand(): Command {
  return new Command('zagens-runtime')
    .description('GraphQL server for durable AI-agent conversations')
    .addOption(new Option('--host <host>', 'interface to bind').env('ZAGENS_HOST').default(DEFAULT_HOST))
    .addOption(
      new Option('--port <port>', 'port (0 picks a free one)')
        .env('ZAGENS_PORT')
        .default(4680)
        .argParser(int('--port', 0, 65535)),
    )
    .addOption(new Option('--data-dir <dir>', 'directory holding the LevelDB store').env('ZAGENS_DATA_DIR').default('./data'))
    .addOption(
      new Option(
        '--durability <mode>',
        'strict: every write is on disk (synced) before it is acknowledged; relaxed: faster, but a power loss can lose acknowledged writes',
      )
        .env('ZAGENS_DURABILITY')
        .choices(DURABILITIES)
        .default(DEFAULT_DURABILITY),
    )
    .addOption(new Option('--engine <engine>', 'engine that runs turns').env('ZAGENS_ENGINE').choices(['openai', 'offline']))
    .addOption(new Option('--base-url <url>', 'OpenAI-compatible API base URL').env('ZAGENS_BASE_URL').default(OPENAI_ENGINE_DEFAULTS.baseURL))
    .addOption(new Option('--api-key <key>', 'API key (also DEEPSEEK_API_KEY, OPENAI_API_KEY)').env('ZAGENS_API_KEY'))
    .addOption(new Option('--model <model>', 'default model of new threads').env('ZAGENS_MODEL').default(RUNTIME_DEFAULTS.defaultModel))
    .addOption(new Option('--auth-token <token>', 'bearer token required on every request but /health').env('ZAGENS_AUTH_TOKEN'))
    .addOption(new Option('--workspace <dir>', 'default workspace of new threads').env('ZAGENS_WORKSPACE').default(process.cwd()))
    .addOption(new Option('--pricing-file <file>', 'JSON pricing table replacing the defaults').env('ZAGENS_PRICING_FILE'))
    .addOption(
      new Option('--approval-timeout <secs>', 'seconds a tool approval waits before it expires')
        .env('ZAGENS_APPROVAL_TIMEOUT_SECS')
        .default(RUNTIME_DEFAULTS.approvalTimeoutMs / 1000)
        .argParser(int('--approval-timeout', 1, 86_400)),
    )
    .addOption(
      new Option('--max-active-threads <n>', 'loaded conversations kept in memory')
        .env('ZAGENS_MAX_ACTIVE_THREADS')
        .default(RUNTIME_DEFAULTS.maxActiveThreads)
        .argParser(int('--max-active-threads', 1, 10_000)),
    )
    .addOption(
      new Option('--provider-idle-timeout <ms>', 'fail a turn when the provider sends nothing for this long')
        .env('ZAGENS_PROVIDER_IDLE_TIMEOUT_MS')
        .default(OPENAI_ENGINE_DEFAULTS.idleTimeoutMs)
        .argParser(int('--provider-idle-timeout', 100, 3_600_000)),
    )
    .addOption(
      new Option('--max-steps <n>', 'tool rounds in one turn before it is stopped')
        .env('ZAGENS_MAX_STEPS')
        .default(RUNTIME_DEFAULTS.maxSteps)
        .argParser(int('--max-steps', 1, 10_000)),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .env('ZAGENS_LOG_LEVEL')
        .default('info')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    )
    .addOption(
      new Option('--cors-origin <origin...>', 'browser origin allowed to call the API (repeatable; `*:` port wildcard, e.g. http://localhost:*)').env(
        'ZAGENS_CORS_ORIGINS',
      ),
    )
    .addOption(
      new Option('--allowed-host <name...>', 'Host name served besides loopback names (repeatable; `.example.com` for it and its subdomains)').env(
        'ZAGENS_ALLOWED_HOSTS',
      ),
    )
    .addOption(new Option('--allow-unauthenticated', 'serve a non-loopback --host without --auth-token').env('ZAGENS_ALLOW_UNAUTHENTICATED'))
    .addOption(
      new Option('--max-body-bytes <n>', 'largest request body')
        .env('ZAGENS_MAX_BODY_BYTES')
        .default(DEFAULT_SECURITY.maxBodyBytes)
        .argParser(int('--max-body-bytes', 1024, 1 << 30)),
    )
    .addOption(
      new Option('--max-prompt-bytes <n>', 'largest prompt')
        .env('ZAGENS_MAX_PROMPT_BYTES')
        .default(RUNTIME_DEFAULTS.maxPromptBytes)
        .argParser(int('--max-prompt-bytes', 1, 1 << 30)),
    )
    .addOption(new Option('--no-introspection', 'disable schema introspection (and field suggestions)'))
    .addOption(
      new Option('--max-ws-connections <n>', 'open WebSocket connections')
        .env('ZAGENS_MAX_WS_CONNECTIONS')
        .default(DEFAULT_SECURITY.maxWsConnections)
        .argParser(int('--max-ws-connections', 1, 1_000_000)),
    )
    .addOption(
      new Option('--max-operations-per-connection <n>', 'operations (subscriptions) open on one WebSocket')
        .env('ZAGENS_MAX_OPERATIONS_PER_CONNECTION')
        .default(DEFAULT_SECURITY.maxOperationsPerConnection)
        .argParser(int('--max-operations-per-connection', 1, 100_000)),
    )
    .addOption(
      new Option('--ws-keepalive <ms>', 'ping every WebSocket this often; one that has not answered within as long again is dropped')
        .env('ZAGENS_WS_KEEPALIVE_MS')
        .default(DEFAULT_WS_KEEPALIVE_MS)
        .argParser(int('--ws-keepalive', 50, 600_000)),
    )
    .addOption(
      new Option('--max-query-complexity <n>', 'fields × page sizes of one operation')
        .env('ZAGENS_MAX_QUERY_COMPLEXITY')
        .default(DEFAULT_QUERY_LIMITS.complexity)
        .argParser(int('--max-query-complexity', 1, 1e9)),
    )
    .addOption(
      new Option('--max-query-depth <n>', 'depth of selections of one operation')
        .env('ZAGENS_MAX_QUERY_DEPTH')
        .default(DEFAULT_QUERY_LIMITS.depth)
        .argParser(int('--max-query-depth', 1, 1000)),
    )
    .addOption(
      new Option(
        '--persisted-operations <mode>',
        'run operations sent as hashes of known documents: off, allow (hashes and documents) or only (hashes only)',
      )
        .env('ZAGENS_PERSISTED_OPERATIONS')
        .choices(PERSISTED_OPERATIONS_MODES)
        .default('off'),
    )
    .addOption(
      new Option('--persisted-operations-file <file>', "JSON object of hash -> document (default: the SDK's persisted-documents.json)").env(
        'ZAGENS_PERSISTED_OPERATIONS_FILE',
      ),
    )
    .addOption(
      new Option('--mcp-config <file>', 'JSON file of MCP servers whose tools the model is offered ({"mcpServers": {...}})').env('ZAGENS_MCP_CONFIG'),
    )
    .addOption(
      new Option('--model-limits <file>', 'JSON file of context windows and automatic compaction thresholds per model ({"models": [...]})').env(
        'ZAGENS_MODEL_LIMITS',
      ),
    )
    .addOption(
      new Option('--client-tool-timeout <secs>', 'seconds a turn waits for the client to answer a client tool call')
        .env('ZAGENS_CLIENT_TOOL_TIMEOUT_SECS')
        .default(RUNTIME_DEFAULTS.clientToolTimeoutMs / 1000)
        .argParser(int('--client-tool-timeout', 1, 86_400)),
    )
    .addOption(
      new Option('--retain-archived-days <days>', 'purge archived threads not updated for this many days')
        .env('ZAGENS_RETAIN_ARCHIVED_DAYS')
        .argParser(int('--retain-archived-days', 0, 100_000)),
    )
    .addOption(
      new Option('--webhook-allow <pattern...>', 'URL pattern webhooks may call (repeatable; `*` matches within a host, port or path segment)').env(
        'ZAGENS_WEBHOOK_ALLOW',
      ),
    )
    .addOption(
      new Option('--max-running-turns <n>', 'turns running at once across threads (more: QUEUE waits, otherwise OVERLOADED)')
        .env('ZAGENS_MAX_RUNNING_TURNS')
        .default(RUNTIME_DEFAULTS.maxRunningTurns)
        .argParser(int('--max-running-turns', 1, 1_000_000)),
    )
    .addOption(
      new Option('--idempotency-ttl-hours <hours>', "hours a mutation's clientRequestId is remembered (at least 24)")
        .env('ZAGENS_IDEMPOTENCY_TTL_HOURS')
        .default(DEFAULT_IDEMPOTENCY_TTL_MS / 3_600_000)
        .argParser(int('--idempotency-ttl-hours', 24, 24 * 3660)),
    )
    .addOption(
      new Option(
        '--database-url <url>',
        'postgres://… : keep the record in PostgreSQL, shared by every node (default: LevelDB under --data-dir)',
      ).env('ZAGENS_DATABASE_URL'),
    )
    .addOption(
      new Option('--node-lease <secs>', "with --database-url: seconds without a heartbeat after which another node takes over a node's turns")
        .env('ZAGENS_NODE_LEASE_SECS')
        .default(DEFAULT_NODE_LEASE_MS / 1000)
        .argParser(int('--node-lease', 1, 3600)),
    )
    .exitOverride()
    .allowExcessArguments(false);
}

/** The command line as a ServerConfig. Throws (commander prints the error and exits) on a bad value. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const program = configCommand();
  // commander reads env from process.env: give it the env we were handed.
  const saved = process.env;
  process.env = env;
  try {
    program.parse(argv, { from: 'user' });
  } finally {
    process.env = saved;
  }
  const o = program.opts();
  // The flag gives true; the environment variable gives its text.
  const allowUnauthenticated = o.allowUnauthenticated === true || o.allowUnauthenticated === 'true' || o.allowUnauthenticated === '1';
  if (!o.authToken && !isLoopbackHost(o.host) && !allowUnauthenticated) {
    throw new ConfigError(
      `refusing to serve ${o.host} without --auth-token: anyone who can reach it could read every conversation and run commands in the workspace. Set --auth-token (or ZAGENS_AUTH_TOKEN), bind 127.0.0.1, or pass --allow-unauthenticated if a proxy in front authenticates.`,
    );
  }
  if (o.databaseUrl && !/^postgres(ql)?:\/\//.test(o.databaseUrl)) {
    throw new ConfigError('--database-url must be a postgres:// (or postgresql://) URL');
  }
  const apiKey = o.apiKey ?? env.DEEPSEEK_API_KEY ?? env.OPENAI_API_KEY ?? null;
  return {
    host: o.host,
    port: o.port,
    dataDir: o.dataDir,
    durability: o.durability,
    engine: o.engine ?? (apiKey ? 'openai' : 'offline'),
    baseUrl: o.baseUrl,
    apiKey,
    model: o.model,
    authToken: o.authToken ?? null,
    workspace: o.workspace,
    pricingFile: o.pricingFile ?? null,
    approvalTimeoutSecs: o.approvalTimeout,
    maxActiveThreads: o.maxActiveThreads,
    providerIdleTimeoutMs: o.providerIdleTimeout,
    logLevel: o.logLevel,
    corsOrigins: splitList(o.corsOrigin) ?? [...DEFAULT_SECURITY.corsOrigins],
    allowedHosts: splitList(o.allowedHost) ?? [...DEFAULT_SECURITY.allowedHosts],
    allowUnauthenticated,
    maxBodyBytes: o.maxBodyBytes,
    maxPromptBytes: o.maxPromptBytes,
    introspection: o.introspection !== false && env.ZAGENS_INTROSPECTION !== 'false',
    maxSteps: o.maxSteps,
    maxWsConnections: o.maxWsConnections,
    maxOperationsPerConnection: o.maxOperationsPerConnection,
    wsKeepaliveMs: o.wsKeepalive,
    maxQueryComplexity: o.maxQueryComplexity,
    maxQueryDepth: o.maxQueryDepth,
    persistedOperations: o.persistedOperations,
    persistedOperationsFile: o.persistedOperationsFile ?? null,
    mcpConfig: o.mcpConfig ?? null,
    modelLimitsFile: o.modelLimits ?? null,
    clientToolTimeoutSecs: o.clientToolTimeout,
    retainArchivedDays: o.retainArchivedDays ?? null,
    webhookAllow: splitList(o.webhookAllow) ?? [],
    idempotencyTtlHours: o.idempotencyTtlHours,
    maxRunningTurns: o.maxRunningTurns,
    databaseUrl: o.databaseUrl ?? null,
    nodeLeaseSecs: o.nodeLease,
  };
}
