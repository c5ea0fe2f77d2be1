import type { Runtime } from '../runtime/runtime.js';
import type { Loaders } from './loaders.js';
import type { EventRecord } from '../domain/records.js';

/** Limits on one operation: complexity (fields × page sizes), depth of selections, total selections. */
export interface QueryLimits {
  complexity: number;
  depth: number;
  breadth: number;
}

/** Lets every operation of the SDK through (a page of 50 turns with 20 items each) and stops nested-page bombs. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { complexity: 100_000, depth: 15, breadth: 500 };

export interface SchemaContext {
  rt: Runtime;
  loaders: Loaders;
  /** Waits while the client's transport cannot take more (a WebSocket's full send buffer). */
  writable?: () => Promise<void> | null;
  /** Whether the client's transport cannot take more right now (no wait started). */
  full?: () => boolean;
  /** The consumer takes replayed events as StoredEvent objects (a graphql-ws subscription sent as frames). */
  storedReplay?: boolean;
  /** Pushes a live event to the client synchronously (the same shared-frame subscription; eventStream `deliver`). */
  deliver?: (event: EventRecord) => void;
  /**
   * The client connection the operation came on (its WebSocket, or the HTTP request of an SSE stream): presence
   * counts connections, so one WebSocket with several subscriptions of a thread counts once.
   */
  connection?: object;
  /** Set for HTTP requests: the SSE resume point and the seq of the event being sent (src/server/sseEventIds.ts). */
  sse?: SseCursor;
}

export interface SseCursor {
  /** The request's Last-Event-ID header (an SSE reconnection), unparsed. */
  lastEventId: string | null;
  /** Seq of the event resolved last; the SSE writer sends it as the event's `id:`. */
  seq: number | null;
}
