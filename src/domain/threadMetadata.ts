import { z } from 'zod';
import { isWellFormed, WELL_FORMED_RULE } from './wellFormed.js';
import { ValidationError } from './errors.js';
import type { ThreadMetadata, ThreadMetadataValue } from './events.js';

export type { ThreadMetadata, ThreadMetadataValue } from './events.js';

/** Bounds of a thread's metadata (docs/DESIGN.md "Thread metadata"): every key costs index rows on each thread write. */
export const METADATA_LIMITS = {
  keys: 16,
  keyLength: 64,
  stringValue: 512,
  /** UTF-8 bytes of the whole metadata as JSON. */
  bytes: 2048,
} as const;

const KEY_RULE = `keys are 1 to ${METADATA_LIMITS.keyLength} characters of A-Z a-z 0-9 _ . : / -`;
const keySchema = z.string().regex(/^[A-Za-z0-9_.:/-]{1,64}$/, KEY_RULE);
const STRING_RULE = `strings are at most ${METADATA_LIMITS.stringValue} characters`;
const shortString = (v: unknown) => typeof v !== 'string' || v.length <= METADATA_LIMITS.stringValue;
const scalarSchema = z
  .union([z.string(), z.number(), z.boolean()], { error: 'values are strings, numbers or booleans (no objects, arrays or null)' })
  .refine(shortString, STRING_RULE)
  .refine(isWellFormed, `strings ${WELL_FORMED_RULE}`);
const entries = (max: number) => (value: Record<string, unknown>) => Object.keys(value).length <= max;

/** A flat JSON object whose keys follow the key rule; zod would drop a `__proto__` key silently, so it is refused first. */
function recordOf<V extends z.ZodType>(value: V) {
  const record = z.record(keySchema, value, {
    error: (issue) => (issue.code === 'invalid_key' ? KEY_RULE : issue.code === 'invalid_type' ? 'must be a JSON object' : undefined),
  });
  return z
    .unknown()
    .refine((v) => !(typeof v === 'object' && v !== null && Object.hasOwn(v, '__proto__')), 'the key __proto__ is reserved')
    .pipe(record);
}

/**
 * What createThread and updateThread take: a merge patch (RFC 7396 on a flat object). A key given a value sets it,
 * a key given null removes it, keys not named stay. The merged result is checked by `applyMetadataPatch`.
 */
export const metadataPatchSchema = recordOf(
  z
    .union([z.string(), z.number(), z.boolean(), z.null()], { error: 'values are strings, numbers, booleans, or null to remove the key' })
    .refine(shortString, STRING_RULE)
    .refine(isWellFormed, `strings ${WELL_FORMED_RULE}`),
).refine(entries(2 * METADATA_LIMITS.keys), `a patch names at most ${2 * METADATA_LIMITS.keys} keys`);

/** What `threads(filter: { metadata })` takes: keys and the exact values they must have (all must match). */
export const metadataFilterSchema = recordOf(scalarSchema)
  .refine((value) => Object.keys(value).length > 0, 'give at least one key (omit metadata to list every thread)')
  .refine(entries(METADATA_LIMITS.keys), `at most ${METADATA_LIMITS.keys} keys`);

export type MetadataPatch = z.infer<typeof metadataPatchSchema>;

/** The metadata after `patch`, refused (ValidationError, field `metadata`) when it would break a bound. */
export function applyMetadataPatch(current: ThreadMetadata | undefined, patch: MetadataPatch): ThreadMetadata {
  const merged = new Map(Object.entries(current ?? {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  if (merged.size > METADATA_LIMITS.keys) {
    throw new ValidationError(`metadata: ${merged.size} keys is over the limit of ${METADATA_LIMITS.keys}`, 'metadata');
  }
  const result: ThreadMetadata = Object.fromEntries([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const bytes = Buffer.byteLength(JSON.stringify(result), 'utf8');
  if (bytes > METADATA_LIMITS.bytes) {
    throw new ValidationError(`metadata: ${bytes} bytes of JSON is over the limit of ${METADATA_LIMITS.bytes}`, 'metadata');
  }
  return result;
}

/** Equality of two metadata values: same JSON type and value (1 and "1" differ; 1 and 1.0 are one number). */
export function sameMetadataValue(a: ThreadMetadataValue | undefined, b: ThreadMetadataValue): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** Whether `metadata` has every key of `filter` with exactly its value. */
export function matchesMetadata(metadata: ThreadMetadata | undefined, filter: ThreadMetadata): boolean {
  return Object.entries(filter).every(([key, value]) => Object.hasOwn(metadata ?? {}, key) && sameMetadataValue(metadata?.[key], value));
}

export function sameMetadata(a: ThreadMetadata | undefined, b: ThreadMetadata | undefined): boolean {
  const ea = Object.entries(a ?? {});
  return ea.length === Object.keys(b ?? {}).length && matchesMetadata(b, Object.fromEntries(ea));
}
