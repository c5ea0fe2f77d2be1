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

/** What a client refused for the cap is asked to wait (Retry-After, seconds): HTTP streams and WebSocket upgrades alike. */
export const CAP_RETRY_AFTER_SECONDS = 5;

/** The body of a refusal for the cap (503). */
export function capRefusalBody(max: number): string {
  return errorBody('LIMIT', `too many open connections and streams (at most ${max}); try again later`);
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
        const headers = { 'content-type': 'application/json', 'retry-after': String(CAP_RETRY_AFTER_SECONDS) };
        endResponse(new fetchAPI.Response(capRefusalBody(slots.max), { status: 503, headers }));
        return;
      }
      res.once('close', () => slots.release());
    },
  };
}
