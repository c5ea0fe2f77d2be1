import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionArgs } from 'graphql';
import { createYoga, maskError as yogaMaskError, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Runtime } from '../runtime/runtime.js';
import { schema } from '../schema/index.js';
import type { SchemaContext } from '../schema/context.js';
import { createLoaders } from '../schema/loaders.js';
import { GRAPHIQL_DEFAULT_QUERY } from './graphiql.js';
import type { Logger } from './logger.js';

export interface AppOptions {
  runtime: Runtime;
  logger: Logger;
  /** Send buffer of a WebSocket past which a subscription waits for the client to read. */
  wsHighWaterBytes?: number;
}

export interface App {
  server: Server;
  yoga: YogaServerInstance<Record<string, unknown>, SchemaContext>;
  /** Listens; resolves with the real address (also when port is 0). */
  start(port: number, host?: string): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, closes connections, lets running writes finish. Does not close the store. */
  stop(): Promise<void>;
}

const WS_HIGH_WATER = 1 << 20;

/**
 * One node:http server carrying Yoga (GraphQL over HTTP, SSE, GraphiQL) and graphql-ws on the same path.
 * WebSocket operations go through `yoga.getEnveloped`, so every Yoga plugin applies to them as to HTTP.
 */
export function buildApp({ runtime, logger, wsHighWaterBytes = WS_HIGH_WATER }: AppOptions): App {
  const yoga = createYoga<Record<string, unknown>, SchemaContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health-yoga',
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error({ detail: args }, 'graphql error'),
    },
    maskedErrors: {
      maskError: (error, message) => {
        const original = (error as { originalError?: unknown }).originalError;
        if (original && !(original as { extensions?: unknown }).extensions) logger.error({ err: original }, 'unexpected error in a resolver');
        const graphqlError = error as { extensions?: { code?: string } };
        // Errors we raised on purpose (with a code) are for the client; anything else is masked.
        if (graphqlError.extensions?.code || !original) return error as Error;
        return yogaMaskError(error, message); // keeps graphql-js's own errors (e.g. variable coercion), masks the rest as a GraphQLError
      },
    },
    graphiql: {
      title: 'Zagens Runtime',
      defaultQuery: GRAPHIQL_DEFAULT_QUERY,
      subscriptionsProtocol: 'WS',
    },
    context: (): SchemaContext => ({ rt: runtime, loaders: createLoaders(runtime) }),
  });

  const server = createServer((req, res) => {
    if (req.url === '/health' || req.url?.startsWith('/health?')) {
      const ok = runtime.store.isOpen && !runtime.isStopping;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
      return;
    }
    void yoga.handle(req, res);
  });

  const wss = new WebSocketServer({ server, path: '/graphql' });
  const wsServer = useServer<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema: envelopedSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const socket = ctx.extra.socket;
        const args: ExecutionArgs = {
          schema: envelopedSchema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: {
            ...(await contextFactory()),
            writable: () => waitWritable(socket, wsHighWaterBytes),
          },
          rootValue: { execute, subscribe } as EnvelopedRoot,
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );

  return {
    server,
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
