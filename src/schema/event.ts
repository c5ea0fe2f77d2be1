import { GraphQLError } from 'graphql';
import { isIdOf } from '../domain/ids.js';
import type { EventRecord } from '../domain/records.js';
import { builder } from './builder.js';
import type { SchemaContext } from './context.js';
import { EventRef, ItemRef, ThreadRef, TurnRef } from './refs.js';

export const EVENT_SCHEMA_VERSION = 1;
const MAX_EVENTS = 5000;

EventRef.implement({
  description: 'One change, with a gapless global `seq`. thread/turn/item are the current state (null if deleted).',
  fields: (t) => ({
    seq: t.expose('seq', { type: 'SafeInt' }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    name: t.exposeString('name', { description: 'Dotted event name, e.g. "turn.started", "item.delta".' }),
    threadId: t.exposeID('threadId'),
    turnId: t.exposeID('turnId', { nullable: true }),
    itemId: t.exposeID('itemId', { nullable: true }),
    payload: t.expose('payload', { type: 'JSON' }),
    thread: t.field({ type: ThreadRef, nullable: true, resolve: (e, _, ctx) => ctx.loaders.thread.load(e.threadId) }),
    turn: t.field({ type: TurnRef, nullable: true, resolve: (e, _, ctx) => (e.turnId ? ctx.loaders.turn.load(e.turnId) : null) }),
    item: t.field({ type: ItemRef, nullable: true, resolve: (e, _, ctx) => (e.itemId ? ctx.loaders.item.load(e.itemId) : null) }),
  }),
});

function checkSeq(sinceSeq: number | null | undefined): number {
  const seq = sinceSeq ?? 0;
  if (seq < 0) throw new GraphQLError('sinceSeq must be >= 0', { extensions: { code: 'VALIDATION' } });
  return seq;
}

function checkThreadId(id: string): string {
  if (!isIdOf('thread', id)) throw new GraphQLError(`threadId: not a thread id`, { extensions: { code: 'VALIDATION' } });
  return id;
}

builder.queryField('events', (t) =>
  t.field({
    type: [EventRef],
    description: `Events of a thread with seq > sinceSeq, ascending (plain replay); at most ${MAX_EVENTS}.`,
    args: {
      threadId: t.arg.id({ required: true }),
      sinceSeq: t.arg({ type: 'SafeInt', required: false, defaultValue: 0 }),
      limit: t.arg.int({ required: false, defaultValue: 500 }),
    },
    resolve: (_, args, ctx) => {
      const limit = args.limit ?? 500;
      if (limit < 0 || limit > MAX_EVENTS) throw new GraphQLError(`limit must be between 0 and ${MAX_EVENTS}`, { extensions: { code: 'OUT_OF_RANGE' } });
      return ctx.rt.store.readEvents(checkThreadId(String(args.threadId)), checkSeq(args.sinceSeq), limit);
    },
  }),
);

/** Each event is resolved against the state of its moment, not what the subscription loaded earlier. */
const freshEvent = (event: EventRecord, _args: unknown, ctx: SchemaContext) => {
  ctx.loaders.clearAll();
  return event;
};

builder.subscriptionFields((t) => ({
  threadEvents: t.field({
    type: EventRef,
    description: 'Replays events with seq > sinceSeq, then goes live: ascending, no gap, no duplicate.',
    args: { threadId: t.arg.id({ required: true }), sinceSeq: t.arg({ type: 'SafeInt', required: false }) },
    subscribe: (_, args, ctx) =>
      ctx.rt.events({ threadId: checkThreadId(String(args.threadId)), sinceSeq: checkSeq(args.sinceSeq), writable: ctx.writable }),
    resolve: freshEvent,
  }),
  runtimeEvents: t.field({
    type: EventRef,
    description: 'Every thread\'s events (dashboards, thread lists); replays seq > sinceSeq first when given.',
    args: { sinceSeq: t.arg({ type: 'SafeInt', required: false }) },
    subscribe: (_, args, ctx) =>
      ctx.rt.events({ threadId: null, sinceSeq: args.sinceSeq == null ? ctx.rt.log.latestSeq : checkSeq(args.sinceSeq), writable: ctx.writable }),
    resolve: freshEvent,
  }),
  turnEvents: t.field({
    type: EventRef,
    description: 'All events of one turn, from its first; completes after the turn ends.',
    args: { turnId: t.arg.id({ required: true }) },
    // Returns the stream itself (not `yield*` from a generator of ours, whose return() would wait for the next
    // event): a client's `complete` ends it at once.
    subscribe: async (_, args, ctx) => {
      const turnId = String(args.turnId);
      const turn = isIdOf('turn', turnId) ? ctx.rt.overlayTurn(await ctx.rt.store.getTurn(turnId)) : null;
      if (!turn) throw new GraphQLError(`turn ${turnId} not found`, { extensions: { code: 'NOT_FOUND' } });
      return ctx.rt.events({
        threadId: turn.threadId,
        sinceSeq: turn.startSeq ?? 0,
        accept: (e) => e.turnId === turnId,
        isLast: (e) => e.name === 'turn.completed',
        writable: ctx.writable,
      });
    },
    resolve: freshEvent,
  }),
}));
