import path from 'node:path';
import { OfflineEngine } from '../engine/offlineEngine.js';
import { describeSandbox, detectSandbox } from '../engine/tools/sandbox.js';
import type { Engine } from '../engine/types.js';
import { RUNTIME_DEFAULTS, type RuntimeConfig } from '../runtime/config.js';
import { recover } from '../runtime/recovery.js';
import { Runtime } from '../runtime/runtime.js';
import { Store } from '../store/store.js';
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

export async function engineFor(config: ServerConfig): Promise<Engine> {
  if (config.engine === 'openai') {
    if (!config.apiKey) {
      throw new StartupError('--engine openai needs an API key: pass --api-key (or set ZAGENS_API_KEY, DEEPSEEK_API_KEY or OPENAI_API_KEY), or use --engine offline');
    }
    // Loaded only when used: an offline server starts without the SDK.
    const { OpenAIEngine } = await import('../engine/openaiEngine.js');
    return new OpenAIEngine({ baseURL: config.baseUrl, apiKey: config.apiKey, idleTimeoutMs: config.providerIdleTimeoutMs });
  }
  return new OfflineEngine();
}

/** Checks the settings, opens the store under `dataDir/runtime`, recovers, and serves. */
export async function startServer(config: ServerConfig, parts: ServerParts = {}): Promise<RunningServer> {
  const logger = parts.logger ?? createLogger(config.logLevel);
  const engine = parts.engine ?? (await engineFor(config));
  const persistedOperations = await PersistedOperations.load(config.persistedOperations, config.persistedOperationsFile ?? undefined).catch((error: Error) => {
    throw new StartupError(error.message);
  });
  const pricing = await loadPricingFile(config.pricingFile);
  const defaultWorkspace = await checkWorkspace(config.workspace);
  await checkDataDir(config.dataDir);
  const store = await Store.open(path.join(config.dataDir, 'runtime'));
  try {
    const runtime = await Runtime.create(store, {
      ...RUNTIME_DEFAULTS,
      engine,
      defaultModel: config.model,
      defaultWorkspace,
      maxActiveThreads: config.maxActiveThreads,
      approvalTimeoutMs: config.approvalTimeoutSecs * 1000,
      maxPromptBytes: config.maxPromptBytes,
      maxSteps: config.maxSteps,
      sandboxHiddenPaths: [path.resolve(config.dataDir)],
      logger,
      pricing,
      ...parts.runtime,
    });
    const sandbox = await detectSandbox();
    logger[sandbox.available ? 'info' : 'warn']({ sandbox }, describeSandbox(sandbox));
    const recovered = await recover(runtime);
    if (recovered.interruptedTurns) logger.warn(recovered, 'recovered turns left running by the last process');
    const app = buildApp({
      runtime,
      logger,
      wsHighWaterBytes: parts.wsHighWaterBytes,
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
    let stopping: Promise<void> | null = null;
    return {
      ...address,
      runtime,
      app,
      logger,
      stop: () =>
        (stopping ??= (async () => {
          app.stopAccepting();
          // Ends every turn, waits for every write, then lets subscribers receive the rest of the log.
          await runtime.stop();
          await app.close();
          await store.close();
        })()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
