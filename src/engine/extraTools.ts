import type { ClientToolSpec } from '../domain/records.js';
import type { McpTool } from './mcp/types.js';
import { isToolName } from './tools/index.js';
import type { EngineInput } from './types.js';

/** A function tool as the chat-completions API takes it. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** A tool that is not one of ours: an MCP server's, or one the client answers itself. */
export type ExtraTool = { kind: 'MCP'; tool: McpTool } | { kind: 'CLIENT'; spec: ClientToolSpec };

/** The MCP servers' tools and the turn's client tools; a name of ours or one seen earlier is not offered twice. */
export function extraToolDefinitions(input: EngineInput): { definitions: ToolDefinition[]; byName: Map<string, ExtraTool> } {
  const byName = new Map<string, ExtraTool>();
  const definitions: ToolDefinition[] = [];
  const add = (name: string, description: string, parameters: Record<string, unknown>, tool: ExtraTool) => {
    if (isToolName(name) || byName.has(name)) return;
    byName.set(name, tool);
    definitions.push({ type: 'function', function: { name, description, parameters } });
  };
  for (const spec of input.clientTools ?? []) add(spec.name, spec.description, spec.parameters, { kind: 'CLIENT', spec });
  for (const tool of input.mcp?.tools() ?? []) add(tool.name, tool.description, tool.parameters, { kind: 'MCP', tool });
  return { definitions, byName };
}
