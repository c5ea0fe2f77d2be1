import type { EnumRef, InputFieldBuilder, InputFieldRef, InputObjectRef } from '@pothos/core';
import type { z } from 'zod';
import { idKinds } from '../domain/validation.js';
import type { SchemaTypes } from './builder.js';

type Builder = InputFieldBuilder<SchemaTypes, 'InputObject'>;

/** A GraphQL input field declared by its zod schema: the field's type is exactly what the schema takes. */
export type ZodInputFields<S extends z.ZodObject> = { [K in keyof S['shape'] & string]-?: InputFieldRef<SchemaTypes, z.input<S>[K]> };

// A zod enum becomes the Pothos enum made from the same domain array; the key is its values in order.
const enumsByValues = new Map<string, EnumRef<SchemaTypes, string, string>>();

/** Lets zodInputFields map `z.enum(values)` to this GraphQL enum (declared from the same `as const` array). */
export function registerZodEnum<T extends string>(values: readonly T[], ref: EnumRef<SchemaTypes, T, T>): void {
  // EnumRef is invariant in its value type; the map is keyed by the values themselves, so each ref meets its own.
  enumsByValues.set(values.join('|'), ref as unknown as EnumRef<SchemaTypes, string, string>);
}

// A zod object used as a field (alone or in a list) becomes the GraphQL input type declared from it.
const inputsBySchema = new Map<z.ZodObject, InputObjectRef<SchemaTypes, unknown>>();

/** Lets zodInputFields map a field of this zod object schema (or a list of them) to this GraphQL input type. */
export function registerZodInput<S extends z.ZodObject>(schema: S, ref: InputObjectRef<SchemaTypes, z.input<S>>): void {
  inputsBySchema.set(schema, ref as InputObjectRef<SchemaTypes, unknown>);
}

interface FieldShape {
  required: boolean;
  description: string | undefined;
  core: z.ZodType;
}

/** Peels optional/nullable/default/pipe wrappers off a field: what is left is the GraphQL type. */
function shapeOf(schema: z.ZodType): FieldShape {
  let core = schema;
  let required = true;
  let description = schema.description;
  for (;;) {
    const def = core._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.type === 'pipe') {
      core = def.in!; // what a client sends is the pipe's input
    } else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      if (def.type !== 'default') required = false;
      core = def.innerType!;
    } else break;
    description ??= core.description;
  }
  return { required, description, core };
}

function enumRefOf(core: z.ZodType, field: string): EnumRef<SchemaTypes, string, string> {
  const values = (core as z.ZodEnum).options as string[];
  const ref = enumsByValues.get(values.join('|'));
  if (!ref) throw new Error(`zodInputFields: ${field}: no GraphQL enum registered for ${values.join(', ')} (registerZodEnum)`);
  return ref;
}

function inputRefOf(core: z.ZodType, field: string): InputObjectRef<SchemaTypes, unknown> {
  // A describe() or meta() copy of a registered schema is still that schema (zod keeps the original as parent).
  for (let schema: z.ZodType | undefined = core; schema; schema = schema._zod.parent as z.ZodType | undefined) {
    const ref = inputsBySchema.get(schema as z.ZodObject);
    if (ref) return ref;
  }
  throw new Error(`zodInputFields: ${field}: no GraphQL input type registered for this zod object (registerZodInput)`);
}

function inputFieldOf(t: Builder, field: string, schema: z.ZodType): InputFieldRef<SchemaTypes, unknown> {
  const { required, description, core } = shapeOf(schema);
  if (!description) throw new Error(`zodInputFields: ${field}: describe() the zod schema; its text is the GraphQL description`);
  const options = { required, description };
  const def = core._zod.def as { type: string; element?: z.ZodType };
  switch (def.type) {
    case 'string':
      return idKinds.get(core) ? t.id(options) : t.string(options);
    case 'boolean':
      return t.boolean(options);
    case 'number':
      return (core as z.ZodNumber).isInt ? t.int(options) : t.float(options);
    case 'enum':
      return t.field({ ...options, type: enumRefOf(core, field) });
    case 'object':
      return t.field({ ...options, type: inputRefOf(core, field) });
    case 'record':
    case 'unknown':
      return t.field({ ...options, type: 'JSON' });
    case 'array': {
      const element = def.element!._zod.def.type;
      if (element === 'string') return t.stringList(options);
      if (element === 'enum') return t.field({ ...options, type: [enumRefOf(def.element!, field)] });
      if (element === 'object') return t.field({ ...options, type: [inputRefOf(def.element!, field)] });
      break;
    }
  }
  throw new Error(`zodInputFields: ${field}: a zod ${def.type} has no GraphQL input mapping here; declare the field by hand`);
}

/**
 * GraphQL input fields from a zod object schema (docs/DESIGN.md "Declared once"): names, nullability, scalar or
 * enum type and description all come from the schema that the runtime validates with, so the two cannot drift.
 * Strings (`idOf` → ID), booleans, numbers (`.int()` → Int, else Float), registered enums, registered objects (input
 * types), records and unknown (JSON), and lists of strings, enums or objects map; anything else is refused when the
 * schema is built.
 */
export function zodInputFields<S extends z.ZodObject>(t: Builder, schema: S): ZodInputFields<S> {
  const fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => [name, inputFieldOf(t, name, field)]);
  return Object.fromEntries(fields) as ZodInputFields<S>;
}
