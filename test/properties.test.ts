// The mutation property suite (support/mutationProperties.ts) on one server with LevelDB.
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { startTestServer } from './support/harness.js';
import { storeProblems } from './support/invariants.js';
import { mutationProperties } from './support/mutationProperties.js';

mutationProperties('LevelDB', {
  start: async (clock) => [await startTestServer({ engine: new OfflineEngine(5), runtime: { clock } })],
  problems: async ([server]) => storeProblems(server!.store, { quiescent: true }),
  timeLimitMs: 25_000,
});
