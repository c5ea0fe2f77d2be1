import { isIdOf } from '../domain/ids.js';
import { builder } from './builder.js';
import { codedError } from './codedError.js';
import { ThreadRef } from './refs.js';
import type { ThreadPresenceState } from '../runtime/presence.js';

/** What Thread.subscriberCount and ThreadPresence.subscriberCount count (docs/DESIGN.md "Presence"). */
export const PRESENCE_COUNT_DESCRIPTION =
  'Clients following this thread live now (with a shared PostgreSQL database: on every live node): distinct connections (a WebSocket with several subscriptions counts once, each SSE stream once) with an open threadEvents of the thread, turnEvents of one of its unfinished turns, or runtimeEvents whose threadIds include it. A client that vanishes without closing is counted out when its connection is found dead (WebSocket: an unanswered ping; SSE: the TCP connection closes). Not stored, not an event of the log; follow changes with the threadPresence subscription.';

const ThreadPresenceRef = builder.objectRef<ThreadPresenceState>('ThreadPresence').implement({
  description: 'How many clients follow a thread live now (live state, not an event of the log: it has no seq and is never replayed).',
  fields: (t) => ({
    threadId: t.exposeID('threadId', { description: 'The thread.' }),
    subscriberCount: t.exposeInt('subscriberCount', { description: PRESENCE_COUNT_DESCRIPTION }),
    thread: t.field({
      type: ThreadRef,
      nullable: true,
      description: 'The thread as it is now; null when deleted.',
      resolve: (p, _, ctx) => ctx.loaders.thread.load(p.threadId),
    }),
  }),
});

builder.subscriptionField('threadPresence', (t) =>
  t.field({
    type: ThreadPresenceRef,
    description:
      "A thread's subscriberCount now, then each time it changes: at most one per thread per second (a count that flaps within it arrives once, as it is then; the same count twice in a row is not sent). Watching presence does not count as following the thread. Errors: VALIDATION (not a thread id), NOT_FOUND (no such thread).",
    args: { threadId: t.arg.id({ required: true, description: 'A thread id (`thr_…`).' }) },
    // Returns the stream itself (a generator of ours around it would hold a client's `complete` until the next change).
    subscribe: async (_, args, ctx) => {
      const threadId = String(args.threadId);
      if (!isIdOf('thread', threadId)) throw codedError('VALIDATION', 'threadId: not a thread id');
      if (!(await ctx.rt.store.getThread(threadId))) throw codedError('NOT_FOUND', `thread ${threadId} not found`);
      return ctx.rt.presence.counts(threadId);
    },
    resolve: (p, _, ctx) => {
      ctx.loaders.clearAll();
      return p;
    },
  }),
);
