import { GraphQLError } from 'graphql';
import type { InputFieldBuilder } from '@pothos/core';
import {
  ConflictError,
  NoActiveTurnError,
  NotFoundError,
  ThreadArchivedError,
  TurnActiveError,
  ValidationError,
} from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import type { ItemRecord, TokenUsage, TurnRecord } from '../domain/records.js';
import {
  cancelQueuedTurn,
  compactThread,
  editLastTurn,
  interruptTurn,
  startTurn,
  steerTurn,
  type StartTurnResult,
} from '../runtime/turnCommands.js';
import { builder, type SchemaTypes } from './builder.js';
import { connectionArgs, connectionOf, pageArgs } from './connection.js';
import { ItemRef, NodeRef, ThreadRef, TurnRef } from './refs.js';
import { PriceEntryRef } from './usage.js';
import type { PriceEntry } from '../domain/pricing.js';

const TurnStatusEnum = builder.enumType('TurnStatus', {
  values: ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'INTERRUPTED', 'CANCELED'] as const,
});
const TurnDeliveryEnum = builder.enumType('TurnDelivery', {
  description: 'What happens when the thread already has an active turn.',
  values: {
    REJECT: { description: 'Fail with TURN_ACTIVE.' },
    QUEUE: { description: 'Store the turn QUEUED; it starts by itself when the turns before it end.' },
    STEER: { description: 'Add the prompt to the active turn.' },
    INTERRUPT: { description: 'Interrupt the active turn and start this one right after.' },
  } as const,
});

const TokenUsageRef = builder.objectRef<TokenUsage>('TokenUsage').implement({
  fields: (t) => ({
    inputTokens: t.expose('inputTokens', { type: 'SafeInt' }),
    outputTokens: t.expose('outputTokens', { type: 'SafeInt' }),
    cachedTokens: t.expose('cachedTokens', { type: 'SafeInt' }),
    missTokens: t.expose('missTokens', { type: 'SafeInt' }),
    reasoningTokens: t.expose('reasoningTokens', { type: 'SafeInt' }),
    cacheReported: t.exposeBoolean('cacheReported', { description: 'False when the provider reported no cache fields.' }),
  }),
});

const ItemConnection = connectionOf<ItemRecord>('Item', ItemRef);

TurnRef.implement({
  description: 'One user prompt and everything the agent did in answer.',
  interfaces: [NodeRef],
  isTypeOf: (v) => isIdOf('turn', (v as TurnRecord).id),
  fields: (t) => ({
    id: t.exposeID('id'),
    thread: t.field({
      type: ThreadRef,
      resolve: async (turn, _, ctx) => {
        const thread = await ctx.loaders.thread.load(turn.threadId);
        if (!thread) throw new GraphQLError(`thread ${turn.threadId} of turn ${turn.id} not found`);
        return thread;
      },
    }),
    status: t.field({ type: TurnStatusEnum, resolve: (turn) => turn.status }),
    purpose: t.exposeString('purpose', { description: 'PROMPT, or COMPACTION for a compactThread turn.' }),
    prompt: t.exposeString('prompt'),
    inputSummary: t.exposeString('inputSummary'),
    model: t.exposeString('model'),
    mode: t.exposeString('mode'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
    usage: t.field({ type: TokenUsageRef, nullable: true, resolve: (turn) => turn.usage }),
    costUsd: t.exposeFloat('costUsd', { nullable: true, description: 'Fixed when the turn ended, at the prices valid then.' }),
    costCny: t.exposeFloat('costCny', { nullable: true }),
    price: t.field({
      type: PriceEntryRef,
      nullable: true,
      description: 'The price entry the cost was computed with (null: no price for the model, or not ended).',
      resolve: (turn) => (turn.price as PriceEntry | null) ?? null,
    }),
    priced: t.boolean({ nullable: true, description: 'False when the model had no price (cost counted as 0); null before the end.', resolve: (turn) => (turn.usage && turn.endedAt ? turn.price !== null : null) }),
    error: t.exposeString('error', { nullable: true }),
    steerCount: t.exposeInt('steerCount'),
    supersededBy: t.field({
      type: TurnRef,
      nullable: true,
      description: 'The turn editLastTurn replaced this one with (this one then leaves the conversation).',
      resolve: (turn, _, ctx) => (turn.supersededBy ? ctx.loaders.turn.load(turn.supersededBy) : null),
    }),
    items: t.field({
      type: ItemConnection,
      description: 'In order of creation; the cursor is the item id.',
      args: connectionArgs(t.arg),
      resolve: async (turn, args, ctx) => ({
        page: await ctx.loaders.itemPage.load({ parentId: turn.id, args: pageArgs(args, (c) => isIdOf('item', c)) }),
        totalCount: () => turn.itemCount,
      }),
    }),
  }),
});

builder.queryField('turn', (t) =>
  t.field({
    type: TurnRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => (isIdOf('turn', String(id)) ? ctx.loaders.turn.load(String(id)) : null),
  }),
);

// ---- mutations ----

const PromptAdmissionRef = builder.objectRef<{ position: number }>('PromptAdmission').implement({
  fields: (t) => ({ position: t.exposeInt('position', { description: '1 = next to run.' }) }),
});

const turnSettingsFields = (t: InputFieldBuilder<SchemaTypes, 'InputObject'>) => ({
  model: t.string({ required: false, description: 'Explicit model; else the routing rule for routeIntent; else the thread model.' }),
  mode: t.string({ required: false }),
  allowShell: t.boolean({ required: false, description: 'Overrides the thread flag for this turn only.' }),
  trustMode: t.boolean({ required: false }),
  autoApprove: t.boolean({ required: false }),
  routeIntent: t.string({ required: false }),
  temperature: t.float({ required: false }),
  topP: t.float({ required: false }),
  maxTokens: t.int({ required: false }),
});

const StartTurnInput = builder.inputType('StartTurnInput', {
  fields: (t) => ({
    threadId: t.id({ required: true }),
    prompt: t.string({ required: true }),
    inputSummary: t.string({ required: false }),
    delivery: t.field({ type: TurnDeliveryEnum, required: false, defaultValue: 'REJECT' }),
    ...turnSettingsFields(t),
  }),
});

const turnPayload = (name: string) =>
  builder.objectRef<{ turn: TurnRecord }>(name).implement({ fields: (t) => ({ turn: t.field({ type: TurnRef, resolve: (p) => p.turn }) }) });

const turnIdInput = (name: string) =>
  builder.inputType(name, { fields: (t) => ({ turnId: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  startTurn: t.field({
    type: builder.objectRef<StartTurnResult>('StartTurnPayload').implement({
      fields: (f) => ({
        turn: f.field({ type: TurnRef, resolve: (p) => p.turn }),
        queued: f.field({ type: PromptAdmissionRef, nullable: true, resolve: (p) => (p.queuedPosition ? { position: p.queuedPosition } : null) }),
      }),
    }),
    errors: {
      types: [NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, NoActiveTurnError, ConflictError],
      union: { name: 'StartTurnResult' },
    },
    args: { input: t.arg({ type: StartTurnInput, required: true }) },
    resolve: (_, { input }, ctx) => startTurn(ctx.rt, { ...input, threadId: String(input.threadId) }),
  }),
  steerTurn: t.field({
    type: turnPayload('SteerTurnPayload'),
    errors: { types: [NotFoundError, ValidationError, NoActiveTurnError], union: { name: 'SteerTurnResult' } },
    args: {
      input: t.arg({
        type: builder.inputType('SteerTurnInput', { fields: (f) => ({ turnId: f.id({ required: true }), prompt: f.string({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_, { input }, ctx) => ({ turn: await steerTurn(ctx.rt, String(input.turnId), input.prompt) }),
  }),
  interruptTurn: t.field({
    type: turnPayload('InterruptTurnPayload'),
    errors: { types: [NotFoundError, ValidationError, NoActiveTurnError], union: { name: 'InterruptTurnResult' } },
    args: { input: t.arg({ type: turnIdInput('InterruptTurnInput'), required: true }) },
    resolve: async (_, { input }, ctx) => ({ turn: await interruptTurn(ctx.rt, String(input.turnId)) }),
  }),
  cancelQueuedTurn: t.field({
    type: turnPayload('CancelQueuedTurnPayload'),
    errors: { types: [NotFoundError, ValidationError, ConflictError], union: { name: 'CancelQueuedTurnResult' } },
    args: { input: t.arg({ type: turnIdInput('CancelQueuedTurnInput'), required: true }) },
    resolve: async (_, { input }, ctx) => ({ turn: await cancelQueuedTurn(ctx.rt, String(input.turnId)) }),
  }),
  editLastTurn: t.field({
    type: turnPayload('EditLastTurnPayload'),
    errors: { types: [NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, ConflictError], union: { name: 'EditLastTurnResult' } },
    args: {
      input: t.arg({
        type: builder.inputType('EditLastTurnInput', {
          fields: (f) => ({ threadId: f.id({ required: true }), content: f.string({ required: true }), ...turnSettingsFields(f) }),
        }),
        required: true,
      }),
    },
    resolve: async (_, { input }, ctx) => ({ turn: await editLastTurn(ctx.rt, { ...input, threadId: String(input.threadId) }) }),
  }),
  compactThread: t.field({
    type: turnPayload('CompactThreadPayload'),
    errors: { types: [NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError], union: { name: 'CompactThreadResult' } },
    args: {
      input: t.arg({
        type: builder.inputType('CompactThreadInput', { fields: (f) => ({ threadId: f.id({ required: true }), reason: f.string({ required: false }) }) }),
        required: true,
      }),
    },
    resolve: async (_, { input }, ctx) => ({ turn: await compactThread(ctx.rt, String(input.threadId), input.reason) }),
  }),
}));
