import { MCP_SERVER_STATES, MCP_TRANSPORTS } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import type { McpServerStatus } from '../engine/mcp/types.js';
import { builder } from './builder.js';

const McpServerStateEnum = builder.enumType('McpServerState', {
  description: 'Where an MCP server stands.',
  values: enumValues(MCP_SERVER_STATES, {
    STARTING: 'Being started or connected for the first time.',
    READY: 'Connected; its tools are offered to the model.',
    RESTARTING: 'It crashed or dropped and is being started again (with a growing pause).',
    FAILED: 'It could not be started; it is tried again later.',
    STOPPED: 'Closed by the server shutting down.',
  }),
});

const McpTransportEnum = builder.enumType('McpTransport', {
  description: 'How the runtime talks to an MCP server.',
  values: enumValues(MCP_TRANSPORTS, {
    STDIO: 'A child process speaking MCP on stdin/stdout (`command`, `args`, `env`).',
    HTTP: 'Streamable HTTP at a URL (`url`).',
  }),
});

const McpToolRef = builder.objectRef<McpServerStatus['tools'][number]>('McpServerTool').implement({
  description: 'A tool of an MCP server.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name the model calls: `<server>__<tool>`.' }),
    tool: t.exposeString('tool', { description: "The tool's name on the server." }),
    description: t.exposeString('description', { description: "The server's description of the tool." }),
  }),
});

const McpServerRef = builder.objectRef<McpServerStatus>('McpServer').implement({
  description: 'An MCP server of the --mcp-config file and its tools.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name in the config (the prefix of its tools).' }),
    transport: t.field({ type: McpTransportEnum, description: 'stdio or streamable HTTP.', resolve: (s) => s.transport }),
    state: t.field({ type: McpServerStateEnum, description: 'Where the server stands now.', resolve: (s) => s.state }),
    trusted: t.exposeBoolean('trusted', { description: 'Its tools run without approval (`"trust": "trusted"` in the config).' }),
    tools: t.field({ type: [McpToolRef], description: 'The tools it listed when it last connected.', resolve: (s) => s.tools }),
    restarts: t.exposeInt('restarts', { description: 'Times it was started again after a crash or a dropped connection.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'The last failure (kept after a successful restart).' }),
    lastErrorAt: t.field({ type: 'DateTime', nullable: true, description: 'When the last failure happened.', resolve: (s) => s.lastErrorAt }),
    connectedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it last connected.', resolve: (s) => s.connectedAt }),
  }),
});

builder.queryField('mcpServers', (t) =>
  t.field({
    type: [McpServerRef],
    description: 'The configured MCP servers (empty without --mcp-config), in config order.',
    resolve: (_, __, ctx) => ctx.rt.config.mcp?.status() ?? [],
  }),
);
