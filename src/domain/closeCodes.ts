/**
 * WebSocket close codes, one name each (docs/DESIGN.md "Close codes"): RFC 6455's and graphql-ws's 44xx/45xx that
 * this server sends or the SDK acts on. Copied into the SDK by `npm run codegen`.
 */
export const CLOSE_CODES = {
  /** The server is stopping (RFC 6455): reconnect to another node or later. */
  GOING_AWAY: 1001,
  /** Try again later (RFC 6455): sent by proxies; this server answers a full connection cap at the upgrade (HTTP 503). The SDK reconnects. */
  TRY_AGAIN_LATER: 1013,
  /** graphql-ws: the client broke the protocol. */
  BAD_REQUEST: 4400,
  /** graphql-ws: subscribe before connection_ack. */
  UNAUTHORIZED: 4401,
  /** The bearer token is missing or wrong (graphql-ws's Forbidden). */
  FORBIDDEN: 4403,
  /** graphql-ws: no subprotocol the server speaks. */
  SUBPROTOCOL_NOT_ACCEPTABLE: 4406,
  /** graphql-ws: no connection_init in time; the SDK also closes with it when a ping goes unanswered. */
  TIMEOUT: 4408,
  /** graphql-ws: an operation id already in use on this connection. */
  SUBSCRIBER_ALREADY_EXISTS: 4409,
  /** graphql-ws: more than one connection_init. */
  TOO_MANY_INITIALISATION_REQUESTS: 4429,
  /** A failure in the server (logged there). */
  INTERNAL_SERVER_ERROR: 4500,
  /** graphql-ws client: the server's message was malformed. */
  BAD_RESPONSE: 4004,
  /** graphql-ws client: a failure in the client. */
  INTERNAL_CLIENT_ERROR: 4005,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;

/** Closes after which connecting again cannot help (bad request, refused token, a bug on either side). */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.BAD_REQUEST,
  CLOSE_CODES.UNAUTHORIZED,
  CLOSE_CODES.FORBIDDEN,
  CLOSE_CODES.SUBPROTOCOL_NOT_ACCEPTABLE,
  CLOSE_CODES.SUBSCRIBER_ALREADY_EXISTS,
  CLOSE_CODES.TOO_MANY_INITIALISATION_REQUESTS,
  CLOSE_CODES.INTERNAL_SERVER_ERROR,
  CLOSE_CODES.BAD_RESPONSE,
  CLOSE_CODES.INTERNAL_CLIENT_ERROR,
]);
