import type { SandboxPolicy } from '../domain/records.js';
import {
  applyPatchTool,
  checkWorkspaceUnmoved,
  commandRefusal,
  DEFAULT_SHELL_TIMEOUT_MS,
  formatShellResult,
  isToolName,
  listDirTool,
  needsApproval,
  parseToolArguments,
  readFileTool,
  runShell,
  searchFilesTool,
  ToolError,
  writeFileTool,
  type ShellArgs,
  type ToolCall,
  type ToolLog,
  type WriteToolResult,
} from './tools/index.js';
import type { ApprovalOutcome, EngineEvent, EngineInput } from './types.js';
import type { ExtraTool } from './extraTools.js';
import { runExtraTool } from './extraToolRunner.js';

/** A tool call as the model sent it. */
export interface ModelToolCall {
  id: string;
  name: string;
  /** The JSON string from the API, possibly invalid. */
  arguments: string;
}

export const DENIED_OUTPUT = 'The user denied this tool call.';
export const EXPIRED_OUTPUT = 'The approval expired; the tool was not run.';

export interface ToolContext {
  input: EngineInput;
  signal: AbortSignal;
  /** Names of the tools offered to the model in this turn. */
  offered: ReadonlySet<string>;
  /** A new item key, unique within the turn. */
  nextKey(prefix: string): string;
  /** MCP and client tools offered in this turn, by the name the model sees. */
  extra: ReadonlyMap<string, ExtraTool>;
  /** Failures a tool's result does not show (a patch that could not be undone). */
  log?: ToolLog;
}

/**
 * Runs one tool call as a TOOL_CALL item (plus FILE_CHANGE / COMMAND_EXECUTION items for what it did).
 * Returns the output the model sees, or null when the turn was aborted meanwhile.
 */
export async function* runToolCall(call: ModelToolCall, ctx: ToolContext): AsyncGenerator<EngineEvent, string | null> {
  const extra = ctx.extra.get(call.name);
  if (extra) return yield* runExtraTool(extra, call, ctx);
  const key = ctx.nextKey('tool');
  const shownArguments = parseLoosely(call.arguments);
  const metadata = { toolCallId: call.id };
  yield { type: 'item.started', key, kind: 'TOOL_CALL', fields: { toolName: call.name, arguments: shownArguments, metadata } };

  let output: string;
  let status: 'COMPLETED' | 'FAILED' = 'COMPLETED';
  try {
    const validated = validate(call, ctx);
    const { decision, sandbox } = await approve(validated, shownArguments, key, ctx.input);
    if (ctx.signal.aborted) return null;
    if (decision === 'DENIED' || decision === 'EXPIRED') {
      output = decision === 'DENIED' ? DENIED_OUTPUT : EXPIRED_OUTPUT;
      status = 'FAILED';
    } else {
      const result = yield* execute(validated, call.id, ctx, sandbox ?? requestedPolicy(validated, ctx.input));
      if (result === null) return null;
      output = result;
    }
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    output = error.message;
    status = 'FAILED';
  }
  yield { type: 'item.completed', key, kind: 'TOOL_CALL', status, fields: { output } };
  return output;
}

/** The arguments as recorded on the item: parsed JSON, or the raw string when it is not valid JSON. */
export function parseLoosely(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** ToolError when the call cannot run: checked before asking for approval, so nobody approves a doomed call. */
function validate(call: ModelToolCall, ctx: ToolContext): ToolCall {
  if (call.name === 'shell' && !ctx.offered.has('shell')) {
    throw new ToolError('the shell is not enabled for this thread; use the file tools instead');
  }
  if (isToolName(call.name) && !ctx.offered.has(call.name)) throw new ToolError(`the tool ${call.name} is not available in this turn`);
  const validated = parseToolArguments(call.name, call.arguments);
  if (validated.name === 'shell') {
    // runShell checks again, with the policy finally granted.
    const refusal = commandRefusal(validated.args.command, ctx.input.workspace, requestedPolicy(validated, ctx.input)!);
    if (refusal) throw new ToolError(refusal);
  }
  return validated;
}

/** A shell call's policy: the turn's, widened by the call's `escalate` (which a person must approve). */
function requestedPolicy(call: ToolCall, input: EngineInput): SandboxPolicy | null {
  if (call.name !== 'shell') return null;
  if (call.args.escalate === 'full_access') return { mode: 'FULL_ACCESS', networkAccess: true };
  if (call.args.escalate === 'network') return { ...input.sandbox, networkAccess: true };
  return input.sandbox;
}

/** Escalations always ask a person, also with autoApprove: a wider policy is never granted silently. */
async function approve(call: ToolCall, shownArguments: unknown, itemKey: string, input: EngineInput): Promise<ApprovalOutcome> {
  const sandbox = requestedPolicy(call, input);
  const escalating = call.name === 'shell' && call.args.escalate !== undefined && !samePolicy(sandbox!, input.sandbox);
  if (!needsApproval(call.name) || (input.autoApprove && !escalating)) return { decision: 'APPROVED', sandbox };
  const reason =
    call.name === 'shell' && escalating
      ? (call.args.justification ?? `the command asks for ${call.args.escalate === 'network' ? 'network access' : 'full access (no sandbox)'}`)
      : null;
  return input.requestApproval({ toolName: call.name, arguments: shownArguments, reason, itemKey, ...(sandbox ? { sandbox } : {}) });
}

function samePolicy(a: SandboxPolicy, b: SandboxPolicy): boolean {
  return a.mode === b.mode && a.networkAccess === b.networkAccess;
}

/** Runs a validated call; returns its output, or null when aborted. ToolError for failures the model can fix. */
async function* execute(
  call: ToolCall,
  toolCallId: string,
  ctx: ToolContext,
  sandbox: SandboxPolicy | null,
): AsyncGenerator<EngineEvent, string | null> {
  const { workspace } = ctx.input;
  if (call.name !== 'update_checklist' && call.name !== 'update_plan') await checkWorkspaceUnmoved(workspace);
  switch (call.name) {
    case 'read_file':
      return readFileTool(workspace, call.args);
    case 'list_dir':
      return listDirTool(workspace, call.args);
    case 'search_files':
      return searchFilesTool(workspace, call.args);
    case 'write_file':
      return yield* fileChanges(await writeFileTool(workspace, call.args), toolCallId, ctx);
    case 'apply_patch':
      return yield* fileChanges(await applyPatchTool(workspace, call.args, ctx.log), toolCallId, ctx);
    case 'shell':
      return yield* shell(call.args, toolCallId, ctx, sandbox ?? ctx.input.sandbox);
    case 'update_checklist':
      await ctx.input.updateThread({ checklist: call.args.items });
      return `checklist updated (${call.args.items.length} items)`;
    case 'update_plan':
      await ctx.input.updateThread({ plan: call.args.steps });
      return `plan updated (${call.args.steps.length} steps)`;
  }
}

/** One FILE_CHANGE item per changed file. */
async function* fileChanges(result: WriteToolResult, toolCallId: string, ctx: ToolContext): AsyncGenerator<EngineEvent, string> {
  for (const change of result.changes) {
    const key = ctx.nextKey('file');
    const fields = { path: change.path, changeKind: change.changeKind, diff: change.diff, metadata: { toolCallId } };
    yield { type: 'item.started', key, kind: 'FILE_CHANGE', fields };
    yield { type: 'item.completed', key, kind: 'FILE_CHANGE', status: 'COMPLETED' };
  }
  return result.output;
}

async function* shell(args: ShellArgs, toolCallId: string, ctx: ToolContext, sandbox: SandboxPolicy): AsyncGenerator<EngineEvent, string | null> {
  const key = ctx.nextKey('command');
  const timeoutMs = args.timeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS;
  yield { type: 'item.started', key, kind: 'COMMAND_EXECUTION', fields: { command: args.command, metadata: { toolCallId, sandbox } } };
  let result;
  try {
    result = await runShell({
      command: args.command,
      cwd: ctx.input.workspace,
      sandbox: sandbox.mode,
      networkAccess: sandbox.networkAccess,
      hiddenPaths: ctx.input.hiddenPaths,
      timeoutMs,
      signal: ctx.signal,
    });
  } catch (error) {
    if (error instanceof ToolError) {
      yield { type: 'item.completed', key, kind: 'COMMAND_EXECUTION', status: 'FAILED', fields: { output: error.message, exitCode: null } };
    }
    throw error;
  }
  if (result.aborted) return null; // the runtime closes the open item as interrupted
  const metadata = {
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    truncatedBytes: result.truncatedBytes,
    toolCallId,
    sandbox: result.policy,
  };
  yield {
    type: 'item.completed',
    key,
    kind: 'COMMAND_EXECUTION',
    status: result.exitCode === 0 ? 'COMPLETED' : 'FAILED',
    fields: { exitCode: result.exitCode, output: result.output, metadata },
  };
  return formatShellResult(result, timeoutMs);
}
