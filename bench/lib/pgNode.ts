/**
 * One node of our server in its own process, on a shared PostgreSQL database (docs/DESIGN.md "Many nodes"):
 *   pgNode.ts <databaseUrl> <dataDir> <leaseSecs>
 * Its engine is the offline one without delays (`engine { mode: 'offline' }`, the default) or the bench delta
 * engine (`engine { mode: 'deltas', deltas, pace, epoch }`), whose deltas carry their emission time. Sends
 * `ready` with its URL once it serves; `exit` stops it cleanly (a kill -9 does not).
 */
import { OfflineEngine } from '../../src/engine/offlineEngine.js';
import type { Engine, EngineEvent, EngineInput } from '../../src/engine/types.js';
import { startOurPgServer } from './context.js';
import { DeltaEngine } from './deltaEngine.js';
import { serveParent } from './proc.js';

const [databaseUrl = '', dataDir = '', leaseSecs = '10'] = process.argv.slice(2);

/** The engine of the node: switched over IPC between the offline engine and the delta engine. */
class SwitchEngine implements Engine {
  readonly name = 'bench-node';
  readonly offline = new OfflineEngine(0);
  readonly deltas = new DeltaEngine();
  mode: 'offline' | 'deltas' = 'offline';

  runTurn(input: EngineInput, signal: AbortSignal): AsyncIterable<EngineEvent> {
    return this.mode === 'deltas' ? this.deltas.runTurn(input, signal) : this.offline.runTurn(input, signal);
  }
}

const engine = new SwitchEngine();
const server = await startOurPgServer(dataDir, databaseUrl, engine, {}, { nodeLeaseSecs: Number(leaseSecs) });

serveParent({
  engine(m) {
    engine.mode = m.mode === 'deltas' ? 'deltas' : 'offline';
    if (typeof m.deltas === 'number') engine.deltas.deltas = m.deltas;
    engine.deltas.pace = typeof m.pace === 'number' ? m.pace : null;
    if (typeof m.epoch === 'number') engine.deltas.epoch = m.epoch;
    return null;
  },
  async exit() {
    await server.stop();
  },
});

process.send!({ type: 'ready', url: server.url });
