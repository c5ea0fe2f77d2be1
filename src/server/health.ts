import type { Plugin } from 'graphql-yoga';
import type { Runtime } from '../runtime/runtime.js';

export interface Health {
  status: 'ok' | 'unavailable';
  /** Why it is unavailable. */
  reason?: string;
}

/** Ready when the store is open and takes writes, and the server is not stopping. */
export function healthOf(runtime: Runtime): Health {
  if (runtime.isStopping) return { status: 'unavailable', reason: 'shutting down' };
  if (!runtime.store.isOpen) return { status: 'unavailable', reason: 'the store is not open' };
  const writeError = runtime.store.writeError;
  if (writeError)
    return { status: 'unavailable', reason: `the store refuses writes: ${writeError instanceof Error ? writeError.message : String(writeError)}` };
  return { status: 'ok' };
}

/** Readiness at GET /health (200 ok, 503 unavailable), answered before auth: probes carry no token. */
export function useHealth(runtime: Runtime): Plugin {
  return {
    onRequest: ({ url, endResponse, fetchAPI }) => {
      if (url.pathname !== '/health') return;
      const health = healthOf(runtime);
      endResponse(
        new fetchAPI.Response(JSON.stringify(health), {
          status: health.status === 'ok' ? 200 : 503,
          headers: { 'content-type': 'application/json' },
        }),
      );
    },
  };
}
