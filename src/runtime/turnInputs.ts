import { clientToolInputSchema, type ClientToolInput } from '../domain/clientTools.js';
import { ValidationError } from '../domain/errors.js';
import type { ClientToolSpec } from '../domain/records.js';
import { compileSchema } from '../engine/structuredOutput.js';
import { isToolName } from '../engine/tools/index.js';
import { parseInput } from '../domain/validation.js';

const MAX_SCHEMA_BYTES = 64 * 1024;
export const MAX_CLIENT_TOOLS = 32;

/** A JSON Schema given by the client: an object that ajv compiles, of bounded size. */
function parseSchema(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError(`${field}: must be a JSON Schema object`, field);
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_SCHEMA_BYTES) throw new ValidationError(`${field}: ${bytes} bytes is over the limit of ${MAX_SCHEMA_BYTES}`, field);
  const schema = value as Record<string, unknown>;
  try {
    compileSchema(schema);
  } catch (error) {
    throw new ValidationError(`${field}: not a valid JSON Schema: ${(error as Error).message}`, field);
  }
  return schema;
}

export function parseOutputSchema(value: unknown): Record<string, unknown> | null {
  if (value == null) return null;
  return parseSchema(value, 'outputSchema');
}

/** Client tools of a turn: unique names that are not ours nor an MCP server's, schemas that compile. */
export function parseClientTools(tools: readonly ClientToolInput[] | null | undefined, takenNames: readonly string[]): ClientToolSpec[] | null {
  if (!tools || tools.length === 0) return null;
  if (tools.length > MAX_CLIENT_TOOLS) throw new ValidationError(`clientTools: at most ${MAX_CLIENT_TOOLS} tools`, 'clientTools');
  const seen = new Set<string>();
  return tools.map((raw, i) => {
    const at = `clientTools.${i}`;
    const tool = parseInput(clientToolInputSchema, raw, at);
    if (isToolName(tool.name) || takenNames.includes(tool.name)) {
      throw new ValidationError(`${at}.name: ${tool.name} is already a tool of the runtime`, `${at}.name`);
    }
    if (seen.has(tool.name)) throw new ValidationError(`${at}.name: ${tool.name} is declared twice`, `${at}.name`);
    seen.add(tool.name);
    const description = tool.description ?? '';
    const parameters = tool.parameters == null ? { type: 'object', properties: {} } : parseSchema(tool.parameters, `${at}.parameters`);
    return { name: tool.name, description, parameters };
  });
}
