/**
 * @zagens/sdk: typed documents for every operation of the Zagens Runtime API (generated from schema.graphql and
 * sdk/operations by `npm run codegen`) and a small client to run them.
 *
 *   const client = createZagensClient({ url: 'http://127.0.0.1:4680/graphql' });
 *   const { createThread } = await client.request(CreateThreadDocument, { input: {} });
 */
export * from './generated/graphql.js';
export { graphql } from './generated/gql.js';
export { graphcacheKeys, graphcacheSchema, possibleTypes, VALUE_TYPES } from './cache.js';
export {
  createZagensClient,
  expectPayload,
  textDelta,
  ZagensGraphQLError,
  ZagensUserError,
  type FollowThreadOptions,
  type ReconnectInfo,
  type ThreadEventsOptions,
  type ThreadFollower,
  type VariablesArgs,
  type ZagensClient,
  type ZagensClientOptions,
  type ZagensEvent,
} from './client.js';
