import { EVENT_NAMES } from './events.js';
import type { EventRecord } from './events.js';
import { isIdOf } from './ids.js';

/** At most this many entries in `names` or `threadIds` of one subscription. */
export const MAX_FILTER_ENTRIES = 100;

/**
 * Which events a subscription selects (docs/DESIGN.md "Event filters"): `names` holds exact event names and
 * prefixes ending in a dot (`item.` is every item.* event); `threadIds` the threads of a runtimeEvents stream.
 * An absent list selects everything; an event must pass both.
 */
export interface EventFilter {
  names?: readonly string[] | null;
  threadIds?: readonly string[] | null;
}

/** Why a filter cannot be used, or null when it can. A name must be a known one, a prefix must select at least one. */
export function eventFilterProblem(filter: EventFilter): string | null {
  for (const [field, list] of [
    ['names', filter.names],
    ['threadIds', filter.threadIds],
  ] as const) {
    if (list && list.length === 0) return `${field}: an empty list selects nothing; omit it to select every event`;
    if (list && list.length > MAX_FILTER_ENTRIES) return `${field}: at most ${MAX_FILTER_ENTRIES} entries`;
  }
  for (const id of filter.threadIds ?? []) if (!isIdOf('thread', id)) return `threadIds: ${JSON.stringify(id)} is not a thread id`;
  for (const name of filter.names ?? []) {
    const known = name.endsWith('.') ? EVENT_NAMES.some((n) => n.startsWith(name)) : (EVENT_NAMES as readonly string[]).includes(name);
    if (!known) return `names: ${JSON.stringify(name)} is no event name nor a prefix ending in "." of one (known: ${EVENT_NAMES.join(', ')})`;
  }
  return null;
}

/** A predicate for the events `filter` selects; null when it selects every event. */
export function eventMatcher(filter: EventFilter): ((event: Pick<EventRecord, 'name' | 'threadId'>) => boolean) | null {
  const exact = new Set((filter.names ?? []).filter((n) => !n.endsWith('.')));
  const prefixes = (filter.names ?? []).filter((n) => n.endsWith('.'));
  const threads = filter.threadIds ? new Set(filter.threadIds) : null;
  if (!filter.names && !threads) return null;
  // Names are few: the answer per name is computed once.
  const byName = new Map<string, boolean>();
  const nameMatches = (name: string) => {
    let hit = byName.get(name);
    if (hit === undefined) byName.set(name, (hit = exact.has(name) || prefixes.some((p) => name.startsWith(p))));
    return hit;
  };
  return (event) => (!filter.names || nameMatches(event.name)) && (!threads || threads.has(event.threadId));
}
