import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The typed client SDK: typed documents for every operation in sdk/operations, and the interface/union map
 * (`possibleTypes`) for normalized caches, generated from the committed schema.graphql (itself printed from the
 * Pothos schema by `npm run schema:print`).
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['sdk/operations/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'sdk/generated/': {
      preset: 'client',
      // persistedDocuments: persisted-documents.json (sha256 hash -> document) for servers that accept only those
      // (--persisted-operations), and the hash in each document's `__meta__` for clients that send hashes.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', SafeInt: 'number' },
      },
    },
    // Which object types each interface and union stands for: Apollo's InMemoryCache and urql's graphcache need it
    // to match `... on UserError` or `... on Item` fragments against the concrete types the server returns.
    'sdk/generated/possibleTypes.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3 },
    },
    // Id-less types and the minified introspection for urql's graphcache (sdk/codegen/cache-schema.cjs).
    'sdk/generated/cacheSchema.ts': { plugins: ['./sdk/codegen/cache-schema.cjs'] },
    // The event table (names and payload types) and the enums it uses, copied from the server's domain.
    'sdk/generated/events.ts': { plugins: ['./sdk/codegen/copy-source.cjs'], config: { source: 'src/domain/events.ts' } },
    'sdk/generated/enums.ts': { plugins: ['./sdk/codegen/copy-source.cjs'], config: { source: 'src/domain/enums.ts' } },
    // The error codes clients branch on and the WebSocket close codes, from the same one place as the server's.
    'sdk/generated/errorCodes.ts': { plugins: ['./sdk/codegen/copy-source.cjs'], config: { source: 'src/domain/errorCodes.ts' } },
    'sdk/generated/closeCodes.ts': { plugins: ['./sdk/codegen/copy-source.cjs'], config: { source: 'src/domain/closeCodes.ts' } },
  },
};

export default config;
