import { compileSchema } from './structuredOutput.js';
import type { ExtraTool } from './extraTools.js';
import { DENIED_OUTPUT, EXPIRED_OUTPUT, parseLoosely, type ModelToolCall, type ToolContext } from './toolRunner.js';
import { ToolError } from './tools/index.js';
import type { EngineEvent } from './types.js';

export const CLIENT_EXPIRED_OUTPUT = 'The client did not answer this tool call in time; it has no result.';

/**
 * Runs a call of an MCP server's tool (an MCP_TOOL_CALL item, approved unless the server is trusted) or of a
 * client tool (a TOOL_CALL item the client answers). Returns the output the model sees, or null when aborted.
 */
export async function* runExtraTool(tool: ExtraTool, call: ModelToolCall, ctx: ToolContext): AsyncGenerator<EngineEvent, string | null> {
  const key = ctx.nextKey(tool.kind === 'MCP' ? 'mcp' : 'client');
  const shown = parseLoosely(call.arguments);
  const metadata = { toolCallId: call.id, ...(tool.kind === 'CLIENT' ? { clientTool: true } : {}) };
  yield tool.kind === 'MCP'
    ? {
        type: 'item.started',
        key,
        kind: 'MCP_TOOL_CALL',
        fields: { toolName: call.name, mcpServer: tool.tool.server, mcpTool: tool.tool.tool, arguments: shown, metadata },
      }
    : { type: 'item.started', key, kind: 'TOOL_CALL', fields: { toolName: call.name, arguments: shown, metadata } };

  let output: string;
  let failed = false;
  try {
    const args = objectArguments(call);
    if (tool.kind === 'MCP') {
      const { input } = ctx;
      if (!tool.tool.trusted && !input.autoApprove) {
        const { decision } = await input.requestApproval({
          toolName: call.name,
          arguments: shown,
          reason: `MCP server ${tool.tool.server}`,
          itemKey: key,
        });
        if (ctx.signal.aborted) return null;
        if (decision !== 'APPROVED') {
          const out = decision === 'DENIED' ? DENIED_OUTPUT : EXPIRED_OUTPUT;
          yield { type: 'item.completed', key, kind: 'MCP_TOOL_CALL', status: 'FAILED', fields: { output: out, isError: true } };
          return out;
        }
      }
      const result = await input.mcp!.call(call.name, args, ctx.signal);
      if (ctx.signal.aborted) return null;
      yield {
        type: 'item.completed',
        key,
        kind: 'MCP_TOOL_CALL',
        status: result.isError ? 'FAILED' : 'COMPLETED',
        fields: { output: result.output, isError: result.isError },
      };
      return result.output;
    }
    const validate = compileSchema(tool.spec.parameters);
    if (!validate(args))
      throw new ToolError(
        `invalid arguments for ${call.name}: ${(validate.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message}`).join('; ')}`,
      );
    if (!ctx.input.requestClientToolOutput) throw new ToolError(`the tool ${call.name} cannot be answered here`);
    const answer = await ctx.input.requestClientToolOutput({ toolName: call.name, arguments: args, itemKey: key });
    if (ctx.signal.aborted) return null;
    if ('expired' in answer) {
      output = CLIENT_EXPIRED_OUTPUT;
      failed = true;
    } else {
      output = answer.output;
    }
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    output = error.message;
    failed = true;
  }
  const status = failed ? 'FAILED' : 'COMPLETED';
  yield tool.kind === 'MCP'
    ? { type: 'item.completed', key, kind: 'MCP_TOOL_CALL', status, fields: { output, isError: failed } }
    : { type: 'item.completed', key, kind: 'TOOL_CALL', status, fields: { output } };
  return output;
}

function objectArguments(call: ModelToolCall): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (error) {
    throw new ToolError(`invalid JSON in the arguments of ${call.name}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ToolError(`the arguments of ${call.name} must be a JSON object`);
  return raw as Record<string, unknown>;
}
