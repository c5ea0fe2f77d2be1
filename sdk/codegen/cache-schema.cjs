// GraphQL Code Generator plugin: what normalized caches need beyond possibleTypes. VALUE_TYPES are the object
// types without an `id` (payloads, errors, pages, totals), which a cache embeds in their parent; graphcacheSchema
// is the schema's introspection minified for urql's graphcache (types, fields, nullability; no descriptions).
const { introspectionFromSchema, isObjectType } = require('graphql');
const { minifyIntrospectionQuery } = require('@urql/introspection');

module.exports = {
  plugin(schema) {
    const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t.name));
    const valueTypes = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__') && !roots.has(t.name) && !('id' in t.getFields()))
      .map((t) => t.name)
      .sort();
    const minified = minifyIntrospectionQuery(introspectionFromSchema(schema, { descriptions: false }));
    return [
      '/** Object types without an `id`: normalized caches embed them in their parent. */',
      `export const VALUE_TYPES = ${JSON.stringify(valueTypes, null, 2)} as const;`,
      '',
      "/** The schema for urql graphcache's `schema` option (minified introspection). */",
      `// eslint-disable-next-line @typescript-eslint/no-explicit-any`,
      `export const graphcacheSchema: { __schema: any } = ${JSON.stringify(minified)};`,
      '',
    ].join('\n');
  },
};
