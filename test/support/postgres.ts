// A real PostgreSQL server for tests (embeddedPostgres.ts). One server per test file; one database per test.
import { afterAll, beforeAll } from 'vitest';
import { startTestPostgres, type TestPostgres } from './embeddedPostgres.js';

export { startTestPostgres, type TestPostgres };

/** Starts one server for the enclosing test file (beforeAll) and stops it afterwards; call inside a describe. */
export function useTestPostgres(): () => TestPostgres {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  // Stopping checkpoints every database the file made: on a loaded machine that takes a while.
  afterAll(async () => {
    await server?.stop();
  }, 120_000);
  return () => {
    if (!server) throw new Error('test PostgreSQL server not started');
    return server;
  };
}
