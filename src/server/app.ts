import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { complexityFromQuery, type ComplexityResult } from '@pothos/plugin-complexity';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionArgs } from 'graphql';
import { createYoga, maskError as yogaMaskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { CloseCode } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Runtime } from '../runtime/runtime.js';
import { schema } from '../schema/index.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits, type SchemaContext } from '../schema/context.js';
import { createLoaders } from '../schema/loaders.js';
import { graphiqlOptions, renderGraphiQL } from './graphiql.js';
import type { Logger } from './logger.js';
import type { PersistedOperations } from './persistedOperations.js';
import { serveGraphqlWs } from './wsServer.js';
import { bearerToken, DEFAULT_CORS_ORIGINS, isSameOrigin, originAllowed, tokenMatches } from './security.js';

export interface SecurityOptions {
  /** Bearer token required on every request but /health; null: no auth. */
  authToken: string | null;
  corsOrigins: readonly string[];
  maxBodyBytes: number;
  introspection: boolean;
  maxWsConnections: number;
  /** Operations open at once on one WebSocket (subscriptions and in-flight queries). */
  maxOperationsPerConnection: number;
  queryLimits: QueryLimits;
  /** Aliases, tokens and directives of one operation (graphql-armor). */
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Operations sent as hashes of known documents (--persisted-operations); null: off. */
  persistedOperations: PersistedOperations | null;
}

export const DEFAULT_SECURITY: SecurityOptions = {
  authToken: null,
  corsOrigins: DEFAULT_CORS_ORIGINS,
  maxBodyBytes: 1024 * 1024,
  introspection: true,
  maxWsConnections: 1000,
  maxOperationsPerConnection: 100,
  queryLimits: DEFAULT_QUERY_LIMITS,
  maxAliases: 30,
  maxTokens: 5000,
  maxDirectives: 50,
  persistedOperations: null,
};

export interface AppOptions {
  runtime: Runtime;
  logger: Logger;
  security?: Partial<SecurityOptions>;
  /** Send buffer of a WebSocket past which a subscription waits for the client to read. */
  wsHighWaterBytes?: number;
}

export interface App {
  server: Server;
  wss: WebSocketServer;
  yoga: YogaServerInstance<Record<string, unknown>, SchemaContext>;
  /** Listens; resolves with the real address (also when port is 0). */
  start(port: number, host?: string): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, closes connections. Does not close the store. */
  stop(): Promise<void>;
}

const WS_HIGH_WATER = 1 << 20;

/**
 * One node:http server carrying Yoga (GraphQL over HTTP, SSE, GraphiQL) and graphql-ws on the same path.
 * WebSocket operations go through `yoga.getEnveloped`, so every Yoga plugin (limits, masking, introspection)
 * applies to them as to HTTP.
 */
export function buildApp({ runtime, logger, security: overrides, wsHighWaterBytes = WS_HIGH_WATER }: AppOptions): App {
  const security: SecurityOptions = { ...DEFAULT_SECURITY, ...overrides };
  const authorized = (header: string | null | undefined) => security.authToken === null || tokenMatches(security.authToken, bearerToken(header));
  const newContext = (): SchemaContext => ({ rt: runtime, loaders: createLoaders(runtime) });

  const plugins: Plugin[] = [
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }) as Plugin,
    EnvelopArmorPlugin({
      maxAliases: { n: security.maxAliases },
      maxTokens: { n: security.maxTokens },
      maxDirectives: { n: security.maxDirectives },
      // Depth and cost are the complexity plugin's (it prices pages by their size).
      maxDepth: { enabled: false },
      costLimit: { enabled: false },
      blockFieldSuggestion: { enabled: !security.introspection },
    }) as Plugin,
  ];
  // Not Yoga's useDisableIntrospection: it marks requests in onRequestParse, a hook of HTTP only, so graphql-ws
  // operations (validated through getEnveloped) could still introspect. A validation rule covers both.
  // Query limits at validation (after the standard rules pass), so a subscription is refused before its stream
  // starts: the complexity plugin's own check runs when a root field resolves, for a subscription once per event.
  plugins.push({
    onValidate: ({ context, params }) => ({ valid, setResult }) => {
      if (!valid) return;
      const variables = (context as { params?: { variables?: Record<string, unknown> } }).params?.variables ?? {};
      let result: ComplexityResult;
      try {
        result = complexityFromQuery(params.documentAST, { schema: params.schema, ctx: context, variables });
      } catch {
        return; // variables that do not coerce: execution reports them (HTTP 400), the limits wait for valid ones
      }
      const error = queryLimitError(result, security.queryLimits);
      if (error) setResult([error]);
    },
  });
  if (security.persistedOperations) plugins.push(security.persistedOperations.yogaPlugin());
  if (!security.introspection) plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });

  const yoga = createYoga<Record<string, unknown>, SchemaContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health-yoga',
    landingPage: false,
    maxRequestBodySize: security.maxBodyBytes,
    plugins,
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !originAllowed(origin, security.corsOrigins)) return false;
      return { origin, credentials: true, methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization', 'x-graphql-yoga-csrf', 'accept'] };
    },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error({ detail: args }, 'graphql error'),
    },
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = (error as { originalError?: unknown }).originalError;
        const code = (error as { extensions?: { code?: string } }).extensions?.code;
        // Errors raised on purpose carry a code and are for the client; anything else is logged and masked.
        if (code || !original) return error as Error;
        logger.error({ err: original }, 'unexpected error in a resolver');
        return yogaMaskError(error, message, isDev);
      },
    },
    graphiql: graphiqlOptions({ authRequired: security.authToken !== null }),
    renderGraphiQL,
    context: newContext,
  });

  const server = createServer((req, res) => {
    if (req.url === '/health' || req.url?.startsWith('/health?')) {
      const ok = runtime.store.isOpen && !runtime.isStopping;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
      return;
    }
    // GraphiQL's page itself is public (it holds no data; with a `?query=` in its URL it only shows it); every
    // GraphQL request needs the token.
    const isPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (req.method !== 'OPTIONS' && !isPage && !authorized(req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ errors: [{ message: 'missing or wrong bearer token', extensions: { code: 'UNAUTHENTICATED' } }] }));
      return;
    }
    void yoga.handle(req, res);
  });

  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: security.maxBodyBytes,
    // A browser page from an origin we do not allow must not ride on the user's loopback access.
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      !origin || isSameOrigin(origin, req.headers.host) || originAllowed(origin, security.corsOrigins),
  });
  wss.on('connection', (socket) => {
    if (wss.clients.size > security.maxWsConnections) socket.close(1013, 'too many connections; try again later');
  });
  const openOperations = new WeakMap<WebSocket, Set<string>>();
  const wsServer = serveGraphqlWs(
    {
      connectionInitWaitTimeout: 3_000,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      // The token comes in connection_init ({ authToken }) or as the upgrade request's Authorization header.
      onConnect: (ctx) => {
        const fromParams = ctx.connectionParams?.authToken;
        const header = typeof fromParams === 'string' ? `Bearer ${fromParams}` : ctx.extra.request.headers.authorization;
        if (!authorized(header)) ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
        return authorized(header);
      },
      onSubscribe: async (ctx, id, params) => {
        const open = openOperations.get(ctx.extra.socket) ?? new Set<string>();
        openOperations.set(ctx.extra.socket, open);
        if (open.size >= security.maxOperationsPerConnection) {
          return [new GraphQLError(`too many operations on this connection (at most ${security.maxOperationsPerConnection})`, { extensions: { code: 'LIMIT' } })];
        }
        // Taken now, before any await: subscribes sent together must not all pass the check above.
        open.add(id);
        const refuse = (errors: readonly GraphQLError[]) => {
          open.delete(id);
          return [...errors];
        };
        const { schema: envelopedSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          request: { headers: new Headers(), method: 'POST' },
          socket: ctx.extra.socket,
          params,
        });
        const socket = ctx.extra.socket;
        let query = params.query;
        if (security.persistedOperations) {
          const resolved = security.persistedOperations.resolve(params);
          if ('error' in resolved) return refuse([resolved.error]);
          query = resolved.query;
        }
        let document;
        try {
          document = parse(query);
        } catch (error) {
          return refuse([error instanceof GraphQLError ? error : new GraphQLError(String(error))]);
        }
        const args: ExecutionArgs = {
          schema: envelopedSchema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: { ...(await contextFactory()), writable: () => waitWritable(socket, wsHighWaterBytes) },
          rootValue: { execute, subscribe } as EnvelopedRoot,
        };
        let errors: readonly GraphQLError[];
        try {
          errors = validate(args.schema, args.document);
        } catch (error) {
          // graphql-armor's limits (aliases, directives) throw from validation: an error for this operation,
          // not an internal error closing the connection.
          errors = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        if (errors.length) return refuse(errors);
        return args;
      },
      onComplete: (ctx, id) => {
        openOperations.get(ctx.extra.socket)?.delete(id);
      },
      onError: (ctx, id) => {
        openOperations.get(ctx.extra.socket)?.delete(id);
      },
    },
    wss,
    logger,
  );

  return {
    server,
    wss,
    yoga,
    start: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${shownHost}:${address.port}/graphql` });
        });
      }),
    stop: async () => {
      await wsServer.dispose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The first limit an operation exceeds, worded as the complexity plugin words it. */
function queryLimitError(result: ComplexityResult, limits: QueryLimits): GraphQLError | null {
  for (const kind of ['complexity', 'depth', 'breadth'] as const) {
    if (result[kind] > limits[kind]) {
      return new GraphQLError(`Query exceeds maximum ${kind} (${kind}: ${result[kind]}, max: ${limits[kind]})`, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
    }
  }
  return null;
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => never;
  subscribe: (args: ExecutionArgs) => never;
}

/** Resolves once the socket's send buffer is under the mark (backpressure for a client that reads slowly). */
async function waitWritable(socket: WebSocket, highWater: number): Promise<void> {
  while (socket.bufferedAmount > highWater && socket.readyState === socket.OPEN) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
