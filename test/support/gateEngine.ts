import type { Engine, EngineEvent, EngineInput } from '../../src/engine/types.js';

/**
 * An engine whose turns stream a word, then wait until the test releases them (or they are interrupted): the
 * test decides when a turn ends. A prompt containing "needs approval" first asks for an approval.
 */
export class GateEngine implements Engine {
  readonly name = 'gate';
  readonly changesFiles = false;
  /** Turns the engine has begun, in order (their turn ids). */
  readonly begun: string[] = [];
  private readonly gates = new Map<string, () => void>();
  /** Turns released before they reached their gate: they pass it at once. */
  private readonly released = new Set<string>();

  /** Turns waiting for release now, oldest first. */
  get held(): string[] {
    return [...this.gates.keys()];
  }

  /** Lets the turn end, now or as soon as it reaches its gate. */
  release(turnId: string): void {
    this.released.add(turnId);
    this.gates.get(turnId)?.();
    this.gates.delete(turnId);
  }

  /** Lets every turn waiting now end. */
  releaseAll(): void {
    for (const turnId of this.held) this.release(turnId);
  }

  async *runTurn(input: EngineInput, signal: AbortSignal): AsyncIterable<EngineEvent> {
    this.begun.push(input.turnId);
    const prompt = [...input.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    if (prompt.includes('needs approval')) {
      yield { type: 'item.started', key: 'tool', kind: 'TOOL_CALL', fields: { toolName: 'write_file', arguments: {} } };
      const outcome = await input.requestApproval({ toolName: 'write_file', arguments: {}, reason: null, itemKey: 'tool' });
      yield { type: 'item.completed', key: 'tool', status: outcome.decision === 'APPROVED' ? 'COMPLETED' : 'FAILED' };
    }
    yield { type: 'item.started', key: 'answer', kind: 'AGENT_MESSAGE' };
    yield { type: 'item.delta', key: 'answer', field: 'text', delta: 'hello' };
    if (!this.released.has(input.turnId)) {
      await new Promise<void>((resolve) => {
        this.gates.set(input.turnId, resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      this.gates.delete(input.turnId);
    }
    yield { type: 'item.completed', key: 'answer' };
  }
}
