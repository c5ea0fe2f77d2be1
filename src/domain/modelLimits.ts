/** Context windows and automatic compaction thresholds per model, as data. Pure: no I/O. */
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { firstIssue } from './validation.js';

export interface ModelLimit {
  /** The model name (`exact`) or its beginning (`prefix`), compared case-insensitively. */
  pattern: string;
  match: 'exact' | 'prefix';
  /** Tokens the model takes in one request. */
  contextWindow?: number;
  /** Compact automatically when the conversation reaches this many tokens... */
  compactAtTokens?: number;
  /** ...or this share of the context window (default 0.8). */
  compactAtRatio?: number;
}

/** Context windows we know; a configured entry for the same model wins. */
export const KNOWN_MODEL_LIMITS: readonly ModelLimit[] = [
  { pattern: 'deepseek-', match: 'prefix', contextWindow: 131_072 },
  { pattern: 'gpt-5', match: 'prefix', contextWindow: 400_000 },
  { pattern: 'gpt-4.1', match: 'prefix', contextWindow: 1_047_576 },
  { pattern: 'gpt-4o', match: 'prefix', contextWindow: 128_000 },
  { pattern: 'gpt-4-turbo', match: 'prefix', contextWindow: 128_000 },
  { pattern: 'gpt-3.5-turbo', match: 'prefix', contextWindow: 16_385 },
  { pattern: 'o1', match: 'prefix', contextWindow: 200_000 },
  { pattern: 'o3', match: 'prefix', contextWindow: 200_000 },
  { pattern: 'o4-mini', match: 'prefix', contextWindow: 200_000 },
];

export const DEFAULT_COMPACT_AT_RATIO = 0.8;

export interface ResolvedModelLimits {
  contextWindow: number | null;
  /** null: no automatic compaction for this model. */
  compactAtTokens: number | null;
}

function matches(entry: ModelLimit, name: string): boolean {
  const pattern = entry.pattern.toLowerCase();
  return entry.match === 'exact' ? name === pattern : name.startsWith(pattern);
}

/** Exact beats prefix, a longer prefix beats a shorter one; the first of equals wins. */
function best(entries: readonly ModelLimit[], name: string): ModelLimit | null {
  let found: ModelLimit | null = null;
  for (const e of entries) {
    if (!matches(e, name)) continue;
    if (!found || (e.match === 'exact' && found.match === 'prefix') || (e.match === found.match && e.pattern.length > found.pattern.length))
      found = e;
  }
  return found;
}

/** The limits of `model`: the configured entry's fields first, then the known window. */
export function limitsOf(model: string, configured: readonly ModelLimit[] = []): ResolvedModelLimits {
  const name = model.trim().toLowerCase();
  const mine = best(configured, name);
  const known = best(KNOWN_MODEL_LIMITS, name);
  const contextWindow = mine?.contextWindow ?? known?.contextWindow ?? null;
  let compactAtTokens = mine?.compactAtTokens ?? null;
  if (compactAtTokens === null && contextWindow !== null) {
    compactAtTokens = Math.floor(contextWindow * (mine?.compactAtRatio ?? DEFAULT_COMPACT_AT_RATIO));
  }
  return { contextWindow, compactAtTokens };
}

const limitSchema = z
  .strictObject({
    pattern: z.string().trim().min(1, 'must not be empty'),
    match: z.enum(['exact', 'prefix']).default('exact'),
    contextWindow: z.number().int().min(1).optional(),
    compactAtTokens: z.number().int().min(1).optional(),
    compactAtRatio: z.number().gt(0).max(1).optional(),
  })
  .refine((e) => e.contextWindow !== undefined || e.compactAtTokens !== undefined || e.compactAtRatio !== undefined, {
    message: 'give contextWindow, compactAtTokens or compactAtRatio',
  });

/** A model limits file: `{ "models": [ { pattern, match, contextWindow, compactAtTokens, compactAtRatio } ] }`. */
export function parseModelLimits(json: unknown): ModelLimit[] {
  const result = z.strictObject({ models: z.array(limitSchema) }).safeParse(json);
  if (result.success) return result.data.models;
  const { field, message } = firstIssue(result.error);
  throw new ValidationError(field ? `${field}: ${message}` : message, field);
}
