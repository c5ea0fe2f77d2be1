/**
 * A server in its own process, so client-side memory never counts against it. Run with --expose-gc:
 *   zagens <dataDir>  — our server (startServer, offline engine without delays)
 *   raw-ws            — the transport baseline: a bare `ws` server that broadcasts what it is told to
 *   yoga-ws           — the framework baseline: a plain graphql-yoga schema served over graphql-ws (its `use/ws`
 *                       adapter), one `threadEvents { seq name }` subscription field fed by Yoga's pub/sub
 * `mem` answers the process's memory after full garbage collections.
 */
import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeHeapSnapshot } from 'node:v8';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';
import { OfflineEngine } from '../../src/engine/offlineEngine.js';
import { parseConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/server.js';
import { now, sleep } from './stats.js';
import { rssOf, serveParent } from './proc.js';

const [mode, dataDir = ''] = process.argv.slice(2);
// One EventTarget listener per subscription: Node would warn past 10 (see run.ts).
setMaxListeners(0);

async function memory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(100);
  }
  const usage = process.memoryUsage();
  return { rss: rssOf(process.pid), heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers, gc: Boolean(gc) };
}

/** Writes a heap snapshot (for finding what a subscription holds, bench/tools/subscriptionHeap.ts); returns its path. */
const snapshot = (m: Record<string, unknown>) => writeHeapSnapshot(m.file as string);

/** CPU profiling of a window (e.g. one notification), for finding what dominates. */
const session = new Session();
const profiling = {
  async profileStart() {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return null;
  },
  async profileStop(m: Record<string, unknown>) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(m.file as string, JSON.stringify(profile));
    session.disconnect();
    return m.file;
  },
};

/** Listens on a random port, answers the parent (memory, broadcast, exit) and reports ready: the baselines' tail. */
async function serveBaseline(http: Server, wss: WebSocketServer, broadcast: (m: Record<string, unknown>) => { sentAt: number; clients: number }) {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  serveParent({
    mem: memory,
    snapshot,
    broadcast,
    exit: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.close();
    },
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}/graphql` });
}

if (mode === 'zagens') {
  const server = await startServer(
    // Room for the 10,000-connection benchmark (the default cap is lower).
    { ...parseConfig([], {}), port: 0, dataDir, workspace: dataDir, logLevel: 'silent', maxWsConnections: 1_000_000 },
    { engine: new OfflineEngine(0), logger: pino({ level: 'silent' }) },
  );
  serveParent({
    mem: memory,
    ...profiling,
    snapshot,
    exit: () => server.stop(),
  });
  process.send!({ type: 'ready', url: server.url });
} else if (mode === 'raw-ws') {
  const http = createServer((_, res) => res.end('ok'));
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  await serveBaseline(http, wss, (m) => {
    const sentAt = now();
    for (const client of wss.clients) client.send(m.frame as string);
    return { sentAt, clients: wss.clients.size };
  });
} else if (mode === 'yoga-ws') {
  const pubsub = createPubSub<{ event: [{ seq: number; name: string }] }>();
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: `scalar SafeInt
        type Query { ok: Boolean }
        type Event { seq: SafeInt! name: String! }
        type Subscription { threadEvents(threadId: ID!, sinceSeq: SafeInt): Event! }`,
      resolvers: { Subscription: { threadEvents: { subscribe: () => pubsub.subscribe('event'), resolve: (e: unknown) => e } } },
    }),
    logging: false,
  });
  const http = createServer((req, res) => void yoga(req, res));
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  // The graphql-ws recipe of the Yoga documentation: each operation runs through yoga.getEnveloped.
  useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );
  let seq = 0;
  await serveBaseline(http, wss, () => {
    const sentAt = now();
    pubsub.publish('event', { seq: ++seq, name: 'thread.updated' });
    return { sentAt, clients: wss.clients.size };
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
