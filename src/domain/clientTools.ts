import { z } from 'zod';
import { idOf } from './validation.js';

/**
 * A tool the client offers the model for one turn (GraphQL ClientToolInput is derived from it). Names taken by the
 * runtime or an MCP server, duplicates and the parameters' JSON Schema are checked by the runtime (parseClientTools).
 */
export const clientToolInputSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, _ or -')
    .describe("The name the model calls (1 to 64 letters, digits, _ or -; not one of the runtime's tools)."),
  description: z.string().max(4000, 'at most 4000 characters').nullish().describe('What the tool does, for the model.'),
  parameters: z.unknown().nullish().describe('JSON Schema of the arguments (default: an object with no properties).'),
});
export type ClientToolInput = z.input<typeof clientToolInputSchema>;

/** The answer to one client tool call; the output's size limit is the server's prompt limit (checked by the runtime). */
export const submitToolOutputSchema = z.object({
  callId: idOf('item').describe('The callId of the `client_tool.requested` event (the ToolCallItem id).'),
  output: z.string().describe('What the tool returned, as the model should read it.'),
});
