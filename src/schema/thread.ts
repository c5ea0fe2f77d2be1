import { ARCHIVED_FILTERS, ORDER_DIRECTIONS, TASK_TYPE_INPUTS, TASK_TYPES, THREAD_ORDER_FIELDS, THREAD_STATUSES } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import { ConflictError, NotFoundError, OutOfRangeError, ValidationError, WorkspaceInvalidError } from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import { DEFAULT_SANDBOX_POLICY, effectiveSandboxPolicy, type ForkOrigin, type ThreadRecord } from '../domain/records.js';
import { emptyAccumulator, finishTotals } from '../domain/usage.js';
import { createThread, deleteThread, forkThread, updateThread } from '../runtime/threadCommands.js';
import { builder } from './builder.js';
import { zodInputFields } from './zodFields.js';
import { connectionArgs, connectionOf, pageArgs } from './connection.js';
import { NodeRef, ThreadRef, TurnRef } from './refs.js';
import { UsageTotalsRef } from './usage.js';
import { SandboxModeEnum, SandboxPolicyRef } from './sandbox.js';
import { clientRequestIdField } from './idempotency.js';
import { codedError } from './codedError.js';
import { PRESENCE_COUNT_DESCRIPTION } from './presence.js';
import { metadataFilterSchema, type ThreadMetadata } from '../domain/threadMetadata.js';
import { firstIssue, threadSettingsSchema } from '../domain/validation.js';
import { threadCursorKind } from '../store/threadOrder.js';

const TASK_TYPE_DESCRIPTIONS = {
  CODE: 'Software work in a code workspace.',
  OFFICE: 'Documents, mail and other office work.',
} as const;
export const TaskTypeEnum = builder.enumType('TaskType', {
  description: 'The kind of work a thread is for (a label clients can filter and display by).',
  values: enumValues(TASK_TYPES, TASK_TYPE_DESCRIPTIONS),
});
const TaskTypeInputEnum = builder.enumType('TaskTypeInput', {
  values: enumValues(TASK_TYPE_INPUTS, { AUTO: 'Let the server choose (currently CODE).', ...TASK_TYPE_DESCRIPTIONS }),
  description: 'AUTO lets the server choose (CODE).',
});
const ThreadStatusEnum = builder.enumType('ThreadStatus', {
  description: 'Whether a turn is running on the thread.',
  values: enumValues(THREAD_STATUSES, {
    IDLE: 'No turn is running; startTurn starts one at once.',
    RUNNING: 'A turn is running (activeTurn); a new prompt needs a `delivery` other than REJECT.',
  }),
});
const ArchivedFilterEnum = builder.enumType('ArchivedFilter', {
  description: 'Which threads a thread list includes, by their `archived` flag.',
  values: enumValues(ARCHIVED_FILTERS, {
    ACTIVE_ONLY: 'Threads not archived (the default).',
    INCLUDE_ARCHIVED: 'All threads.',
    ARCHIVED_ONLY: 'Archived threads only.',
  }),
});

const ForkOriginRef = builder.objectRef<ForkOrigin>('ForkOrigin').implement({
  description: 'Where a forked thread came from.',
  fields: (t) => ({
    thread: t.field({
      type: ThreadRef,
      nullable: true,
      description: 'The source thread; null when it was deleted since.',
      resolve: (f, _, ctx) => ctx.loaders.thread.load(f.threadId),
    }),
    threadId: t.exposeID('threadId', { description: 'Id of the source thread (kept when the source is deleted).' }),
    turn: t.field({
      type: TurnRef,
      nullable: true,
      description: 'The first source turn not copied; null when all were copied or it was deleted.',
      resolve: (f, _, ctx) => (f.turnId ? ctx.loaders.turn.load(f.turnId) : null),
    }),
    turnId: t.exposeID('turnId', { nullable: true, description: 'The first source turn not copied (null when all were copied).' }),
    depthFromTail: t.exposeInt('depthFromTail', { description: 'The depthFromTail the fork was made with; -1 when everything was copied.' }),
  }),
});

export const TurnConnection = connectionOf<import('../domain/records.js').TurnRecord>('Turn', TurnRef);

ThreadRef.implement({
  description: 'A conversation with its settings.',
  interfaces: [NodeRef],
  isTypeOf: (v) => isIdOf('thread', (v as ThreadRecord).id),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The thread id (`thr_…`), sorting by creation time; pass it to node(id:), threadEvents and startTurn.' }),
    title: t.exposeString('title', { nullable: true, description: 'Title for people (at most 500 characters); null when none was set.' }),
    model: t.exposeString('model', {
      description: 'Model of new turns unless a turn names another or a routing rule picks one, e.g. `deepseek-chat`.',
    }),
    mode: t.exposeString('mode', {
      description: 'Free-form label of how the agent works in this thread (default `agent`); stored and reported, at most 100 characters.',
    }),
    workspace: t.exposeString('workspace', { description: "Absolute path of the directory the agent's tools work in; tools never leave it." }),
    allowShell: t.exposeBoolean('allowShell', { description: 'Whether the agent may run shell commands (COMMAND_EXECUTION items); default false.' }),
    trustMode: t.exposeBoolean('trustMode', {
      description:
        'The older switch for sandbox FULL_ACCESS: on, shell commands run without sandbox and without the text screening, whatever `sandbox` says; default false.',
    }),
    sandbox: t.field({
      type: SandboxModeEnum,
      description: 'The sandbox shell commands run in (unless trustMode is on); default WORKSPACE_WRITE.',
      resolve: (th) => th.sandbox ?? DEFAULT_SANDBOX_POLICY.mode,
    }),
    networkAccess: t.boolean({
      description: 'Whether sandboxed commands may use the network; default false.',
      resolve: (th) => th.networkAccess ?? DEFAULT_SANDBOX_POLICY.networkAccess,
    }),
    sandboxPolicy: t.field({
      type: SandboxPolicyRef,
      description: 'The policy commands of this thread run under, trustMode included (a turn may override it).',
      resolve: (th) => effectiveSandboxPolicy(th),
    }),
    autoApprove: t.exposeBoolean('autoApprove', {
      description: 'On: risky tools (write_file, apply_patch, shell) run without asking; off (default): each waits for an Approval.',
    }),
    archived: t.exposeBoolean('archived', {
      description: 'Archived threads are hidden from `threads` by default and refuse new turns (THREAD_ARCHIVED).',
    }),
    systemPrompt: t.exposeString('systemPrompt', {
      nullable: true,
      description: 'Extra instructions sent to the model before the conversation (at most 64 KiB); null when none.',
    }),
    taskId: t.exposeString('taskId', {
      nullable: true,
      description: "The caller's own id for the task this thread belongs to (filter with ThreadFilter.taskId); null when none.",
    }),
    taskType: t.field({ type: TaskTypeEnum, description: 'The kind of work, set at creation.', resolve: (th) => th.taskType }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the thread was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last change of its settings or turns; `threads` lists newest first by it.' }),
    status: t.field({
      type: ThreadStatusEnum,
      description: 'RUNNING while a turn runs, else IDLE.',
      resolve: (th, _, ctx) => (ctx.rt.active.get(th.id) || th.activeTurnId ? 'RUNNING' : 'IDLE'),
    }),
    activeTurn: t.field({
      type: TurnRef,
      nullable: true,
      description: 'The running (IN_PROGRESS) turn; null when the thread is IDLE.',
      resolve: (th, _, ctx) => ctx.rt.active.get(th.id)?.turn ?? (th.activeTurnId ? ctx.loaders.turn.load(th.activeTurnId) : null),
    }),
    latestTurn: t.field({
      type: TurnRef,
      nullable: true,
      description: 'The newest turn, including a QUEUED one; null before the first turn.',
      resolve: (th, _, ctx) => (th.latestTurnId ? ctx.loaders.turn.load(th.latestTurnId) : null),
    }),
    turns: t.field({
      type: TurnConnection,
      description: 'Oldest first; the cursor is the turn id.',
      args: connectionArgs(t.arg),
      resolve: async (th, args, ctx) => ({
        page: await ctx.loaders.turnPage.load({ parentId: th.id, args: pageArgs(args, (c) => ctx.rt.store.checkCursor('turns', c)) }),
        totalCount: () => th.turnCount,
      }),
    }),
    queuedTurns: t.field({
      type: [TurnRef],
      description: 'QUEUED turns in the order they will run.',
      resolve: async (th, _, ctx) => {
        const ids = await ctx.rt.store.listQueuedTurnIds(th.id);
        return (await ctx.loaders.turn.loadMany(ids)).filter((x): x is NonNullable<typeof x> & object => !!x && !(x instanceof Error)) as never;
      },
    }),
    latestSeq: t.field({
      type: 'SafeInt',
      description: 'Seq of the newest event of this thread (0 if none).',
      resolve: (th, _, ctx) => ctx.loaders.latestSeq.load(th.id),
    }),
    subscriberCount: t.int({
      description: PRESENCE_COUNT_DESCRIPTION,
      resolve: (th, _, ctx) => ctx.rt.presence.count(th.id),
    }),
    forkedFrom: t.field({
      type: ForkOriginRef,
      nullable: true,
      description: 'Where this thread was forked from; null unless forkThread made it.',
      resolve: (th) => th.forkedFrom,
    }),
    usage: t.field({
      type: UsageTotalsRef,
      description: 'Over all ended turns of this thread.',
      resolve: (th) => finishTotals(th.usage ?? emptyAccumulator()),
    }),
    scratchpadRunId: t.exposeString('scratchpadRunId', {
      nullable: true,
      description: "The caller's id of the current scratchpad run (set with updateThread); null when none.",
    }),
    scratchpadRunHistory: t.exposeStringList('scratchpadRunHistory', {
      description: 'Earlier scratchpadRunId values, oldest first (a value moves here when it is replaced).',
    }),
    checklist: t.expose('checklist', {
      type: 'JSON',
      nullable: true,
      description:
        'The checklist the agent keeps with its update_checklist tool (JSON array of items); null until it makes one. Changes arrive as thread.updated.',
    }),
    plan: t.expose('plan', {
      type: 'JSON',
      nullable: true,
      description:
        'The plan the agent keeps with its update_plan tool (JSON array of steps); null until it makes one. Changes arrive as thread.updated.',
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When retention purges this thread (null: never by itself).',
      resolve: (th) => th.expiresAt ?? null,
    }),
    metadata: t.field({
      type: 'JSON',
      description:
        'Your labels for this thread: a JSON object of at most 16 keys with string, number or boolean values (`{}` when none), keys sorted. Filter with ThreadFilter.metadata; changes arrive as thread.updated.',
      resolve: (th) => th.metadata ?? {},
    }),
  }),
});

/** The fixed part of a search's price: at most a few searches fit in one operation (100,000 by default). */
export const SEARCH_SCAN_COST = 10_000;

const ThreadConnection = connectionOf<ThreadRecord>('Thread', ThreadRef);

const ThreadFilter = builder.inputType('ThreadFilter', {
  description: 'Which threads `threads` lists; the conditions combine with AND.',
  fields: (t) => ({
    archived: t.field({
      type: ArchivedFilterEnum,
      required: false,
      defaultValue: 'ACTIVE_ONLY',
      description: 'Archived threads or not; default ACTIVE_ONLY.',
    }),
    search: t.string({
      required: false,
      description:
        'Case-insensitive text in the title or any prompt (at most 500 characters, else a VALIDATION error). Not indexed: it reads every thread and turn, so it costs 10,000 plus the number of threads and turns stored in the query complexity budget.',
    }),
    taskId: t.string({ required: false, description: 'Only threads with exactly this taskId.' }),
    metadata: t.field({
      type: 'JSON',
      required: false,
      description:
        'Only threads whose metadata has every one of these keys with exactly this value, e.g. `{"project": "apollo", "tier": 1}` (a JSON object of 1 to 16 keys, string, number or boolean values; `1` and `"1"` differ). Indexed by each key and value: put the most selective key first. Anything else is a VALIDATION error.',
    }),
  }),
});

const ThreadOrderFieldEnum = builder.enumType('ThreadOrderField', {
  description: 'What a thread list is ordered by.',
  values: enumValues(THREAD_ORDER_FIELDS, {
    UPDATED_AT: 'The last change of its settings or turns (`updatedAt`).',
    CREATED_AT: 'Its creation (`createdAt`; thread ids sort the same way).',
  }),
});
const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Ascending (oldest first) or descending (newest first).',
  values: enumValues(ORDER_DIRECTIONS, { ASC: 'Oldest first.', DESC: 'Newest first.' }),
});
const ThreadOrderInput = builder.inputType('ThreadOrder', {
  description: "The order of `threads`. A cursor belongs to its field's order: both directions take it, the other field refuses it (VALIDATION).",
  fields: (t) => ({
    field: t.field({ type: ThreadOrderFieldEnum, required: true, defaultValue: 'UPDATED_AT', description: 'Default UPDATED_AT.' }),
    direction: t.field({ type: OrderDirectionEnum, required: true, defaultValue: 'DESC', description: 'Default DESC (newest first).' }),
  }),
});

/** A metadata filter checked at the edge; a bad one is a VALIDATION error naming `filter.metadata`. */
function metadataFilterOf(value: unknown): ThreadMetadata | null {
  if (value == null) return null;
  const parsed = metadataFilterSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error);
  throw codedError('VALIDATION', `filter.metadata${field ? `.${field}` : ''}: ${message}`, { field: 'filter.metadata' });
}

builder.queryFields((t) => ({
  thread: t.field({
    type: ThreadRef,
    nullable: true,
    description: 'A thread by id; null when no thread has it (also for ids of other kinds).',
    args: { id: t.arg.id({ required: true, description: 'A thread id (`thr_…`).' }) },
    resolve: (_, { id }, ctx) => (isIdOf('thread', String(id)) ? ctx.loaders.thread.load(String(id)) : null),
  }),
  threads: t.field({
    type: ThreadConnection,
    description:
      'Threads, newest updatedAt first unless `orderBy` says otherwise, a Relay connection (pages of at most 500). The cursor is opaque; pass endCursor back as `after`.',
    args: {
      ...connectionArgs(t.arg),
      filter: t.arg({ type: ThreadFilter, required: false, description: 'Which threads; default: the ones not archived.' }),
      orderBy: t.arg({ type: ThreadOrderInput, required: false, description: 'Default `{ field: UPDATED_AT, direction: DESC }`.' }),
    },
    // A search has no index: it reads every thread and turn, and is priced so (a page is priced by its size).
    complexity: (args, ctx) => ({
      field: args.filter?.search?.trim() ? SEARCH_SCAN_COST + ctx.rt.store.counts.threads + ctx.rt.store.counts.turns : 1,
      multiplier: Math.max(1, args.first ?? args.last ?? 50),
    }),
    resolve: async (_, args, ctx) => {
      const filter = {
        archived: args.filter?.archived ?? 'ACTIVE_ONLY',
        search: args.filter?.search,
        taskId: args.filter?.taskId,
        metadata: metadataFilterOf(args.filter?.metadata),
      } as const;
      if ((filter.search?.length ?? 0) > 500) throw codedError('VALIDATION', 'search: at most 500 characters');
      const order = { field: args.orderBy?.field ?? 'UPDATED_AT', direction: args.orderBy?.direction ?? 'DESC' } as const;
      const page = await ctx.rt.store.pageThreads(
        filter,
        pageArgs(args, (c) => ctx.rt.store.checkCursor(threadCursorKind(order), c)),
        order,
      );
      for (const e of page.entries) ctx.loaders.thread.prime(e.value.id, e.value);
      return { page, totalCount: () => page.total ?? ctx.rt.store.countThreads(filter) };
    },
  }),
}));

// ---- mutations ----

const CreateThreadInput = builder.inputType('CreateThreadInput', {
  description: "Settings of a new thread; every field is optional (`{}` uses the server's defaults).",
  fields: (t) => ({
    ...zodInputFields(t, threadSettingsSchema.omit({ scratchpadRunId: true })),
    taskType: t.field({ type: TaskTypeInputEnum, required: false, description: 'The kind of work; default AUTO.' }),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'Purge the thread, content and events, at this time.' }),
    clientRequestId: clientRequestIdField(t),
  }),
});

const UpdateThreadInput = builder.inputType('UpdateThreadInput', {
  description: 'Give at least one field besides threadId. An empty title or systemPrompt clears it.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread to change.' }),
    ...zodInputFields(t, threadSettingsSchema.omit({ taskId: true })),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'Purge the thread, content and events, at this time; null clears it.' }),
  }),
});

const threadPayload = (name: string, description: string, threadDescription: string) =>
  builder.objectRef<{ thread: ThreadRecord }>(name).implement({
    description,
    fields: (t) => ({ thread: t.field({ type: ThreadRef, description: threadDescription, resolve: (p) => p.thread }) }),
  });

builder.mutationFields((t) => ({
  createThread: t.field({
    description:
      'Creates a thread (event thread.started). Errors: VALIDATION (a setting too long or empty), WORKSPACE_INVALID, CONFLICT (clientRequestId used for another input).',
    type: threadPayload('CreateThreadPayload', 'A thread was created.', 'The new thread, IDLE, with no turns.'),
    errors: {
      types: [ValidationError, WorkspaceInvalidError, ConflictError],
      union: {
        name: 'CreateThreadResult',
        description: 'CreateThreadPayload, or the UserError that prevented it (ValidationError, WorkspaceInvalidError, ConflictError).',
      },
    },
    args: { input: t.arg({ type: CreateThreadInput, required: true, description: 'The settings; `{}` for the defaults.' }) },
    resolve: async (_, { input }, ctx) => ({ thread: await createThread(ctx.rt, input) }),
  }),
  updateThread: t.field({
    description:
      'Changes the given settings (event thread.updated with the changed field names; also thread.archived when `archived` changed). A running turn keeps the settings it started with. Errors: NOT_FOUND, VALIDATION, WORKSPACE_INVALID.',
    type: threadPayload(
      'UpdateThreadPayload',
      'The thread was updated (or already had these settings: then no event).',
      'The thread with its new settings.',
    ),
    errors: {
      types: [NotFoundError, ValidationError, WorkspaceInvalidError],
      union: {
        name: 'UpdateThreadResult',
        description: 'UpdateThreadPayload, or the UserError that prevented it (NotFoundError, ValidationError, WorkspaceInvalidError).',
      },
    },
    args: { input: t.arg({ type: UpdateThreadInput, required: true, description: 'The thread id and the settings to change.' }) },
    resolve: async (_, { input }, ctx) => ({ thread: await updateThread(ctx.rt, { ...input, threadId: String(input.threadId) }) }),
  }),
  deleteThread: t.field({
    description:
      'Purges the thread: its turns, items, approvals, workspace snapshots and events, interrupting a running turn first. The global log keeps a content-free `event.purged` row at each of its seqs; one thread.deleted event (payload: reason, purgedEvents) announces it. Errors: NOT_FOUND, VALIDATION.',
    type: builder.objectRef<{ deletedThreadId: string }>('DeleteThreadPayload').implement({
      description: 'The thread is gone; node(id:) now returns null for it and its turns and items.',
      fields: (f) => ({ deletedThreadId: f.exposeID('deletedThreadId', { description: 'Id of the deleted thread (evict it from client caches).' }) }),
    }),
    errors: {
      types: [NotFoundError, ValidationError],
      union: { name: 'DeleteThreadResult', description: 'DeleteThreadPayload, or NotFoundError / ValidationError.' },
    },
    args: {
      input: t.arg({
        type: builder.inputType('DeleteThreadInput', {
          description: 'The thread to delete.',
          fields: (f) => ({ threadId: f.id({ required: true, description: 'A thread id (`thr_…`).' }) }),
        }),
        required: true,
        description: 'The thread to delete.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({ deletedThreadId: await deleteThread(ctx.rt, String(input.threadId)) }),
  }),
  forkThread: t.field({
    description:
      "Makes a new thread with copies of the source's finished turns and their items (new ids), optionally stopping before a recent user turn (events thread.started and thread.forked on the new thread). Errors: NOT_FOUND, VALIDATION, OUT_OF_RANGE, CONFLICT (clientRequestId used for another input).",
    type: builder.objectRef<{ thread: ThreadRecord; originalUserText: string | null }>('ForkThreadPayload').implement({
      description: 'The fork was made.',
      fields: (f) => ({
        thread: f.field({
          type: ThreadRef,
          description: 'The new thread (IDLE, not archived, same settings and metadata as the source, `forkedFrom` set).',
          resolve: (p) => p.thread,
        }),
        originalUserText: f.exposeString('originalUserText', { nullable: true, description: 'The prompt of the dropped turn (to edit and resend).' }),
      }),
    }),
    errors: {
      types: [NotFoundError, ValidationError, OutOfRangeError, ConflictError],
      union: {
        name: 'ForkThreadResult',
        description: 'ForkThreadPayload, or NotFoundError / ValidationError / OutOfRangeError (depthFromTail beyond the user turns) / ConflictError.',
      },
    },
    args: {
      input: t.arg({
        description: 'The source thread and where to stop copying.',
        type: builder.inputType('ForkThreadInput', {
          description: 'The source thread and where to stop copying.',
          fields: (f) => ({
            threadId: f.id({ required: true, description: 'The source thread (`thr_…`); it is not changed.' }),
            depthFromTail: f.int({
              required: false,
              description: 'Stop before the Nth-from-last user turn (0 drops the newest); omitted: copy all.',
            }),
            clientRequestId: clientRequestIdField(f),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_, { input }, ctx) => forkThread(ctx.rt, String(input.threadId), input.depthFromTail, { clientRequestId: input.clientRequestId }),
  }),
}));
