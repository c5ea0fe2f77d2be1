import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from './config.js';
import type { McpCallResult, McpServers, McpServerState, McpServerStatus, McpTool } from './types.js';

export interface McpManagerOptions {
  /** First pause before a restart; it doubles with each failure in a row. */
  restartBaseMs?: number;
  restartMaxMs?: number;
  /** A tool call fails after this long. */
  callTimeoutMs?: number;
  logger?: { warn(details: object, message: string): void; debug(details: object, message: string): void };
  clientVersion?: string;
}

const SEP = '__';
const MAX_TOOL_NAME = 64;

/** The name the model sees for a server's tool; only the characters the API takes, at most 64 of them. */
export function offeredToolName(server: string, tool: string): string {
  return `${server}${SEP}${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, MAX_TOOL_NAME);
}

/**
 * The MCP servers of the config, each with its own connection. A server that crashes, drops its connection or
 * cannot be started is reported and started again after a growing pause; nothing it does reaches the runtime
 * as an exception (its tools just leave the list until it is back).
 */
export class McpManager implements McpServers {
  private readonly servers: McpConnection[];

  constructor(configs: McpServerConfig[], options: McpManagerOptions = {}) {
    this.servers = configs.map((config) => new McpConnection(config, options));
  }

  /** Starts every server in the background; `ready` resolves when each has been tried once. */
  start(): Promise<void> {
    return Promise.all(this.servers.map((s) => s.connect())).then(() => undefined);
  }

  tools(): McpTool[] {
    return this.servers.flatMap((s) => s.offeredTools());
  }

  async call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    for (const server of this.servers) {
      const tool = server.offeredTools().find((t) => t.name === name);
      if (tool) return server.call(tool.tool, args, signal);
    }
    return { output: `the MCP tool ${name} is not available now (its server is not connected)`, isError: true };
  }

  status(): McpServerStatus[] {
    return this.servers.map((s) => s.status());
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
  }
}

class McpConnection {
  private state: McpServerState = 'STARTING';
  private client: Client | null = null;
  private tools: { name: string; description: string; inputSchema: Record<string, unknown> }[] = [];
  private restarts = 0;
  private failuresInRow = 0;
  private lastError: string | null = null;
  private lastErrorAt: string | null = null;
  private connectedAt: string | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly restartBaseMs: number;
  private readonly restartMaxMs: number;
  private readonly callTimeoutMs: number;

  constructor(
    private readonly config: McpServerConfig,
    private readonly options: McpManagerOptions,
  ) {
    this.restartBaseMs = options.restartBaseMs ?? 250;
    this.restartMaxMs = options.restartMaxMs ?? 30_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 120_000;
  }

  offeredTools(): McpTool[] {
    if (this.state !== 'READY') return [];
    return this.tools.map((t) => ({
      name: offeredToolName(this.config.name, t.name),
      server: this.config.name,
      tool: t.name,
      description: t.description,
      parameters: t.inputSchema,
      trusted: this.config.trusted,
    }));
  }

  status(): McpServerStatus {
    return {
      name: this.config.name,
      transport: this.config.transport,
      state: this.state,
      trusted: this.config.trusted,
      tools: this.offeredTools().map((t) => ({ name: t.name, tool: t.tool, description: t.description })),
      restarts: this.restarts,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      connectedAt: this.connectedAt,
    };
  }

  /** One attempt to start and connect; a failure schedules the next. Never throws. */
  async connect(): Promise<void> {
    if (this.closed) return;
    const { Client, ToolListChangedNotificationSchema } = await loadSdk();
    if (this.closed) return;
    const client = new Client({ name: 'zagens-runtime', version: this.options.clientVersion ?? '0' });
    client.onerror = (error) => this.options.logger?.debug({ server: this.config.name, err: error }, 'MCP transport error');
    try {
      await client.connect(this.transport(await loadSdk()));
      const tools = await listAllTools(client);
      if (this.closed) {
        await this.closeClient(client);
        return;
      }
      this.client = client;
      this.tools = tools;
      this.state = 'READY';
      this.connectedAt = new Date().toISOString();
      // Set after connect: a failure while connecting is handled below, not as a drop.
      client.onclose = () => this.dropped(client, 'the server closed the connection (it exited or crashed)');
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        try {
          if (this.client === client) this.tools = await listAllTools(client);
        } catch {
          // the next drop or call reports it
        }
      });
    } catch (error) {
      await this.closeClient(client);
      this.fail(`could not start: ${messageOf(error)}`, 'FAILED');
    }
  }

  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const client = this.client;
    if (!client || this.state !== 'READY') return { output: `the MCP server ${this.config.name} is not connected (${this.state})`, isError: true };
    try {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: this.callTimeoutMs });
      this.failuresInRow = 0;
      return { output: resultText(result), isError: result.isError === true };
    } catch (error) {
      if (signal.aborted) return { output: 'the call was interrupted', isError: true };
      // Errors of the tool or its arguments leave the connection as it is; anything else means it is gone.
      const { McpError, ErrorCode } = await loadSdk();
      if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) {
        return { output: `the MCP server ${this.config.name} refused the call: ${error.message}`, isError: true };
      }
      this.dropped(client, `the call of ${tool} failed: ${messageOf(error)}`);
      return { output: `the MCP server ${this.config.name} failed during the call (${messageOf(error)}); it is being restarted`, isError: true };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.state = 'STOPPED';
    const client = this.client;
    this.client = null;
    if (client) {
      client.onclose = undefined;
      await this.closeClient(client);
    }
  }

  private transport(sdk: McpSdk): Transport {
    const { StreamableHTTPClientTransport, StdioClientTransport } = sdk;
    const c = this.config;
    if (c.transport === 'HTTP') return new StreamableHTTPClientTransport(new URL(c.url), { requestInit: { headers: c.headers } });
    const transport = new StdioClientTransport({
      command: c.command,
      args: c.args,
      env: { ...inheritedEnv(), ...c.env },
      cwd: c.cwd,
      stderr: 'pipe',
    });
    // Read (and log) the server's stderr so that a chatty server never blocks on a full pipe.
    transport.stderr?.on('data', (chunk: Buffer) =>
      this.options.logger?.debug({ server: c.name, stderr: chunk.toString('utf8').slice(0, 2000) }, 'MCP server stderr'),
    );
    return transport;
  }

  /** Closes a connection we are done with; one that fails to close is gone already (logged for debugging). */
  private closeClient(client: Client): Promise<void> {
    return client
      .close()
      .catch((error: unknown) => this.options.logger?.debug({ server: this.config.name, err: error }, 'MCP connection did not close cleanly'));
  }

  private dropped(client: Client, reason: string): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    client.onclose = undefined;
    void this.closeClient(client);
    this.fail(reason, 'RESTARTING');
  }

  private fail(reason: string, state: 'FAILED' | 'RESTARTING'): void {
    if (this.closed) return;
    this.state = state;
    this.lastError = reason;
    this.lastErrorAt = new Date().toISOString();
    this.options.logger?.warn({ server: this.config.name, reason }, 'MCP server unavailable; restarting it');
    const delay = Math.min(this.restartBaseMs * 2 ** this.failuresInRow, this.restartMaxMs);
    this.failuresInRow++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restarts++;
      if (this.state === 'FAILED') this.state = 'STARTING';
      void this.connect();
    }, delay);
    this.restartTimer.unref();
  }
}

async function listAllTools(client: Client) {
  const tools: { name: string; description: string; inputSchema: Record<string, unknown> }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    for (const t of page.tools) tools.push({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> });
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** The text the model reads: the text parts in order; other parts named; structured content when there is no text. */
function resultText(result: Record<string, unknown>): string {
  const parts = Array.isArray(result.content)
    ? (result.content as { type: string; text?: string; mimeType?: string; resource?: { uri?: string } }[])
    : [];
  const texts = parts.map((p) => {
    if (p.type === 'text') return p.text ?? '';
    if (p.type === 'image' || p.type === 'audio') return `[${p.type} ${p.mimeType ?? ''}]`.trim();
    if (p.type === 'resource' || p.type === 'resource_link') return `[resource ${p.resource?.uri ?? (p as { uri?: string }).uri ?? ''}]`;
    return `[${p.type}]`;
  });
  if (texts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  if (texts.length === 0 && 'toolResult' in result) return JSON.stringify(result.toolResult);
  return texts.join('\n');
}

/** PATH and the like, so that `command` resolves as in a shell; secrets of ours are not passed on. */
function inheritedEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TEMP', 'TMP', 'USER', 'SHELL', 'TERM'];
  const env: Record<string, string> = {};
  for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key]!;
  return env;
}

function messageOf(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return error instanceof Error && error !== current ? `${error.message}: ${message}` : message;
}

type McpSdk = Awaited<ReturnType<typeof importSdk>>;
let sdk: Promise<McpSdk> | undefined;

async function importSdk() {
  const [client, stdio, http, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return {
    Client: client.Client,
    StdioClientTransport: stdio.StdioClientTransport,
    StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
    ErrorCode: types.ErrorCode,
    McpError: types.McpError,
    ToolListChangedNotificationSchema: types.ToolListChangedNotificationSchema,
  };
}

/** The MCP SDK (~250 ms of module loading) is loaded when the first MCP server connects, not at every start. */
function loadSdk(): Promise<McpSdk> {
  return (sdk ??= importSdk());
}
