/**
 * Strings the store indexes (task ids, metadata values) must be well-formed UTF-16: a lone surrogate has no UTF-8
 * encoding, so PostgreSQL text and jsonb columns would store U+FFFD (or refuse it) while the JSON record kept it.
 */
export const WELL_FORMED_RULE = 'must be well-formed Unicode (no unpaired surrogate)';

// With the u flag a paired surrogate is one code point; only an unpaired one is in the Surrogate category.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

export const isWellFormed = (value: unknown): boolean => typeof value !== 'string' || !UNPAIRED_SURROGATE.test(value);
