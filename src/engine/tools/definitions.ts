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

const readFileArgs = z.object({
  path: nonEmpty,
  offset: optional(z.number().int().min(1)),
  limit: optional(z.number().int().min(1).max(MAX_READ_LIMIT_LINES)),
});
const listDirArgs = z.object({ path: optional(z.string()) });
const searchFilesArgs = z.object({ pattern: nonEmpty, path: optional(z.string()), regex: optional(z.boolean()) });
const writeFileArgs = z.object({ path: nonEmpty, content: z.string() });
const applyPatchArgs = z.object({ patch: nonEmpty });
export const SHELL_ESCALATIONS = ['network', 'full_access'] as const;
export type ShellEscalation = (typeof SHELL_ESCALATIONS)[number];
const shellArgs = z.object({
  command: nonEmpty,
  timeoutMs: optional(z.number().int().min(1).max(MAX_SHELL_TIMEOUT_MS)),
  escalate: optional(z.enum(SHELL_ESCALATIONS)),
  justification: optional(z.string().max(2000)),
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

const pathProperty = (description: string) => ({ type: 'string', description });

export const toolDefinitions: Record<ToolName, FunctionToolDefinition> = {
  read_file: tool(
    'read_file',
    'Read a text file of the workspace. Lines are numbered ("   12\\t..."); the numbers are not part of the file. Long files are cut: continue with offset.',
    {
      path: pathProperty('File path, relative to the workspace root.'),
      offset: { type: 'integer', minimum: 1, description: 'First line to read (1-based). Default 1.' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_READ_LIMIT_LINES, description: 'Maximum number of lines. Default 2000.' },
    },
    ['path'],
  ),
  list_dir: tool(
    'list_dir',
    'List the entries of a workspace directory with their type, sorted by name.',
    {
      path: pathProperty('Directory path, relative to the workspace root. Default: the root.'),
    },
    [],
  ),
  search_files: tool(
    'search_files',
    'Search text files under a path for a pattern; prints "file:line: text" per match. Skips node_modules, .git and binary files.',
    {
      pattern: { type: 'string', description: 'Text to find (literal unless regex is true).' },
      path: pathProperty('File or directory to search, relative to the workspace root. Default: the root.'),
      regex: { type: 'boolean', description: 'Treat pattern as a JavaScript regular expression. Default false.' },
    },
    ['pattern'],
  ),
  write_file: tool(
    'write_file',
    'Create or overwrite a file with the given content (parent directories are created). Prefer apply_patch for edits to existing files.',
    {
      path: pathProperty('File path, relative to the workspace root.'),
      content: { type: 'string', description: 'The complete new content of the file.' },
    },
    ['path', 'content'],
  ),
  apply_patch: tool(
    'apply_patch',
    'Apply a unified diff to one or more files. Each file starts with "--- a/PATH" and "+++ b/PATH" lines (use /dev/null as the old side to add a file, as the new side to delete one), followed by "@@ -l,n +l,n @@" hunks whose context and removed lines must match the file exactly. Either the whole patch applies or nothing changes.',
    {
      patch: { type: 'string', description: 'The unified diff; paths relative to the workspace root.' },
    },
    ['patch'],
  ),
  shell: tool(
    'shell',
    'Run a command with bash in the workspace directory, inside a sandbox (by default: the workspace and /tmp writable, the rest read-only, no network). Returns the exit code and the combined stdout/stderr (long output is cut in the middle).',
    {
      command: { type: 'string', description: 'The bash command line.' },
      timeoutMs: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_SHELL_TIMEOUT_MS,
        description: `Timeout in milliseconds. Default ${DEFAULT_SHELL_TIMEOUT_MS}.`,
      },
      escalate: {
        type: 'string',
        enum: [...SHELL_ESCALATIONS],
        description: 'Only when the sandbox stops a needed command: ask a person to let this one command use the network or run without sandbox.',
      },
      justification: { type: 'string', description: 'With escalate: why the command needs it, shown to the person who approves.' },
    },
    ['command'],
  ),
  update_checklist: tool(
    'update_checklist',
    'Replace the checklist shown to the user with these items.',
    {
      items: {
        type: 'array',
        maxItems: MAX_CHECKLIST_ITEMS,
        items: objectSchema({ text: { type: 'string', maxLength: MAX_CHECKLIST_TEXT }, done: { type: 'boolean' } }, ['text', 'done']),
      },
    },
    ['items'],
  ),
  update_plan: tool(
    'update_plan',
    'Replace the plan shown to the user with these steps; at most one step should be in_progress.',
    {
      steps: {
        type: 'array',
        maxItems: MAX_CHECKLIST_ITEMS,
        items: objectSchema({ step: { type: 'string', maxLength: MAX_CHECKLIST_TEXT }, status: { type: 'string', enum: [...PLAN_STEP_STATUSES] } }, [
          'step',
          'status',
        ]),
      },
    },
    ['steps'],
  ),
};

/** The tools offered to the model; the shell only when the thread allows it. */
export function toolsFor(options: { allowShell: boolean }): FunctionToolDefinition[] {
  return TOOL_NAMES.filter((name) => name !== 'shell' || options.allowShell).map((name) => toolDefinitions[name]);
}

function tool(name: ToolName, description: string, properties: Record<string, unknown>, required: string[]): FunctionToolDefinition {
  return { type: 'function', function: { name, description, parameters: objectSchema(properties, required) } };
}

function objectSchema(properties: Record<string, unknown>, required: string[]): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}
