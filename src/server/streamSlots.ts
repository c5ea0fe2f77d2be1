import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { errorBody } from '../domain/errorCodes.js';

/**
 * Long-lived connections of every transport share one cap: WebSockets and HTTP streams (SSE and multipart,
 * one subscription each). Each is one slot while it is open.
 */
export class StreamSlots {
  private used = 0;

  constructor(readonly max: number) {}

  get open(): number {
    return this.used;
  }

  /** Takes a slot; false when all are in use. */
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
  }
}

/** An HTTP request that asks for a stream of results (SSE or multipart): a subscription over HTTP. */
export function isStreamRequest(accept: string | null | undefined): boolean {
  return (accept ?? '').includes('text/event-stream') || (accept ?? '').includes('multipart/mixed');
}

/** Holds a slot for the life of each HTTP stream's response; answers 503 (LIMIT, Retry-After) when none is free. */
export function useStreamSlots(slots: StreamSlots): Plugin {
  return {
    onRequest: ({ request, serverContext, endResponse, fetchAPI }) => {
      const res = (serverContext as { res?: ServerResponse }).res;
      if (!res || !isStreamRequest(request.headers.get('accept'))) return;
      if (!slots.take()) {
        const message = `too many open connections and streams (at most ${slots.max}); try again later`;
        endResponse(
          new fetchAPI.Response(errorBody('LIMIT', message), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '5' } }),
        );
        return;
      }
      res.once('close', () => slots.release());
    },
  };
}
