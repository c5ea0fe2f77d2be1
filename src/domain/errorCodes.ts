/**
 * Every `extensions.code` a client can see, in one list (docs/DESIGN.md "Error codes"). The first group are the
 * typed user errors mutations return as union members (src/domain/errors.ts); the rest are refusals reported as
 * GraphQL errors or HTTP error bodies. Copied into the SDK by `npm run codegen`.
 */
export const ERROR_CODES = {
  NOT_FOUND: 'no record has the id that was given',
  VALIDATION: 'the input is malformed or out of its allowed set',
  TURN_ACTIVE: 'the thread already runs a turn',
  NO_ACTIVE_TURN: 'the turn is not running',
  THREAD_ARCHIVED: 'the thread is archived; unarchive it first',
  WORKSPACE_INVALID: 'the workspace is not a usable directory',
  CONFLICT: 'the request conflicts with the current state (or an earlier request with the same key)',
  OUT_OF_RANGE: 'a number is outside its allowed range',
  OVERLOADED: 'the server runs as many turns as it may; try again later',
  UNAUTHENTICATED: 'the bearer token is missing or wrong',
  HOST_NOT_ALLOWED: 'the Host header names a host this server does not serve',
  SHUTTING_DOWN: 'the server is stopping',
  LIMIT: 'too many connections, streams or operations on one connection',
  QUERY_TOO_COMPLEX: 'the operation is over a size limit (complexity, depth, breadth, aliases, tokens, directives)',
  PERSISTED_QUERY_ONLY: 'the server runs only persisted operations',
  PERSISTED_QUERY_NOT_FOUND: 'no persisted operation has that hash',
  PERSISTED_QUERY_ID_REQUIRED: 'neither a document nor a hash was sent',
  SUBSCRIBER_TOO_SLOW: 'the subscriber fell behind; resubscribe from the last seq it saw',
  STORAGE_UNAVAILABLE: 'the store refused the write or cannot be reached (disk full, database down); nothing was changed',
  // Yoga's own, listed so that a client's switch over codes is complete.
  GRAPHQL_PARSE_FAILED: 'the document is not valid GraphQL syntax',
  GRAPHQL_VALIDATION_FAILED: 'the document does not validate against the schema',
  OPERATION_RESOLUTION_FAILURE: 'the operation name matches no operation of the document',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes of the typed user errors (each one GraphQL type implementing `UserError`). */
export const USER_ERROR_CODES = [
  'NOT_FOUND',
  'VALIDATION',
  'TURN_ACTIVE',
  'NO_ACTIVE_TURN',
  'THREAD_ARCHIVED',
  'WORKSPACE_INVALID',
  'CONFLICT',
  'OUT_OF_RANGE',
  'OVERLOADED',
] as const satisfies readonly ErrorCode[];

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** An HTTP error body in GraphQL's shape, for refusals answered before GraphQL runs (401, 403, 503). */
export function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
