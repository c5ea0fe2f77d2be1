import { complexityFromQuery } from '@pothos/plugin-complexity';
import { getOperationAST, Kind, type GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from '../schema/context.js';
import { codedError } from '../schema/codedError.js';
import { markLimitRefusal } from './clientErrors.js';

/**
 * The operation that will run, priced with this request's variables: complexity, depth and breadth past the
 * limits give an error (QUERY_TOO_COMPLEX), else null. Checked per execution, never at validation: Yoga caches
 * validation by document text, and the price depends on the operation name and the variables.
 */
export function queryLimitError(
  args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName' | 'variableValues' | 'contextValue'>,
  limits: QueryLimits,
): GraphQLError | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return null; // no such operation: execution refuses it
  // complexityFromQuery prices the first operation of a document: give it a document of just this one.
  const document: DocumentNode = {
    ...args.document,
    definitions: [operation, ...args.document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
  let result;
  try {
    result = complexityFromQuery(document, {
      schema: args.schema,
      ctx: args.contextValue as object,
      variables: (args.variableValues ?? {}) as Record<string, unknown>,
    });
  } catch {
    return null; // variables that do not coerce: execution reports them
  }
  for (const kind of ['complexity', 'depth', 'breadth'] as const) {
    if (result[kind] > limits[kind]) {
      return codedError('QUERY_TOO_COMPLEX', `Query exceeds maximum ${kind} (${kind}: ${result[kind]}, max: ${limits[kind]})`);
    }
  }
  return null;
}

/** Refuses an operation over the limits before it executes (a subscription before its stream starts). */
export function useQueryLimits(limits: QueryLimits): Plugin {
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const error = queryLimitError(args, limits);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const error = queryLimitError(args, limits);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

/** Aliases, tokens and directives of one operation (graphql-armor); past them: QUERY_TOO_COMPLEX, 400. */
export interface SizeLimits {
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
}

/** graphql-armor's size limits; depth and cost are `useQueryLimits`' (it prices pages by their size). */
export function useSizeLimits(limits: SizeLimits): Plugin {
  return EnvelopArmorPlugin({
    maxAliases: { n: limits.maxAliases, onReject: [markLimitRefusal] },
    maxTokens: { n: limits.maxTokens, onReject: [markLimitRefusal] },
    maxDirectives: { n: limits.maxDirectives, onReject: [markLimitRefusal] },
    maxDepth: { enabled: false },
    costLimit: { enabled: false },
    // Suggestions are hidden by clientErrors.ts, which also covers enum values and variables.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}
