import { z } from 'zod';
import { firstIssue } from '../../domain/validation.js';

/** One server of the `mcpServers` config (the format Claude and Codex read), plus our `trust` setting. */
export type McpServerConfig =
  | { name: string; transport: 'STDIO'; command: string; args: string[]; env: Record<string, string>; cwd?: string; trusted: boolean }
  | { name: string; transport: 'HTTP'; url: string; headers: Record<string, string>; trusted: boolean };

export class McpConfigError extends Error {}

/** Names become tool-name prefixes: the model sees `<server>__<tool>`. */
const SERVER_NAME = /^[A-Za-z0-9_-]{1,32}$/;

const trust = z.enum(['trusted', 'ask']).default('ask');
const stdioServer = z.strictObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1, 'must not be empty'),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
  trust,
});
const httpServer = z.strictObject({
  type: z.enum(['http', 'streamable-http', 'streamableHttp']).optional(),
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  headers: z.record(z.string(), z.string()).default({}),
  trust,
});
const fileSchema = z.object({ mcpServers: z.record(z.string(), z.union([stdioServer, httpServer])) });

/**
 * `{ "mcpServers": { "name": { "command", "args", "env", "cwd" } | { "url", "headers" }, ... } }`; each may add
 * `"trust": "trusted"` (its tools run without approval) or `"ask"` (the default: approvals as for our write tools).
 */
export function parseMcpConfig(json: unknown): McpServerConfig[] {
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const { field, message } = firstIssue(result.error);
    throw new McpConfigError(`MCP config: ${field ?? '(file)'}: ${message}`);
  }
  return Object.entries(result.data.mcpServers).map(([name, server]) => {
    if (!SERVER_NAME.test(name)) throw new McpConfigError(`MCP config: server name ${JSON.stringify(name)}: 1 to 32 letters, digits, _ or -`);
    const trusted = server.trust === 'trusted';
    if ('command' in server) {
      return {
        name,
        transport: 'STDIO',
        command: server.command,
        args: server.args,
        env: server.env,
        ...(server.cwd ? { cwd: server.cwd } : {}),
        trusted,
      };
    }
    return { name, transport: 'HTTP', url: server.url, headers: server.headers, trusted };
  });
}
