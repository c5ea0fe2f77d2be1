import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';

/**
 * Errors a client caused (a bad document, bad variables, a refused limit) are for the client: they keep their
 * message, carry an `extensions.code` and are not logged as server errors. Anything else is masked and logged.
 * With introspection off, no message may name what the schema holds ("Did you mean ...?").
 */

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutSuggestions(error: GraphQLError): GraphQLError {
  if (SUGGESTION.test(error.message)) error.message = error.message.replace(SUGGESTION, '');
  SUGGESTION.lastIndex = 0;
  return error;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  const extensions = error.extensions as Record<string, unknown>;
  extensions.code ??= code;
  return error;
}

/** A GraphQLError raised by graphql itself or on purpose (not wrapping an unexpected exception). */
function isClientError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  if (error.extensions?.code) return true;
  const original = error.originalError;
  return !original || original instanceof GraphQLError;
}

/** Yoga's `maskedErrors.maskError`: client errors pass (with a code when a request was refused), the rest is masked. */
export function createMaskError(logger: Logger, hideSuggestions: boolean) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    if (isClientError(error)) {
      // A refusal before execution (bad variables, unknown operation) has no path; it gets the input code.
      if (!error.path) withCode(error, 'VALIDATION');
      return hideSuggestions ? withoutSuggestions(error) : error;
    }
    logger.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected error in a resolver');
    return yogaMaskError(error, message, isDev);
  };
}

/** An error thrown while graphql-ws validated an operation, as the client should see it. */
export function asRefusal(error: unknown, hideSuggestions: boolean): GraphQLError {
  const refusal = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  withCode(refusal, 'VALIDATION');
  return hideSuggestions ? withoutSuggestions(refusal) : refusal;
}

/** graphql-armor's `onReject`: its limits (aliases, tokens, directives) are query-size refusals. */
export function markLimitRefusal(_context: unknown, error: GraphQLError): void {
  const extensions = error.extensions as Record<string, unknown>;
  extensions.code ??= 'QUERY_TOO_COMPLEX';
  extensions.http ??= { status: 400 };
}

/**
 * Validation errors without schema names. Over HTTP they also pass `maskError`; over graphql-ws they are
 * returned from `onSubscribe` as they are, so they are cleaned here.
 */
export function useHiddenSuggestions(): Plugin {
  return {
    onValidate:
      () =>
      ({ valid, result }) => {
        if (!valid) for (const error of result) withoutSuggestions(error);
      },
  };
}
