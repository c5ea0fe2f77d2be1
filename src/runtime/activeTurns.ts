import type { TurnRecord } from '../domain/records.js';
import type { SteerInput } from '../engine/types.js';

/** What the runtime holds for a turn while it runs. */
export interface ActiveTurn {
  readonly threadId: string;
  /** The running turn's record, updated in place as it runs (readers see it through Runtime.overlayTurn). */
  readonly turn: TurnRecord;
  /** False once the engine has finished: a steer then has nowhere to go. */
  readonly acceptsSteers: boolean;
  /** Queues steered user input; the engine takes it before its next model call. */
  addSteer(steer: SteerInput): void;
  /** Aborts the engine; resolves when the turn has ended and its final state is durable. */
  interrupt(reason?: string): Promise<void>;
  /** Resolves when the turn has ended and its final state is durable. */
  readonly finished: Promise<void>;
}

/** The running turns, at most one per thread. */
export class ActiveTurns {
  private readonly byThread = new Map<string, ActiveTurn>();

  get(threadId: string): ActiveTurn | undefined {
    return this.byThread.get(threadId);
  }

  byTurnId(turnId: string): ActiveTurn | undefined {
    for (const run of this.byThread.values()) if (run.turn.id === turnId) return run;
    return undefined;
  }

  add(run: ActiveTurn): void {
    this.byThread.set(run.threadId, run);
  }

  remove(run: ActiveTurn): void {
    if (this.byThread.get(run.threadId) === run) this.byThread.delete(run.threadId);
  }

  all(): ActiveTurn[] {
    return [...this.byThread.values()];
  }

  get size(): number {
    return this.byThread.size;
  }
}
