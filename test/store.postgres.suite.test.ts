/** The shared store suite (test/support/storeSuite.ts) on the PostgreSQL store: a real server, one database per test. */
import { describe } from 'vitest';
import { PgStore } from '../src/store/postgres/pgStore.js';
import { useTestPostgres } from './support/postgres.js';
import { describeStoreSuite } from './support/storeSuite.js';

describe('PostgreSQL', () => {
  const server = useTestPostgres();
  let databases = 0;

  describeStoreSuite('PostgreSQL', async () => {
    const store = await PgStore.open(await server().createDatabase(`suite_${++databases}`), { nodeId: 'suite', leaseMs: 15_000, poolSize: 4 });
    return {
      store,
      failNextWrite() {
        // The next transaction cannot get a connection, as when the server is unreachable.
        const pool = store.pool as { connect: (...args: unknown[]) => Promise<unknown> };
        const original = pool.connect;
        pool.connect = async () => {
          pool.connect = original;
          throw new Error('injected connection failure');
        };
      },
      close: () => store.close(),
    };
  });
});
