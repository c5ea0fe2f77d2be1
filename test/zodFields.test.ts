import SchemaBuilder from '@pothos/core';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerZodEnum, registerZodInput, zodInputFields } from '../src/schema/zodFields.js';
import { idOf, parseInput } from '../src/domain/validation.js';
import { ValidationError } from '../src/domain/errors.js';

// A builder of its own, so each case builds a schema from one zod object and nothing else.
function schemaOf(shape: z.ZodObject, enums: (b: any) => void = () => undefined): string {
  const b = new SchemaBuilder<{ Scalars: { JSON: { Input: unknown; Output: unknown } } }>({});
  b.scalarType('JSON', { serialize: (v) => v });
  enums(b);
  const Input = b.inputType('Input', { fields: (t) => zodInputFields(t as never, shape) as never });
  b.queryType({ fields: (t) => ({ ok: t.boolean({ args: { input: t.arg({ type: Input, required: true }) }, resolve: () => true }) }) });
  return printSchema(b.toSchema());
}

describe('GraphQL input fields from a zod object', () => {
  it('maps names, nullability, scalar types, enums, lists and JSON, with the zod descriptions', () => {
    const COLORS = ['RED', 'GREEN'] as const;
    const sdl = schemaOf(
      z.object({
        name: z.string().min(1).describe('A name.'),
        count: z.number().int().nullish().describe('How many.'),
        ratio: z.number().optional().describe('A fraction.'),
        color: z.enum(COLORS).nullish().describe('A color.'),
        tags: z.array(z.string()).nullish().describe('Tags.'),
        extra: z.unknown().pipe(z.record(z.string(), z.string())).nullish().describe('Anything.'),
      }),
      (b) => registerZodEnum(COLORS, b.enumType('Color', { values: COLORS })),
    );
    expect(sdl).toContain('"""A name."""\n  name: String!');
    expect(sdl).toContain('"""How many."""\n  count: Int\n');
    expect(sdl).toContain('"""A fraction."""\n  ratio: Float\n');
    expect(sdl).toContain('"""A color."""\n  color: Color\n');
    expect(sdl).toContain('"""Tags."""\n  tags: [String!]\n');
    expect(sdl).toContain('"""Anything."""\n  extra: JSON\n');
  });

  it('refuses a field without a description, a type it cannot map and an enum no GraphQL enum was registered for', () => {
    expect(() => schemaOf(z.object({ name: z.string() }))).toThrow(/name: describe\(\) the zod schema/);
    expect(() => schemaOf(z.object({ when: z.date().describe('When.') }))).toThrow(/when: a zod date has no GraphQL input mapping/);
    expect(() => schemaOf(z.object({ size: z.enum(['S', 'XL']).describe('Size.') }))).toThrow(/size: no GraphQL enum registered for S, XL/);
  });

  it('maps idOf strings to ID and registered zod objects, alone or in lists, to their input types', () => {
    const point = z.object({ x: z.number().int().describe('X.') });
    const sdl = schemaOf(
      z.object({
        turnId: idOf('turn').describe('A turn.'),
        at: point.nullish().describe('One point.'),
        path: z.array(point).describe('Points.'),
      }),
      (b) => registerZodInput(point, b.inputType('Point', { fields: (t: never) => zodInputFields(t, point) })),
    );
    expect(sdl).toContain('"""A turn."""\n  turnId: ID!');
    expect(sdl).toContain('"""One point."""\n  at: Point\n');
    expect(sdl).toContain('"""Points."""\n  path: [Point!]!');
    expect(sdl).toContain('input Point {\n  """X."""\n  x: Int!');
    expect(() => schemaOf(z.object({ at: z.object({ y: z.string() }).describe('Unregistered.') }))).toThrow(
      /at: no GraphQL input type registered for this zod object/,
    );
  });

  it('idOf refuses an id of another kind with the field named, as requireId does', () => {
    const schema = z.object({ turnId: idOf('turn').describe('A turn.') });
    expect(() => parseInput(schema, { turnId: 'thr_x' }, 'input')).toThrow(ValidationError);
    expect(() => parseInput(schema, { turnId: 'thr_x' }, 'input')).toThrow('input.turnId: not a turn id: "thr_x"');
  });
});
