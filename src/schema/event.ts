import { isIdOf } from '../domain/ids.js';
import { isFinalStatus } from '../domain/enums.js';
import { eventFilterProblem, eventMatcher, MAX_FILTER_ENTRIES, type EventFilter } from '../domain/eventFilter.js';
import { EVENT_NAMES, PURGED_EVENT, type EventRecord } from '../domain/events.js';
import { builder } from './builder.js';
import type { SchemaContext } from './context.js';
import { EventRef, ItemRef, ThreadRef, TurnRef } from './refs.js';
import { codedError } from './codedError.js';

const MAX_EVENTS = 5000;

EventRef.implement({
  description: 'One change, with a gapless global `seq`. thread/turn/item are the current state (null if deleted).',
  fields: (t) => ({
    seq: t.expose('seq', {
      type: 'SafeInt',
      description: "Position in the global log, strictly increasing (a thread's events skip numbers); resume with `sinceSeq` = the last seq seen.",
    }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'When the event was recorded.' }),
    name: t.exposeString('name', {
      description: `Dotted event name: ${EVENT_NAMES.map((n) => (n === PURGED_EVENT ? `${n} (a content-free row where an event of a purged thread was)` : n)).join(', ')} (more may be added; ignore names you do not know).`,
    }),
    threadId: t.exposeID('threadId', { description: 'The thread the event belongs to.' }),
    turnId: t.exposeID('turnId', {
      nullable: true,
      description: 'The turn, for turn.*, item.*, approval.* and usage.recorded events; null for thread-level events.',
    }),
    itemId: t.exposeID('itemId', { nullable: true, description: 'The item, for item.* events (and approvals of a tool item); null otherwise.' }),
    payload: t.expose('payload', {
      type: 'JSON',
      description:
        "A JSON object whose fields depend on `name` (the SDK's `EventPayloads` has each shape), e.g. item.delta `{kind, delta}` (append `delta` to the item's text), turn.completed `{status, error, durationMs, usage, costUsd}`, approval.required `{approvalId, toolName, arguments, reason, expiresAt}`.",
    }),
    thread: t.field({
      type: ThreadRef,
      nullable: true,
      description: 'The thread as it is now (not as it was at the event); null when deleted.',
      resolve: (e, _, ctx) => ctx.loaders.thread.load(e.threadId),
    }),
    turn: t.field({
      type: TurnRef,
      nullable: true,
      description: 'The turn as it is now; null when the event has no turn or it was deleted.',
      resolve: (e, _, ctx) => (e.turnId ? ctx.loaders.turn.load(e.turnId) : null),
    }),
    item: t.field({
      type: ItemRef,
      nullable: true,
      description: 'The item as it is now; null when the event has no item or it was deleted.',
      resolve: (e, _, ctx) => (e.itemId ? ctx.loaders.item.load(e.itemId) : null),
    }),
  }),
});

function checkSeq(sinceSeq: number | null | undefined): number {
  const seq = sinceSeq ?? 0;
  if (seq < 0) throw codedError('VALIDATION', 'sinceSeq must be >= 0');
  return seq;
}

/**
 * Where a subscription resumes: after `sinceSeq`, or after the SSE Last-Event-ID the client reconnected with when
 * that is further (an EventSource resends its original URL, with the old sinceSeq, plus the header).
 */
function resumeAfter(ctx: SchemaContext, sinceSeq: number): number {
  const header = ctx.sse?.lastEventId;
  if (header == null || header.trim() === '') return sinceSeq;
  const seq = Number(header.trim());
  if (!/^\d+$/.test(header.trim()) || !Number.isSafeInteger(seq))
    throw codedError('VALIDATION', 'Last-Event-ID must be the seq of an event received (a non-negative integer)');
  return Math.max(sinceSeq, seq);
}

const NAMES_DESCRIPTION = `Only events with these names: exact names (\`turn.completed\`) and prefixes ending in a dot (\`item.\` for every item.* event); at most ${MAX_FILTER_ENTRIES}. An unknown name is a VALIDATION error. Omitted: every event. Seqs stay ascending and every matching event is delivered once; events left out are skipped on the server.`;

/** The predicate of a subscription's filter arguments (VALIDATION when they cannot be used); null: every event. */
function checkFilter(filter: EventFilter): ((event: EventRecord) => boolean) | null {
  const problem = eventFilterProblem(filter);
  if (problem) throw codedError('VALIDATION', problem);
  return eventMatcher(filter);
}

function checkThreadId(id: string): string {
  if (!isIdOf('thread', id)) throw codedError('VALIDATION', `threadId: not a thread id`);
  return id;
}

builder.queryField('events', (t) =>
  t.field({
    type: [EventRef],
    description: `Events of a thread with seq > sinceSeq, ascending (plain replay); at most ${MAX_EVENTS}.`,
    args: {
      threadId: t.arg.id({ required: true, description: 'A thread id (`thr_…`); another string fails with code VALIDATION.' }),
      sinceSeq: t.arg({
        type: 'SafeInt',
        required: false,
        defaultValue: 0,
        description: 'Only events with seq greater than this (>= 0); default 0: from the first.',
      }),
      limit: t.arg.int({
        required: false,
        defaultValue: 500,
        description: `At most this many, 0 to ${MAX_EVENTS} (else code OUT_OF_RANGE); default 500. Page on with sinceSeq = the last seq returned.`,
      }),
    },
    resolve: (_, args, ctx) => {
      const limit = args.limit ?? 500;
      if (limit < 0 || limit > MAX_EVENTS) throw codedError('OUT_OF_RANGE', `limit must be between 0 and ${MAX_EVENTS}`);
      return ctx.rt.store.readEvents(checkThreadId(String(args.threadId)), checkSeq(args.sinceSeq), limit);
    },
  }),
);

/** Each event is resolved against the state of its moment, not what the subscription loaded earlier. */
const freshEvent = (event: EventRecord, _args: unknown, ctx: SchemaContext) => {
  ctx.loaders.clearAll();
  if (ctx.sse) ctx.sse.seq = event.seq;
  return event;
};

builder.subscriptionFields((t) => ({
  threadEvents: t.field({
    type: EventRef,
    description:
      'Replays events with seq > sinceSeq, then goes live: ascending, no gap, no duplicate. Over SSE each event has `id: <seq>`; a reconnection with `Last-Event-ID` resumes after it.',
    args: {
      threadId: t.arg.id({ required: true, description: 'A thread id (`thr_…`); another string fails with code VALIDATION.' }),
      sinceSeq: t.arg({
        type: 'SafeInt',
        required: false,
        description: 'Replay events with seq greater than this first (>= 0); omitted: 0, the whole thread.',
      }),
      names: t.arg.stringList({ required: false, description: NAMES_DESCRIPTION }),
    },
    subscribe: (_, args, ctx) => {
      const threadId = checkThreadId(String(args.threadId));
      const accept = checkFilter({ names: args.names });
      return ctx.rt.events({
        threadId,
        follows: [threadId],
        connection: ctx.connection,
        sinceSeq: resumeAfter(ctx, checkSeq(args.sinceSeq)),
        writable: ctx.writable,
        full: ctx.full,
        storedReplay: ctx.storedReplay,
        deliver: ctx.deliver,
        ...(accept && { accept }),
      });
    },
    resolve: freshEvent,
  }),
  runtimeEvents: t.field({
    type: EventRef,
    description:
      "Every thread's events (dashboards, thread lists); replays seq > sinceSeq first when given. Over SSE each event has `id: <seq>`; a reconnection with `Last-Event-ID` resumes after it.",
    args: {
      sinceSeq: t.arg({
        type: 'SafeInt',
        required: false,
        description: "Replay every thread's events with seq greater than this first; omitted: live events only.",
      }),
      names: t.arg.stringList({ required: false, description: NAMES_DESCRIPTION }),
      threadIds: t.arg.idList({
        required: false,
        description: `Only events of these threads (at most ${MAX_FILTER_ENTRIES}; a string that is not a thread id: VALIDATION). Omitted: every thread. With one thread the replay reads that thread's index, not the whole log.`,
      }),
    },
    subscribe: (_, args, ctx) => {
      const threadIds = args.threadIds?.map(String) ?? null;
      const accept = checkFilter({ names: args.names, threadIds });
      const single = threadIds && new Set(threadIds).size === 1 ? threadIds[0]! : null;
      return ctx.rt.events({
        threadId: single,
        // Following named threads counts as following each; every thread's events (no threadIds) count for none.
        follows: threadIds ?? [],
        connection: ctx.connection,
        sinceSeq: args.sinceSeq == null && !ctx.sse?.lastEventId ? ctx.rt.log.latestSeq : resumeAfter(ctx, checkSeq(args.sinceSeq)),
        writable: ctx.writable,
        full: ctx.full,
        storedReplay: ctx.storedReplay,
        deliver: ctx.deliver,
        ...(accept && { accept }),
      });
    },
    resolve: freshEvent,
  }),
  turnEvents: t.field({
    type: EventRef,
    description:
      'All events of one turn, from its first; completes after the turn ends. Over SSE each event has `id: <seq>`; a reconnection with `Last-Event-ID` resumes after it.',
    args: {
      turnId: t.arg.id({ required: true, description: 'A turn id (`turn_…`); an unknown turn fails with code NOT_FOUND.' }),
      names: t.arg.stringList({
        required: false,
        description: `${NAMES_DESCRIPTION} The stream still completes after turn.completed when that is left out.`,
      }),
    },
    // Returns the stream itself (not `yield*` from a generator of ours, whose return() would wait for the next
    // event): a client's `complete` ends it at once.
    subscribe: async (_, args, ctx) => {
      const turnId = String(args.turnId);
      const selected = checkFilter({ names: args.names });
      const turn = isIdOf('turn', turnId) ? ctx.rt.overlayTurn(await ctx.rt.store.getTurn(turnId)) : null;
      if (!turn) throw codedError('NOT_FOUND', `turn ${turnId} not found`);
      const replayOnly = isFinalStatus(turn.status);
      return ctx.rt.events({
        threadId: turn.threadId,
        // A running or queued turn's follower follows its thread live; a finished turn's replay does not.
        follows: replayOnly ? [] : [turn.threadId],
        connection: ctx.connection,
        sinceSeq: resumeAfter(ctx, turn.startSeq ?? 0),
        // A finished turn gets nothing new: after its stored events the stream ends (also when a reconnection
        // resumes past its turn.completed).
        replayOnly,
        accept: (e) => e.turnId === turnId && (!selected || selected(e)),
        isLast: (e) => e.turnId === turnId && e.name === 'turn.completed',
        writable: ctx.writable,
        full: ctx.full,
        storedReplay: ctx.storedReplay,
        deliver: ctx.deliver,
      });
    },
    resolve: freshEvent,
  }),
}));
