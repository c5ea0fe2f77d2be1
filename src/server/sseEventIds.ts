import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { SseCursor } from '../schema/context.js';

/** What a browser's EventSource waits before reconnecting (the SSE `retry:` field); its own default is ~3 s. */
export const SSE_RETRY_MS = 1000;
const PING_MS = 12_000;

type ResultProcessEvent = Parameters<NonNullable<Plugin['onResultProcess']>>[0];
type ResultProcessor = Parameters<ResultProcessEvent['setResultProcessor']>[0];

/** The SSE state of a request's context: the Last-Event-ID it came with, and the seq of the event last resolved. */
export function sseCursorOf(request: Request | undefined): SseCursor {
  return { lastEventId: request?.headers.get('last-event-id') ?? null, seq: null };
}

/**
 * SSE for subscriptions with an `id:` line per event (docs/DESIGN.md "Resuming over SSE"): every event of an
 * event subscription carries `id: <seq>`, so a client (a browser's EventSource does it by itself) reconnects
 * with `Last-Event-ID: <seq>` and the subscription resumes after it. The events are those of Yoga's own SSE
 * (graphql-sse "distinct connections": `event: next` / `event: complete`, pings as comments); only `id:` and a
 * `retry:` hint are added. Registered after Yoga's processors, it replaces the SSE one.
 *
 * The seq comes from the context (the event resolver writes it into `cursor.seq` before the result is yielded):
 * `cursorOf` finds the cursor of a request's context.
 */
export function useSseEventIds(cursorOf: (request: Request) => SseCursor | undefined): Plugin {
  return {
    onResultProcess({ request, result, acceptableMediaTypes, setResultProcessor }) {
      if (!isAsyncIterable(result) || !acceptsEventStream(request)) return;
      const cursor = cursorOf(request);
      if (!cursor) return;
      if (!acceptableMediaTypes.includes('text/event-stream')) acceptableMediaTypes.push('text/event-stream');
      setResultProcessor(sseProcessor(cursor), 'text/event-stream');
    },
  };
}

function acceptsEventStream(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('text/event-stream');
}

function sseProcessor(cursor: SseCursor): ResultProcessor {
  return (result, fetchAPI) => {
    const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const encoder = new fetchAPI.TextEncoder();
    let ping: NodeJS.Timeout | undefined;
    const body = new fetchAPI.ReadableStream<Uint8Array>({
      start(controller) {
        // A first chunk at once: some browsers do not report the response before something is streamed.
        controller.enqueue(encoder.encode(`:\nretry: ${SSE_RETRY_MS}\n\n`));
        ping = setInterval(() => {
          if (controller.desiredSize === null) return clearInterval(ping);
          if (controller.desiredSize > 0) controller.enqueue(encoder.encode(':\n\n'));
        }, PING_MS);
      },
      async pull(controller) {
        cursor.seq = null;
        const step = await iterator.next();
        if (step.value != null) {
          const id = cursor.seq === null ? '' : `id: ${cursor.seq}\n`;
          controller.enqueue(encoder.encode(`event: next\n${id}data: ${JSON.stringify(withoutInternals(step.value as ExecutionResult))}\n\n`));
        }
        if (step.done) {
          controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
          clearInterval(ping);
          controller.close();
        }
      },
      async cancel() {
        clearInterval(ping);
        await iterator.return?.();
      },
    });
    return new fetchAPI.Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
    });
  };
}

/** A result as the client may see it: Yoga's internal error extensions (`http`, `unexpected`) left out, as its own SSE does. */
function withoutInternals(result: ExecutionResult): unknown {
  if (!result.errors?.length && !result.extensions?.http) return result;
  const { http: _http, ...extensions } = result.extensions ?? {};
  return {
    ...result,
    errors: result.errors?.map((error): GraphQLFormattedError => {
      const formatted = error.toJSON();
      const { http: _h, unexpected: _u, ...rest } = formatted.extensions ?? {};
      return { ...formatted, extensions: Object.keys(rest).length ? rest : undefined };
    }),
    extensions: Object.keys(extensions).length ? extensions : undefined,
  };
}
