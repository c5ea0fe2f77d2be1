import { z } from 'zod';
import { ValidationError } from './errors.js';
import { isIdOf, type RecordKind } from './ids.js';
import { REASONING_EFFORTS, SANDBOX_MODES } from './enums.js';
import { metadataPatchSchema } from './threadMetadata.js';

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

/** Thread settings as a client may set them (create and update share the rules). */
export const threadSettingsSchema = z.object({
  title: optionalText(LIMITS.title).nullish(),
  model: name(LIMITS.model).nullish(),
  mode: name(LIMITS.mode).nullish(),
  workspace: name(LIMITS.workspace).nullish(),
  systemPrompt: optionalText(LIMITS.systemPrompt).nullish(),
  taskId: optionalText(LIMITS.taskId).nullish(),
  scratchpadRunId: optionalText(LIMITS.scratchpadRunId).nullish(),
  allowShell: z.boolean().nullish(),
  trustMode: z.boolean().nullish(),
  sandbox: z.enum(SANDBOX_MODES).nullish(),
  networkAccess: z.boolean().nullish(),
  autoApprove: z.boolean().nullish(),
  archived: z.boolean().nullish(),
  /** A merge patch of the thread's metadata (threadMetadata.ts): null values remove keys. */
  metadata: metadataPatchSchema.nullish(),
});

export const samplingSchema = z.object({
  temperature: z.number().min(0).max(2).nullish(),
  topP: z.number().gt(0).max(1).nullish(),
  maxTokens: z.number().int().min(1).max(1_000_000).nullish(),
  model: name(LIMITS.model).nullish(),
  mode: name(LIMITS.mode).nullish(),
  routeIntent: optionalText(LIMITS.model).nullish(),
  reasoningEffort: z.enum(REASONING_EFFORTS).nullish(),
  presencePenalty: z.number().min(-2).max(2).nullish(),
  frequencyPenalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  stop: z.array(z.string().min(1, 'must not be empty').max(200, 'at most 200 characters')).max(4, 'at most 4 stop sequences').nullish(),
});

/** Parse with a zod schema; the first problem becomes a ValidationError naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const { field, message } = firstIssue(result.error);
  throw new ValidationError(field ? `${field}: ${message}` : message, field);
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
