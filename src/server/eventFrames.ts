import {
  createSourceEventStream,
  getNamedType,
  getOperationAST,
  isScalarType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';
import type { WebSocket } from 'ws';
import type { EventRecord } from '../domain/events.js';
import { StoredEvent } from '../domain/storedEvent.js';
import type { EventPageStream } from '../runtime/eventStream.js';

/**
 * Subscription fan-out without per-subscriber GraphQL execution (docs/DESIGN.md "Event log").
 *
 * An event subscription whose selection is only the event's own scalar fields (seq, name, payload, ...: no
 * nested thread/turn/item, no directives, no fragments) has a result that depends on the event alone. Such an
 * operation gets a `FramePlan`; its events are serialized once per event and distinct selection (a cache on the
 * published event object, which every live subscriber shares) and written straight to the socket as graphql-ws
 * `next` frames, sockets corked until the event loop's check phase. Any other operation is executed as before.
 * Replayed events come from the store as StoredEvent: for the selection of exactly the stored layout (seq
 * timestamp name threadId turnId itemId payload, no alias) the stored JSON text is the frame's data as it is.
 */

const EVENT_ROOT_FIELDS = new Set(['threadEvents', 'runtimeEvents', 'turnEvents']);
const EVENT_SCALARS = new Set(['seq', 'timestamp', 'name', 'threadId', 'turnId', 'itemId', 'payload']);

interface PlannedField {
  /** The response key (alias or name). */
  key: string;
  /** The event property, or null for __typename. */
  property: keyof EventRecord | null;
  scalar: GraphQLScalarType | null;
}

export interface FramePlan {
  rootKey: string;
  typeName: string;
  fields: PlannedField[];
  /** Distinct selections share one cache entry per event. */
  signature: string;
  /** The selection is the stored layout (storedEvent.ts): a StoredEvent's text is the answer as it is. */
  storedLayout: boolean;
}

const STORED_LAYOUT = 'seq:seq,timestamp:timestamp,name:name,threadId:threadId,turnId:turnId,itemId:itemId,payload:payload';

/** A plan when the operation is an event subscription selecting only the event's scalars, else null. */
export function framePlan(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): FramePlan | null {
  if (document.definitions.length !== 1) return null;
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription' || operation.directives?.length) return null;
  const [root, ...others] = operation.selectionSet.selections;
  if (!root || others.length || root.kind !== Kind.FIELD || root.directives?.length) return null;
  if (!EVENT_ROOT_FIELDS.has(root.name.value) || !root.selectionSet) return null;
  const rootField = schema.getSubscriptionType()?.getFields()[root.name.value];
  if (!rootField) return null;
  const eventType = getNamedType(rootField.type);
  if (!('getFields' in eventType)) return null;
  const eventFields = eventType.getFields();
  const fields: PlannedField[] = [];
  for (const selection of root.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length || selection.arguments?.length || selection.selectionSet) return null;
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    if (name === '__typename') {
      fields.push({ key, property: null, scalar: null });
      continue;
    }
    const type = eventFields[name]?.type;
    const named = type ? getNamedType(type) : null;
    if (!EVENT_SCALARS.has(name) || !named || !isScalarType(named)) return null;
    fields.push({ key, property: name as keyof EventRecord, scalar: named });
  }
  const rootKey = root.alias?.value ?? root.name.value;
  const selection = fields.map((f) => `${f.key}:${f.property ?? '__typename'}`).join(',');
  return {
    rootKey,
    typeName: eventType.name,
    fields,
    signature: `${eventType.name}|${rootKey}|${selection}`,
    storedLayout: selection === STORED_LAYOUT,
  };
}

/** The `payload` of a graphql-ws `next` message for `event`, as JSON text (one per event and selection). */
const payloads = new WeakMap<EventRecord, Map<string, string>>();

function payloadJson(plan: FramePlan, event: EventRecord): string {
  if (event instanceof StoredEvent) return plan.storedLayout ? `{"data":{${JSON.stringify(plan.rootKey)}:${event.json}}}` : dataJson(plan, event);
  let bySelection = payloads.get(event);
  const cached = bySelection?.get(plan.signature);
  if (cached !== undefined) return cached;
  const json = dataJson(plan, event);
  if (!bySelection) payloads.set(event, (bySelection = new Map()));
  bySelection.set(plan.signature, json);
  return json;
}

function dataJson(plan: FramePlan, event: EventRecord): string {
  const data: Record<string, unknown> = {};
  for (const f of plan.fields) {
    if (f.property === null) data[f.key] = plan.typeName;
    else {
      const value = event[f.property];
      data[f.key] = value == null ? null : f.scalar!.serialize(value);
    }
  }
  return JSON.stringify({ data: { [plan.rootKey]: data } });
}

/**
 * Sockets corked in this turn of the event loop, uncorked together in its check phase (setImmediate: after the
 * microtasks a page of replayed events is sent in), so a burst of frames is one write per socket.
 */
const corked = new Set<RawSocket>();
/** A corked socket holding this much is written at once (a replay page can be megabytes). */
const CORK_LIMIT = 64 * 1024;

interface RawSocket {
  cork(): void;
  uncork(): void;
  readonly writableLength: number;
}

function uncorkAll(): void {
  for (const raw of corked) raw.uncork();
  corked.clear();
}

function sendCorked(socket: WebSocket, frame: string): void {
  if (socket.readyState !== socket.OPEN) return;
  // ws keeps its net.Socket private; corking it merges this tick's frames into one write.
  const raw = (socket as unknown as { _socket?: RawSocket })._socket;
  if (raw && !corked.has(raw)) {
    if (corked.size === 0) setImmediate(uncorkAll);
    raw.cork();
    corked.add(raw);
  }
  socket.send(frame);
  if (raw && raw.writableLength >= CORK_LIMIT && corked.delete(raw)) raw.uncork();
}

export interface FrameTarget {
  plan: FramePlan;
  socket: WebSocket;
  /** The graphql-ws operation id. */
  id: string;
}

/** Writes `event` to the target's socket as its `next` frame (the stream's `deliver`, and its yielded events). */
export function frameSender(target: FrameTarget): (event: EventRecord) => void {
  const prefix = `{"id":${JSON.stringify(target.id)},"type":"next","payload":`;
  return (event) => sendCorked(target.socket, prefix + payloadJson(target.plan, event) + '}');
}

/**
 * The subscription as graphql-ws consumes it: the source event stream (the field's own subscribe resolver, so
 * arguments, replay, limits and backpressure are unchanged) pumped into frames written to the socket. Its
 * `next()` settles only when the stream ends (graphql-ws then sends `complete`) or fails (graphql-ws sends
 * `error`); `return()` (the client's `complete`, or the socket closing) ends the source at once. When the
 * source cannot be created, `fallback` (ordinary execution) reports the errors exactly as before. Once the
 * stream is live it pushes events through `deliver` (frameSender) itself and this pump waits.
 */
export async function subscribeFrames(
  args: ExecutionArgs,
  target: FrameTarget,
  fallback: (args: ExecutionArgs) => unknown,
): Promise<AsyncGenerator<never> | unknown> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return fallback(args);
  const iterator = (source as AsyncIterable<EventRecord>)[Symbol.asyncIterator]();
  const send = frameSender(target);
  let stopped = false;
  // A stream that gives pages (src/runtime/eventStream.ts) has each page's frames written in one go.
  const nextPage = (iterator as Partial<EventPageStream>).nextPage?.bind(iterator);
  const pumped = (async () => {
    for (;;) {
      if (nextPage) {
        const step = await nextPage();
        if (step.done || stopped) return;
        for (const event of step.value) send(event);
        continue;
      }
      const step = await iterator.next();
      if (step.done || stopped) return;
      send(step.value);
    }
  })();
  // A failure reaches graphql-ws through next(); once the operation was stopped nobody waits for it.
  pumped.catch(() => undefined);
  const done = { done: true, value: undefined } as IteratorReturnResult<undefined>;
  const stop = async () => {
    if (stopped) return done;
    stopped = true;
    await iterator.return?.();
    return done;
  };
  const generator: AsyncGenerator<never> = {
    next: async () => {
      await pumped;
      return done;
    },
    return: stop,
    throw: async (error) => {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]: () => generator,
  } as AsyncGenerator<never>;
  return generator;
}
