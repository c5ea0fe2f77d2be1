import { createServer, type Server } from 'node:http';
import { errorBody } from '../domain/errorCodes.js';
import { graphiqlPageServer } from './graphiqlPage.js';
import { hostRefusal, type HostPolicy } from './hostCheck.js';
import type { Logger } from './logger.js';
import type { ZagensYoga } from './yoga.js';

export interface HttpServerOptions {
  yoga: ZagensYoga;
  logger: Logger;
  /** The Host names served (set when the server binds). */
  hosts: () => HostPolicy;
  /** False once the server stops accepting: every request gets 503 SHUTTING_DOWN. */
  isAccepting: () => boolean;
}

/**
 * The node:http server in front of Yoga: what must be decided before any Yoga plugin runs (shutdown, the
 * DNS-rebinding Host check) and what is not GraphQL (the `/` redirect, GraphiQL's compressed page). Everything
 * else is Yoga's (health, auth, limits: src/server/yoga.ts).
 */
export function createHttpServer({ yoga, logger, hosts, isAccepting }: HttpServerOptions): Server {
  // What Yoga renders at GET /graphql for a browser, compressed and with an ETag.
  const serveGraphiQLPage = graphiqlPageServer(async () => yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } }));
  return createServer((req, res) => {
    if (!isAccepting()) {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '5' });
      res.end(errorBody('SHUTTING_DOWN', 'the server is shutting down'));
      return;
    }
    if (!hosts().allows(req.headers.host)) {
      const refusal = hostRefusal(req.headers.host);
      res.writeHead(refusal.status, { 'content-type': 'application/json' });
      res.end(refusal.body);
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && pathname === '/') {
      res.writeHead(302, { location: '/graphql', 'content-type': 'text/plain; charset=utf-8' });
      res.end('GraphQL (and GraphiQL in a browser) is at /graphql\n');
      return;
    }
    // GraphiQL's page itself is public (it holds no data; with a `?query=` in its URL it only shows it).
    if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && pathname === '/graphql') {
      serveGraphiQLPage(req, res).catch((error) => {
        logger.error({ err: error }, 'could not serve the GraphiQL page');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    void yoga.handle(req, res);
  });
}
