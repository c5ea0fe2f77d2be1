/**
 * Subscriptions over GraphQL over SSE in graphql-sse's "distinct connections" mode (one HTTP request per
 * subscription, `event: next` / `event: complete`), as the server serves them. A resumed request carries
 * `Last-Event-ID: <seq>`: the server starts after that seq (docs/DESIGN.md "Resuming over SSE"), which is how
 * `turnEvents`, which has no `sinceSeq`, resumes without a replay.
 */
import { createClient, NetworkError, type ExecutionResult, type RequestParams } from 'graphql-sse';

export interface SseSubscription {
  url: string;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch;
  request: RequestParams;
  /** The seq the stream resumes after (sent as Last-Event-ID); none for a first request. */
  lastEventId?: number;
}

/** One SSE request's results; `return()` closes it. Connection failures throw (see `sseFailure`); nothing is retried here. */
export function iterateSse<TData>(subscription: SseSubscription): AsyncIterableIterator<ExecutionResult<TData, unknown>> {
  const headers = { ...subscription.headers };
  if (subscription.lastEventId !== undefined && subscription.lastEventId > 0) headers['last-event-id'] = String(subscription.lastEventId);
  const client = createClient({
    url: subscription.url,
    singleConnection: false,
    headers,
    fetchFn: subscription.fetch,
    // Reconnecting is the caller's (it knows the last seq); graphql-sse would resend the first request.
    retryAttempts: 0,
  });
  const iterator = client.iterate<TData>(subscription.request);
  return {
    next: () => iterator.next(),
    async return() {
      client.dispose();
      return (await iterator.return?.()) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** What an SSE request's failure says: its HTTP answer (status, Retry-After, body), if the server gave one. */
export interface SseFailure {
  status?: number;
  retryAfter?: string | null;
  body?: string;
}

/** The HTTP answer inside graphql-sse's NetworkError (a refused request), else null (a dropped connection). */
export async function sseFailure(error: unknown): Promise<SseFailure | null> {
  if (!(error instanceof NetworkError)) return null;
  const response = error.response as Response | undefined;
  if (!response) return null;
  const body = await response.text().catch(() => '');
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}
