// `npm run build:server`: bundles the server (src/server/main.ts) and its pure-JavaScript dependencies into
// dist/server with esbuild, so that `npm start` loads a few large files instead of resolving and compiling
// hundreds of node_modules files (start-up time; BENCHMARKS.md "Issue 18 targets"). Code loaded only on use
// (openai, the MCP SDK, PostgreSQL...) stays in its own chunks, loaded by dynamic import.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const outdir = 'dist/server';
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['src/server/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  sourcemap: true,
  outdir,
  logLevel: 'warning',
  // Native addons (LevelDB's binding, pg's optional libpq binding) and esbuild itself stay in node_modules.
  external: ['classic-level', 'pg-native', 'esbuild'],
  // Bundled CommonJS dependencies call require() for node's built-ins; ESM output has no require of its own.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
});
