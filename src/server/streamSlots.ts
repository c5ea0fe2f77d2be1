import type { IncomingMessage, ServerResponse } from 'node:http';

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
export function isStreamRequest(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/event-stream') || accept.includes('multipart/mixed');
}

/** Holds a slot for the life of the response; answers 503 when none is free. Returns whether to go on. */
export function holdStreamSlot(slots: StreamSlots, res: ServerResponse): boolean {
  if (!slots.take()) {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
    res.end(
      JSON.stringify({
        errors: [{ message: `too many open connections and streams (at most ${slots.max}); try again later`, extensions: { code: 'LIMIT' } }],
      }),
    );
    return false;
  }
  res.once('close', () => slots.release());
  return true;
}
