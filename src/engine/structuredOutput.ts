import { Ajv, type ValidateFunction } from 'ajv';

// One compiler for output schemas and client tool parameters; `strict: false` accepts the keywords providers
// document but ajv does not know (e.g. OpenAI's `strict`).
const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: true });
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 200;

/** A validator for `schema`; throws with ajv's message when the schema itself is not valid JSON Schema. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached) return cached;
  const validate = ajv.compile(schema);
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, validate);
  return validate;
}

export type StructuredAnswer = { ok: true; value: unknown } | { ok: false; error: string };

/** The answer parsed and checked against the output schema. */
export function checkStructuredAnswer(schema: Record<string, unknown>, text: string): StructuredAnswer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `the answer is not JSON: ${(error as Error).message}` };
  }
  const validate = compileSchema(schema);
  if (validate(value)) return { ok: true, value };
  return { ok: false, error: `the answer does not match the output schema: ${ajv.errorsText(validate.errors, { dataVar: 'answer' })}` };
}
