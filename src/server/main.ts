import { CommanderError } from 'commander';
import { describeSandbox, detectSandbox } from '../engine/tools/sandbox.js';
import { ConfigError, parseConfig } from './config.js';
import { startServer } from './server.js';
import { startupFailureMessage } from './startup.js';

/**
 * `npm start` (`exec node dist/server/main.js`: the server is npm's direct child, so the SIGINT/SIGTERM npm
 * forwards reach it): serve until one of them, then stop cleanly and exit 0.
 */
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
    // One line the user can act on; a failure nobody foresaw is a bug and keeps its stack.
    const message = startupFailureMessage(error, config);
    console.error(message ? `zagens-runtime: ${message}` : error);
    process.exit(1);
  }
  const engine = server.runtime.config.engine.name;
  console.log(`listening on ${server.url}`);
  console.error(
    engine === 'offline'
      ? 'engine: offline (deterministic answers, no network). For a real model: --api-key KEY (or ZAGENS_API_KEY), optionally --base-url and --model.'
      : `engine: openai at ${config.baseUrl}, default model ${config.model}`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    // A second signal is common (a terminal's Ctrl-C reaches npm and the server, npm forwards it again): the
    // shutdown under way goes on.
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // After the handlers: the sandbox probe (started by startServer) may still be running.
  console.error(describeSandbox(await detectSandbox()));
}

await main();
