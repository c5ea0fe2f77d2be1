import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import type { ItemRecord } from '../domain/records.js';
import { pendingClientToolCalls, submitToolOutput } from '../runtime/clientTools.js';
import { builder } from './builder.js';
import { zodInputFields } from './zodFields.js';
import { submitToolOutputSchema } from '../domain/clientTools.js';
import { ItemRef } from './refs.js';

builder.mutationField('submitToolOutput', (t) =>
  t.field({
    description: 'Answers a client tool call (a ToolCallItem announced by a `client_tool.requested` event); the turn goes on with the output.',
    type: builder.objectRef<{ item: ItemRecord }>('SubmitToolOutputPayload').implement({
      description: 'The tool call that was answered.',
      fields: (f) => ({ item: f.field({ type: ItemRef, description: 'The ToolCallItem of the call.', resolve: (p) => p.item }) }),
    }),
    errors: {
      types: [NotFoundError, ValidationError, ConflictError],
      union: {
        name: 'SubmitToolOutputResult',
        description: 'SubmitToolOutputPayload, or NotFoundError, ValidationError, ConflictError (answered, expired or its turn ended).',
      },
    },
    args: {
      input: t.arg({
        description: 'The call and its output.',
        type: builder.inputType('SubmitToolOutputInput', {
          description: 'The answer to one client tool call.',
          fields: (f) => zodInputFields(f, submitToolOutputSchema),
        }),
        required: true,
      }),
    },
    resolve: async (_, { input }, ctx) => ({ item: await submitToolOutput(ctx.rt, String(input.callId), input.output) }),
  }),
);

builder.queryField('pendingClientToolCalls', (t) =>
  t.field({
    type: [ItemRef],
    description:
      'Client tool calls waiting for submitToolOutput (ToolCallItems), of one thread or of all (grouped by thread, oldest first within each), whichever node runs their turns.',
    args: { threadId: t.arg.id({ required: false, description: 'Only the calls of this thread.' }) },
    resolve: async (_, { threadId }, ctx) => {
      if (threadId != null && !isIdOf('thread', String(threadId))) return [];
      return pendingClientToolCalls(ctx.rt, threadId == null ? null : String(threadId));
    },
  }),
);
