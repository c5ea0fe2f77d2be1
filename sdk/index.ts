/**
 * @zagens/sdk: typed documents for every operation of the Zagens Runtime API (generated from schema.graphql and
 * sdk/operations by `npm run codegen`) and a small client to run them.
 *
 *   const client = createZagensClient({ url: 'http://127.0.0.1:4680/graphql' });
 *   const { createThread } = await client.request(CreateThreadDocument, { input: {} });
 */
export * from './generated/graphql.js';
export { graphql } from './generated/gql.js';
export {
  EVENT_NAMES,
  EVENT_SCHEMA_VERSION,
  PURGED_EVENT,
  type EventName,
  type EventPayloads,
  type ItemDeltaPayload,
  type ItemEventPayload,
  type SandboxPolicy,
  type StreamedField,
  type ThreadChangeField,
  type ThreadChanges,
  type ThreadForkedPayload,
  type ThreadMetadata,
  type ThreadMetadataValue,
  type ThreadRevertedPayload,
  type ThreadStartedPayload,
  type ThreadUpdatedPayload,
  type TokenUsage,
  type TurnCompletedPayload,
  type TurnQueuedPayload,
  type TurnStartedPayload,
} from './generated/events.js';
export { FINAL_TURN_STATUSES, isFinalStatus, type FinalTurnStatus } from './generated/enums.js';
export { ERROR_CODES, USER_ERROR_CODES, type ErrorCode, type UserErrorCode } from './generated/errorCodes.js';
export { CLOSE_CODES, FATAL_CLOSE_CODES, type CloseCodeName } from './generated/closeCodes.js';
export { graphcacheKeys, graphcacheSchema, possibleTypes, VALUE_TYPES } from './cache.js';
export {
  createZagensClient,
  expectPayload,
  textDelta,
  ZagensGraphQLError,
  ZagensUserError,
  type EventNameFilter,
  type EventStreamOptions,
  type FollowThreadOptions,
  type KeyedDocument,
  type PayloadOf,
  type ReconnectInfo,
  type RetryInfo,
  type RetryOptions,
  type RuntimeEventsOptions,
  type StartTurnOptions,
  type StartTurnResultPayload,
  type ThreadEventsOptions,
  type ThreadFollower,
  type TurnEventsOptions,
  type VariablesArgs,
  type ZagensClient,
  type ZagensClientOptions,
  type ZagensEvent,
  type ZagensEventOf,
} from './client.js';
