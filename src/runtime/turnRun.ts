import { appendStreamed, itemSummary, newItemRecord, type NewItem } from '../domain/factories.js';
import { draftEvent, type EventDraft, type StreamedField } from '../domain/events.js';
import type { ItemEndStatus } from '../domain/enums.js';
import {
  effectiveSandboxPolicy,
  type ItemRecord,
  type ItemStatus,
  type ThreadRecord,
  type TokenUsage,
  type TurnRecord,
  type TurnStatus,
} from '../domain/records.js';
import type { ApprovalDecision, ApprovalOutcome, ApprovalRequest, EngineEvent, EngineInput, ItemStarted, SteerInput } from '../engine/types.js';
import { limitsOf } from '../domain/modelLimits.js';
import { requestClientToolOutput, type WaitingClientTool } from './clientTools.js';
import type { ActiveTurn } from './activeTurns.js';
import { loadConversation, type StartingTurn } from './conversationLoader.js';
import { addTokenUsage } from '../domain/usage.js';
import { finishTurnBatch, type RollupSource } from './turnEnd.js';
import { rollupQuarter } from '../domain/usageRollup.js';
import { mayChangeWorkspace, noToolsRecord, snapshotAfterTurn, snapshotBeforeTurn, snapshotsEnabled } from './turnSnapshots.js';
import type { Runtime } from './runtime.js';

type ItemEventName = 'item.started' | 'item.completed' | 'item.failed' | 'item.interrupted';

const ITEM_END_EVENT: Record<ItemEndStatus, ItemEventName> = { COMPLETED: 'item.completed', FAILED: 'item.failed', INTERRUPTED: 'item.interrupted' };

/** The event an item's end writes; only an ended status has one. */
function itemEndEvent(status: ItemStatus): ItemEventName {
  const name = (ITEM_END_EVENT as Partial<Record<ItemStatus, ItemEventName>>)[status];
  if (name === undefined) throw new Error(`internal error: item status ${status} is not an end`);
  return name;
}

interface PendingDelta {
  itemId: string;
  field: StreamedField;
  text: string;
}

/**
 * One running turn: feeds the engine its input, turns what the engine reports into item records and events,
 * coalesces text deltas before they get a seq, and ends the turn with its final status in one batch.
 */
export class TurnRun implements ActiveTurn {
  readonly threadId: string;
  /** Steered user input the engine has not taken yet (it takes all before its next model call). */
  private readonly steers: SteerInput[] = [];
  /** True once the engine has finished: a steer then has nowhere to go. */
  private closing = false;
  /** A person approved a tool call with `remember`: the rest of this turn is auto-approved too. */
  private approveRest = false;
  readonly finished: Promise<void>;
  private readonly abort = new AbortController();
  private interruptReason: string | null = null;
  private readonly items = new Map<string, ItemRecord>();
  private deltas: PendingDelta[] = [];
  private deltaBytes = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private writeError: unknown = null;
  /** Items whose end the store refused: the turn's end writes them again. */
  private readonly unwrittenEnds = new Set<ItemRecord>();
  /** Items the turn's end closed (an attempt after a refused one writes them again). */
  private readonly closedAtEnd = new Set<ItemRecord>();
  /** The usage rollup row read when the start was durable, and the thread's usage turn count then. */
  private rollupRead: { quarter: string; usageTurns: number; row: Promise<unknown> } | null = null;
  private lastWrite: Promise<unknown> = Promise.resolve();
  private usage: TokenUsage | null = null;
  /** The "before" workspace snapshot was taken (at the first item that may change files). */
  private snapshotted = false;
  private resolveFinished!: () => void;
  /** True once the turn's start is durable, false if the store refused it (see `run`). */
  private started: Promise<boolean> = Promise.resolve(false);
  /** Approvals this turn waits on, by approval id: resolving one settles the engine's request. */
  readonly waitingApprovals = new Map<string, (decision: ApprovalDecision, sandbox?: ApprovalOutcome['sandbox']) => void>();
  /** Client tool calls this turn waits on, by call id (the TOOL_CALL item's id). */
  readonly waitingClientTools = new Map<string, WaitingClientTool>();

  constructor(
    readonly rt: Runtime,
    readonly turn: TurnRecord,
    private readonly requestApproval: (run: TurnRun, request: ApprovalRequest, itemId: string | null) => Promise<ApprovalOutcome>,
  ) {
    this.threadId = turn.threadId;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get acceptsSteers(): boolean {
    return !this.closing;
  }

  addSteer(steer: SteerInput): void {
    this.steers.push(steer);
  }

  /** A person approved a tool call with `remember`: the engine asks no more approvals in this turn. */
  approveRestOfTurn(): void {
    this.approveRest = true;
  }

  interrupt(reason = 'Interrupted by request'): Promise<void> {
    this.interruptReason ??= reason;
    this.abort.abort();
    for (const settle of this.waitingApprovals.values()) settle('DENIED');
    for (const waiting of this.waitingClientTools.values()) waiting.settle({ expired: true });
    return this.finished;
  }

  /**
   * Runs the engine to the end; never throws (failures end the turn FAILED). It starts while the turn's start is
   * being synced (`start`): the input is built from memory and the provider asked meanwhile, but nothing the
   * engine reports is handled before the start is durable, and a refused start aborts the engine and writes
   * nothing (docs/DESIGN.md "Turns and locking").
   */
  async run(start: Promise<void>, starting: Omit<StartingTurn, 'turn'>): Promise<void> {
    this.started = start.then(
      () => true,
      () => {
        this.abort.abort();
        return false;
      },
    );
    let error: string | null = null;
    try {
      await this.rt.log.sent();
      const input = await this.buildInput(starting);
      // Interrupted while the input was built: the engine never starts.
      if (this.abort.signal.aborted) throw this.abort.signal.reason;
      for await (const event of this.rt.config.engine.runTurn(input, this.abort.signal)) {
        if (!(await this.started)) break;
        // The engine waits here: no tool of this item has run yet.
        if (!this.snapshotted && event.type === 'item.started' && mayChangeWorkspace(event.kind)) {
          this.snapshotted = true;
          await snapshotBeforeTurn(this.rt, this.turn);
          if (this.abort.signal.aborted) break;
        }
        this.handle(event);
        if (this.writeError) throw this.writeError;
      }
    } catch (e) {
      if (!this.abort.signal.aborted) error = e instanceof Error ? e.message : String(e);
    }
    this.closing = true;
    if (!(await this.started)) {
      // Nothing of the turn was written or published; its start's caller has the refusal.
      this.resolveFinished();
      return;
    }
    if (this.snapshotted) await snapshotAfterTurn(this.rt, this.turn);
    const status: TurnStatus = this.abort.signal.aborted ? 'INTERRUPTED' : error ? 'FAILED' : 'COMPLETED';
    await this.end(status, status === 'INTERRUPTED' ? this.interruptReason : error);
  }

  /** What the engine asks of the runtime waits until the turn's start is durable (refused: the request fails). */
  private async afterStart<T>(request: () => Promise<T>): Promise<T> {
    if (!(await this.started)) throw new Error('the turn was not started: the store refused its start');
    return request();
  }

  private async buildInput(starting: Omit<StartingTurn, 'turn'>): Promise<EngineInput> {
    const thread = await this.rt.threadForWrite(this.threadId);
    if (!thread) throw new Error(`thread ${this.threadId} no longer exists`);
    const t = this.turn;
    const run = this;
    const o = t.options;
    const limits = limitsOf(t.model, this.rt.config.modelLimits);
    return {
      threadId: thread.id,
      turnId: t.id,
      model: t.model,
      mode: t.mode,
      purpose: t.purpose,
      systemPrompt: thread.systemPrompt,
      messages: await loadConversation(this.rt, thread, { turn: t, ...starting }),
      temperature: t.options.temperature,
      topP: t.options.topP,
      maxTokens: t.options.maxTokens,
      workspace: thread.workspace,
      allowShell: t.options.allowShell ?? thread.allowShell,
      trustMode: t.options.trustMode ?? thread.trustMode,
      sandbox: effectiveSandboxPolicy({
        trustMode: t.options.trustMode ?? thread.trustMode,
        sandbox: t.options.sandbox ?? thread.sandbox,
        networkAccess: t.options.networkAccess ?? thread.networkAccess,
      }),
      hiddenPaths: this.rt.config.sandboxHiddenPaths,
      maxSteps: this.rt.config.maxSteps,
      get autoApprove() {
        return run.approveRest || (t.options.autoApprove ?? thread.autoApprove);
      },
      takeSteers: () => this.steers.splice(0),
      requestApproval: (request) => this.afterStart(() => this.requestApproval(this, request, this.items.get(request.itemKey)?.id ?? null)),
      updateThread: (fields) => this.afterStart(() => this.updateThread(fields)),
      modelOptions: {
        reasoningEffort: o.reasoningEffort,
        presencePenalty: o.presencePenalty,
        frequencyPenalty: o.frequencyPenalty,
        seed: o.seed,
        stop: o.stop,
      },
      outputSchema: o.outputSchema,
      clientTools: o.clientTools,
      requestClientToolOutput: (request) =>
        this.afterStart(() => requestClientToolOutput(this, request, this.items.get(request.itemKey)?.id ?? null)),
      mcp: this.rt.config.mcp ?? null,
      autoCompaction: limits.compactAtTokens ? { thresholdTokens: limits.compactAtTokens, contextWindow: limits.contextWindow } : null,
    };
  }

  private handle(event: EngineEvent): void {
    switch (event.type) {
      case 'item.started': {
        this.flushDeltas();
        const item = newItemRecord(this.turn, this.newItemOf(event), this.rt.now());
        this.items.set(event.key, item);
        this.rt.liveItems.start(item);
        this.turn.itemCount++;
        this.write(this.rt.store.batch().putItem(item).putTurn(this.turn), [this.itemEvent('item.started', item)]);
        return;
      }
      case 'item.delta': {
        const item = this.items.get(event.key);
        if (!item) return;
        if (!appendStreamed(item, event.field, event.delta)) return; // a field its kind does not have
        const last = this.deltas[this.deltas.length - 1];
        if (last && last.itemId === item.id && last.field === event.field) last.text += event.delta;
        else this.deltas.push({ itemId: item.id, field: event.field, text: event.delta });
        this.deltaBytes += event.delta.length;
        if (this.deltaBytes >= this.rt.config.deltaFlushBytes) this.flushDeltas();
        else this.flushTimer ??= setTimeout(() => this.flushDeltas(), this.rt.config.deltaFlushMs);
        return;
      }
      case 'item.completed': {
        const item = this.items.get(event.key);
        if (!item || item.status !== 'IN_PROGRESS') return;
        this.flushDeltas();
        if (event.kind === undefined || event.kind === item.kind) Object.assign(item, event.fields);
        // A compaction turn's answer (AGENT_MESSAGE to the engine) is stored as CONTEXT_COMPACTION: its other fields do not apply.
        else if (this.turn.purpose === 'COMPACTION' && event.kind === 'AGENT_MESSAGE' && item.kind === 'CONTEXT_COMPACTION') {
          if (event.fields?.metadata !== undefined) item.metadata = event.fields.metadata;
        } else throw new Error(`internal error: the engine ended the ${item.kind} item ${event.key} as ${event.kind}`);
        this.closeItem(item, event.status ?? 'COMPLETED');
        this.write(this.rt.store.batch().putItem(item), [this.itemEvent(itemEndEvent(item.status), item)], [], () => this.unwrittenEnds.add(item));
        return;
      }
      case 'usage':
        this.usage = addTokenUsage(this.usage, event.usage);
        return;
      case 'steer.consumed':
        return;
    }
  }

  /** The record an engine's item start makes (streamed text starts empty). */
  private newItemOf(event: ItemStarted): NewItem {
    // A compaction turn's answer is the summary that replaces the conversation.
    if (this.turn.purpose === 'COMPACTION' && (event.kind === 'AGENT_MESSAGE' || event.kind === 'CONTEXT_COMPACTION')) {
      const { text = '', metadata } = event.fields ?? {};
      return { kind: 'CONTEXT_COMPACTION', text, reason: this.turn.prompt, metadata };
    }
    if (event.kind === 'AGENT_MESSAGE' || event.kind === 'CONTEXT_COMPACTION')
      return { kind: event.kind, ...event.fields, text: event.fields?.text ?? '' };
    // ItemStarted is a union by kind: `kind` and `fields` of one event agree, which the spread cannot show.
    return { kind: event.kind, ...event.fields } as NewItem;
  }

  private closeItem(item: ItemRecord, status: ItemStatus): void {
    item.status = status;
    item.endedAt = this.rt.now();
    item.summary = itemSummary(item);
    this.rt.liveItems.finish(item.id);
  }

  /** Emits the pending deltas, one event per item and field run (docs/DESIGN.md "Event log"). */
  private flushDeltas(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.deltas.length === 0) return;
    const drafts: EventDraft[] = this.deltas.map((d) =>
      draftEvent('item.delta', { threadId: this.threadId, turnId: this.turn.id, itemId: d.itemId }, { kind: d.field, delta: d.text }),
    );
    this.deltas = [];
    this.deltaBytes = 0;
    this.write(this.rt.store.batch(), drafts);
  }

  /** Writes in order without waiting (the log keeps order); a failure ends the turn. */
  private write(batch: ReturnType<Runtime['store']['batch']>, drafts: EventDraft[], threads: ThreadRecord[] = [], onRefused?: () => void): void {
    const done = this.rt.commit(batch, drafts, threads, { turnId: this.turn.id }).catch((e) => {
      this.writeError ??= e;
      onRefused?.();
      this.abortEngineOnWriteError();
    });
    this.lastWrite = done;
  }

  private abortEngineOnWriteError(): void {
    if (!this.abort.signal.aborted) {
      this.interruptReason = null;
      this.abort.abort();
    }
  }

  private itemEvent(name: ItemEventName, item: ItemRecord): EventDraft {
    return draftEvent(
      name,
      { threadId: this.threadId, turnId: this.turn.id, itemId: item.id },
      { kind: item.kind, status: item.status, summary: item.summary },
    );
  }

  private async updateThread(fields: { checklist?: unknown; plan?: unknown }): Promise<void> {
    await this.rt.writeThread(this.threadId, async (previous) => {
      if (!previous) return;
      const next: ThreadRecord = { ...previous, ...fields, updatedAt: this.rt.now() };
      const changed = (['checklist', 'plan'] as const).filter((f) => f in fields);
      await this.rt.commit(
        this.rt.store.batch().putThread(next, previous),
        [draftEvent('thread.updated', { threadId: this.threadId, turnId: this.turn.id }, { changed, ...fields })],
        [next],
      );
    });
  }

  /**
   * The final state, in one batch: open items closed, the turn ended with usage and cost, the thread idle. It is
   * queued behind the turn's last writes without waiting for them, in the same group commit when it can be built
   * from memory; if one of those writes is refused, the log refuses the end with it (eventLog.ts) and the end is
   * recorded again, FAILED.
   */
  private async end(status: TurnStatus, error: string | null): Promise<void> {
    this.flushDeltas();
    const optimistic = this.writeError === null;
    let refused = await this.recordEnd(status, error);
    if (refused !== null && optimistic) {
      // Every write of the turn has settled once its last one has: is the refusal one of theirs?
      await this.lastWrite;
      if (this.writeError !== null) refused = await this.recordEnd(status, error);
    }
    if (refused !== null) this.rt.config.logger?.error({ err: refused, turnId: this.turn.id }, 'could not record the end of a turn');
    for (const item of this.items.values()) this.rt.liveItems.finish(item.id);
    this.rt.threadIdle(this.threadId);
    this.rt.active.remove(this);
    this.resolveFinished();
    // The store refused the end: it stays IN_PROGRESS on disk (recovered at the next open if need be) and is
    // written as soon as the store takes writes again.
    if (refused !== null) {
      this.rt.retryInBackground(async () => {
        const again = await this.recordEnd(status, error);
        if (again !== null) this.rt.config.logger?.error({ err: again, turnId: this.turn.id }, 'could not record the end of a turn');
        return again === null;
      });
    }
  }

  /**
   * One attempt to write the turn's end, built from what is known now (a refused write of the turn makes it
   * FAILED); returns the refusal, or null once it is durable.
   */
  private async recordEnd(status: TurnStatus, error: string | null): Promise<unknown> {
    const failedWrite = this.writeError;
    const itemStatus: ItemStatus = status === 'COMPLETED' ? 'COMPLETED' : status === 'INTERRUPTED' ? 'INTERRUPTED' : 'FAILED';
    for (const item of this.items.values()) {
      if (item.status !== 'IN_PROGRESS') continue;
      this.closeItem(item, itemStatus);
      this.closedAtEnd.add(item);
    }
    const closed = [...this.items.values()].filter((item) => this.closedAtEnd.has(item) || this.unwrittenEnds.has(item));
    // Readers see the running record until the end is durable, then the whole end at once.
    const ended: TurnRecord = {
      ...this.turn,
      status: failedWrite ? 'FAILED' : status,
      error: failedWrite ? `storage write failed: ${(failedWrite as Error).message}` : error,
      usage: this.usage,
    };
    try {
      await this.rt.writeThread(this.threadId, async (thread) => {
        const batch = this.rt.store.batch();
        for (const item of closed) batch.putItem(item);
        if (!this.snapshotted && thread && snapshotsEnabled(this.rt) && this.turn.purpose === 'PROMPT') {
          batch.putTurnSnapshots(this.turn.id, noToolsRecord(thread.workspace));
        }
        const drafts = closed.map((item) => this.itemEvent(itemEndEvent(item.status), item));
        const { events, threads } = await finishTurnBatch(this.rt, batch, ended, thread, this.rollupOf(thread));
        await this.rt.commit(batch, [...drafts, ...events], threads, { turnId: this.turn.id });
      });
      Object.assign(this.turn, ended);
      return null;
    } catch (e) {
      return e ?? new Error('the end of the turn was refused');
    }
  }

  /**
   * The turn's start is durable and wrote `thread`: writers take the thread from memory until the end, and the
   * usage rollup row the end adds to is read now, beside the engine's work.
   */
  begun(thread: ThreadRecord): void {
    this.rt.threadRunning(thread);
    const key = { quarter: rollupQuarter(this.rt.now()), threadId: this.threadId, model: this.turn.model };
    // A thread whose usage counts no turn has no rollup row yet (each end writes its row and counts a turn).
    const row = (thread.usage?.turns ?? 0) === 0 ? Promise.resolve(undefined) : this.rt.store.getRollup(key);
    row.catch(() => undefined); // read again at the end
    this.rollupRead = { quarter: key.quarter, usageTurns: thread.usage?.turns ?? 0, row };
  }

  /**
   * Where the end takes the rollup row from: the one read at the start, while no other end has added to it since
   * (every end that writes a thread's rollup counts a turn in the thread's usage), else the store.
   */
  private rollupOf(thread: ThreadRecord | null): RollupSource {
    const read = this.rollupRead;
    return (key) => {
      const current = read !== null && thread !== null && read.quarter === key.quarter && read.usageTurns === (thread.usage?.turns ?? 0);
      return current ? read.row.catch(() => this.rt.store.getRollup(key)) : this.rt.store.getRollup(key);
    };
  }
}
