import type { InputFieldBuilder } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { NotFoundError, OutOfRangeError, ValidationError, WorkspaceInvalidError } from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import type { ForkOrigin, ThreadRecord } from '../domain/records.js';
import { emptyAccumulator, finishTotals } from '../domain/usage.js';
import { createThread, deleteThread, forkThread, updateThread } from '../runtime/threadCommands.js';
import { builder, type SchemaTypes } from './builder.js';
import { connectionArgs, connectionOf, pageArgs } from './connection.js';
import { NodeRef, ThreadRef, TurnRef } from './refs.js';
import { UsageTotalsRef } from './usage.js';

export const TaskTypeEnum = builder.enumType('TaskType', { values: ['CODE', 'OFFICE'] as const });
const TaskTypeInputEnum = builder.enumType('TaskTypeInput', {
  values: ['AUTO', 'CODE', 'OFFICE'] as const,
  description: 'AUTO lets the server choose (CODE).',
});
const ThreadStatusEnum = builder.enumType('ThreadStatus', { values: ['IDLE', 'RUNNING'] as const });
const ArchivedFilterEnum = builder.enumType('ArchivedFilter', { values: ['ACTIVE_ONLY', 'INCLUDE_ARCHIVED', 'ARCHIVED_ONLY'] as const });

const ForkOriginRef = builder.objectRef<ForkOrigin>('ForkOrigin').implement({
  description: 'Where a forked thread came from.',
  fields: (t) => ({
    thread: t.field({ type: ThreadRef, nullable: true, resolve: (f, _, ctx) => ctx.loaders.thread.load(f.threadId) }),
    threadId: t.exposeID('threadId'),
    turn: t.field({ type: TurnRef, nullable: true, resolve: (f, _, ctx) => (f.turnId ? ctx.loaders.turn.load(f.turnId) : null) }),
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
    id: t.exposeID('id'),
    title: t.exposeString('title', { nullable: true }),
    model: t.exposeString('model'),
    mode: t.exposeString('mode'),
    workspace: t.exposeString('workspace'),
    allowShell: t.exposeBoolean('allowShell'),
    trustMode: t.exposeBoolean('trustMode'),
    autoApprove: t.exposeBoolean('autoApprove'),
    archived: t.exposeBoolean('archived'),
    systemPrompt: t.exposeString('systemPrompt', { nullable: true }),
    taskId: t.exposeString('taskId', { nullable: true }),
    taskType: t.field({ type: TaskTypeEnum, resolve: (th) => th.taskType }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    status: t.field({ type: ThreadStatusEnum, resolve: (th, _, ctx) => (ctx.rt.active.get(th.id) || th.activeTurnId ? 'RUNNING' : 'IDLE') }),
    activeTurn: t.field({
      type: TurnRef,
      nullable: true,
      resolve: (th, _, ctx) => ctx.rt.active.get(th.id)?.turn ?? (th.activeTurnId ? ctx.loaders.turn.load(th.activeTurnId) : null),
    }),
    latestTurn: t.field({ type: TurnRef, nullable: true, resolve: (th, _, ctx) => (th.latestTurnId ? ctx.loaders.turn.load(th.latestTurnId) : null) }),
    turns: t.field({
      type: TurnConnection,
      description: 'Oldest first; the cursor is the turn id.',
      args: connectionArgs(t.arg),
      resolve: async (th, args, ctx) => ({
        page: await ctx.loaders.turnPage.load({ parentId: th.id, args: pageArgs(args, (c) => isIdOf('turn', c)) }),
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
    latestSeq: t.field({ type: 'SafeInt', description: 'Seq of the newest event of this thread (0 if none).', resolve: (th, _, ctx) => ctx.loaders.latestSeq.load(th.id) }),
    forkedFrom: t.field({ type: ForkOriginRef, nullable: true, resolve: (th) => th.forkedFrom }),
    usage: t.field({ type: UsageTotalsRef, description: 'Over all ended turns of this thread.', resolve: (th) => finishTotals(th.usage ?? emptyAccumulator()) }),
    scratchpadRunId: t.exposeString('scratchpadRunId', { nullable: true }),
    scratchpadRunHistory: t.exposeStringList('scratchpadRunHistory'),
    checklist: t.expose('checklist', { type: 'JSON', nullable: true }),
    plan: t.expose('plan', { type: 'JSON', nullable: true }),
  }),
});

const ThreadConnection = connectionOf<ThreadRecord>('Thread', ThreadRef);

/** A thread list cursor is its index key: the inverted update time and the thread id. */
const isThreadCursor = (c: string) => /^\d{13}!/.test(c) && isIdOf('thread', c.slice(14));

const ThreadFilter = builder.inputType('ThreadFilter', {
  fields: (t) => ({
    archived: t.field({ type: ArchivedFilterEnum, required: false, defaultValue: 'ACTIVE_ONLY' }),
    search: t.string({ required: false, description: 'Case-insensitive text in the title or any prompt.' }),
    taskId: t.string({ required: false }),
  }),
});

builder.queryFields((t) => ({
  thread: t.field({
    type: ThreadRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => (isIdOf('thread', String(id)) ? ctx.loaders.thread.load(String(id)) : null),
  }),
  threads: t.field({
    type: ThreadConnection,
    description: 'Newest updatedAt first.',
    args: { ...connectionArgs(t.arg), filter: t.arg({ type: ThreadFilter, required: false }) },
    resolve: async (_, args, ctx) => {
      const filter = { archived: args.filter?.archived ?? 'ACTIVE_ONLY', search: args.filter?.search, taskId: args.filter?.taskId } as const;
      if ((filter.search?.length ?? 0) > 500) throw new GraphQLError('search: at most 500 characters', { extensions: { code: 'VALIDATION' } });
      const page = await ctx.rt.store.pageThreads(filter, pageArgs(args, isThreadCursor));
      for (const e of page.entries) ctx.loaders.thread.prime(e.value.id, e.value);
      return { page, totalCount: () => ctx.rt.store.countThreads(filter) };
    },
  }),
}));

// ---- mutations ----

const threadSettingsFields = (t: InputFieldBuilder<SchemaTypes, 'InputObject'>) => ({
  title: t.string({ required: false }),
  model: t.string({ required: false }),
  mode: t.string({ required: false }),
  workspace: t.string({ required: false, description: 'An existing directory; relative paths resolve against the server default workspace.' }),
  systemPrompt: t.string({ required: false }),
  allowShell: t.boolean({ required: false }),
  trustMode: t.boolean({ required: false }),
  autoApprove: t.boolean({ required: false }),
  archived: t.boolean({ required: false }),
});

const CreateThreadInput = builder.inputType('CreateThreadInput', {
  fields: (t) => ({
    ...threadSettingsFields(t),
    taskId: t.string({ required: false }),
    taskType: t.field({ type: TaskTypeInputEnum, required: false }),
  }),
});

const UpdateThreadInput = builder.inputType('UpdateThreadInput', {
  description: 'Give at least one field besides id. An empty title or systemPrompt clears it.',
  fields: (t) => ({
    id: t.id({ required: true }),
    ...threadSettingsFields(t),
    scratchpadRunId: t.string({ required: false }),
  }),
});

const threadPayload = (name: string) =>
  builder.objectRef<{ thread: ThreadRecord }>(name).implement({ fields: (t) => ({ thread: t.field({ type: ThreadRef, resolve: (p) => p.thread }) }) });

builder.mutationFields((t) => ({
  createThread: t.field({
    type: threadPayload('CreateThreadPayload'),
    errors: { types: [ValidationError, WorkspaceInvalidError], union: { name: 'CreateThreadResult' } },
    args: { input: t.arg({ type: CreateThreadInput, required: true }) },
    resolve: async (_, { input }, ctx) => ({ thread: await createThread(ctx.rt, input) }),
  }),
  updateThread: t.field({
    type: threadPayload('UpdateThreadPayload'),
    errors: { types: [NotFoundError, ValidationError, WorkspaceInvalidError], union: { name: 'UpdateThreadResult' } },
    args: { input: t.arg({ type: UpdateThreadInput, required: true }) },
    resolve: async (_, { input }, ctx) => ({ thread: await updateThread(ctx.rt, { ...input, id: String(input.id) }) }),
  }),
  deleteThread: t.field({
    type: builder.objectRef<{ deletedThreadId: string }>('DeleteThreadPayload').implement({
      fields: (f) => ({ deletedThreadId: f.exposeID('deletedThreadId') }),
    }),
    errors: { types: [NotFoundError, ValidationError], union: { name: 'DeleteThreadResult' } },
    args: { input: t.arg({ type: builder.inputType('DeleteThreadInput', { fields: (f) => ({ id: f.id({ required: true }) }) }), required: true }) },
    resolve: async (_, { input }, ctx) => ({ deletedThreadId: await deleteThread(ctx.rt, String(input.id)) }),
  }),
  forkThread: t.field({
    type: builder.objectRef<{ thread: ThreadRecord; originalUserText: string | null }>('ForkThreadPayload').implement({
      fields: (f) => ({
        thread: f.field({ type: ThreadRef, resolve: (p) => p.thread }),
        originalUserText: f.exposeString('originalUserText', { nullable: true, description: 'The prompt of the dropped turn (to edit and resend).' }),
      }),
    }),
    errors: { types: [NotFoundError, ValidationError, OutOfRangeError], union: { name: 'ForkThreadResult' } },
    args: {
      input: t.arg({
        type: builder.inputType('ForkThreadInput', {
          fields: (f) => ({
            threadId: f.id({ required: true }),
            depthFromTail: f.int({ required: false, description: 'Stop before the Nth-from-last user turn (0 drops the newest); omitted: copy all.' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_, { input }, ctx) => forkThread(ctx.rt, String(input.threadId), input.depthFromTail),
  }),
}));
