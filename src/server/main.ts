import { CommanderError } from 'commander';
import { describeSandbox, detectSandbox } from '../engine/tools/sandbox.js';
import { StoreLockedError, StoreVersionError } from '../store/store.js';
import { ConfigError, parseConfig } from './config.js';
import { startServer } from './server.js';

/** `npm start`: serve until SIGINT/SIGTERM, then stop cleanly and exit 0. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    if (error instanceof ConfigError) {
      console.error(`zagens-runtime: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // Overwrites the argv that /proc/<pid>/cmdline shows, so a --api-key or --auth-token given as a flag is not
  // readable there (sandboxed commands do not see this /proc at all; unsandboxed ones would).
  process.title = 'zagens-runtime';
  let server;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof StoreLockedError || error instanceof StoreVersionError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`zagens-runtime: ${(error as Error).message}`);
      process.exit(1);
    }
    throw error;
  }
  const engine = server.runtime.config.engine.name;
  console.log(`listening on ${server.url}`);
  console.error(
    engine === 'offline'
      ? 'engine: offline (deterministic answers, no network). For a real model: --api-key KEY (or ZAGENS_API_KEY), optionally --base-url and --model.'
      : `engine: openai at ${config.baseUrl}, default model ${config.model}`,
  );
  console.error(describeSandbox(await detectSandbox()));
  const shutdown = (signal: string) => {
    server.logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

await main();
