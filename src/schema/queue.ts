import { ConflictError, NotFoundError, OutOfRangeError, ValidationError } from '../domain/errors.js';
import type { TurnRecord } from '../domain/records.js';
import { editQueuedTurn, moveQueuedTurn, type QueuedTurnResult } from '../runtime/queueCommands.js';
import { builder } from './builder.js';
import { zodInputFields } from './zodFields.js';
import { editQueuedTurnSchema, moveQueuedTurnSchema } from '../domain/queue.js';
import { TurnRef } from './refs.js';
import { PromptAdmissionRef } from './turn.js';

const queuedTurnPayload = (name: string, description: string) =>
  builder.objectRef<QueuedTurnResult>(name).implement({
    description,
    fields: (t) => ({
      turn: t.field({ type: TurnRef, description: 'The turn, still QUEUED.', resolve: (p): TurnRecord => p.turn }),
      queued: t.field({ type: PromptAdmissionRef, description: 'Its place in the queue now.', resolve: (p) => ({ position: p.position }) }),
    }),
  });

builder.mutationFields((t) => ({
  editQueuedTurn: t.field({
    description:
      'Replaces the prompt of a QUEUED turn before it starts (event turn.queue_edited); it keeps its place and settings. Errors: NOT_FOUND, VALIDATION, CONFLICT (the turn is not QUEUED: it started, or was canceled, before the edit — then it runs or ran with the prompt it had).',
    type: queuedTurnPayload('EditQueuedTurnPayload', 'The queued prompt was changed.'),
    errors: {
      types: [NotFoundError, ValidationError, ConflictError],
      union: { name: 'EditQueuedTurnResult', description: 'EditQueuedTurnPayload, or NotFoundError, ValidationError, ConflictError.' },
    },
    args: {
      input: t.arg({
        required: true,
        description: 'The queued turn and its new prompt.',
        type: builder.inputType('EditQueuedTurnInput', {
          description: 'The queued turn and its new prompt.',
          fields: (f) => zodInputFields(f, editQueuedTurnSchema),
        }),
      }),
    },
    resolve: (_, { input }, ctx) => editQueuedTurn(ctx.rt, { turnId: String(input.turnId), prompt: input.prompt, inputSummary: input.inputSummary }),
  }),
  moveQueuedTurn: t.field({
    description:
      "Moves a QUEUED turn to another place in its thread's queue (event turn.queue_moved, with the new order). Errors: NOT_FOUND, VALIDATION, OUT_OF_RANGE (position past the queue's end), CONFLICT (the turn is not QUEUED any more).",
    type: queuedTurnPayload('MoveQueuedTurnPayload', 'The queued turn was moved.'),
    errors: {
      types: [NotFoundError, ValidationError, OutOfRangeError, ConflictError],
      union: {
        name: 'MoveQueuedTurnResult',
        description: 'MoveQueuedTurnPayload, or NotFoundError, ValidationError, OutOfRangeError, ConflictError.',
      },
    },
    args: {
      input: t.arg({
        required: true,
        description: 'The queued turn and where it goes.',
        type: builder.inputType('MoveQueuedTurnInput', {
          description: 'The queued turn and where it goes.',
          fields: (f) => zodInputFields(f, moveQueuedTurnSchema),
        }),
      }),
    },
    resolve: (_, { input }, ctx) => moveQueuedTurn(ctx.rt, String(input.turnId), input.position),
  }),
}));
