/**
 * What normalized caches (Apollo Client's InMemoryCache, urql's graphcache) need to know about this schema,
 * generated from schema.graphql by `npm run codegen`.
 */
import generated from './generated/possibleTypes.js';
import { graphcacheSchema, VALUE_TYPES } from './generated/cacheSchema.js';

export { graphcacheSchema, VALUE_TYPES };

/**
 * Interface and union -> the object types that implement or belong to it (`UserError` -> `NotFoundError`...,
 * `Item` -> `AgentMessageItem`..., `StartTurnResult` -> `StartTurnPayload`, `TurnActiveError`...). Without it a
 * cache cannot tell that a `TurnActiveError` matches `... on UserError`, and typed errors read as missing.
 * Apollo: `new InMemoryCache({ possibleTypes })`; urql: `cacheExchange({ possibleTypes })`, or the whole
 * `schema: graphcacheSchema`, which also stops graphcache's warnings about other types' fragments.
 */
export const possibleTypes: Record<string, string[]> = generated.possibleTypes;

type GraphcacheKey = (data: Record<string, unknown>) => string | null;

/**
 * urql graphcache `keys`: records (Thread, Turn, the Item types, Approval) normalize by their id, graphcache's
 * default; an event by its unique `seq`; every other id-less type (payloads, errors, pages, totals) is embedded
 * in its parent (null key), so graphcache neither guesses nor warns.
 */
export const graphcacheKeys: Record<string, GraphcacheKey> = {
  ...Object.fromEntries(VALUE_TYPES.map((name) => [name, () => null])),
  RuntimeEvent: (data) => (data.seq == null ? null : String(data.seq)),
};
