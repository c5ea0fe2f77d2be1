import { Command, InvalidArgumentError, Option } from 'commander';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
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
}

const int = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/**
 * The command line of API.md "Running": each flag also reads its environment variable; flags win.
 * Throws (commander prints the error and exits) on a bad value.
 */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const program = new Command('zagens-runtime')
    .description('GraphQL server for durable AI-agent conversations')
    .addOption(new Option('--host <host>', 'interface to bind').env('ZAGENS_HOST').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port (0 picks a free one)').env('ZAGENS_PORT').default(4680).argParser(int('--port', 0, 65535)))
    .addOption(new Option('--data-dir <dir>', 'directory holding the LevelDB store').env('ZAGENS_DATA_DIR').default('./data'))
    .addOption(new Option('--engine <engine>', 'engine that runs turns').env('ZAGENS_ENGINE').choices(['openai', 'offline']))
    .addOption(new Option('--base-url <url>', 'OpenAI-compatible API base URL').env('ZAGENS_BASE_URL').default('https://api.deepseek.com'))
    .addOption(new Option('--api-key <key>', 'API key (also DEEPSEEK_API_KEY, OPENAI_API_KEY)').env('ZAGENS_API_KEY'))
    .addOption(new Option('--model <model>', 'default model of new threads').env('ZAGENS_MODEL').default('deepseek-chat'))
    .addOption(new Option('--auth-token <token>', 'bearer token required on every request but /health').env('ZAGENS_AUTH_TOKEN'))
    .addOption(new Option('--workspace <dir>', 'default workspace of new threads').env('ZAGENS_WORKSPACE').default(process.cwd()))
    .addOption(new Option('--pricing-file <file>', 'JSON pricing table replacing the defaults').env('ZAGENS_PRICING_FILE'))
    .addOption(
      new Option('--approval-timeout <secs>', 'seconds a tool approval waits before it expires')
        .env('ZAGENS_APPROVAL_TIMEOUT_SECS')
        .default(120)
        .argParser(int('--approval-timeout', 1, 86_400)),
    )
    .addOption(new Option('--max-active-threads <n>', 'loaded conversations kept in memory').env('ZAGENS_MAX_ACTIVE_THREADS').default(8).argParser(int('--max-active-threads', 1, 10_000)))
    .addOption(
      new Option('--provider-idle-timeout <ms>', 'fail a turn when the provider sends nothing for this long')
        .env('ZAGENS_PROVIDER_IDLE_TIMEOUT_MS')
        .default(120_000)
        .argParser(int('--provider-idle-timeout', 100, 3_600_000)),
    )
    .addOption(new Option('--log-level <level>', 'log level').env('ZAGENS_LOG_LEVEL').default('info').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .exitOverride()
    .allowExcessArguments(false);

  // commander reads env from process.env: give it the env we were handed.
  const saved = process.env;
  process.env = env;
  try {
    program.parse(argv, { from: 'user' });
  } finally {
    process.env = saved;
  }
  const o = program.opts();
  const apiKey = o.apiKey ?? env.DEEPSEEK_API_KEY ?? env.OPENAI_API_KEY ?? null;
  return {
    host: o.host,
    port: o.port,
    dataDir: o.dataDir,
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
  };
}
