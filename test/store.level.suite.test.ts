/** The shared store suite (test/support/storeSuite.ts) on the LevelDB store: on disk, and on memory-level. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../src/store/store.js';
import { FlakyLevel } from './support/flakyStore.js';
import { describeStoreSuite } from './support/storeSuite.js';

describeStoreSuite('LevelDB on disk', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zagens-suite-'));
  const store = await Store.open(dir);
  return {
    store,
    failNextWrite() {
      // The next batch LevelDB is asked to write fails as an I/O error would; the store then recovers by reopening.
      const db = store.db as { batch: (...args: unknown[]) => Promise<void> };
      const original = db.batch;
      db.batch = async () => {
        db.batch = original;
        throw new Error('injected write failure');
      };
    },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeStoreSuite('LevelDB adapter on memory-level', async () => {
  const db = new FlakyLevel();
  const store = await Store.attach(db);
  return {
    store,
    failNextWrite: () => void (db.failNext = 1),
    close: () => store.close(),
  };
});
