/**
 * A small typed client for Zagens Runtime: queries and mutations over fetch (GraphQL over HTTP), subscriptions
 * over graphql-ws or SSE, event helpers (`threadEvents`, `turnEvents`, `runtimeEvents`, `followThread`) that
 * survive a dropped connection by resubscribing after the last `seq` received (no gap, no duplicate), and
 * mutation helpers that send a `clientRequestId` and retry under it (one effect however often they arrive).
 *
 * Every document of `./generated` is a TypedDocumentNode: the document fixes the variables and the result type.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { CLOSE_CODES, FATAL_CLOSE_CODES } from './generated/closeCodes.js';
import type { EventName, EventPayloads } from './generated/events.js';
import {
  CompactThreadDocument,
  CreateThreadDocument,
  EditLastTurnDocument,
  ForkThreadDocument,
  InterruptTurnDocument,
  ResolveApprovalDocument,
  RuntimeInfoDocument,
  RuntimeEventsDocument,
  StartTurnDocument,
  SteerTurnDocument,
  ThreadEventsDocument,
  TurnEventsDocument,
  type CompactThreadInput,
  type CompactThreadMutation,
  type CreateThreadInput,
  type CreateThreadMutation,
  type EditLastTurnInput,
  type EditLastTurnMutation,
  type EventFieldsFragment,
  type ForkThreadInput,
  type ForkThreadMutation,
  type InterruptTurnInput,
  type InterruptTurnMutation,
  type ResolveApprovalInput,
  type ResolveApprovalMutation,
  type StartTurnInput,
  type StartTurnMutation,
  type SteerTurnInput,
  type SteerTurnMutation,
} from './generated/graphql.js';
import { iterateSse, sseFailure } from './sse.js';

/** An event of one name (the `EventFields` fragment with `payload` typed by the server's event table). */
export type ZagensEventOf<N extends EventName> = Omit<EventFieldsFragment, 'name' | 'payload'> & { name: N; payload: EventPayloads[N] };

/**
 * One runtime event as `threadEvents` delivers it: a union by `name`, so `if (e.name === 'turn.completed')`
 * narrows `e.payload` to `{status, error, durationMs, usage, costUsd}` with no cast. A newer server may send
 * names this version does not know: handle the ones you need and ignore the rest (`default:` in a switch).
 */
export type ZagensEvent = { [N in EventName]: ZagensEventOf<N> }[EventName];

export interface ZagensClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4680/graphql`. */
  url: string;
  /** The graphql-ws endpoint; default: `url` with `ws:` / `wss:`. */
  wsUrl?: string;
  /**
   * The server's `--auth-token`: sent as `Authorization: Bearer <token>` over HTTP, and as `{ authToken }` in
   * graphql-ws' connection_init (plus the Authorization header on the upgrade when the client uses `ws`).
   */
  authToken?: string;
  /** Extra HTTP headers on every query and mutation. */
  headers?: Record<string, string>;
  /** Extra graphql-ws connection_init payload. */
  connectionParams?: Record<string, unknown>;
  /** Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * The WebSocket class for subscriptions. Default: the global `WebSocket` (browsers, Node 22+), else the `ws`
   * package, loaded when the first subscription starts.
   */
  webSocketImpl?: unknown;
  /** Milliseconds to wait before the n-th reconnection in a row (n from 1). Default: 200 ms doubling to 5 s, with jitter. */
  retryWait?: (attempt: number) => number;
  /** Reconnections in a row with no event received in between, after which a follow fails. Default: 20. */
  maxRetries?: number;
  /**
   * Retries of one query or mutation the server refused before running it (HTTP 503 or 429: overloaded, shutting
   * down, too many streams), each after its `Retry-After` (at least `retryWait`, with jitter). Default: 4; 0: none.
   */
  maxOverloadRetries?: number;
  /** Ping period of the WebSocket (ms), to notice a connection that died silently; 0 turns it off. Default: 10 s. */
  keepAliveMs?: number;
  /** A ping not answered within this many ms closes the connection (then a follow resumes). Default: 5 s. */
  pongTimeoutMs?: number;
  /**
   * Send the SDK's documents as their hash only (`extensions.persistedQuery.sha256Hash`), for a server started
   * with `--persisted-operations allow` or `only`. Documents without a hash (your own) are sent whole. Default: false.
   */
  persistedOperations?: boolean;
}

/** `request(doc)` for operations without required variables, `request(doc, vars)` otherwise. */
export type VariablesArgs<TVariables> = {} extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** An event name filter entry: an exact name (`turn.completed`) or a prefix ending in a dot (`item.`). */
export type EventNameFilter = EventName | `${string}.`;

/** What every event helper takes. */
export interface EventStreamOptions {
  /**
   * Only events with these names: exact names (`turn.completed`) and prefixes ending in a dot (`item.`), filtered
   * on the server; resuming still loses nothing the filter selects. Default: every event.
   */
  names?: readonly EventNameFilter[];
  /** Stop after delivering the event for which this returns true. */
  until?: (event: ZagensEvent) => boolean;
  /** Stop following (the iteration ends without an error). */
  signal?: AbortSignal;
  /** Called when the connection dropped and the helper is about to resubscribe after `sinceSeq`. */
  onReconnect?: (info: ReconnectInfo) => void;
  /**
   * `ws` (default): graphql-ws over the client's one WebSocket. `sse`: one GraphQL-over-SSE request (graphql-sse's
   * distinct connections mode) per subscription, for networks that pass HTTP only; a reconnection sends
   * `Last-Event-ID` with the last seq received.
   */
  transport?: 'ws' | 'sse';
}

export interface ThreadEventsOptions extends EventStreamOptions {
  threadId: string;
  /** Deliver events with seq > sinceSeq (default 0: the whole thread), then live ones. */
  sinceSeq?: number;
}

export interface TurnEventsOptions extends EventStreamOptions {
  /** The turn's events from its turn.started; the iteration ends after its turn.completed (filtered out or not). */
  turnId: string;
}

export interface RuntimeEventsOptions extends EventStreamOptions {
  /** Deliver every thread's events with seq > sinceSeq, then live ones. Default: live ones from now on. */
  sinceSeq?: number;
  /** Only the events of these threads (filtered on the server). Default: every thread. */
  threadIds?: readonly string[];
}

export interface ReconnectInfo {
  /** Reconnection attempt in a row (1 for the first after an event was received). */
  attempt: number;
  /** The last seq received: the resubscription asks for the events after it. */
  sinceSeq: number;
  /**
   * Why the connection ended: a CloseEvent, or an Error (e.g. `Unexpected server response: 503` for a refused
   * upgrade, `fetch failed` or `terminated` for an SSE request).
   */
  reason: unknown;
}

export interface FollowThreadOptions extends ThreadEventsOptions {
  /** Called with each event in seq order; an async handler is awaited before the next event. */
  onEvent: (event: ZagensEvent) => void | Promise<void>;
}

export interface ThreadFollower {
  /** Resolves with the last seq delivered when the follow ends (until, stop(), signal); rejects on a fatal error. */
  readonly done: Promise<number>;
  /** The last seq delivered so far (sinceSeq before the first event). */
  readonly lastSeq: number;
  stop(): void;
}

export interface RetryOptions {
  /**
   * Attempts in all: OVERLOADED answers, requests refused or failed by the server (HTTP 429, 5xx) and lost
   * connections are tried again under the same clientRequestId. Default: 6.
   */
  maxAttempts?: number;
  /** Stop retrying (the call rejects with the last failure). */
  signal?: AbortSignal;
  /** Called before each retry. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** How long the client waits before the next one: at least the server's retryAfterMs / Retry-After. */
  waitMs: number;
  /** The OVERLOADED answer as a ZagensUserError, or the ZagensGraphQLError of a failed request. */
  reason: unknown;
  /** The id every attempt is sent with. */
  clientRequestId: string;
}

/** @deprecated Use RetryOptions. */
export type StartTurnOptions = RetryOptions;

/** The payload member of a mutation's result union. */
export type PayloadOf<TResult, N extends string> = Extract<TResult, { __typename?: N }>;

/** What a successful startTurn answers (`StartTurnPayload`). */
export type StartTurnResultPayload = PayloadOf<StartTurnMutation['startTurn'], 'StartTurnPayload'>;

/** A mutation document whose input takes a `clientRequestId` (createThread, startTurn, steerTurn...). */
export type KeyedDocument<TResult, TInput extends { clientRequestId?: string | null }> = TypedDocumentNode<TResult, { input: TInput }>;

export interface ZagensClient {
  /** Runs a query or a mutation over HTTP; resolves with `data`, throws ZagensGraphQLError on GraphQL or HTTP errors. */
  request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...variables: VariablesArgs<TVariables>): Promise<TResult>;
  /**
   * Runs a mutation that takes a `clientRequestId` so that it is safe to retry: it sends the input's id or a new
   * UUID, and sends it again with the same id, with backoff and jitter, when the answer is OVERLOADED (after at
   * least its retryAfterMs), the request is refused or fails on the server (HTTP 429, 5xx) or the connection
   * fails; the server answers a repeat with the first answer and makes one effect. Resolves with `data`: the
   * payload union, with its typed errors as members (a CONFLICT is answered, not retried; after maxAttempts an
   * OVERLOADED answer is returned as it is); throws the last ZagensGraphQLError when attempts run out.
   */
  requestKeyed<TResult, TInput extends { clientRequestId?: string | null }>(
    document: KeyedDocument<TResult, TInput>,
    input: TInput,
    options?: RetryOptions,
  ): Promise<TResult>;
  /** One graphql-ws subscription as an async iterator of `data` (no resume: see threadEvents). */
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: VariablesArgs<TVariables>
  ): AsyncGenerator<TResult, void, undefined>;
  /** A thread's events in seq order, from `sinceSeq`, resuming after a dropped connection without gap or duplicate. */
  threadEvents(options: ThreadEventsOptions): AsyncGenerator<ZagensEvent, void, undefined>;
  /** A turn's events in seq order; ends after its turn.completed; resumes like threadEvents. */
  turnEvents(options: TurnEventsOptions): AsyncGenerator<ZagensEvent, void, undefined>;
  /** Every thread's events (or those of `threadIds`) in seq order; resumes like threadEvents. */
  runtimeEvents(options?: RuntimeEventsOptions): AsyncGenerator<ZagensEvent, void, undefined>;
  /** threadEvents with a callback. */
  followThread(options: FollowThreadOptions): ThreadFollower;
  /**
   * The keyed mutations through `requestKeyed`, narrowed to their payload: each resolves with the payload and
   * throws ZagensUserError for a typed error (CONFLICT, NOT_FOUND, VALIDATION...; OVERLOADED once attempts run out).
   */
  createThread(input: CreateThreadInput, options?: RetryOptions): Promise<PayloadOf<CreateThreadMutation['createThread'], 'CreateThreadPayload'>>;
  startTurn(input: StartTurnInput, options?: RetryOptions): Promise<StartTurnResultPayload>;
  steerTurn(input: SteerTurnInput, options?: RetryOptions): Promise<PayloadOf<SteerTurnMutation['steerTurn'], 'SteerTurnPayload'>>;
  editLastTurn(input: EditLastTurnInput, options?: RetryOptions): Promise<PayloadOf<EditLastTurnMutation['editLastTurn'], 'EditLastTurnPayload'>>;
  forkThread(input: ForkThreadInput, options?: RetryOptions): Promise<PayloadOf<ForkThreadMutation['forkThread'], 'ForkThreadPayload'>>;
  compactThread(
    input: CompactThreadInput,
    options?: RetryOptions,
  ): Promise<PayloadOf<CompactThreadMutation['compactThread'], 'CompactThreadPayload'>>;
  interruptTurn(
    input: InterruptTurnInput,
    options?: RetryOptions,
  ): Promise<PayloadOf<InterruptTurnMutation['interruptTurn'], 'InterruptTurnPayload'>>;
  resolveApproval(
    input: ResolveApprovalInput,
    options?: RetryOptions,
  ): Promise<PayloadOf<ResolveApprovalMutation['resolveApproval'], 'ResolveApprovalPayload'>>;
  /** Closes the WebSocket (ending the subscriptions). */
  dispose(): Promise<void>;
}

/** A GraphQL error (`errors` in the response) or an HTTP failure of one operation. */
export class ZagensGraphQLError extends Error {
  override readonly name = 'ZagensGraphQLError';
  constructor(
    readonly operationName: string | undefined,
    readonly errors: readonly GraphQLFormattedError[],
    /** HTTP status (undefined over WebSocket). */
    readonly status?: number,
    /** Partial data the server returned with the errors, if any. */
    readonly data?: unknown,
    /** Trying again later can help: the server refused it before running it (503, 429), or was not reached. */
    readonly retryable = false,
  ) {
    super(
      `${operationName ?? 'GraphQL operation'} failed: ${errors.map(describeError).join('; ') || 'no detail'}${status && status !== 200 ? ` (HTTP ${status})` : ''}`,
    );
  }

  /** `extensions.code` of the first error (e.g. VALIDATION, NOT_FOUND, UNAUTHENTICATED), if any. */
  get code(): string | undefined {
    const code = this.errors[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  }
}

/** A typed error member of a mutation's result union (`NOT_FOUND`, `TURN_ACTIVE`...), raised by `expectPayload`. */
export class ZagensUserError extends Error {
  override readonly name = 'ZagensUserError';
  constructor(
    readonly typename: string,
    readonly code: string,
    message: string,
  ) {
    super(`${typename} (${code}): ${message}`);
  }
}

/**
 * Narrows a mutation result union to its payload, throwing ZagensUserError for the typed errors:
 * `const { thread } = expectPayload(data.createThread, 'CreateThreadPayload')`.
 */
export function expectPayload<T extends { __typename?: string }, N extends NonNullable<T['__typename']>>(
  value: T,
  typename: N,
): Extract<T, { __typename?: N }> {
  if (value.__typename === typename) return value as Extract<T, { __typename?: N }>;
  const error = value as { code?: unknown; message?: unknown };
  throw new ZagensUserError(
    String(value.__typename),
    typeof error.code === 'string' ? error.code : 'UNKNOWN',
    typeof error.message === 'string' ? error.message : JSON.stringify(value),
  );
}

/** The text an `item.delta` event adds to an item's text (payload `{kind: "text", delta}`), else null. */
export function textDelta(event: Pick<EventFieldsFragment, 'name' | 'payload'>): string | null {
  if (event.name !== 'item.delta') return null;
  // Checked, not trusted: the event may come from any client code (e.g. a raw query result).
  const payload = event.payload as Partial<EventPayloads['item.delta']> | null;
  return payload?.kind === 'text' && typeof payload.delta === 'string' ? payload.delta : null;
}

const defaultRetryWait = (attempt: number) => Math.min(5000, 200 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2);

/** HTTP statuses of a request the server refused before running it. */
const REFUSED_STATUSES = new Set([429, 503]);

/** A server's wait hint, spread by up to a quarter so that clients refused together do not return together. */
const jittered = (hintMs: number) => hintMs * (1 + Math.random() / 4);

/** `Retry-After` (seconds or an HTTP date) in ms, or 0. */
function retryAfterMs(header: string | null): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

/** A random UUID, also where `crypto.randomUUID` is missing (a page served over plain http). */
function newRequestId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createZagensClient(options: ZagensClientOptions): ZagensClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const authorization = options.authToken ? { Authorization: `Bearer ${options.authToken}` } : undefined;
  const retryWait = options.retryWait ?? defaultRetryWait;
  const maxRetries = options.maxRetries ?? 20;
  const maxOverloadRetries = options.maxOverloadRetries ?? 4;
  let wsClient: Promise<Client> | null = null;

  const getWsClient = () => (wsClient ??= openWsClient(options, authorization));

  /** The document itself, or with `persistedOperations` its hash (graphql-ws needs a `query` string: empty). */
  const documentPayload = (document: DocumentNode): { query: string; extensions?: Record<string, unknown> } => {
    const hash = options.persistedOperations ? persistedHash(document) : undefined;
    if (!hash) return { query: printed(document) };
    return { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
  };

  async function request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables]: VariablesArgs<TVariables>
  ): Promise<TResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await requestOnce(document, variables);
      } catch (error) {
        const refused = error instanceof ZagensGraphQLError && error.status !== undefined && REFUSED_STATUSES.has(error.status);
        if (!refused || attempt > maxOverloadRetries) throw error;
        await sleep(Math.max(retryWait(attempt), jittered(refusedWait.get(error) ?? 0)));
      }
    }
  }

  /** The Retry-After of a refused request. */
  const refusedWait = new WeakMap<ZagensGraphQLError, number>();

  async function requestOnce<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables | undefined,
    signal?: AbortSignal,
  ): Promise<TResult> {
    const operationName = operationNameOf(document);
    const unreachable = (error: unknown) =>
      new ZagensGraphQLError(operationName, [{ message: `cannot reach ${options.url}: ${causeOf(error)}` }], undefined, undefined, true);
    const response = await fetchImpl(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...options.headers,
        ...authorization,
      },
      body: JSON.stringify({ ...documentPayload(document), operationName, variables: variables ?? {} }),
      signal,
    }).catch((error: unknown) => {
      throw unreachable(error);
    });
    // A connection cut while the answer arrives loses the answer as surely as one cut before it.
    const text = await response.text().catch((error: unknown) => {
      throw unreachable(error);
    });
    let body: { data?: TResult | null; errors?: GraphQLFormattedError[] } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const refused = REFUSED_STATUSES.has(response.status);
    let failure: ZagensGraphQLError | null = null;
    if (body?.errors?.length) failure = new ZagensGraphQLError(operationName, body.errors, response.status, body.data ?? undefined, refused);
    else if (!response.ok || body?.data == null) {
      const detail = text.trim().slice(0, 200) || response.statusText;
      failure = new ZagensGraphQLError(operationName, [{ message: `HTTP ${response.status}: ${detail}` }], response.status, undefined, refused);
    }
    if (failure) {
      if (refused) refusedWait.set(failure, retryAfterMs(response.headers.get('retry-after')));
      throw failure;
    }
    return body!.data!;
  }

  async function* subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables]: VariablesArgs<TVariables>
  ): AsyncGenerator<TResult, void, undefined> {
    const operationName = operationNameOf(document);
    const client = await getWsClient();
    const iterator = client.iterate<TResult>({
      ...documentPayload(document),
      operationName,
      variables: (variables ?? {}) as Record<string, unknown>,
    });
    try {
      for (;;) {
        let step: IteratorResult<{ data?: TResult | null; errors?: readonly GraphQLFormattedError[] }>;
        try {
          step = await iterator.next();
        } catch (error) {
          throw subscriptionError(operationName, error);
        }
        if (step.done) return;
        if (step.value.errors?.length) throw new ZagensGraphQLError(operationName, step.value.errors, undefined, step.value.data);
        if (step.value.data != null) yield step.value.data;
      }
    } finally {
      await iterator.return?.();
    }
  }

  async function requestKeyed<TResult, TInput extends { clientRequestId?: string | null }>(
    document: KeyedDocument<TResult, TInput>,
    input: TInput,
    retryOptions: RetryOptions = {},
  ): Promise<TResult> {
    const maxAttempts = retryOptions.maxAttempts ?? 6;
    const clientRequestId = input.clientRequestId ?? newRequestId();
    const variables = { input: { ...input, clientRequestId } };
    for (let attempt = 1; ; attempt++) {
      let reason: unknown;
      let hint = 0;
      try {
        const data = await requestOnce(document, variables, retryOptions.signal);
        const overloaded = overloadedAnswer(data);
        if (!overloaded || attempt >= maxAttempts || retryOptions.signal?.aborted) return data;
        reason = new ZagensUserError(overloaded.__typename, overloaded.code ?? 'OVERLOADED', overloaded.message ?? 'overloaded');
        hint = overloaded.retryAfterMs ?? 0;
      } catch (error) {
        // The same id makes a repeat safe whatever became of the first request: retry what may pass next time.
        const retryable = error instanceof ZagensGraphQLError && (error.retryable || (error.status !== undefined && error.status >= 500));
        if (!retryable || attempt >= maxAttempts || retryOptions.signal?.aborted) throw error;
        reason = error;
        hint = refusedWait.get(error) ?? 0;
      }
      const waitMs = Math.max(retryWait(attempt), jittered(hint));
      retryOptions.onRetry?.({ attempt, waitMs, reason, clientRequestId });
      await sleep(waitMs, retryOptions.signal);
    }
  }

  /** How an event stream is subscribed, for `eventStream`. */
  interface StreamSpec {
    operationName: 'ThreadEvents' | 'TurnEvents' | 'RuntimeEvents';
    document: DocumentNode;
    field: 'threadEvents' | 'turnEvents' | 'runtimeEvents';
    /** The variables of a (re)subscription that should start after `lastSeq`. */
    variables: (lastSeq: number) => Record<string, unknown>;
    /** The first seq is after this; undefined: ask the server for its latest seq first. */
    sinceSeq: number | undefined;
    /** The stream ends at turn.completed (turnEvents); the others end only when the server shuts down. */
    endsAtTurnCompleted: boolean;
  }

  /**
   * One event stream delivered exactly once in seq order across dropped connections: each (re)subscription asks
   * for the events after the last seq received (variables, and Last-Event-ID over SSE), and an event at or before
   * it (a replay) is skipped.
   */
  async function* eventStream(spec: StreamSpec, streamOptions: EventStreamOptions): AsyncGenerator<ZagensEvent, void, undefined> {
    const { names, until, signal, onReconnect, transport = 'ws' } = streamOptions;
    const { operationName } = spec;
    // Without a start, one is fixed before subscribing: a reconnection before the first event then misses nothing.
    let lastSeq = spec.sinceSeq ?? (await request(RuntimeInfoDocument)).runtimeInfo.latestSeq;
    let turnCompleted = false;
    let attempt = 0;
    const ws = transport === 'ws' ? await getWsClient() : null;
    while (!signal?.aborted) {
      const payload = { ...documentPayload(spec.document), operationName, variables: spec.variables(lastSeq) };
      const iterator: AsyncIterator<{ data?: Record<string, ZagensEvent> | null; errors?: readonly GraphQLFormattedError[] }> = ws
        ? ws.iterate<Record<string, ZagensEvent>>(payload)
        : iterateSse<Record<string, ZagensEvent>>({
            url: options.url,
            headers: { ...options.headers, ...authorization },
            fetch: fetchImpl,
            request: payload,
            lastEventId: lastSeq,
          });
      const abort = () => void iterator.return?.();
      signal?.addEventListener('abort', abort);
      let reason: unknown;
      try {
        for (;;) {
          const step = await iterator.next();
          if (step.done) break;
          const result = step.value;
          if (result.errors?.length) throw new ZagensGraphQLError(operationName, result.errors, undefined, result.data);
          const event = result.data?.[spec.field];
          if (!event || event.seq <= lastSeq) continue; // already delivered (graphql-ws may replay after a reconnect)
          lastSeq = event.seq;
          attempt = 0;
          if (spec.endsAtTurnCompleted && event.name === 'turn.completed') turnCompleted = true;
          if (names && !matchesNames(event.name, names)) continue; // turn.completed, asked for to know the end
          yield event;
          if (until?.(event)) return;
        }
        if (signal?.aborted || turnCompleted) return;
        // The stream ended before its end: the server completed it because it is shutting down (after sending every
        // stored event). Resume after the last seq once it is back.
        reason = new Error('the server ended the subscription (shutting down)');
      } catch (error) {
        if (signal?.aborted) return;
        const failure = ws ? wsFailure(operationName, error) : await sseStreamFailure(operationName, error);
        if (failure.fatal) throw failure.error;
        reason = failure.reason;
      } finally {
        signal?.removeEventListener('abort', abort);
        await iterator.return?.();
      }
      attempt++;
      if (attempt > maxRetries)
        throw new ZagensGraphQLError(operationName, [
          { message: `connection lost ${attempt - 1} times in a row (${describeClose(reason)}); last seq ${lastSeq}` },
        ]);
      onReconnect?.({ attempt, sinceSeq: lastSeq, reason });
      await sleep(Math.max(retryWait(attempt), jittered(retryHints.get(reason as object) ?? 0)), signal);
    }
  }

  /** The Retry-After of an SSE request the server refused (the stream cap), by the reason reported. */
  const retryHints = new WeakMap<object, number>();

  async function sseStreamFailure(operationName: string, error: unknown): Promise<StreamFailure> {
    if (error instanceof ZagensGraphQLError) return { fatal: true, error };
    const answer = await sseFailure(error);
    if (!answer?.status) return { fatal: false, reason: error }; // the connection dropped or was refused
    let errors: GraphQLFormattedError[] = [{ message: `HTTP ${answer.status}: ${answer.body?.trim().slice(0, 200) ?? ''}` }];
    try {
      const parsed = JSON.parse(answer.body ?? '') as { errors?: GraphQLFormattedError[] };
      if (parsed.errors?.length) errors = parsed.errors;
    } catch {
      // not JSON: keep the status line
    }
    const refused = RETRYABLE_UPGRADE_STATUSES.has(answer.status);
    const failure = new ZagensGraphQLError(operationName, errors, answer.status, undefined, refused);
    if (!refused) return { fatal: true, error: failure };
    retryHints.set(failure, retryAfterMs(answer.retryAfter ?? null));
    return { fatal: false, reason: failure };
  }

  function threadEvents({ threadId, sinceSeq = 0, ...rest }: ThreadEventsOptions): AsyncGenerator<ZagensEvent, void, undefined> {
    return eventStream(
      {
        operationName: 'ThreadEvents',
        document: ThreadEventsDocument,
        field: 'threadEvents',
        variables: (after) => ({ threadId, sinceSeq: after, ...(rest.names && { names: [...rest.names] }) }),
        sinceSeq,
        endsAtTurnCompleted: false,
      },
      rest,
    );
  }

  function turnEvents({ turnId, ...rest }: TurnEventsOptions): AsyncGenerator<ZagensEvent, void, undefined> {
    // turn.completed is always asked for: it tells the end of the turn from a stream the server ended early.
    const names = rest.names && !matchesNames('turn.completed', rest.names) ? [...rest.names, 'turn.completed'] : rest.names;
    return eventStream(
      {
        operationName: 'TurnEvents',
        document: TurnEventsDocument,
        field: 'turnEvents',
        // turnEvents has no sinceSeq: it starts at the turn's start, or after Last-Event-ID over SSE.
        variables: () => ({ turnId, ...(names && { names: [...names] }) }),
        sinceSeq: 0,
        endsAtTurnCompleted: true,
      },
      rest,
    );
  }

  function runtimeEvents({ sinceSeq, threadIds, ...rest }: RuntimeEventsOptions = {}): AsyncGenerator<ZagensEvent, void, undefined> {
    return eventStream(
      {
        operationName: 'RuntimeEvents',
        document: RuntimeEventsDocument,
        field: 'runtimeEvents',
        variables: (after) => ({
          sinceSeq: after,
          ...(rest.names && { names: [...rest.names] }),
          ...(threadIds && { threadIds: [...threadIds] }),
        }),
        sinceSeq,
        endsAtTurnCompleted: false,
      },
      rest,
    );
  }

  function followThread(followOptions: FollowThreadOptions): ThreadFollower {
    const controller = new AbortController();
    const outer = followOptions.signal;
    const onOuterAbort = () => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', onOuterAbort);
    let lastSeq = followOptions.sinceSeq ?? 0;
    const done = (async () => {
      try {
        for await (const event of threadEvents({ ...followOptions, signal: controller.signal })) {
          lastSeq = event.seq;
          await followOptions.onEvent(event);
        }
        return lastSeq;
      } finally {
        outer?.removeEventListener('abort', onOuterAbort);
      }
    })();
    return {
      done,
      get lastSeq() {
        return lastSeq;
      },
      stop: () => controller.abort(),
    };
  }

  return {
    request,
    requestKeyed,
    subscribe,
    threadEvents,
    turnEvents,
    runtimeEvents,
    followThread,
    createThread: async (input, o) => expectPayload((await requestKeyed(CreateThreadDocument, input, o)).createThread, 'CreateThreadPayload'),
    startTurn: async (input, o) => expectPayload((await requestKeyed(StartTurnDocument, input, o)).startTurn, 'StartTurnPayload'),
    steerTurn: async (input, o) => expectPayload((await requestKeyed(SteerTurnDocument, input, o)).steerTurn, 'SteerTurnPayload'),
    editLastTurn: async (input, o) => expectPayload((await requestKeyed(EditLastTurnDocument, input, o)).editLastTurn, 'EditLastTurnPayload'),
    forkThread: async (input, o) => expectPayload((await requestKeyed(ForkThreadDocument, input, o)).forkThread, 'ForkThreadPayload'),
    compactThread: async (input, o) => expectPayload((await requestKeyed(CompactThreadDocument, input, o)).compactThread, 'CompactThreadPayload'),
    interruptTurn: async (input, o) => expectPayload((await requestKeyed(InterruptTurnDocument, input, o)).interruptTurn, 'InterruptTurnPayload'),
    resolveApproval: async (input, o) =>
      expectPayload((await requestKeyed(ResolveApprovalDocument, input, o)).resolveApproval, 'ResolveApprovalPayload'),
    async dispose() {
      const client = wsClient;
      wsClient = null;
      if (client) await (await client).dispose();
    },
  };
}

async function openWsClient(options: ZagensClientOptions, authorization: { Authorization: string } | undefined): Promise<Client> {
  const url = options.wsUrl ?? toWsUrl(options.url);
  const webSocketImpl = options.webSocketImpl ?? (await defaultWebSocket(authorization));
  const keepAlive = options.keepAliveMs ?? 10_000;
  const pongTimeout = options.pongTimeoutMs ?? 5_000;
  let socket: { readyState: number; close(code?: number, reason?: string): void } | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  return createClient({
    url,
    webSocketImpl,
    lazy: true,
    // Reconnecting is ours to do (threadEvents resubscribes with the last seq); graphql-ws gives up at once.
    retryAttempts: 0,
    keepAlive,
    // The server takes the token from connection_init's `authToken` (a browser WebSocket cannot send headers).
    connectionParams: { ...options.connectionParams, ...(options.authToken ? { authToken: options.authToken } : {}) },
    on: {
      connected: (s) => {
        socket = s as typeof socket;
      },
      ping: (received) => {
        if (received || !pongTimeout) return;
        clearTimeout(pongTimer);
        // No pong in time: the connection is dead without having said so. Closing it lets the follow resume.
        pongTimer = setTimeout(() => {
          if (socket?.readyState === 1) socket.close(CLOSE_CODES.TIMEOUT, 'pong timeout');
        }, pongTimeout);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: () => {
        clearTimeout(pongTimer);
        socket = null;
      },
    },
  });
}

/** The global WebSocket, else `ws` (Node < 22), which can also carry the Authorization header on the upgrade. */
async function defaultWebSocket(authorization: { Authorization: string } | undefined): Promise<unknown> {
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket;
  const { default: WebSocket } = await import('ws');
  if (!authorization) return WebSocket;
  return class AuthorizedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: authorization });
    }
  };
}

function toWsUrl(url: string): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const parsed = new URL(url, base);
  parsed.protocol = parsed.protocol === 'https:' ? 'wss:' : 'ws:';
  return parsed.toString();
}

const printCache = new WeakMap<DocumentNode, string>();

function printed(document: DocumentNode): string {
  let query = printCache.get(document);
  if (query === undefined) printCache.set(document, (query = print(document)));
  return query;
}

/** The codegen's sha256 of a generated document (`__meta__.hash`, `sha256:<hex>`), as bare hex. */
function persistedHash(document: DocumentNode): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash.replace(/^sha256:/, '') : undefined;
}

function operationNameOf(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value;
  }
  return undefined;
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number' && 'reason' in value;
}

function isRetryable(error: unknown): boolean {
  if (Array.isArray(error)) return false; // GraphQL errors of the subscription itself
  if (isCloseEvent(error)) return !FATAL_CLOSE_CODES.has(error.code);
  // A socket error before the close event (connection refused, reset...), as an Error or as the WebSocket's
  // ErrorEvent (`ws` and browsers hand graphql-ws an event, not an Error, e.g. when the server is restarting).
  const event =
    typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'error'
      ? (error as { error?: unknown; message?: unknown })
      : null;
  if (event) {
    if (event.error instanceof Error) return isRetryable(event.error);
    // A browser's WebSocket tells nothing about why it failed (refused, reset, upgrade answered 503): try again.
    return event.message === undefined || /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT/i.test(String(event.message));
  }
  if (!(error instanceof Error)) return false;
  // `ws` reports a refused upgrade as "Unexpected server response: <status>": the cap (503), rate limits, a proxy.
  const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
  if (status) return RETRYABLE_UPGRADE_STATUSES.has(Number(status));
  return /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket|closed|WebSocket/i.test(`${error.message} ${causeOf(error)}`);
}

/** HTTP answers to a WebSocket upgrade after which connecting again can help. */
const RETRYABLE_UPGRADE_STATUSES = new Set([429, 502, 503, 504]);

/** A socket's error event as the Error inside it (`ws`), else as it is: what onReconnect reports. */
function unwrapErrorEvent(error: unknown): unknown {
  const inner =
    typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'error' ? (error as { error?: unknown }).error : undefined;
  return inner instanceof Error ? inner : error;
}

function subscriptionError(operationName: string | undefined, error: unknown): Error {
  if (error instanceof ZagensGraphQLError) return error;
  if (Array.isArray(error)) return new ZagensGraphQLError(operationName, error as GraphQLFormattedError[]);
  if (isCloseEvent(error)) return new ZagensGraphQLError(operationName, [{ message: `WebSocket closed: ${describeClose(error)}` }]);
  return error instanceof Error ? error : new Error(String(error));
}

function describeClose(error: unknown): string {
  if (isCloseEvent(error)) return `${error.code}${error.reason ? ` ${error.reason}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

function describeError(error: GraphQLFormattedError): string {
  const code = error.extensions?.code;
  const path = error.path?.length ? ` at ${error.path.join('.')}` : '';
  return `${error.message}${path}${typeof code === 'string' ? ` [${code}]` : ''}`;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** How an event stream's connection ended: fatal (a refusal, GraphQL errors) or worth resubscribing. */
type StreamFailure = { fatal: true; error: Error } | { fatal: false; reason: unknown };

function wsFailure(operationName: string, error: unknown): StreamFailure {
  if (error instanceof ZagensGraphQLError || !isRetryable(error)) return { fatal: true, error: subscriptionError(operationName, error) };
  return { fatal: false, reason: unwrapErrorEvent(error) };
}

/** The name filter as the server applies it: exact names, and prefixes ending in a dot. */
function matchesNames(name: string, names: readonly string[]): boolean {
  return names.some((entry) => (entry.endsWith('.') ? name.startsWith(entry) : name === entry));
}

/** The OverloadedError a keyed mutation answered (its one root field), else null. */
function overloadedAnswer(data: unknown): { __typename: string; code?: string; message?: string; retryAfterMs?: number } | null {
  if (typeof data !== 'object' || data === null) return null;
  const [answer] = Object.values(data) as unknown[];
  const typed = answer as { __typename?: unknown; code?: unknown; message?: unknown; retryAfterMs?: unknown } | null;
  if (typed?.__typename !== 'OverloadedError') return null;
  return {
    __typename: 'OverloadedError',
    code: typeof typed.code === 'string' ? typed.code : undefined,
    message: typeof typed.message === 'string' ? typed.message : undefined,
    retryAfterMs: typeof typed.retryAfterMs === 'number' ? typed.retryAfterMs : undefined,
  };
}
