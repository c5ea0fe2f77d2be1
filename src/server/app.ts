import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionArgs } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { CloseCode } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Runtime } from '../runtime/runtime.js';
import { schema } from '../schema/index.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits, type SchemaContext, type SseCursor } from '../schema/context.js';
import { createLoaders } from '../schema/loaders.js';
import { asRefusal, createMaskError, markLimitRefusal, useHiddenSuggestions } from './clientErrors.js';
import { useCsrfPreventionForWrites } from './csrf.js';
import { graphiqlOptions, renderGraphiQL } from './graphiql.js';
import { graphiqlPageServer } from './graphiqlPage.js';
import { healthOf } from './health.js';
import { hostPolicy, hostRefusal } from './hostCheck.js';
import type { Logger } from './logger.js';
import type { PersistedOperations } from './persistedOperations.js';
import { queryLimitError, useQueryLimits } from './queryLimits.js';
import { holdStreamSlot, isStreamRequest, StreamSlots } from './streamSlots.js';
import { serveGraphqlWs } from './wsServer.js';
import { framePlan, subscribeFrames, type FrameTarget } from './eventFrames.js';
import { sseCursorOf, useSseEventIds } from './sseEventIds.js';
import { bearerToken, DEFAULT_CORS_ORIGINS, isSameOrigin, originAllowed, tokenMatches } from './security.js';

export interface SecurityOptions {
  /** Bearer token required on every request but /health; null: no auth. */
  authToken: string | null;
  corsOrigins: readonly string[];
  maxBodyBytes: number;
  introspection: boolean;
  /** Host names served besides loopback ones (DNS rebinding guard); see hostCheck.ts. */
  allowedHosts: readonly string[];
  /** Open WebSockets and HTTP streams (SSE, multipart) together. */
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
  allowedHosts: [],
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
  /** Takes no new connection, request or subscription; what runs goes on (shutdown, first step). */
  stopAccepting(): void;
  /**
   * Closes every connection once the operations on it have finished (subscriptions end when the runtime ends
   * its event streams), at most `graceMs` later. Does not close the store.
   */
  close(graceMs?: number): Promise<void>;
  /** stopAccepting, then close at once (without waiting for streams). */
  stop(): Promise<void>;
}

const WS_HIGH_WATER = 1 << 20;
/** Operations in one batched HTTP request. */
export const MAX_BATCH_OPERATIONS = 10;

/**
 * One node:http server carrying Yoga (GraphQL over HTTP, SSE, GraphiQL) and graphql-ws on the same path.
 * WebSocket operations go through `yoga.getEnveloped`, so every Yoga plugin (limits, masking, introspection)
 * applies to them as to HTTP.
 */
export function buildApp({ runtime, logger, security: overrides, wsHighWaterBytes = WS_HIGH_WATER }: AppOptions): App {
  const security: SecurityOptions = { ...DEFAULT_SECURITY, ...overrides };
  const authorized = (header: string | null | undefined) => security.authToken === null || tokenMatches(security.authToken, bearerToken(header));
  // The SSE cursor of each HTTP request's context, for the SSE writer (sseEventIds.ts) to read each event's seq.
  const sseCursors = new WeakMap<Request, SseCursor>();
  const newContext = (initial: { request?: Request }): SchemaContext => {
    const context: SchemaContext = { rt: runtime, loaders: createLoaders(runtime) };
    if (initial.request) {
      context.sse = sseCursorOf(initial.request);
      sseCursors.set(initial.request, context.sse);
    }
    return context;
  };

  const plugins: Plugin[] = [
    useCsrfPreventionForWrites(['x-graphql-yoga-csrf', 'authorization']),
    EnvelopArmorPlugin({
      maxAliases: { n: security.maxAliases, onReject: [markLimitRefusal] },
      maxTokens: { n: security.maxTokens, onReject: [markLimitRefusal] },
      maxDirectives: { n: security.maxDirectives, onReject: [markLimitRefusal] },
      // Depth and cost are the complexity plugin's (it prices pages by their size).
      maxDepth: { enabled: false },
      costLimit: { enabled: false },
      // Suggestions are hidden by clientErrors.ts, which also covers enum values and variables.
      blockFieldSuggestion: { enabled: false },
    }) as Plugin,
    useQueryLimits(security.queryLimits),
    useSseEventIds((request) => sseCursors.get(request)),
  ];
  // Not Yoga's useDisableIntrospection: it marks requests in onRequestParse, a hook of HTTP only, so graphql-ws
  // operations (validated through getEnveloped) could still introspect. A validation rule covers both.
  if (security.persistedOperations) plugins.push(security.persistedOperations.yogaPlugin());
  if (!security.introspection) {
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) }, useHiddenSuggestions());
  }

  const yoga = createYoga<Record<string, unknown>, SchemaContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health-yoga',
    landingPage: false,
    maxRequestBodySize: security.maxBodyBytes,
    // A JSON array of operations (graphql-request's batchRequests, Apollo's BatchHttpLink): each one runs through
    // every plugin (limits, persisted operations) as if sent alone; more than this many is refused (413).
    batching: { limit: MAX_BATCH_OPERATIONS },
    plugins,
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !originAllowed(origin, security.corsOrigins)) return false;
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
    maskedErrors: { maskError: createMaskError(logger, !security.introspection) },
    graphiql: graphiqlOptions({ authRequired: security.authToken !== null }),
    renderGraphiQL,
    context: newContext,
  });

  // Set by start(): which Host names are served depends on the address bound.
  let hosts = hostPolicy('127.0.0.1', security.allowedHosts);
  const slots = new StreamSlots(security.maxWsConnections);

  // What Yoga renders at GET /graphql for a browser, compressed and with an ETag.
  const serveGraphiQLPage = graphiqlPageServer(async () => yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } }));
  let accepting = true;
  let serverClosed: Promise<void> | null = null;
  const server = createServer((req, res) => {
    if (!accepting) {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '5' });
      res.end(JSON.stringify({ errors: [{ message: 'the server is shutting down', extensions: { code: 'SHUTTING_DOWN' } }] }));
      return;
    }
    if (!hosts.allows(req.headers.host)) {
      const refusal = hostRefusal(req.headers.host);
      res.writeHead(refusal.status, { 'content-type': 'application/json' });
      res.end(refusal.body);
      return;
    }
    if (req.url === '/health' || req.url?.startsWith('/health?')) {
      const health = healthOf(runtime);
      res.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(health));
      return;
    }
    // GraphiQL's page itself is public (it holds no data; with a `?query=` in its URL it only shows it); every
    // GraphQL request needs the token.
    const isPage = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    const pathname = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && pathname === '/') {
      res.writeHead(302, { location: '/graphql', 'content-type': 'text/plain; charset=utf-8' });
      res.end('GraphQL (and GraphiQL in a browser) is at /graphql\n');
      return;
    }
    if (isPage && pathname === '/graphql') {
      serveGraphiQLPage(req, res).catch((error) => {
        logger.error({ err: error }, 'could not serve the GraphiQL page');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    if (req.method !== 'OPTIONS' && !isPage && !authorized(req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ errors: [{ message: 'missing or wrong bearer token', extensions: { code: 'UNAUTHENTICATED' } }] }));
      return;
    }
    if (isStreamRequest(req) && !holdStreamSlot(slots, res)) return;
    void yoga.handle(req, res);
  });

  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: security.maxBodyBytes,
    // A browser page from an origin we do not allow must not ride on the user's loopback access. Same origin
    // counts only for the server's own names: the Host header is the attacker's to choose.
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      hosts.allows(req.headers.host) &&
      (!origin || (hosts.isOwnName(req.headers.host) && isSameOrigin(origin, req.headers.host)) || originAllowed(origin, security.corsOrigins)),
  });
  // ws re-emits the http server's errors (e.g. EADDRINUSE from listen); start() reports those, and an `error`
  // event without a listener would crash the process instead.
  wss.on('error', () => undefined);
  wss.on('connection', (socket) => {
    if (!slots.take()) {
      socket.close(1013, 'too many connections; try again later');
      return;
    }
    socket.once('close', () => slots.release());
  });
  const openOperations = new WeakMap<WebSocket, Set<string>>();
  const wsServer = serveGraphqlWs(
    {
      connectionInitWaitTimeout: 3_000,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => {
        const root = args.rootValue as EnvelopedRoot;
        return root.frames ? (subscribeFrames(args, root.frames, root.subscribe) as never) : root.subscribe(args);
      },
      // The token comes in connection_init ({ authToken }) or as the upgrade request's Authorization header.
      onConnect: (ctx) => {
        const fromParams = ctx.connectionParams?.authToken;
        const header = typeof fromParams === 'string' ? `Bearer ${fromParams}` : ctx.extra.request.headers.authorization;
        if (!authorized(header)) ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
        return authorized(header);
      },
      onSubscribe: async (ctx, id, params) => {
        if (!accepting) return [new GraphQLError('the server is shutting down', { extensions: { code: 'SHUTTING_DOWN' } })];
        const open = openOperations.get(ctx.extra.socket) ?? new Set<string>();
        openOperations.set(ctx.extra.socket, open);
        if (open.size >= security.maxOperationsPerConnection) {
          return [
            new GraphQLError(`too many operations on this connection (at most ${security.maxOperationsPerConnection})`, {
              extensions: { code: 'LIMIT' },
            }),
          ];
        }
        // Taken now, before any await: subscribes sent together must not all pass the check above.
        open.add(id);
        const refuse = (errors: readonly GraphQLError[]) => {
          open.delete(id);
          return [...errors];
        };
        const {
          schema: envelopedSchema,
          execute,
          subscribe,
          contextFactory,
          parse,
          validate,
        } = yoga.getEnveloped({
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
          return refuse([asRefusal(error, !security.introspection)]);
        }
        const args: ExecutionArgs = {
          schema: envelopedSchema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: {
            ...(await contextFactory()),
            writable: () => (socket.bufferedAmount > wsHighWaterBytes ? waitWritable(socket, wsHighWaterBytes) : null),
          },
          rootValue: { execute, subscribe } as EnvelopedRoot,
        };
        let errors: readonly GraphQLError[];
        try {
          errors = validate(args.schema, args.document);
        } catch (error) {
          // graphql-armor's limits (aliases, directives) throw from validation: an error for this operation,
          // not an internal error closing the connection.
          errors = [asRefusal(error, !security.introspection)];
        }
        if (errors.length) return refuse(errors);
        // Checked here too (not only when it executes), so a refused operation gets an `error` message.
        const overLimit = queryLimitError({ ...args, variableValues: args.variableValues ?? {} }, security.queryLimits);
        if (overLimit) return refuse([overLimit]);
        const plan = framePlan(envelopedSchema, document, params.operationName);
        if (plan) (args.rootValue as EnvelopedRoot).frames = { plan, socket, id };
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
          hosts = hostPolicy(host, security.allowedHosts);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${shownHost}:${address.port}/graphql` });
        });
      }),
    stopAccepting,
    close,
    stop: async () => {
      stopAccepting();
      await close(0);
    },
  };

  function stopAccepting(): void {
    if (!accepting) return;
    accepting = false;
    // No new connections; resolves when the open ones have ended (`close` below).
    serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async function close(graceMs = 5_000): Promise<void> {
    const deadline = Date.now() + graceMs;
    // graphql-ws sends `complete` for a subscription that ended: wait for those, then close each socket.
    const operationsOpen = () => [...wss.clients].some((socket) => (openOperations.get(socket)?.size ?? 0) > 0);
    while (operationsOpen() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setImmediate(resolve)); // the last `complete` is sent after onComplete
    await wsServer.dispose();
    // SSE and other HTTP responses end when their stream does; idle keep-alive connections go now.
    stopAccepting();
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([serverClosed, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    server.closeAllConnections();
    await serverClosed;
  }
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => never;
  subscribe: (args: ExecutionArgs) => never;
  /** Set for an event subscription selecting only the event's scalars: frames shared, no per-event execution. */
  frames?: FrameTarget;
}

/** Resolves once the socket's send buffer is under the mark (backpressure for a client that reads slowly). */
async function waitWritable(socket: WebSocket, highWater: number): Promise<void> {
  while (socket.bufferedAmount > highWater && socket.readyState === socket.OPEN) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
