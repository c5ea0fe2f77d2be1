import { z } from 'zod';
import { idOf } from './validation.js';

/** A new prompt for a QUEUED turn (GraphQL EditQueuedTurnInput); the prompt's size limit is the server's (runtime). */
export const editQueuedTurnSchema = z.object({
  turnId: idOf('turn').describe('A QUEUED turn (`turn_…`).'),
  prompt: z.string().describe("The new prompt: not blank, at most the server's prompt limit."),
  inputSummary: z.string().max(2000, 'at most 2000 characters').nullish().describe('The line shown in lists; default: the start of the new prompt.'),
});
export type EditQueuedTurnInput = z.input<typeof editQueuedTurnSchema>;

/** A new place for a QUEUED turn (GraphQL MoveQueuedTurnInput); past the queue's end is OUT_OF_RANGE (runtime). */
export const moveQueuedTurnSchema = z.object({
  turnId: idOf('turn').describe('A QUEUED turn (`turn_…`).'),
  position: z
    .number()
    .int('a whole number from 1 (next to run)')
    .min(1, 'a whole number from 1 (next to run)')
    .describe('Its new place: 1 = next to run, up to the length of the queue.'),
});
