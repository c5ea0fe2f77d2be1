import { REASONING_EFFORTS, TURN_DELIVERIES, TURN_STATUSES } from '../domain/enums.js';
import { enumValues, upperCaseEnumValues } from './enumValues.js';
import {
  ConflictError,
  NoActiveTurnError,
  NotFoundError,
  OverloadedError,
  ThreadArchivedError,
  TurnActiveError,
  ValidationError,
} from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import type { ItemRecord, TokenUsage, TurnRecord } from '../domain/records.js';
import { cancelQueuedTurn, compactThread, editLastTurn, interruptTurn, startTurn, steerTurn, type StartTurnResult } from '../runtime/turnCommands.js';
import { builder } from './builder.js';
import { registerZodEnum, zodInputFields } from './zodFields.js';
import { turnSettingsSchema } from '../domain/validation.js';
import { imageInputSchema } from '../domain/images.js';
import { clientToolInputSchema } from '../domain/clientTools.js';
import { connectionArgs, connectionOf, pageArgs } from './connection.js';
import { ItemRef, NodeRef, ThreadRef, TurnRef } from './refs.js';
import { PriceEntryRef } from './usage.js';
import { clientRequestIdField } from './idempotency.js';
import type { PriceEntry } from '../domain/pricing.js';
import { codedError } from './codedError.js';

const TurnStatusEnum = builder.enumType('TurnStatus', {
  description: 'Where a turn is in its life. The four final statuses are announced by turn.completed (its payload has the status).',
  values: enumValues(TURN_STATUSES, {
    QUEUED: 'Waiting behind the running turn (delivery QUEUE); starts by itself, or cancelQueuedTurn cancels it.',
    IN_PROGRESS: 'Running: the model and its tools are working (event turn.started).',
    COMPLETED: 'Ended normally (final).',
    FAILED: 'Ended with an error, see `error` (final).',
    INTERRUPTED: 'Stopped by interruptTurn, an INTERRUPT prompt, thread deletion or a server restart (final).',
    CANCELED: 'A QUEUED turn canceled before it started (final).',
  }),
});
const TurnDeliveryEnum = builder.enumType('TurnDelivery', {
  description: 'What happens when the thread already has an active turn.',
  values: enumValues(TURN_DELIVERIES, {
    REJECT: 'Fail with TURN_ACTIVE.',
    QUEUE: 'Store the turn QUEUED; it starts by itself when the turns before it end.',
    STEER: 'Add the prompt to the active turn.',
    INTERRUPT: 'Interrupt the active turn and start this one right after.',
  }),
});

const TokenUsageRef = builder.objectRef<TokenUsage>('TokenUsage').implement({
  description: 'Tokens one turn used, summed over all its model calls, as the provider reported them.',
  fields: (t) => ({
    inputTokens: t.expose('inputTokens', { type: 'SafeInt', description: 'Prompt tokens sent to the model (cached and not).' }),
    outputTokens: t.expose('outputTokens', { type: 'SafeInt', description: 'Tokens the model generated, reasoning included.' }),
    cachedTokens: t.expose('cachedTokens', {
      type: 'SafeInt',
      description: "Input tokens served from the provider's prompt cache (billed at the hit price).",
    }),
    missTokens: t.expose('missTokens', { type: 'SafeInt', description: 'Input tokens not served from the cache (reported, else input − cached).' }),
    reasoningTokens: t.expose('reasoningTokens', {
      type: 'SafeInt',
      description: 'Output tokens spent on reasoning (0 when the model reports none).',
    }),
    cacheReported: t.exposeBoolean('cacheReported', { description: 'False when the provider reported no cache fields.' }),
  }),
});

const ItemConnection = connectionOf<ItemRecord>('Item', ItemRef);

TurnRef.implement({
  description: 'One user prompt and everything the agent did in answer.',
  interfaces: [NodeRef],
  isTypeOf: (v) => isIdOf('turn', (v as TurnRecord).id),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The turn id (`turn_…`), sorting by creation time; pass it to turnEvents, steerTurn, interruptTurn.' }),
    thread: t.field({
      type: ThreadRef,
      description: 'The thread of this turn.',
      resolve: async (turn, _, ctx) => {
        const thread = await ctx.loaders.thread.load(turn.threadId);
        if (!thread) throw codedError('NOT_FOUND', `thread ${turn.threadId} of turn ${turn.id} not found`);
        return thread;
      },
    }),
    status: t.field({ type: TurnStatusEnum, description: 'QUEUED, IN_PROGRESS, or a final status.', resolve: (turn) => turn.status }),
    purpose: t.exposeString('purpose', { description: 'PROMPT, or COMPACTION for a compactThread turn.' }),
    prompt: t.exposeString('prompt', {
      description: 'The prompt the turn was started with (for COMPACTION, the reason). Steered prompts are USER_MESSAGE items.',
    }),
    inputSummary: t.exposeString('inputSummary', { description: 'One short line for lists: the given inputSummary, else the start of the prompt.' }),
    model: t.exposeString('model', { description: "The model this turn runs with (explicit, else routed by routeIntent, else the thread's)." }),
    mode: t.exposeString('mode', { description: "The mode label this turn runs with (given, else the thread's)." }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the turn was created (started or queued).' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it began to run; null while QUEUED (and for a CANCELED one).',
    }),
    endedAt: t.expose('endedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it reached a final status; null while QUEUED or IN_PROGRESS.',
    }),
    durationMs: t.exposeInt('durationMs', {
      nullable: true,
      description: 'Milliseconds from startedAt to endedAt; null until it ends (and for a turn that never started).',
    }),
    usage: t.field({
      type: TokenUsageRef,
      nullable: true,
      description: 'Tokens used so far (final at the end, with usage.recorded); null before the first model call reports.',
      resolve: (turn) => turn.usage,
    }),
    costUsd: t.exposeFloat('costUsd', { nullable: true, description: 'Fixed when the turn ended, at the prices valid then.' }),
    costCny: t.exposeFloat('costCny', { nullable: true, description: 'Cost in CNY, fixed when the turn ended; null before the end.' }),
    price: t.field({
      type: PriceEntryRef,
      nullable: true,
      description: 'The price entry the cost was computed with (null: no price for the model, or not ended).',
      resolve: (turn) => (turn.price as PriceEntry | null) ?? null,
    }),
    priced: t.boolean({
      nullable: true,
      description: 'False when the model had no price (cost counted as 0); null before the end.',
      resolve: (turn) => (turn.usage && turn.endedAt ? turn.price !== null : null),
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why it FAILED or was INTERRUPTED, for people (e.g. "Interrupted by request"); null otherwise.',
    }),
    seenSeq: t.field({
      type: 'SafeInt',
      nullable: true,
      description:
        'The seq of the newest event the user had seen when they typed the prompt (startTurn seenSeq); null when not told. Events after it happened while they typed.',
      resolve: (turn) => turn.seenSeq ?? null,
    }),
    steerCount: t.exposeInt('steerCount', { description: 'How many prompts were steered into this turn while it ran.' }),
    supersededBy: t.field({
      type: TurnRef,
      nullable: true,
      description: 'The turn editLastTurn replaced this one with (this one then leaves the conversation).',
      resolve: (turn, _, ctx) => (turn.supersededBy ? ctx.loaders.turn.load(turn.supersededBy) : null),
    }),
    items: t.field({
      type: ItemConnection,
      description: 'Items in order of creation, a Relay connection (pages of at most 500); the cursor is the item id.',
      args: connectionArgs(t.arg),
      resolve: async (turn, args, ctx) => ({
        page: await ctx.loaders.itemPage.load({ parentId: turn.id, args: pageArgs(args, (c) => ctx.rt.store.checkCursor('items', c)) }),
        totalCount: () => turn.itemCount,
      }),
    }),
  }),
});

builder.queryField('turn', (t) =>
  t.field({
    type: TurnRef,
    nullable: true,
    description: 'A turn by id; null when no turn has it (also for ids of other kinds).',
    args: { id: t.arg.id({ required: true, description: 'A turn id (`turn_…`).' }) },
    resolve: (_, { id }, ctx) => (isIdOf('turn', String(id)) ? ctx.loaders.turn.load(String(id)) : null),
  }),
);

// ---- mutations ----

export const PromptAdmissionRef = builder.objectRef<{ position: number }>('PromptAdmission').implement({
  description: 'Where a queued prompt waits.',
  fields: (t) => ({ position: t.exposeInt('position', { description: '1 = next to run.' }) }),
});

const ReasoningEffortEnum = builder.enumType('ReasoningEffort', {
  description: "How hard a reasoning model thinks before it answers (the API's reasoning_effort).",
  values: upperCaseEnumValues(REASONING_EFFORTS, {
    minimal: 'As little reasoning as the model allows.',
    low: 'Little reasoning, faster answers.',
    medium: "The model's usual amount.",
    high: 'Most reasoning, slower answers.',
  }),
});

registerZodEnum(REASONING_EFFORTS, ReasoningEffortEnum);

export const ImageInputType = builder.inputType('ImageInput', {
  description: 'An image sent with a prompt: a URL, or base64 data with its MIME type (PNG, JPEG, GIF or WebP). Give exactly one of url and data.',
  fields: (t) => zodInputFields(t, imageInputSchema),
});

const ClientToolInputType = builder.inputType('ClientToolInput', {
  description: 'A tool the client offers the model for this turn and answers itself with submitToolOutput.',
  fields: (t) => zodInputFields(t, clientToolInputSchema),
});

const StartTurnInput = builder.inputType('StartTurnInput', {
  description: 'A prompt for a thread, with optional settings for this turn only.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread (`thr_…`); it must not be archived.' }),
    prompt: t.string({ required: true, description: "What to ask: not blank, at most the server's prompt limit (256 KiB of UTF-8 by default)." }),
    inputSummary: t.string({ required: false, description: 'A short line to show for this turn in lists; default: the start of the prompt.' }),
    delivery: t.field({
      type: TurnDeliveryEnum,
      required: false,
      defaultValue: 'REJECT',
      description: 'What to do when a turn is already running; default REJECT.',
    }),
    images: t.field({ type: [ImageInputType], required: false, description: 'Images sent with the prompt (count and size limited).' }),
    outputSchema: t.field({
      type: 'JSON',
      required: false,
      description:
        "A JSON Schema the final answer must match: sent as the provider's json_schema response format; the answer's parsed value is AgentMessageItem.json.",
    }),
    clientTools: t.field({ type: [ClientToolInputType], required: false, description: 'Tools the client answers itself (submitToolOutput).' }),
    clientRequestId: clientRequestIdField(t),
    seenSeq: t.field({
      type: 'SafeInt',
      required: false,
      description:
        "The seq of the newest event the user had seen when typing the prompt (e.g. the last one of the thread shown), kept as Turn.seenSeq: what they answered to. 0 to the server's newest seq.",
    }),
    ...zodInputFields(t, turnSettingsSchema),
  }),
});

const turnPayload = (name: string, description: string, turnDescription: string) =>
  builder.objectRef<{ turn: TurnRecord }>(name).implement({
    description,
    fields: (t) => ({ turn: t.field({ type: TurnRef, description: turnDescription, resolve: (p) => p.turn }) }),
  });

const turnIdInput = (name: string, description: string) =>
  builder.inputType(name, { description, fields: (t) => ({ turnId: t.id({ required: true, description: 'A turn id (`turn_…`).' }) }) });

builder.mutationFields((t) => ({
  startTurn: t.field({
    description:
      "Sends a prompt. The turn runs in the background: follow it with threadEvents or turnEvents (turn.started, item.started, item.delta..., item.completed, usage.recorded, turn.completed; approval.required when a tool needs a decision). Errors: NOT_FOUND, VALIDATION, TURN_ACTIVE (delivery REJECT), THREAD_ARCHIVED, NO_ACTIVE_TURN (STEER raced with the turn's end), CONFLICT (server shutting down, or clientRequestId used for another input), OVERLOADED (--max-running-turns reached and delivery is not QUEUE: retry after retryAfterMs).",
    type: builder.objectRef<StartTurnResult>('StartTurnPayload').implement({
      description: 'The prompt was accepted.',
      fields: (f) => ({
        turn: f.field({
          type: TurnRef,
          description: 'The new turn (IN_PROGRESS, or QUEUED), or with STEER the running turn the prompt went into.',
          resolve: (p) => p.turn,
        }),
        queued: f.field({
          type: PromptAdmissionRef,
          nullable: true,
          description: 'Set when the turn was QUEUED (event turn.queued); null when it started or was steered.',
          resolve: (p) => (p.queuedPosition ? { position: p.queuedPosition } : null),
        }),
      }),
    }),
    errors: {
      types: [NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, NoActiveTurnError, ConflictError, OverloadedError],
      union: {
        name: 'StartTurnResult',
        description:
          'StartTurnPayload, or NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, NoActiveTurnError, ConflictError, OverloadedError.',
      },
    },
    args: { input: t.arg({ type: StartTurnInput, required: true, description: 'The thread, the prompt and optional settings for this turn.' }) },
    resolve: (_, { input }, ctx) => startTurn(ctx.rt, { ...input, threadId: String(input.threadId) }),
  }),
  steerTurn: t.field({
    description:
      'Adds a prompt to a running turn: it becomes a USER_MESSAGE item the model reads before its next call (events turn.steered, item.started, item.completed). Errors: NOT_FOUND, VALIDATION, NO_ACTIVE_TURN (the turn is not running), CONFLICT (clientRequestId used for another input).',
    type: turnPayload('SteerTurnPayload', 'The prompt was added to the running turn.', 'The running turn, steerCount increased.'),
    errors: {
      types: [NotFoundError, ValidationError, NoActiveTurnError, ConflictError],
      union: { name: 'SteerTurnResult', description: 'SteerTurnPayload, or NotFoundError, ValidationError, NoActiveTurnError, ConflictError.' },
    },
    args: {
      input: t.arg({
        type: builder.inputType('SteerTurnInput', {
          description: 'The running turn and the prompt to add.',
          fields: (f) => ({
            turnId: f.id({ required: true, description: 'The running turn (`turn_…`).' }),
            prompt: f.string({ required: true, description: "What to add: not blank, at most the server's prompt limit." }),
            images: f.field({ type: [ImageInputType], required: false, description: 'Images sent with the steered input.' }),
            clientRequestId: clientRequestIdField(f),
            seenSeq: f.field({
              type: 'SafeInt',
              required: false,
              description:
                "The seq of the newest event the user had seen when typing: kept in the USER_MESSAGE item's metadata (seenSeq) and turn.steered.",
            }),
          }),
        }),
        required: true,
        description: 'The running turn and the prompt to add.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({
      turn: await steerTurn(ctx.rt, String(input.turnId), input.prompt, input.images, {
        clientRequestId: input.clientRequestId,
        seenSeq: input.seenSeq,
      }),
    }),
  }),
  interruptTurn: t.field({
    description:
      'Stops a running turn: open items end INTERRUPTED, pending approvals expire, the turn ends INTERRUPTED (events turn.interrupt_requested, item.interrupted, turn.completed). Errors: NOT_FOUND, VALIDATION, NO_ACTIVE_TURN, CONFLICT (clientRequestId used for another input).',
    type: turnPayload('InterruptTurnPayload', 'The turn was interrupted.', 'The turn, INTERRUPTED.'),
    errors: {
      types: [NotFoundError, ValidationError, NoActiveTurnError, ConflictError],
      union: {
        name: 'InterruptTurnResult',
        description: 'InterruptTurnPayload, or NotFoundError, ValidationError, NoActiveTurnError, ConflictError.',
      },
    },
    args: {
      input: t.arg({
        type: builder.inputType('InterruptTurnInput', {
          description: 'The running turn to stop.',
          fields: (f) => ({ turnId: f.id({ required: true, description: 'A turn id (`turn_…`).' }), clientRequestId: clientRequestIdField(f) }),
        }),
        required: true,
        description: 'The running turn to stop.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({ turn: await interruptTurn(ctx.rt, String(input.turnId), { clientRequestId: input.clientRequestId }) }),
  }),
  cancelQueuedTurn: t.field({
    description:
      'Cancels a QUEUED turn before it starts (event turn.completed with status CANCELED). Errors: NOT_FOUND, VALIDATION, CONFLICT (the turn is not QUEUED).',
    type: turnPayload('CancelQueuedTurnPayload', 'The queued turn was canceled.', 'The turn, CANCELED.'),
    errors: {
      types: [NotFoundError, ValidationError, ConflictError],
      union: { name: 'CancelQueuedTurnResult', description: 'CancelQueuedTurnPayload, or NotFoundError, ValidationError, ConflictError.' },
    },
    args: {
      input: t.arg({
        type: turnIdInput('CancelQueuedTurnInput', 'The QUEUED turn to cancel.'),
        required: true,
        description: 'The QUEUED turn to cancel.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({ turn: await cancelQueuedTurn(ctx.rt, String(input.turnId)) }),
  }),
  editLastTurn: t.field({
    description:
      "Replaces the prompt of the thread's last turn and runs it again as a new turn; the old turn stays as history (supersededBy) and leaves the model's conversation. Settings not given are the old turn's. Events as for startTurn (turn.started has replacesTurnId). Errors: NOT_FOUND, VALIDATION, TURN_ACTIVE, THREAD_ARCHIVED, CONFLICT (no turn to edit, or clientRequestId used for another input), OVERLOADED (--max-running-turns reached).",
    type: turnPayload('EditLastTurnPayload', 'The edited prompt runs as a new turn.', 'The new turn (IN_PROGRESS).'),
    errors: {
      types: [NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, ConflictError, OverloadedError],
      union: {
        name: 'EditLastTurnResult',
        description: 'EditLastTurnPayload, or NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, ConflictError, OverloadedError.',
      },
    },
    args: {
      input: t.arg({
        type: builder.inputType('EditLastTurnInput', {
          description: "The thread, the new prompt, and settings that differ from the old turn's.",
          fields: (f) => ({
            threadId: f.id({ required: true, description: 'The thread (`thr_…`); it must be IDLE.' }),
            content: f.string({ required: true, description: "The new prompt: not blank, at most the server's prompt limit." }),
            clientRequestId: clientRequestIdField(f),
            ...zodInputFields(f, turnSettingsSchema),
          }),
        }),
        required: true,
        description: "The thread, the new prompt, and settings that differ from the old turn's.",
      }),
    },
    resolve: async (_, { input }, ctx) => ({ turn: await editLastTurn(ctx.rt, { ...input, threadId: String(input.threadId) }) }),
  }),
  compactThread: t.field({
    description:
      'Starts a COMPACTION turn that summarises the conversation into a CONTEXT_COMPACTION item; later turns send the model that summary instead of what came before (events turn.started ... turn.completed, thread.compacted). Errors: NOT_FOUND, VALIDATION, TURN_ACTIVE, THREAD_ARCHIVED, CONFLICT (clientRequestId used for another input), OVERLOADED (--max-running-turns reached).',
    type: turnPayload('CompactThreadPayload', 'The compaction turn started.', 'The compaction turn (purpose COMPACTION, IN_PROGRESS).'),
    errors: {
      types: [NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, ConflictError, OverloadedError],
      union: {
        name: 'CompactThreadResult',
        description: 'CompactThreadPayload, or NotFoundError, ValidationError, TurnActiveError, ThreadArchivedError, ConflictError, OverloadedError.',
      },
    },
    args: {
      input: t.arg({
        type: builder.inputType('CompactThreadInput', {
          description: 'The thread to compact.',
          fields: (f) => ({
            threadId: f.id({ required: true, description: 'The thread (`thr_…`); it must be IDLE and not archived.' }),
            reason: f.string({ required: false, description: "Why, at most 2000 characters (kept on the compaction item and the turn's prompt)." }),
            clientRequestId: clientRequestIdField(f),
          }),
        }),
        required: true,
        description: 'The thread to compact.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({
      turn: await compactThread(ctx.rt, String(input.threadId), input.reason, { clientRequestId: input.clientRequestId }),
    }),
  }),
}));
