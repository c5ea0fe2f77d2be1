import { z } from 'zod';
import { DEFAULT_SHELL_TIMEOUT_MS, MAX_SHELL_TIMEOUT_MS } from './shell.js';
import { ToolError } from './toolError.js';

export const MAX_READ_LIMIT_LINES = 5000;
export const MAX_CHECKLIST_ITEMS = 100;
/** Characters of one checklist item or plan step: the thread keeps this state and rewrites it on each update. */
export const MAX_CHECKLIST_TEXT = 500;
/** Bytes of the arguments of a tool whose arguments become thread state (checklist, plan). */
export const MAX_STATE_ARGUMENT_BYTES = 64 * 1024;

/** Optional in the arguments; models also send `null` for "not given", which becomes `undefined`. */
const optional = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional();
const nonEmpty = z.string().min(1, 'must not be empty');

const pathArg = (description: string) => nonEmpty.describe(description);

const readFileArgs = z.object({
  path: pathArg('File path, relative to the workspace root.'),
  offset: optional(z.number().int().min(1)).describe('First line to read (1-based). Default 1.'),
  limit: optional(z.number().int().min(1).max(MAX_READ_LIMIT_LINES)).describe('Maximum number of lines. Default 2000.'),
});
const listDirArgs = z.object({ path: optional(z.string()).describe('Directory path, relative to the workspace root. Default: the root.') });
const searchFilesArgs = z.object({
  pattern: nonEmpty.describe('Text to find (literal unless regex is true).'),
  path: optional(z.string()).describe('File or directory to search, relative to the workspace root. Default: the root.'),
  regex: optional(z.boolean()).describe('Treat pattern as a JavaScript regular expression. Default false.'),
});
const writeFileArgs = z.object({
  path: pathArg('File path, relative to the workspace root.'),
  content: z.string().describe('The complete new content of the file.'),
});
const applyPatchArgs = z.object({ patch: nonEmpty.describe('The unified diff; paths relative to the workspace root.') });
export const SHELL_ESCALATIONS = ['network', 'full_access'] as const;
export type ShellEscalation = (typeof SHELL_ESCALATIONS)[number];
const shellArgs = z.object({
  command: nonEmpty.describe('The bash command line.'),
  timeoutMs: optional(z.number().int().min(1).max(MAX_SHELL_TIMEOUT_MS)).describe(`Timeout in milliseconds. Default ${DEFAULT_SHELL_TIMEOUT_MS}.`),
  escalate: optional(z.enum(SHELL_ESCALATIONS)).describe(
    'Only when the sandbox stops a needed command: ask a person to let this one command use the network or run without sandbox.',
  ),
  justification: optional(z.string().max(2000)).describe('With escalate: why the command needs it, shown to the person who approves.'),
});
const updateChecklistArgs = z.object({
  items: z
    .array(z.object({ text: nonEmpty.max(MAX_CHECKLIST_TEXT, `at most ${MAX_CHECKLIST_TEXT} characters`), done: z.boolean() }))
    .max(MAX_CHECKLIST_ITEMS, `at most ${MAX_CHECKLIST_ITEMS} items`),
});
export const PLAN_STEP_STATUSES = ['pending', 'in_progress', 'completed'] as const;
const updatePlanArgs = z.object({
  steps: z
    .array(z.object({ step: nonEmpty.max(MAX_CHECKLIST_TEXT, `at most ${MAX_CHECKLIST_TEXT} characters`), status: z.enum(PLAN_STEP_STATUSES) }))
    .max(MAX_CHECKLIST_ITEMS, `at most ${MAX_CHECKLIST_ITEMS} steps`),
});

export const toolArgumentSchemas = {
  read_file: readFileArgs,
  list_dir: listDirArgs,
  search_files: searchFilesArgs,
  write_file: writeFileArgs,
  apply_patch: applyPatchArgs,
  shell: shellArgs,
  update_checklist: updateChecklistArgs,
  update_plan: updatePlanArgs,
} as const;

export type ToolName = keyof typeof toolArgumentSchemas;
export const TOOL_NAMES = Object.keys(toolArgumentSchemas) as ToolName[];
export type ToolArgs = { [N in ToolName]: z.output<(typeof toolArgumentSchemas)[N]> };
/** A validated call, discriminated by `name`. */
export type ToolCall = { [N in ToolName]: { name: N; args: ToolArgs[N] } }[ToolName];

export type ReadFileArgs = ToolArgs['read_file'];
export type ListDirArgs = ToolArgs['list_dir'];
export type SearchFilesArgs = ToolArgs['search_files'];
export type WriteFileArgs = ToolArgs['write_file'];
export type ApplyPatchArgs = ToolArgs['apply_patch'];
export type ShellArgs = ToolArgs['shell'];
export type UpdateChecklistArgs = ToolArgs['update_checklist'];
export type UpdatePlanArgs = ToolArgs['update_plan'];

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(toolArgumentSchemas, name);
}

/** Write tools and the shell change the workspace: the user approves each call unless auto-approve is on. */
export function needsApproval(toolName: string): boolean {
  return toolName === 'write_file' || toolName === 'apply_patch' || toolName === 'shell';
}

/** Validates a model's tool call (`arguments` is the JSON string from the API); ToolError with a fixable message. */
export function parseToolArguments(name: string, json: string): ToolCall {
  if (!isToolName(name)) throw new ToolError(`unknown tool ${name}; available tools: ${TOOL_NAMES.join(', ')}`);
  if ((name === 'update_checklist' || name === 'update_plan') && Buffer.byteLength(json) > MAX_STATE_ARGUMENT_BYTES) {
    throw new ToolError(
      `the arguments of ${name} are ${Buffer.byteLength(json)} bytes, more than ${MAX_STATE_ARGUMENT_BYTES}: keep it to at most ${MAX_CHECKLIST_ITEMS} short entries`,
    );
  }
  let raw: unknown;
  try {
    // Models sometimes send an empty string for "no arguments".
    raw = json.trim() === '' ? {} : JSON.parse(json);
  } catch (error) {
    throw new ToolError(`invalid JSON in the arguments of ${name}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ToolError(`the arguments of ${name} must be a JSON object`);
  }
  const result = toolArgumentSchemas[name].safeParse(raw, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      return `${field}: ${missing ? 'is required' : issue.message}`;
    });
    throw new ToolError(`invalid arguments for ${name}: ${problems.join('; ')}`);
  }
  return { name, args: result.data } as ToolCall;
}

/** Compatible with the OpenAI SDK's `ChatCompletionFunctionTool` (and so `ChatCompletionTool`). */
export interface FunctionToolDefinition {
  type: 'function';
  function: { name: ToolName; description: string; parameters: Record<string, unknown> };
}

const TOOL_DESCRIPTIONS: Record<ToolName, string> = {
  read_file:
    'Read a text file of the workspace. Lines are numbered ("   12\\t..."); the numbers are not part of the file. Long files are cut: continue with offset.',
  list_dir: 'List the entries of a workspace directory with their type, sorted by name.',
  search_files: 'Search text files under a path for a pattern; prints "file:line: text" per match. Skips node_modules, .git and binary files.',
  write_file: 'Create or overwrite a file with the given content (parent directories are created). Prefer apply_patch for edits to existing files.',
  apply_patch:
    'Apply a unified diff to one or more files. Each file starts with "--- a/PATH" and "+++ b/PATH" lines (use /dev/null as the old side to add a file, as the new side to delete one), followed by "@@ -l,n +l,n @@" hunks whose context and removed lines must match the file exactly. Either the whole patch applies or nothing changes.',
  shell:
    'Run a command with bash in the workspace directory, inside a sandbox (by default: the workspace and /tmp writable, the rest read-only, no network). Returns the exit code and the combined stdout/stderr (long output is cut in the middle).',
  update_checklist: 'Replace the checklist shown to the user with these items.',
  update_plan: 'Replace the plan shown to the user with these steps; at most one step should be in_progress.',
};

/**
 * The JSON Schema the model is given for a tool's arguments, generated from its zod schema (`z.toJSONSchema`,
 * input side) and shaped for models: no `$schema`, an optional field shown as its plain type (the parser still
 * takes the `null` models send for "not given"), no extra properties (the parser drops them), no
 * safe-integer bounds that zod puts on every integer, and `required` always listed.
 */
export function toolParameters(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return forModel(json) as Record<string, unknown>;
}

function forModel(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forModel);
  if (typeof node !== 'object' || node === null) return node;
  const { anyOf, ...rest } = node as Record<string, unknown>;
  // `T | null` (a nullish field): the model is told T.
  if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf.some(isNullType)) return forModel({ ...anyOf.find((s) => !isNullType(s)), ...rest });
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, forModel(v)]));
  if (Array.isArray(out.type) && out.type.length === 2 && out.type.includes('null')) out.type = out.type.find((t) => t !== 'null');
  if (out.type === 'object') {
    out.required ??= [];
    out.additionalProperties = false;
  }
  if (out.type === 'integer') {
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  }
  return out;
}

const isNullType = (schema: unknown) => typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'null';

export const toolDefinitions = Object.fromEntries(
  TOOL_NAMES.map((name) => [
    name,
    { type: 'function', function: { name, description: TOOL_DESCRIPTIONS[name], parameters: toolParameters(toolArgumentSchemas[name]) } },
  ]),
) as Record<ToolName, FunctionToolDefinition>;

/** The tools offered to the model; the shell only when the thread allows it. */
export function toolsFor(options: { allowShell: boolean }): FunctionToolDefinition[] {
  return TOOL_NAMES.filter((name) => name !== 'shell' || options.allowShell).map((name) => toolDefinitions[name]);
}
