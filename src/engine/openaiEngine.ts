import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { checkStructuredAnswer } from './structuredOutput.js';
import { runToolCall, type ModelToolCall, type ToolContext } from './toolRunner.js';
import { toolsFor } from './tools/index.js';
import { extraToolDefinitions, type ToolDefinition } from './extraTools.js';
import { autoCompact } from './compaction.js';
import { EngineError, type ChatMessage, type Engine, type EngineEvent, type EngineInput, type ProviderModel } from './types.js';
import { toTokenUsage } from './usage.js';
import { sleep } from './sleep.js';

export interface OpenAIEngineOptions {
  /** Default: DeepSeek's API. */
  baseURL?: string;
  apiKey: string;
  /** Retries of a model call that failed with 429, 5xx or a connection error before any token. */
  maxRetries?: number;
  /** A model call fails when the provider sends nothing for this long. */
  idleTimeoutMs?: number;
  /** Model calls followed by a tool round, at most, in one turn. */
  maxSteps?: number;
  /** First retry delay; it doubles with each retry. */
  retryBaseMs?: number;
  /** Where tools report failures their result does not show. */
  logger?: { error(details: object, message: string): void };
}

/** What an option left out is (the server's --base-url and --provider-idle-timeout read them). */
export const OPENAI_ENGINE_DEFAULTS = {
  baseURL: 'https://api.deepseek.com',
  maxRetries: 3,
  idleTimeoutMs: 120_000,
  retryBaseMs: 500,
} as const;

const MAX_RETRY_DELAY_MS = 10_000;

export const COMPACTION_REQUEST =
  'Summarise the conversation so far concisely, so that your summary can replace it as the context for the rest of ' +
  'the conversation. Keep the facts, decisions and open tasks, with the names, paths and numbers that matter. ' +
  'Reply with the summary only.';

/** What one model call produced. */
interface ModelResponse {
  content: string;
  toolCalls: ModelToolCall[];
  /** Set when the answer had to match an output schema and does not. */
  structuredError?: string;
}

type KeyFactory = (prefix: string) => string;

/** Runs turns against an OpenAI-compatible chat-completions API (OpenAI, DeepSeek, OpenRouter...), with tools. */
export class OpenAIEngine implements Engine {
  readonly name = 'openai';
  private client: Promise<OpenAI> | null = null;
  private readonly apiKey: string;
  private readonly baseURL: string;
  private readonly maxRetries: number;
  private readonly idleTimeoutMs: number;
  /** Set: overrides the runtime's step bound (EngineInput.maxSteps). */
  private readonly maxSteps: number | undefined;
  private readonly retryBaseMs: number;
  private readonly logger: OpenAIEngineOptions['logger'];

  constructor({
    baseURL = OPENAI_ENGINE_DEFAULTS.baseURL,
    apiKey,
    maxRetries = OPENAI_ENGINE_DEFAULTS.maxRetries,
    idleTimeoutMs = OPENAI_ENGINE_DEFAULTS.idleTimeoutMs,
    maxSteps,
    retryBaseMs = OPENAI_ENGINE_DEFAULTS.retryBaseMs,
    logger,
  }: OpenAIEngineOptions) {
    this.logger = logger;
    this.apiKey = apiKey;
    this.baseURL = baseURL;
    this.maxRetries = maxRetries;
    this.idleTimeoutMs = idleTimeoutMs;
    this.maxSteps = maxSteps;
    this.retryBaseMs = retryBaseMs;
  }

  /**
   * The SDK client, made on first use: the `openai` package is loaded then, not at every server start (~100 ms
   * of module loading). The SDK does not retry: retries are ours, so a call is never retried once it streamed tokens.
   */
  private openai(): Promise<OpenAI> {
    this.client ??= import('openai').then((sdk) => {
      errorClasses ??= { connection: sdk.default.APIConnectionError, api: sdk.default.APIError };
      return new sdk.default({ baseURL: this.baseURL, apiKey: this.apiKey, maxRetries: 0, logLevel: 'off' });
    });
    return this.client;
  }

  /** The provider's `/models`; entries without a string id are left out. */
  async listModels(signal?: AbortSignal): Promise<ProviderModel[]> {
    const models: ProviderModel[] = [];
    try {
      for await (const model of (await this.openai()).models.list({ signal })) {
        // Typed as the SDK's Model, but providers send what they like: every field is checked.
        const m: { id?: unknown; owned_by?: unknown; created?: unknown } | null | undefined = model;
        if (typeof m?.id !== 'string' || m.id === '') continue;
        models.push({
          id: m.id,
          ownedBy: typeof m.owned_by === 'string' ? m.owned_by : null,
          created: typeof m.created === 'number' && Number.isFinite(m.created) ? m.created : null,
        });
      }
    } catch (error) {
      throw new EngineError(`could not list the provider's models: ${describeFailure(error, this.baseURL).message}`);
    }
    return models;
  }

  async *runTurn(input: EngineInput, signal: AbortSignal): AsyncIterable<EngineEvent> {
    const nextKey = keyFactory();
    let messages = input.messages.map(toProviderMessage);
    const compaction = input.purpose === 'COMPACTION';
    if (compaction) messages.push({ role: 'user', content: COMPACTION_REQUEST });
    const extra = compaction ? null : extraToolDefinitions(input);
    const tools: ToolDefinition[] = compaction ? [] : [...toolsFor({ allowShell: input.allowShell }), ...extra!.definitions];
    const ctx: ToolContext = { input, signal, offered: new Set(tools.map((t) => t.function.name)), nextKey, extra: extra?.byName ?? new Map() };
    const logger = this.logger;
    if (logger) ctx.log = (details, message) => logger.error({ ...details, threadId: input.threadId, turnId: input.turnId }, message);
    const summarise = (conversation: ChatCompletionMessageParam[], itemKey: string) => this.summarise(input, conversation, itemKey, signal);

    let toolSteps = 0;
    const maxSteps = this.maxSteps ?? input.maxSteps ?? 50;
    for (;;) {
      if (signal.aborted) return;
      const steered = appendSteers(input, messages);
      if (steered) yield steered;

      if (!compaction && input.autoCompaction) {
        const compacted = yield* autoCompact(messages, input.autoCompaction, input.model, summarise, nextKey);
        if (signal.aborted) return;
        if (compacted) messages = compacted;
      }

      const outputSchema = compaction ? undefined : input.outputSchema;
      const response = yield* this.callModel(buildRequest(input, messages, tools, outputSchema), signal, nextKey, outputSchema);
      if (!response) return;
      if (response.structuredError) throw new EngineError(response.structuredError);

      if (response.toolCalls.length === 0) {
        messages.push({ role: 'assistant', content: response.content });
        const more = appendSteers(input, messages);
        if (!more) return;
        yield more;
        continue;
      }

      messages.push(assistantWithToolCalls(response));
      for (const call of response.toolCalls) {
        const output = yield* runToolCall(call, ctx);
        if (output === null || signal.aborted) return;
        messages.push({ role: 'tool', tool_call_id: call.id, content: output });
      }
      toolSteps++;
      if (toolSteps >= maxSteps) {
        yield* stepLimitStatus(maxSteps, nextKey);
        return;
      }
    }
  }

  /**
   * The summary of `conversation` for an automatic compaction: one model call without tools, its text streamed
   * into the CONTEXT_COMPACTION item `itemKey` the caller opened. Null when aborted.
   */
  private async *summarise(
    input: EngineInput,
    conversation: ChatCompletionMessageParam[],
    itemKey: string,
    signal: AbortSignal,
  ): AsyncGenerator<EngineEvent, string | null> {
    const request = buildRequest(input, [...conversation, { role: 'user', content: COMPACTION_REQUEST }], []);
    const call = this.callModel(request, signal, keyFactory('summary-'));
    for (;;) {
      const next = await call.next();
      if (next.done) return next.value?.content ?? null;
      const event = next.value;
      if (event.type === 'usage') yield event;
      else if (event.type === 'item.delta' && event.field === 'text') yield { ...event, key: itemKey };
    }
  }

  /** One model call with retries. Returns null when aborted; throws EngineError when it fails. */
  private async *callModel(
    request: ChatCompletionCreateParamsStreaming,
    signal: AbortSignal,
    nextKey: KeyFactory,
    outputSchema?: Record<string, unknown>,
  ): AsyncGenerator<EngineEvent, ModelResponse | null> {
    for (let attempt = 0; ; attempt++) {
      const progress = { emitted: false };
      try {
        return yield* this.streamOnce(request, signal, nextKey, progress, outputSchema);
      } catch (error) {
        if (signal.aborted) return null;
        const failure = describeFailure(error, this.baseURL);
        if (!failure.retryable || progress.emitted || attempt >= this.maxRetries) throw new EngineError(failure.message);
        const delay = Math.min(failure.retryAfterMs ?? this.retryBaseMs * 2 ** attempt, MAX_RETRY_DELAY_MS);
        await sleep(delay, signal);
        if (signal.aborted) return null;
      }
    }
  }

  /** Streams one response: text and reasoning as one AGENT_MESSAGE item, tool calls accumulated, then usage. */
  private async *streamOnce(
    request: ChatCompletionCreateParamsStreaming,
    signal: AbortSignal,
    nextKey: KeyFactory,
    progress: { emitted: boolean },
    outputSchema?: Record<string, unknown>,
  ): AsyncGenerator<EngineEvent, ModelResponse | null> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let idle = false;
    let timer: NodeJS.Timeout | undefined;
    const armIdleTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        controller.abort();
      }, this.idleTimeoutMs);
    };
    const idleError = () => new EngineError(`the provider sent nothing for ${this.idleTimeoutMs} ms`);

    let itemKey: string | null = null;
    let content = '';
    const toolCalls: ModelToolCall[] = [];
    let usage: unknown;
    let finished = false;
    try {
      armIdleTimer();
      const stream = await (await this.openai()).chat.completions.create(request, { signal: controller.signal });
      for await (const chunk of stream) {
        armIdleTimer();
        const delta = chunk.choices?.[0]?.delta;
        if (delta) {
          for (const [field, piece] of textPieces(delta)) {
            if (!itemKey) {
              itemKey = nextKey('message');
              progress.emitted = true;
              yield { type: 'item.started', key: itemKey, kind: 'AGENT_MESSAGE' };
            }
            if (field === 'text') content += piece;
            yield { type: 'item.delta', key: itemKey, field, delta: piece };
          }
          addToolCallDeltas(toolCalls, delta.tool_calls);
        }
        if (chunk.usage) usage = chunk.usage;
      }
      finished = true;
    } catch (error) {
      throw idle ? idleError() : error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (!finished) controller.abort(); // also when the consumer stopped early: cancels the HTTP stream
    }
    // On abort the SDK may end the stream quietly instead of throwing.
    if (idle) throw idleError();
    if (signal.aborted) return null;

    const calls = toolCalls.filter(Boolean);
    // Only the final answer (no tool calls) has to match the output schema.
    const structured = outputSchema && calls.length === 0 ? checkStructuredAnswer(outputSchema, content) : null;
    if (itemKey) {
      if (!structured) yield { type: 'item.completed', key: itemKey, status: 'COMPLETED' };
      else if (structured.ok)
        yield {
          type: 'item.completed',
          key: itemKey,
          kind: 'AGENT_MESSAGE',
          status: 'COMPLETED',
          fields: { json: structured.value, jsonError: null },
        };
      else yield { type: 'item.completed', key: itemKey, kind: 'AGENT_MESSAGE', status: 'FAILED', fields: { jsonError: structured.error } };
    }
    yield { type: 'usage', usage: toTokenUsage(usage) };
    const structuredError = structured && !structured.ok ? structured.error : itemKey || !structured ? undefined : 'the model gave no answer';
    return { content, toolCalls: calls, ...(structuredError ? { structuredError } : {}) };
  }
}

function keyFactory(namespace = ''): KeyFactory {
  let n = 0;
  return (prefix) => `${namespace}${prefix}-${n++}`;
}

/** `outputSchema`: the answer must match it (json_schema response format). */
function buildRequest(
  input: EngineInput,
  messages: ChatCompletionMessageParam[],
  tools: ToolDefinition[],
  outputSchema?: Record<string, unknown>,
): ChatCompletionCreateParamsStreaming {
  const o = input.modelOptions ?? {};
  return {
    model: input.model,
    messages: [...messages],
    stream: true,
    stream_options: { include_usage: true },
    temperature: input.temperature,
    top_p: input.topP,
    max_tokens: input.maxTokens,
    reasoning_effort: o.reasoningEffort,
    presence_penalty: o.presencePenalty,
    frequency_penalty: o.frequencyPenalty,
    seed: o.seed,
    stop: o.stop,
    ...(outputSchema ? { response_format: { type: 'json_schema', json_schema: { name: 'output', schema: outputSchema } } } : {}),
    ...(tools.length > 0 ? { tools } : {}),
  };
}

/** Text, then one image part per image. */
function userContent(text: string, images: readonly string[] | undefined): string | ChatCompletionContentPart[] {
  if (!images?.length) return text;
  return [{ type: 'text', text }, ...images.map((url): ChatCompletionContentPart => ({ type: 'image_url', image_url: { url } }))];
}

/** Reasoning is not sent back: the providers ignore or refuse it. */
export function toProviderMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: userContent(message.content, message.images) };
    case 'assistant':
      if (!message.toolCalls?.length) return { role: 'assistant', content: message.content ?? '' };
      return assistantWithToolCalls({ content: message.content ?? '', toolCalls: message.toolCalls });
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function assistantWithToolCalls(response: ModelResponse): ChatCompletionMessageParam {
  return {
    role: 'assistant',
    content: response.content === '' ? null : response.content,
    tool_calls: response.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    })),
  };
}

/** Appends steered input as user messages; the event to report, or null when there was none. */
function appendSteers(input: EngineInput, messages: ChatCompletionMessageParam[]): EngineEvent | null {
  const steers = input.takeSteers();
  if (steers.length === 0) return null;
  for (const steer of steers) messages.push({ role: 'user', content: userContent(steer.text, steer.images) });
  return { type: 'steer.consumed', count: steers.length };
}

function* stepLimitStatus(maxSteps: number, nextKey: KeyFactory): Generator<EngineEvent> {
  const key = nextKey('status');
  const fields = { message: `Stopped after ${maxSteps} tool steps (the step limit)` };
  yield { type: 'item.started', key, kind: 'STATUS', fields };
  yield { type: 'item.completed', key, kind: 'STATUS', status: 'COMPLETED', fields };
}

/** The reasoning (DeepSeek's `reasoning_content`, not in the SDK's types) and text of a delta, in that order. */
function textPieces(delta: ChatCompletionChunk.Choice.Delta): Array<['reasoning' | 'text', string]> {
  const pieces: Array<['reasoning' | 'text', string]> = [];
  const reasoning = (delta as { reasoning_content?: unknown }).reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') pieces.push(['reasoning', reasoning]);
  if (typeof delta.content === 'string' && delta.content !== '') pieces.push(['text', delta.content]);
  return pieces;
}

/** Tool calls arrive in fragments keyed by index: the first has the id and name, the rest argument pieces. */
function addToolCallDeltas(calls: ModelToolCall[], deltas: ChatCompletionChunk.Choice.Delta.ToolCall[] | undefined): void {
  for (const delta of deltas ?? []) {
    const call = (calls[delta.index] ??= { id: `call_${delta.index}`, name: '', arguments: '' });
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name = delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }
}

interface Failure {
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
}

/** The SDK's error classes, known once the SDK is loaded (no SDK error can exist before). */
let errorClasses: { connection: typeof OpenAI.APIConnectionError; api: typeof OpenAI.APIError } | null = null;

function describeFailure(error: unknown, baseURL: string): Failure {
  if (error instanceof EngineError) return { message: error.message, retryable: false };
  if (errorClasses && error instanceof errorClasses.connection) {
    return { message: `could not reach the provider at ${baseURL}: ${rootCauseMessage(error)}`, retryable: true };
  }
  if (errorClasses && error instanceof errorClasses.api && typeof error.status === 'number') {
    const status = error.status;
    return {
      message: `provider returned ${status}: ${apiErrorDetail(error)}`,
      retryable: status === 429 || status >= 500,
      retryAfterMs: retryAfterMs(error.headers),
    };
  }
  // An `error` event inside the stream.
  if (errorClasses && error instanceof errorClasses.api) return { message: `provider reported an error: ${error.message}`, retryable: false };
  if (error instanceof SyntaxError) return { message: `provider stream was malformed: ${error.message}`, retryable: false };
  // What is left comes from reading the body: the connection was reset or closed early.
  return { message: `the connection to the provider at ${baseURL} failed: ${rootCauseMessage(error)}`, retryable: true };
}

function apiErrorDetail(error: InstanceType<typeof OpenAI.APIError>): string {
  const inner = (error.error as { message?: unknown } | undefined)?.message;
  if (typeof inner === 'string' && inner !== '') return inner;
  return error.message.replace(/^\d+ /, '');
}

/** Seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The innermost cause says what went wrong (ECONNREFUSED...), the outer ones only "fetch failed". */
function rootCauseMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
