import { decodeTime, isValid, monotonicFactory } from 'ulid';

/** Record kinds and the prefix their ids carry. The record id is also the GraphQL `ID`. */
export const ID_PREFIX = {
  thread: 'thr',
  turn: 'turn',
  item: 'item',
  approval: 'appr',
  webhook: 'whk',
  delivery: 'whd',
} as const;

export type RecordKind = keyof typeof ID_PREFIX;

// Monotonic so that ids made within one millisecond still sort in creation order
// (items of a turn are listed by id).
const nextUlid = monotonicFactory();

export function newId(kind: RecordKind, now: number = Date.now()): string {
  return `${ID_PREFIX[kind]}_${nextUlid(now)}`;
}

/** The kind of a well-formed id, or null for anything else (wrong prefix, bad ULID). */
export function kindOfId(id: string): RecordKind | null {
  const cut = id.indexOf('_');
  if (cut < 0) return null;
  const prefix = id.slice(0, cut);
  const body = id.slice(cut + 1);
  if (!isValid(body)) return null;
  for (const [kind, p] of Object.entries(ID_PREFIX)) {
    if (p === prefix) return kind as RecordKind;
  }
  return null;
}

export function isIdOf(kind: RecordKind, id: string): boolean {
  return kindOfId(id) === kind;
}

export function timeOfId(id: string): number {
  return decodeTime(id.slice(id.indexOf('_') + 1));
}
