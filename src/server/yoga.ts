import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Runtime } from '../runtime/runtime.js';
import { schema } from '../schema/index.js';
import type { QueryLimits, SchemaContext, SseCursor } from '../schema/context.js';
import { createLoaders } from '../schema/loaders.js';
import { useBearerAuth } from './bearerAuth.js';
import { createMaskError } from './clientErrors.js';
import { useCsrfPreventionForWrites } from './csrf.js';
import { graphiqlOptions, renderGraphiQL } from './graphiql.js';
import { useHealth } from './health.js';
import type { Logger } from './logger.js';
import { useNoIntrospection } from './noIntrospection.js';
import type { PersistedOperations } from './persistedOperations.js';
import { useQueryLimits, useSizeLimits, type SizeLimits } from './queryLimits.js';
import { originAllowed } from './security.js';
import { sseCursorOf, useSseEventIds } from './sseEventIds.js';
import { useStreamSlots, type StreamSlots } from './streamSlots.js';

export type ZagensYoga = YogaServerInstance<Record<string, unknown>, SchemaContext>;

export interface YogaOptions extends SizeLimits {
  authToken: string | null;
  corsOrigins: readonly string[];
  maxBodyBytes: number;
  introspection: boolean;
  queryLimits: QueryLimits;
  persistedOperations: PersistedOperations | null;
}

/** Operations in one batched HTTP request. */
export const MAX_BATCH_OPERATIONS = 10;

/** Yoga with one plugin per concern, in the order a request meets them (docs/DESIGN.md "Server plugins"). */
export function createZagensYoga(runtime: Runtime, logger: Logger, slots: StreamSlots, options: YogaOptions): ZagensYoga {
  // The SSE cursor of each HTTP request's context, for the SSE writer (sseEventIds.ts) to read each event's seq.
  const sseCursors = new WeakMap<Request, SseCursor>();
  const newContext = (initial: { request?: Request }): SchemaContext => {
    const context: SchemaContext = { rt: runtime, loaders: createLoaders(runtime) };
    if (initial.request) {
      context.sse = sseCursorOf(initial.request);
      context.connection = initial.request;
      sseCursors.set(initial.request, context.sse);
    }
    return context;
  };
  const plugins: Plugin[] = [
    useHealth(runtime),
    useBearerAuth(options.authToken),
    useStreamSlots(slots),
    useCsrfPreventionForWrites(['x-graphql-yoga-csrf', 'authorization']),
    useSizeLimits(options),
    useQueryLimits(options.queryLimits),
    useSseEventIds((request) => sseCursors.get(request)),
    ...(options.persistedOperations ? [options.persistedOperations.yogaPlugin()] : []),
    ...(options.introspection ? [] : useNoIntrospection()),
  ];
  return createYoga<Record<string, unknown>, SchemaContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health-yoga',
    landingPage: false,
    maxRequestBodySize: options.maxBodyBytes,
    // A JSON array of operations (graphql-request's batchRequests, Apollo's BatchHttpLink): each one runs through
    // every plugin (limits, persisted operations) as if sent alone; more than this many is refused (413).
    batching: { limit: MAX_BATCH_OPERATIONS },
    plugins,
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !originAllowed(origin, options.corsOrigins)) return false;
      return {
        origin,
        credentials: true,
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ['content-type', 'authorization', 'x-graphql-yoga-csrf', 'accept', 'last-event-id'],
      };
    },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error({ detail: args }, 'graphql error'),
    },
    maskedErrors: { maskError: createMaskError(logger, !options.introspection) },
    graphiql: graphiqlOptions({ authRequired: options.authToken !== null }),
    renderGraphiQL,
    context: newContext,
  });
}
