/** Key layout (docs/DESIGN.md "Store layout"). Keys are ASCII; `!` separates parts and `~` sorts after every id character. */
export const SEP = '!';
export const HIGH = '~';

const SEQ_WIDTH = 16;
const TIME_MAX = 9_999_999_999_999;

export function seqKey(seq: number): string {
  return String(seq).padStart(SEQ_WIDTH, '0');
}

/** Sorts newest first: the key is the distance from the far future. */
export function updatedKey(updatedAt: string, threadId: string): string {
  const inverted = TIME_MAX - Date.parse(updatedAt);
  return `${String(inverted).padStart(13, '0')}${SEP}${threadId}`;
}

export function childKey(parentId: string, childId: string): string {
  return `${parentId}${SEP}${childId}`;
}

export function threadSeqKey(threadId: string, seq: number): string {
  return `${threadId}${SEP}${seqKey(seq)}`;
}

/** The range of keys under `prefix!`. */
export function prefixRange(prefix: string): { gt: string; lt: string } {
  return { gt: `${prefix}${SEP}`, lt: `${prefix}${SEP}${HIGH}` };
}

export function lastPart(key: string): string {
  return key.slice(key.lastIndexOf(SEP) + 1);
}

/** A usage rollup row: quarter (ISO) first, so a range of quarters is one range read. */
export function rollupKey(id: { quarter: string; threadId: string; model: string }): string {
  return `${id.quarter}${SEP}${id.threadId}${SEP}${id.model}`;
}

export function parseRollupKey(key: string): { quarter: string; threadId: string; model: string } {
  const first = key.indexOf(SEP);
  const second = key.indexOf(SEP, first + 1);
  return { quarter: key.slice(0, first), threadId: key.slice(first + 1, second), model: key.slice(second + 1) };
}

/**
 * The index prefix of one metadata key and value: base64url of the JSON pair, so any key or string value is one
 * key part without `!` and equal values (same JSON) share one prefix.
 */
export function metadataPrefix(key: string, value: string | number | boolean): string {
  return Buffer.from(JSON.stringify([key, value]), 'utf8').toString('base64url');
}
