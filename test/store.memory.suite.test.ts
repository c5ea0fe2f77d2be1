/** The shared store suite (test/support/storeSuite.ts) on the in-memory store (src/store/memory). */
import { MemoryStore } from '../src/store/memory/memoryStore.js';
import { describeStoreSuite } from './support/storeSuite.js';

describeStoreSuite('in memory', async () => {
  const store = new MemoryStore();
  return {
    store,
    failNextWrite: () => void (store.failNextWrite = true),
    close: () => store.close(),
  };
});
