// A fake OpenAI-compatible chat-completions server for tests.
// Real node:http server, scripted replies, recorded requests.
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------- Reply scripting ----------

export interface ToolCallSpec {
  id: string;
  name: string;
  /** Raw JSON string, streamed in a few fragments. */
  arguments: string;
}

/**
 * One scripted piece of a streamed answer. `delayMs` waits before sending it; `after` holds it (and what follows)
 * until the promise settles, so a test can tell "before the provider went on" from "after" without timing.
 */
export type StreamChunk =
  | { content: string; delayMs?: number; after?: Promise<unknown> }
  | { reasoning: string; delayMs?: number; after?: Promise<unknown> } // sent as delta.reasoning_content (DeepSeek style)
  | { toolCalls: ToolCallSpec[]; delayMs?: number; after?: Promise<unknown> };

export interface DeepSeekUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number; audio_tokens?: number };
  completion_tokens_details?: { reasoning_tokens: number; audio_tokens?: number };
}

export type FakeUsage = DeepSeekUsage | OpenAIUsage;

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface StreamReply {
  kind: 'stream';
  chunks: StreamChunk[];
  /** Sent as a final `choices: []` chunk (streaming) or `usage` (non-streaming). Omit for no usage chunk. */
  usage?: FakeUsage;
  /** Default: 'tool_calls' if any tool call was scripted, else 'stop'. */
  finishReason?: FinishReason;
}

export interface ErrorReply {
  kind: 'error';
  status: number;
  message: string;
  /** Defaults depend on status (e.g. 401 → invalid_request_error / invalid_api_key). */
  type?: string;
  code?: string | null;
  /** Extra response headers, e.g. { 'retry-after': '1' }. */
  headers?: Record<string, string>;
}

export interface HangReply {
  kind: 'hang';
  /** Send the 200 response headers before hanging (default true). */
  headers?: boolean;
  /** Stop hanging when this settles: answer `answer` if the client is still there. Default: hang until close(). */
  release?: Promise<unknown>;
  answer?: StreamReply;
}

export interface MalformedReply {
  kind: 'malformed';
  /** Valid chunks sent before the broken line (default: two content chunks). */
  chunks?: StreamChunk[];
}

export interface DropReply {
  kind: 'drop';
  /** Chunks streamed before the socket is destroyed (no finish, no [DONE]). */
  chunks: StreamChunk[];
}

export type Reply = StreamReply | ErrorReply | HangReply | MalformedReply | DropReply;

/** Convenience: stream `text` split into word-sized content deltas. */
export function textReply(text: string, usage?: FakeUsage): StreamReply {
  const parts = text.match(/\S+\s*|\s+/g) ?? [text];
  return { kind: 'stream', chunks: parts.map((content) => ({ content })), usage };
}

/** Convenience: stream `n` content chunks ("c0 ", "c1 ", ...) then drop the connection. */
export function dropReply(n: number): DropReply {
  return { kind: 'drop', chunks: Array.from({ length: n }, (_, i) => ({ content: `c${i} ` })) };
}

const DEFAULT_REPLY: StreamReply = { kind: 'stream', chunks: [{ content: 'ok' }] };

// ---------- Recorded requests ----------

export interface RecordedMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: string;
  reasoning_content?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The full parsed JSON body. */
  body: Record<string, unknown>;
  model: string | undefined;
  messages: RecordedMessage[];
  temperature: number | undefined;
  top_p: number | undefined;
  max_tokens: number | undefined;
  tools: unknown[] | undefined;
  stream: boolean;
  /** True when the client closed the connection before the response ended. */
  aborted: boolean;
}

/** What GET /models answers: a list (OpenAI's shape), a provider error, or a raw body (status 200). */
export type ModelsReply = { kind: 'models'; data: unknown[] } | ErrorReply | { kind: 'raw'; body: string };

export interface FakeProvider {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  requests: RecordedRequest[];
  /** Answer of GET /models from now on (default: two models). */
  setModels(reply: ModelsReply): void;
  /** GET /models requests received. */
  modelRequests: number;
  /** Queue replies for the next requests, in order. */
  script(...replies: Reply[]): void;
  /** Reply chosen per request when the queue is empty; return undefined for the default "ok". */
  scriptFn(fn: ((req: RecordedRequest) => Reply | undefined) | undefined): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

// ---------- Server ----------

export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  let replyFn: ((req: RecordedRequest) => Reply | undefined) | undefined;
  let waiters: Array<() => void> = [];
  let closing = false;
  let idCounter = 0;
  let modelsReply: ModelsReply = {
    kind: 'models',
    data: [
      { id: 'deepseek-v4-flash', object: 'model', created: 1_700_000_000, owned_by: 'deepseek' },
      { id: 'fake-vision', object: 'model', created: 1_700_000_100, owned_by: 'fake' },
    ],
  };
  const fake = { modelRequests: 0 };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw: Buffer[] = [];
    for await (const piece of req) raw.push(piece as Buffer);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path?.endsWith('/models')) {
      fake.modelRequests++;
      if (modelsReply.kind === 'error') sendError(res, modelsReply);
      else if (modelsReply.kind === 'raw') {
        res.writeHead(200, JSON_HEADERS);
        res.end(modelsReply.body);
      } else {
        res.writeHead(200, JSON_HEADERS);
        res.end(JSON.stringify({ object: 'list', data: modelsReply.data }));
      }
      return;
    }

    if (req.method !== 'POST' || !path?.endsWith('/chat/completions')) {
      sendError(res, { kind: 'error', status: 404, message: `Unknown route ${req.method} ${path}` });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(raw).toString('utf8')) as Record<string, unknown>;
    } catch {
      sendError(res, { kind: 'error', status: 400, message: 'Request body is not valid JSON' });
      return;
    }

    const rec: RecordedRequest = {
      method: req.method,
      path,
      headers: req.headers,
      body,
      model: body.model as string | undefined,
      messages: (body.messages as RecordedMessage[] | undefined) ?? [],
      temperature: body.temperature as number | undefined,
      top_p: body.top_p as number | undefined,
      max_tokens: body.max_tokens as number | undefined,
      tools: body.tools as unknown[] | undefined,
      stream: body.stream === true,
      aborted: false,
    };
    let droppedByServer = false;
    res.on('close', () => {
      if (!res.writableEnded && !droppedByServer && !closing) rec.aborted = true;
    });
    requests.push(rec);
    const pending = waiters;
    waiters = [];
    for (const wake of pending) wake();

    const reply = queue.shift() ?? replyFn?.(rec) ?? DEFAULT_REPLY;
    const base: ChunkBase = {
      id: `chatcmpl-fake-${++idCounter}`,
      created: Math.floor(Date.now() / 1000),
      model: rec.model ?? 'fake-model',
    };

    switch (reply.kind) {
      case 'error':
        sendError(res, reply);
        return;
      case 'hang':
        if (reply.headers !== false) {
          res.writeHead(200, rec.stream ? SSE_HEADERS : JSON_HEADERS);
          res.flushHeaders();
        }
        if (!reply.release) return; // never answer; the client aborts or close() destroys the socket
        await reply.release.catch(() => undefined);
        if (res.destroyed || res.writableEnded) return;
        if (!res.headersSent) res.writeHead(200, rec.stream ? SSE_HEADERS : JSON_HEADERS);
        if (rec.stream) {
          const answer = reply.answer ?? DEFAULT_REPLY;
          const events = streamEvents(base, answer.chunks, { finish: 'stop', usage: answer.usage, done: true });
          if (await pump(res, events)) res.end();
        } else res.end(JSON.stringify(completionBody(base, (reply.answer ?? DEFAULT_REPLY).chunks, 'stop', undefined)));
        return;
      case 'malformed': {
        const chunks = reply.chunks ?? [{ content: 'Hel' }, { content: 'lo' }];
        if (rec.stream) {
          res.writeHead(200, SSE_HEADERS);
          const events = streamEvents(base, chunks, { finish: false, usage: undefined, done: false });
          if (!(await pump(res, events))) return;
          res.end('data: {not json\n\n');
        } else {
          res.writeHead(200, JSON_HEADERS);
          res.end('{not json');
        }
        return;
      }
      case 'drop': {
        if (rec.stream) {
          res.writeHead(200, SSE_HEADERS);
          const events = streamEvents(base, reply.chunks, { finish: false, usage: undefined, done: false });
          if (!(await pump(res, events, true))) return;
        }
        droppedByServer = true;
        res.destroy();
        return;
      }
      case 'stream': {
        const finish = reply.finishReason ?? (hasToolCalls(reply.chunks) ? 'tool_calls' : 'stop');
        if (rec.stream) {
          res.writeHead(200, SSE_HEADERS);
          const events = streamEvents(base, reply.chunks, { finish, usage: reply.usage, done: true });
          if (await pump(res, events)) res.end();
        } else {
          res.writeHead(200, JSON_HEADERS);
          res.end(JSON.stringify(completionBody(base, reply.chunks, finish, reply.usage)));
        }
        return;
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setModels(reply) {
      modelsReply = reply;
    },
    get modelRequests() {
      return fake.modelRequests;
    },
    script(...replies) {
      queue.push(...replies);
    },
    scriptFn(fn) {
      replyFn = fn;
    },
    waitForRequests(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (requests.length < n) return false;
          clearTimeout(timer);
          resolve(requests);
          return true;
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== wake);
          reject(new Error(`fake provider: expected ${n} request(s), got ${requests.length} after ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = (): void => {
          if (!check()) waiters.push(wake);
        };
        wake();
      });
    },
    close() {
      closing = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // also kills hanging responses and keep-alive sockets
      });
    },
  };
}

// ---------- Wire format helpers ----------

const SSE_HEADERS = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' };
const JSON_HEADERS = { 'Content-Type': 'application/json' };

interface ChunkBase {
  id: string;
  created: number;
  model: string;
}

interface SseEvent {
  text: string;
  delayMs?: number;
  after?: Promise<unknown>;
}

function hasToolCalls(chunks: StreamChunk[]): boolean {
  return chunks.some((c) => 'toolCalls' in c && c.toolCalls.length > 0);
}

function sse(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

function chunkEvent(base: ChunkBase, delta: Record<string, unknown>, finish: FinishReason | null = null): string {
  return sse({
    id: base.id,
    object: 'chat.completion.chunk',
    created: base.created,
    model: base.model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
}

/** Splits a string into at most `n` roughly equal, non-empty pieces. */
function splitInPieces(s: string, n: number): string[] {
  if (s.length === 0) return [];
  const size = Math.ceil(s.length / n);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function* streamEvents(
  base: ChunkBase,
  chunks: StreamChunk[],
  opts: { finish: FinishReason | false; usage: FakeUsage | undefined; done: boolean },
): Generator<SseEvent> {
  yield { text: chunkEvent(base, { role: 'assistant', content: '' }) };
  let toolIndex = 0;
  for (const c of chunks) {
    if ('content' in c) {
      yield { text: chunkEvent(base, { content: c.content }), delayMs: c.delayMs, after: c.after };
    } else if ('reasoning' in c) {
      yield { text: chunkEvent(base, { content: null, reasoning_content: c.reasoning }), delayMs: c.delayMs, after: c.after };
    } else {
      let delayMs = c.delayMs;
      for (const call of c.toolCalls) {
        const index = toolIndex++;
        // OpenAI style: header chunk with id/type/name and empty arguments, then argument fragments.
        const header = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
        yield { text: chunkEvent(base, { tool_calls: [header] }), delayMs, after: c.after };
        delayMs = undefined;
        for (const fragment of splitInPieces(call.arguments, 3)) {
          yield { text: chunkEvent(base, { tool_calls: [{ index, function: { arguments: fragment } }] }) };
        }
      }
    }
  }
  if (opts.finish) yield { text: chunkEvent(base, {}, opts.finish) };
  if (opts.usage) {
    yield {
      text: sse({
        id: base.id,
        object: 'chat.completion.chunk',
        created: base.created,
        model: base.model,
        system_fingerprint: null,
        choices: [],
        usage: opts.usage,
      }),
    };
  }
  if (opts.done) yield { text: 'data: [DONE]\n\n' };
}

const FLUSH_BYTES = 64 * 1024;

/**
 * Writes the events, batching consecutive undelayed events into large writes
 * (so 100k tiny deltas stay cheap) and honouring backpressure.
 * With `settle`, waits until the last bytes reached the socket (used before an abrupt drop).
 * Returns false if the connection closed meanwhile.
 */
async function pump(res: ServerResponse, events: Iterable<SseEvent>, settle = false): Promise<boolean> {
  let buf = '';
  for (const ev of events) {
    if (ev.after) {
      if (buf) {
        if (!(await write(res, buf, false))) return false;
        buf = '';
      }
      await untilClosed(res, ev.after);
      if (res.destroyed) return false;
    }
    if (ev.delayMs && ev.delayMs > 0) {
      if (buf) {
        if (!(await write(res, buf, false))) return false;
        buf = '';
      }
      await sleepUnlessClosed(res, ev.delayMs);
      if (res.destroyed) return false;
    }
    buf += ev.text;
    if (buf.length >= FLUSH_BYTES) {
      if (!(await write(res, buf, false))) return false;
      buf = '';
    }
  }
  if (buf || settle) return write(res, buf, settle);
  return !res.destroyed;
}

function write(res: ServerResponse, data: string, settle: boolean): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (): void => {
      res.off('drain', finish);
      res.off('close', finish);
      resolve(!res.destroyed);
    };
    if (settle) {
      res.once('close', finish);
      // Node calls back on nextTick for an empty write, so send a harmless SSE comment instead.
      res.write(data || ': flush\n\n', () => finish());
    } else if (!res.write(data)) {
      res.once('drain', finish);
      res.once('close', finish);
    } else {
      resolve(true);
    }
  });
}

/** Waits for `promise` (settled either way) or for the connection to close. */
function untilClosed(res: ServerResponse, promise: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    promise.then(done, done);
  });
}

function sleepUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

function errorDefaults(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 404) return { type: 'invalid_request_error', code: 'not_found' };
  if (status === 429) return { type: 'rate_limit_error', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function sendError(res: ServerResponse, reply: ErrorReply): void {
  const defaults = errorDefaults(reply.status);
  const error = {
    message: reply.message,
    type: reply.type ?? defaults.type,
    param: null,
    code: reply.code !== undefined ? reply.code : defaults.code,
  };
  res.writeHead(reply.status, { ...JSON_HEADERS, ...reply.headers });
  res.end(JSON.stringify({ error }));
}

function completionBody(base: ChunkBase, chunks: StreamChunk[], finish: FinishReason, usage: FakeUsage | undefined) {
  let content = '';
  let reasoning = '';
  const toolCalls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> = [];
  for (const c of chunks) {
    if ('content' in c) content += c.content;
    else if ('reasoning' in c) reasoning += c.reasoning;
    else for (const t of c.toolCalls) toolCalls.push({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } });
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: content === '' && toolCalls.length > 0 ? null : content,
    refusal: null,
  };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: base.id,
    object: 'chat.completion',
    created: base.created,
    model: base.model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}
