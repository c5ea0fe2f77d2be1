// Two lints. The code lint (`npm run lint`): TypeScript with type information, for the promise mistakes the
// compiler does not catch (a promise nobody awaits or handles, a promise where a callback's result is ignored).
// The schema lint (`npm run lint:schema`): schema.graphql, as printed from the Pothos schema, must describe every
// type, field, argument, input field and enum value, follow GraphQL naming conventions, and keep Relay's shapes
// (connections, edges, page info, paging arguments) so Relay, Apollo and urql clients work with it as they expect.
import graphql from '@graphql-eslint/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  // Built and generated output is not ours to lint.
  { ignores: ['dist/', 'sdk/dist/', 'sdk/generated/', 'coverage/'] },
  {
    files: ['src/**/*.ts', 'sdk/*.ts', 'examples/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'sdk/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['schema.graphql'],
    languageOptions: { parser: graphql.parser, parserOptions: { graphQLConfig: { schema: 'schema.graphql' } } },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      ...graphql.configs['flat/schema-recommended'].rules,
      ...graphql.configs['flat/schema-relay'].rules,
      // Only records (Node) have ids; payloads, errors, pages and totals are values, not entities.
      '@graphql-eslint/strict-id-in-types': 'off',
      // Connections also offer `nodes` (a list of nodes beside `edges`), and plain lists exist outside connections.
      '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: true, listTypeCanWrapOnlyEdgeType: false }],
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
    },
  },
];
