import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One SSE subscription read by a raw HTTP client (fetch + an SSE parser), with its `id:` lines kept. */
export interface SseStream {
  status: number;
  /** `event: next` messages in order: the seq from `id:` (null when absent) and the parsed `data`. */
  events: { id: string | null; data: any }[];
  /** True once `event: complete` arrived or the response ended. */
  readonly ended: boolean;
  /** Resolves when `until` holds for the events so far (or the stream ended). */
  waitUntil(until: (events: SseStream['events']) => boolean): Promise<void>;
  /** Drops the connection (as a network cut would, without a GraphQL `complete`). */
  cut(): void;
}

export interface SseRequest {
  query: string;
  variables?: Record<string, unknown>;
  lastEventId?: string;
  /** GET puts the operation in the URL, as an EventSource does; default POST. */
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
}

export async function openSse(url: string, request: SseRequest): Promise<SseStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...request.headers };
  if (request.lastEventId !== undefined) headers['last-event-id'] = request.lastEventId;
  let target = url;
  let body: string | undefined;
  if (request.method === 'GET') {
    const params = new URLSearchParams({ query: request.query, variables: JSON.stringify(request.variables ?? {}) });
    target = `${url}?${params}`;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ query: request.query, variables: request.variables ?? {} });
  }
  const response = await fetch(target, { method: request.method ?? 'POST', headers, body, signal: controller.signal });
  const events: SseStream['events'] = [];
  let ended = false;
  let notify = () => {};
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      if (message.event === 'complete') ended = true;
      else if (message.event === 'next' || message.event === undefined) events.push({ id: message.id ?? null, data: JSON.parse(message.data) });
      notify();
    },
  });
  const reading = (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // cut
    } finally {
      ended = true;
      notify();
    }
  })();
  void reading;
  return {
    status: response.status,
    events,
    get ended() {
      return ended;
    },
    waitUntil(until) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (ended || until(events)) resolve();
          else notify = check;
        };
        check();
      });
    },
    cut: () => controller.abort(),
  };
}
