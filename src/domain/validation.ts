import { z } from 'zod';
import { ValidationError } from './errors.js';
import { isIdOf, type RecordKind } from './ids.js';
import { REASONING_EFFORTS, SANDBOX_MODES } from './enums.js';
import { metadataPatchSchema } from './threadMetadata.js';
import { isWellFormed, WELL_FORMED_RULE } from './wellFormed.js';

export const LIMITS = {
  title: 500,
  model: 200,
  mode: 100,
  systemPrompt: 64 * 1024,
  taskId: 200,
  workspace: 4096,
  scratchpadRunId: 200,
  /** Default prompt size limit (bytes of UTF-8); the server may configure another. */
  prompt: 256 * 1024,
  reason: 2000,
  routingRules: 200,
} as const;

const name = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const optionalText = (max: number) => z.string().max(max, `at most ${max} characters`);
const identifier = (max: number) => optionalText(max).refine(isWellFormed, WELL_FORMED_RULE);

/**
 * Thread settings as a client may set them (create and update share the rules). The descriptions are the GraphQL
 * input fields' descriptions: the schema layer derives CreateThreadInput/UpdateThreadInput from this object.
 */
export const threadSettingsSchema = z.object({
  title: optionalText(LIMITS.title).nullish().describe(`Title for people, at most ${LIMITS.title} characters.`),
  model: name(LIMITS.model).nullish().describe(`Model of the thread's turns, 1 to ${LIMITS.model} characters; default: the server's \`--model\`.`),
  mode: name(LIMITS.mode).nullish().describe(`Free-form mode label, 1 to ${LIMITS.mode} characters; default \`agent\`.`),
  workspace: name(LIMITS.workspace).nullish().describe('An existing directory; relative paths resolve against the server default workspace.'),
  systemPrompt: optionalText(LIMITS.systemPrompt).nullish().describe('Extra instructions for the model, at most 64 KiB.'),
  allowShell: z.boolean().nullish().describe('Let the agent run shell commands; default false.'),
  trustMode: z
    .boolean()
    .nullish()
    .describe('Same as sandbox FULL_ACCESS (and wins over sandbox): no sandbox, no screening of shell commands; default false.'),
  sandbox: z.enum(SANDBOX_MODES).nullish().describe('The sandbox shell commands run in; default WORKSPACE_WRITE.'),
  networkAccess: z.boolean().nullish().describe('Let sandboxed commands use the network; default false.'),
  autoApprove: z.boolean().nullish().describe('Run risky tools without asking for approval; default false.'),
  archived: z.boolean().nullish().describe('Archive (true) or unarchive (false); archived threads refuse new turns.'),
  metadata: metadataPatchSchema
    .nullish()
    .describe(
      "Merged into the thread's metadata: a key with a value sets it, a key with null removes it, other keys stay. At most 16 keys of 1 to 64 characters (A-Z a-z 0-9 _ . : / -), string (at most 512 characters), number or boolean values, 2 KiB of JSON, after the merge; else VALIDATION and nothing changes.",
    ),
  // Only createThread takes taskId, only updateThread scratchpadRunId.
  taskId: identifier(LIMITS.taskId).nullish().describe(`Your own id for the task this thread belongs to, at most ${LIMITS.taskId} characters.`),
  scratchpadRunId: identifier(LIMITS.scratchpadRunId)
    .nullish()
    .describe(`Your id of the current scratchpad run, at most ${LIMITS.scratchpadRunId} characters; the previous one moves to scratchpadRunHistory.`),
});

const turnOverride = (setting: string) => z.boolean().nullish().describe(`Overrides the thread's ${setting} for this turn only.`);

/** A turn's own settings (startTurn, editLastTurn); the GraphQL input fields are derived from it like the thread's. */
export const turnSettingsSchema = z.object({
  model: name(LIMITS.model).nullish().describe('Explicit model; else the routing rule for routeIntent; else the thread model.'),
  mode: name(LIMITS.mode).nullish().describe(`Mode label for this turn, 1 to ${LIMITS.mode} characters; default: the thread's.`),
  allowShell: z.boolean().nullish().describe('Overrides the thread flag for this turn only.'),
  trustMode: turnOverride('trustMode'),
  sandbox: z.enum(SANDBOX_MODES).nullish().describe("Overrides the thread's sandbox for this turn only."),
  networkAccess: turnOverride('networkAccess'),
  autoApprove: turnOverride('autoApprove'),
  routeIntent: optionalText(LIMITS.model)
    .nullish()
    .describe('Picks the model of the first routing rule with this intent (trimmed, case-insensitive) when `model` is not given.'),
  temperature: z.number().min(0).max(2).nullish().describe("Sampling temperature, 0 to 2; default: the provider's."),
  topP: z.number().gt(0).max(1).nullish().describe("Nucleus sampling, greater than 0 up to 1; default: the provider's."),
  maxTokens: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullish()
    .describe("Most tokens one model call may generate, 1 to 1000000; default: the provider's."),
  reasoningEffort: z.enum(REASONING_EFFORTS).nullish().describe('Reasoning effort for reasoning models (reasoning_effort).'),
  presencePenalty: z.number().min(-2).max(2).nullish().describe('presence_penalty, -2 to 2.'),
  frequencyPenalty: z.number().min(-2).max(2).nullish().describe('frequency_penalty, -2 to 2.'),
  seed: z.number().int().nullish().describe('seed, for providers that sample deterministically with one.'),
  stop: z
    .array(z.string().min(1, 'must not be empty').max(200, 'at most 200 characters'))
    .max(4, 'at most 4 stop sequences')
    .nullish()
    .describe('Up to 4 stop sequences.'),
});

/** The record kind of each id field declared with `idOf`: the schema layer makes those fields GraphQL IDs. */
export const idKinds = z.registry<{ kind: RecordKind }>();

/** An id of one record kind (`turn_…`); anything else is refused as `<field>: not a <kind> id: "…"`. */
export function idOf(kind: RecordKind): z.ZodString {
  const schema = z.string().refine((id) => isIdOf(kind, id), {
    error: (issue) => `not a ${kind} id: ${JSON.stringify(String(issue.input).slice(0, 80))}`,
  });
  idKinds.add(schema, { kind });
  return schema;
}

/** Parse with a zod schema; the first problem becomes a ValidationError naming the field (under `at`, if given). */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, at?: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = firstIssue(result.error);
  const field = [at, issue.field].filter(Boolean).join('.') || null;
  throw new ValidationError(field ? `${field}: ${issue.message}` : issue.message, field);
}

/** The first problem zod found: its dotted path (null at the root) and message. */
export function firstIssue(error: z.ZodError): { field: string | null; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: null, message: 'invalid input' };
  return { field: issue.path.join('.') || null, message: issue.message };
}

export function requireId(kind: RecordKind, id: string, field: string): string {
  if (!isIdOf(kind, id)) throw new ValidationError(`${field}: not a ${kind} id: ${JSON.stringify(id.slice(0, 80))}`, field);
  return id;
}

/** A prompt must have visible content and fit the size limit (bytes of UTF-8). */
export function validatePrompt(prompt: string, field: string, maxBytes: number = LIMITS.prompt): string {
  if (prompt.trim().length === 0) throw new ValidationError(`${field}: must not be empty`, field);
  const bytes = Buffer.byteLength(prompt, 'utf8');
  if (bytes > maxBytes) throw new ValidationError(`${field}: ${bytes} bytes is over the limit of ${maxBytes}`, field);
  return prompt;
}
