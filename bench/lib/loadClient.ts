/**
 * Child process running autocannon, so the load generator does not share the server's event loop.
 * Bodies are GraphQL POSTs; with `idsFile`, each request puts the next (roundRobin) or a random id of that
 * JSON array into `variables.id`.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { serveParent } from './proc.js';

export interface LoadRequest {
  url: string;
  connections: number;
  durationSec?: number;
  /** Stop after this many requests instead of after a duration. */
  amount?: number;
  query: string;
  variables?: Record<string, unknown>;
  idsFile?: string;
  pick?: 'random' | 'roundRobin';
}

export interface LoadResult {
  requestsPerSec: number;
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSec: number;
  /** Milliseconds (autocannon records 2xx responses only). */
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
}

serveParent({
  async run(m) {
    const r = m as unknown as LoadRequest;
    const ids: string[] | null = r.idsFile ? (JSON.parse(readFileSync(r.idsFile, 'utf8')) as string[]) : null;
    let next = 0;
    const body = (id?: string) => JSON.stringify({ query: r.query, variables: id ? { ...r.variables, id } : (r.variables ?? {}) });
    const request: autocannon.Request = {
      method: 'POST',
      path: new URL(r.url).pathname,
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    };
    if (ids) {
      request.setupRequest = (req) => {
        const id = r.pick === 'roundRobin' ? ids[next++ % ids.length] : ids[Math.floor(Math.random() * ids.length)];
        return { ...req, body: body(id) };
      };
    } else {
      request.body = body();
    }
    const result = await autocannon({
      url: r.url,
      connections: r.connections,
      ...(r.amount ? { amount: r.amount } : { duration: r.durationSec ?? 10 }),
      requests: [request],
    });
    return {
      requestsPerSec: result.requests.total / result.duration,
      total: result.requests.total,
      ok2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      durationSec: result.duration,
      latency: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        average: result.latency.average,
      },
    } satisfies LoadResult;
  },
});

process.send!({ type: 'ready' });
