import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { CLOSE_CODES } from '../domain/closeCodes.js';
import { codedError } from '../schema/codedError.js';
import type { SchemaContext } from '../schema/context.js';
import { authorizes } from './bearerAuth.js';
import { asRefusal } from './clientErrors.js';
import { framePlan, frameSender, subscribeFrames, type FrameTarget } from './eventFrames.js';
import type { PersistedOperations } from './persistedOperations.js';
import { queryLimitError } from './queryLimits.js';
import type { QueryLimits } from '../schema/context.js';
import type { WsExtra } from './wsServer.js';

export interface WsOptionsInput {
  yoga: YogaServerInstance<Record<string, unknown>, SchemaContext>;
  authToken: string | null;
  introspection: boolean;
  queryLimits: QueryLimits;
  persistedOperations: PersistedOperations | null;
  maxOperationsPerConnection: number;
  /** Send buffer of a socket past which a subscription waits for the client to read. */
  wsHighWaterBytes: number;
  /** False once the server stops accepting: new operations are refused (SHUTTING_DOWN). */
  isAccepting: () => boolean;
  operations: OpenOperations;
}

/** How long a socket may stay without connection_init (then graphql-ws closes it with 4408). */
export const CONNECTION_INIT_WAIT_MS = 3_000;

/** The operations open on each socket: capped per connection, and waited for by a graceful close. */
export class OpenOperations {
  private readonly bySocket = new WeakMap<WebSocket, Set<string>>();

  /** Takes a place for operation `id`; false when the socket already runs `max`. */
  add(socket: WebSocket, id: string, max: number): boolean {
    const open = this.bySocket.get(socket) ?? new Set<string>();
    this.bySocket.set(socket, open);
    if (open.size >= max) return false;
    open.add(id);
    return true;
  }

  delete(socket: WebSocket, id: string): void {
    this.bySocket.get(socket)?.delete(id);
  }

  anyOpen(sockets: Iterable<WebSocket>): boolean {
    for (const socket of sockets) if ((this.bySocket.get(socket)?.size ?? 0) > 0) return true;
    return false;
  }
}

/**
 * graphql-ws's server options. Each operation goes through `yoga.getEnveloped`, so every Yoga plugin (limits,
 * masking, introspection, persisted operations) applies to it as to HTTP; refusals come back as `error` messages.
 */
export function graphqlWsOptions(input: WsOptionsInput): ServerOptions<Record<string, unknown> | undefined, WsExtra> {
  const { yoga, operations } = input;
  const hideSuggestions = !input.introspection;
  return {
    connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
    subscribe: (args) => {
      const root = args.rootValue as EnvelopedRoot;
      return root.frames ? (subscribeFrames(args, root.frames, root.subscribe) as never) : root.subscribe(args);
    },
    // The token comes in connection_init ({ authToken }) or as the upgrade request's Authorization header.
    onConnect: (ctx) => {
      const fromParams = ctx.connectionParams?.authToken;
      const header = typeof fromParams === 'string' ? `Bearer ${fromParams}` : ctx.extra.request.headers.authorization;
      const allowed = authorizes(input.authToken, header);
      if (!allowed) ctx.extra.socket.close(CLOSE_CODES.FORBIDDEN, 'Forbidden');
      return allowed;
    },
    onSubscribe: async (ctx, id, params) => {
      if (!input.isAccepting()) return [codedError('SHUTTING_DOWN', 'the server is shutting down')];
      const socket = ctx.extra.socket;
      // Taken now, before any await: subscribes sent together must not all pass the check.
      if (!operations.add(socket, id, input.maxOperationsPerConnection)) {
        return [codedError('LIMIT', `too many operations on this connection (at most ${input.maxOperationsPerConnection})`)];
      }
      const refuse = (errors: readonly GraphQLError[]) => {
        operations.delete(socket, id);
        return [...errors];
      };
      const enveloped = yoga.getEnveloped({
        ...ctx,
        req: ctx.extra.request,
        request: { headers: new Headers(), method: 'POST' },
        socket,
        params,
      });
      let query = params.query;
      if (input.persistedOperations) {
        const resolved = input.persistedOperations.resolve(params);
        if ('error' in resolved) return refuse([resolved.error]);
        query = resolved.query;
      }
      let document;
      try {
        document = enveloped.parse(query);
      } catch (error) {
        return refuse([asRefusal(error, hideSuggestions)]);
      }
      const args: ExecutionArgs = {
        schema: enveloped.schema,
        operationName: params.operationName,
        document,
        variableValues: params.variables,
        contextValue: {
          ...(await enveloped.contextFactory()),
          connection: socket,
          writable: () => (socket.bufferedAmount > input.wsHighWaterBytes ? waitWritable(socket, input.wsHighWaterBytes) : null),
          full: () => socket.bufferedAmount > input.wsHighWaterBytes,
        },
        rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe } as EnvelopedRoot,
      };
      let errors: readonly GraphQLError[];
      try {
        errors = enveloped.validate(args.schema, args.document);
      } catch (error) {
        // graphql-armor's limits (aliases, directives) throw from validation: an error for this operation,
        // not an internal error closing the connection.
        errors = [asRefusal(error, hideSuggestions)];
      }
      if (errors.length) return refuse(errors);
      // Checked here too (not only when it executes), so a refused operation gets an `error` message.
      const overLimit = queryLimitError({ ...args, variableValues: args.variableValues ?? {} }, input.queryLimits);
      if (overLimit) return refuse([overLimit]);
      const plan = framePlan(enveloped.schema, document, params.operationName);
      if (plan) {
        const frames = { plan, socket, id };
        (args.rootValue as EnvelopedRoot).frames = frames;
        Object.assign(args.contextValue as SchemaContext, { storedReplay: true, deliver: frameSender(frames) });
      }
      return args;
    },
    onComplete: (ctx, id) => operations.delete(ctx.extra.socket, id),
    onError: (ctx, id) => operations.delete(ctx.extra.socket, id),
  };
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => never;
  subscribe: (args: ExecutionArgs) => never;
  /** Set for an event subscription selecting only the event's scalars: frames shared, no per-event execution. */
  frames?: FrameTarget;
}

/** Resolves once the socket's send buffer is under the mark (backpressure for a client that reads slowly). */
async function waitWritable(socket: WebSocket, highWater: number): Promise<void> {
  // ws keeps its net.Socket private; its 'drain' says the send buffer emptied. The timer covers what ws itself
  // queues (a message being compressed) and a socket that never needed a drain.
  const raw = (socket as unknown as { _socket?: EventEmitter })._socket;
  while (socket.bufferedAmount > highWater && socket.readyState === socket.OPEN) {
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        raw?.off('drain', wake);
        socket.off('close', wake);
        resolve();
      };
      const timer = setTimeout(wake, 100);
      raw?.once('drain', wake);
      socket.once('close', wake);
    });
  }
}
