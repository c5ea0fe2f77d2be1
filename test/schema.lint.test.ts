/**
 * The schema lint (eslint.config.js, `npm run lint:schema`) over the schema as the code builds it now, so a type,
 * field, argument or enum value added without a description fails the tests, not only CI.
 */
import { ESLint } from 'eslint';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { defined } from '../src/domain/defined.js';

async function lint(text: string) {
  const [result] = await new ESLint().lintText(text, { filePath: 'schema.graphql' });
  return defined(result, 'the lint result').messages.map((m) => `${m.line}: ${m.message} (${m.ruleId})`);
}

describe('schema lint', () => {
  it('finds nothing in the schema the code builds: everything is described, names and Relay shapes conform', async () => {
    expect(await lint(printSchema(schema))).toEqual([]);
  });

  it('reports a field, an argument and an enum value without a description', async () => {
    const text = `${printSchema(schema)}\n"""Lint probe."""\nenum Probe { """Described."""\nA B }\nextend type Query {\n  """Described."""\n  probe(x: Int): Probe\n  bare: Boolean\n}\n`;
    const messages = (await lint(text)).join('\n');
    expect(messages).toMatch(/Description is required for input value "x"/);
    expect(messages).toMatch(/Description is required for field "bare"/);
    expect(messages).toMatch(/Description is required for enum value "B"/);
  });
});
