import type { Runtime } from '../runtime/runtime.js';
import type { Loaders } from './loaders.js';

export interface SchemaContext {
  rt: Runtime;
  loaders: Loaders;
  /** Waits while the client's transport cannot take more (a WebSocket's full send buffer). */
  writable?: () => Promise<void>;
}
