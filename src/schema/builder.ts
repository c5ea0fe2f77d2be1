import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import { DateTimeResolver, JSONResolver, SafeIntResolver } from 'graphql-scalars';
import type { SchemaContext } from './context.js';

/** The one Pothos builder: plugins and scalars are declared here, types in one file per concept. */
export const builder = new SchemaBuilder<{
  Context: SchemaContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    SafeInt: { Input: number; Output: number };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ErrorsPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  errors: { directResult: true },
  complexity: {
    // A page multiplies the cost of what is selected under it, so nested connections are priced as what they
    // can return (a connection bomb is refused before it runs); other lists count once.
    fieldComplexity: (args) => {
      const a = args as { first?: number | null; last?: number | null; ids?: unknown[]; limit?: number | null };
      if ('first' in a || 'last' in a) return { field: 1, multiplier: Math.max(1, a.first ?? a.last ?? 50) };
      if (Array.isArray(a.ids)) return { field: 1, multiplier: Math.max(1, a.ids.length) };
      if ('limit' in a) return { field: 1, multiplier: Math.max(1, a.limit ?? 500) };
      return { field: 1, multiplier: 1 };
    },
    // No limit here: the server checks the limits once, at validation (server/app.ts), instead of at each root
    // field resolution (for a subscription, once per event).
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('SafeInt', SafeIntResolver);

builder.queryType({
  description: "Reads: records by id, thread lists, event replay, usage and the server's settings. Unknown ids read as null, never as an error.",
});
builder.mutationType({
  description:
    'Changes. Each mutation takes one `input` and returns a union of its payload and the UserError types that can happen (select `... on UserError { code message }`); every change is announced as events on threadEvents.',
});
builder.subscriptionType({
  description:
    'Live events over graphql-ws (graphql-transport-ws) or SSE: ascending seq, no gap, no duplicate, also across the replay/live boundary.',
});

/** The builder's type parameters, for helpers that build fields outside a `fields` callback. */
export type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
