import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships CJS (`main`) and ESM (`module`) builds without an `exports` map: Vite would give src the ESM
  // build while Node gives @pothos/graphql-yoga the CJS one ("Cannot use GraphQLObjectType from another module
  // or realm"). One instance for everyone:
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/server and unpacks Chromium (globalSetup.ts); bubblewrap and git (installed when missing) for the sandbox and snapshot tests.
    globalSetup: ['test/support/globalSetup.ts', 'test/support/systemTools.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
