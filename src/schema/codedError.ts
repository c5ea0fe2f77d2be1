import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../domain/errorCodes.js';

/** A GraphQL error with a code of the one list (src/domain/errorCodes.ts); `extensions` adds what the client reads. */
export function codedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}
