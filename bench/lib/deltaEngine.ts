import type { Engine, EngineEvent, EngineInput } from '../../src/engine/types.js';
import { now } from './stats.js';

/** Deltas the engine emits per macrotask: a provider's network read carries a burst of small SSE chunks. */
export const BURST = 100;

/** An engine that streams `deltas` text deltas of the form "<ms since epoch>;" as fast as it is read. */
export class DeltaEngine implements Engine {
  readonly name = 'bench-deltas';
  deltas = 0;
  /** Deltas per second, or null: as fast as the runtime reads them. */
  pace: number | null = null;
  epoch = 0;
  emitStart = 0;
  emitEnd = 0;

  async *runTurn(_input: EngineInput, signal: AbortSignal): AsyncIterable<EngineEvent> {
    yield { type: 'item.started', key: 'answer', kind: 'AGENT_MESSAGE' };
    this.emitStart = now();
    for (let i = 0; i < this.deltas; i++) {
      if (signal.aborted) return;
      if (this.pace) {
        const due = this.emitStart + (i * 1000) / this.pace;
        const wait = due - now();
        if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
      } else if (i > 0 && i % BURST === 0) await new Promise((resolve) => setImmediate(resolve));
      yield { type: 'item.delta', key: 'answer', field: 'text', delta: `${(now() - this.epoch).toFixed(2)};` };
    }
    this.emitEnd = now();
    yield { type: 'item.completed', key: 'answer' };
    yield {
      type: 'usage',
      usage: { inputTokens: 10, outputTokens: this.deltas, cachedTokens: 0, missTokens: 10, reasoningTokens: 0, cacheReported: true },
    };
  }
}
