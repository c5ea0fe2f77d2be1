import type { McpServerState, McpTransport } from '../../domain/enums.js';

/** A tool of an MCP server, as offered to the model. */
export interface McpTool {
  /** The name the model sees: `<server>__<tool>`. */
  name: string;
  server: string;
  tool: string;
  description: string;
  /** JSON Schema of the arguments (the server's inputSchema). */
  parameters: Record<string, unknown>;
  /** The server is trusted: its tools run without asking for approval. */
  trusted: boolean;
}

export interface McpCallResult {
  output: string;
  /** The server reported the call as failed (isError), or it could not be made. */
  isError: boolean;
}

/** What the engine needs of the MCP servers: their tools now, and a way to call one. */
export interface McpToolSource {
  tools(): McpTool[];
  /** Never throws for a server problem: a crashed or unreachable server is an error result. */
  call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
}

export type { McpServerState };

/** What `mcpServers` reports of one configured server. */
export interface McpServerStatus {
  name: string;
  transport: McpTransport;
  state: McpServerState;
  trusted: boolean;
  tools: { name: string; tool: string; description: string }[];
  /** Times the server was started again after it crashed or dropped. */
  restarts: number;
  /** The last failure (crash, refused connection...), kept after a successful restart. */
  lastError: string | null;
  lastErrorAt: string | null;
  connectedAt: string | null;
}

/** The configured MCP servers, as the runtime sees them. */
export interface McpServers extends McpToolSource {
  status(): McpServerStatus[];
  close(): Promise<void>;
}
