import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The typed client SDK: typed documents for every operation in sdk/operations, generated from the committed
 * schema.graphql (itself printed from the Pothos schema by `npm run schema:print`).
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['sdk/operations/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'sdk/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', SafeInt: 'number' },
      },
    },
  },
};

export default config;
