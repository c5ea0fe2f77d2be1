import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseModelLimits, type ModelLimit } from '../domain/modelLimits.js';
import type { McpServers } from '../engine/mcp/types.js';
import { OfflineEngine } from '../engine/offlineEngine.js';
import { describeSandbox, detectSandbox } from '../engine/tools/sandbox.js';
import type { Engine } from '../engine/types.js';
import { RUNTIME_DEFAULTS, type RuntimeConfig } from '../runtime/config.js';
import { recover } from '../runtime/recovery.js';
import { RetentionSweeper } from '../runtime/retention.js';
import { WebhookDispatcher } from '../runtime/webhooks.js';
import { Runtime } from '../runtime/runtime.js';
import { createRuntimePubSub } from '../runtime/eventLog.js';
import { LocalEventBus } from '../runtime/eventBus.js';
import { Store } from '../store/store.js';
import type { PgStore } from '../store/postgres/pgStore.js';
import { DEFAULT_QUERY_LIMITS } from '../schema/context.js';
import { buildApp, type App } from './app.js';
import type { ServerConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { PersistedOperations } from './persistedOperations.js';
import { checkDataDir, checkWorkspace, loadPricingFile, StartupError } from './startup.js';

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  runtime: Runtime;
  /** The store the runtime uses: embedded LevelDB, or PostgreSQL with --database-url (the runtime sees only the contract). */
  store: Store | PgStore;
  app: App;
  logger: Logger;
  /**
   * Stops accepting, ends running turns, waits for writes, lets live subscribers receive every stored event and
   * closes their connections, then closes the store.
   */
  stop(): Promise<void>;
}

export interface ServerParts {
  /** Replaces the engine the config names (tests). */
  engine?: Engine;
  logger?: Logger;
  /** Runtime settings beyond the command line (tests use short delta flushes, approval timeouts...). */
  runtime?: Partial<RuntimeConfig>;
  /** WebSocket send buffer past which subscriptions wait for the client (tests use a small one). */
  wsHighWaterBytes?: number;
}

export async function engineFor(config: ServerConfig, logger?: Logger): Promise<Engine> {
  if (config.engine === 'openai') {
    if (!config.apiKey) {
      throw new StartupError(
        '--engine openai needs an API key: pass --api-key (or set ZAGENS_API_KEY, DEEPSEEK_API_KEY or OPENAI_API_KEY), or use --engine offline',
      );
    }
    // Loaded only when used: an offline server starts without the SDK.
    const { OpenAIEngine } = await import('../engine/openaiEngine.js');
    return new OpenAIEngine({ baseURL: config.baseUrl, apiKey: config.apiKey, idleTimeoutMs: config.providerIdleTimeoutMs, logger });
  }
  return new OfflineEngine();
}

/** A JSON settings file of a flag; a file that cannot be read or parsed stops the start with one line. */
async function readSettingsFile<T>(flag: string, file: string, parse: (json: unknown) => T): Promise<T> {
  const shown = path.resolve(file);
  let text: string;
  try {
    text = await readFile(shown, 'utf8');
  } catch (error) {
    throw new StartupError(`cannot read ${flag} ${shown}: ${(error as Error).message}`);
  }
  try {
    return parse(JSON.parse(text));
  } catch (error) {
    throw new StartupError(`${flag} ${shown}: ${(error as Error).message}; the README shows the format`);
  }
}

async function loadModelLimits(file: string | null): Promise<ModelLimit[]> {
  return file ? readSettingsFile('--model-limits', file, parseModelLimits) : [];
}

const MCP_FIRST_CONNECT_MS = 10_000;

/** The MCP servers of the config file, each tried once (at most 10 s) before the server serves. */
async function startMcp(file: string | null, logger: Logger): Promise<McpServers | null> {
  if (!file) return null;
  const [{ parseMcpConfig }, { McpManager }] = await Promise.all([import('../engine/mcp/config.js'), import('../engine/mcp/manager.js')]);
  const manager = new McpManager(await readSettingsFile('--mcp-config', file, parseMcpConfig), { logger });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([manager.start(), new Promise((resolve) => (timer = setTimeout(resolve, MCP_FIRST_CONNECT_MS)))]);
  clearTimeout(timer);
  return manager;
}

/** Checks the settings, opens the store under `dataDir/runtime`, recovers, and serves. */
export async function startServer(config: ServerConfig, parts: ServerParts = {}): Promise<RunningServer> {
  const logger = parts.logger ?? createLogger(config.logLevel);
  const engine = parts.engine ?? (await engineFor(config, logger));
  const persistedOperations = await PersistedOperations.load(config.persistedOperations, config.persistedOperationsFile ?? undefined).catch(
    (error: Error) => {
      throw new StartupError(error.message);
    },
  );
  const pricing = await loadPricingFile(config.pricingFile);
  const defaultWorkspace = await checkWorkspace(config.workspace);
  await checkDataDir(config.dataDir);
  const modelLimits = await loadModelLimits(config.modelLimitsFile);
  // Loaded only with --database-url: a LevelDB server starts without the pg driver.
  const database = config.databaseUrl
    ? await (await import('./postgresNode.js')).PostgresNode.open(config.databaseUrl, config.nodeLeaseSecs * 1000, logger)
    : null;
  const store = database?.store ?? (await Store.open(path.join(config.dataDir, 'runtime'), { durability: config.durability }));
  const closeStore = () => (database ? database.close() : store.close());
  let mcp: McpServers | null = null;
  try {
    mcp = parts.runtime?.mcp ?? (await startMcp(config.mcpConfig, logger));
    const pubsub = createRuntimePubSub();
    const runtime = await Runtime.create(
      store,
      {
        ...RUNTIME_DEFAULTS,
        engine,
        defaultModel: config.model,
        defaultWorkspace,
        maxActiveThreads: config.maxActiveThreads,
        approvalTimeoutMs: config.approvalTimeoutSecs * 1000,
        maxPromptBytes: config.maxPromptBytes,
        maxSteps: config.maxSteps,
        sandboxHiddenPaths: [path.resolve(config.dataDir)],
        clientToolTimeoutMs: config.clientToolTimeoutSecs * 1000,
        modelLimits,
        mcp,
        logger,
        pricing,
        retainArchivedDays: config.retainArchivedDays,
        webhookAllow: config.webhookAllow,
        idempotencyTtlMs: config.idempotencyTtlHours * 3_600_000,
        maxRunningTurns: config.maxRunningTurns,
        snapshotDir: path.join(config.dataDir, 'snapshots'),
        snapshotExclude: [path.join(config.dataDir, 'runtime'), path.join(config.dataDir, 'snapshots')].map((d) => path.resolve(d)),
        ...parts.runtime,
      },
      pubsub,
      // With a shared database, this node's commits go out through its feed, in order with every other node's.
      database ?? new LocalEventBus(pubsub),
    );
    // Another node's events reach this node's subscribers through the feed, from the log's end on.
    await database?.start(runtime.pubsub, runtime.log, runtime.presence);
    // Probing the sandbox spawns bubblewrap: it runs beside recovery and listening instead of before them (it is
    // cached; shell commands and runtimeInfo.sandbox await the same probe).
    void detectSandbox().then((sandbox) => logger[sandbox.available ? 'info' : 'warn']({ sandbox }, describeSandbox(sandbox)));
    const recovered = await recover(runtime);
    if (recovered.interruptedTurns || recovered.finishedReverts) logger.warn(recovered, 'recovered turns left running by the last process');
    await database?.watch(runtime);
    const retention = new RetentionSweeper(runtime);
    const webhooks = new WebhookDispatcher(runtime);
    runtime.attachWebhookOutbox(webhooks);
    const app = buildApp({
      runtime,
      logger,
      wsHighWaterBytes: parts.wsHighWaterBytes,
      wsKeepAliveMs: config.wsKeepaliveMs,
      security: {
        authToken: config.authToken,
        corsOrigins: config.corsOrigins,
        allowedHosts: config.allowedHosts,
        maxBodyBytes: config.maxBodyBytes,
        introspection: config.introspection,
        maxWsConnections: config.maxWsConnections,
        maxOperationsPerConnection: config.maxOperationsPerConnection,
        queryLimits: { complexity: config.maxQueryComplexity, depth: config.maxQueryDepth, breadth: DEFAULT_QUERY_LIMITS.breadth },
        persistedOperations,
      },
    });
    const address = await app.start(config.port, config.host);
    retention.start();
    await webhooks.start();
    let stopping: Promise<void> | null = null;
    return {
      ...address,
      runtime,
      store,
      app,
      logger,
      stop: () =>
        (stopping ??= (async () => {
          app.stopAccepting();
          await retention.stop();
          await webhooks.stop();
          // Ends every turn, waits for every write, then lets subscribers receive the rest of the log.
          await runtime.stop();
          await app.close();
          await mcp?.close();
          await closeStore();
        })()),
    };
  } catch (error) {
    await mcp?.close();
    await closeStore();
    throw error;
  }
}
