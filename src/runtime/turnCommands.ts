import type { z } from 'zod';
import {
  ConflictError,
  NoActiveTurnError,
  NotFoundError,
  OverloadedError,
  ThreadArchivedError,
  TurnActiveError,
  ValidationError,
} from '../domain/errors.js';
import { newItemRecord, newTurnRecord } from '../domain/factories.js';
import { draftEvent, type EventDraft, type TurnStartedPayload } from '../domain/events.js';
import type { ImageBlob, ItemRecord, ReasoningEffort, SandboxMode, ThreadRecord, TurnOptions, TurnPurpose, TurnRecord } from '../domain/records.js';
import { turnCompletedEvent } from './turnEnd.js';
import { parseInput, requireId, turnSettingsSchema, validatePrompt } from '../domain/validation.js';
import { imageUrl, parseImages, type ImageInput, type ParsedImages } from '../domain/images.js';
import { parseClientTools, parseOutputSchema } from './turnInputs.js';
import type { ClientToolInput } from '../domain/clientTools.js';
import { requestApproval } from './approvals.js';
import { pickModel } from './routing.js';
import type { Runtime } from './runtime.js';
import { TurnRun } from './turnRun.js';
import { defined } from '../domain/defined.js';
import { goneOnReplay, idempotent, NO_CLAIM, type RequestClaim } from './idempotency.js';
import type { IdempotentResult } from '../domain/idempotency.js';
import { forwardToOwner } from './turnOwners.js';
import type { TurnDelivery } from '../domain/enums.js';

export type { TurnDelivery };

/** A turn's settings as a command takes them: the turn settings schema's input (declared once there). */
export type TurnSettingsInput = z.input<typeof turnSettingsSchema>;

export interface StartTurnInput extends TurnSettingsInput {
  threadId: string;
  prompt: string;
  inputSummary?: string | null;
  delivery?: TurnDelivery | null;
  images?: ImageInput[] | null;
  outputSchema?: unknown;
  clientTools?: ClientToolInput[] | null;
  /** A repeat with the same id returns this call's answer instead of starting another turn. */
  clientRequestId?: string | null;
  /** The seq the user had seen when typing the prompt (kept on the turn). */
  seenSeq?: number | null;
}

/** The client request key of a mutation that takes no other optional input. */
export interface RequestKey {
  clientRequestId?: string | null;
}

export interface SteerOptions extends RequestKey {
  /** The seq the user had seen when typing the steered prompt (kept on its USER_MESSAGE item). */
  seenSeq?: number | null;
}

/** A seq the user can have seen: a whole number from 0 to the newest seq. */
function checkSeenSeq(rt: Runtime, seenSeq: number | null | undefined): number | null {
  if (seenSeq == null) return null;
  if (!Number.isInteger(seenSeq) || seenSeq < 0 || seenSeq > rt.log.latestSeq) {
    throw new ValidationError(`seenSeq: a seq from 0 to the newest one (${rt.log.latestSeq})`, 'seenSeq');
  }
  return seenSeq;
}

export interface StartTurnResult {
  turn: TurnRecord;
  /** 1-based place in the queue when the turn was queued. */
  queuedPosition: number | null;
}

interface TurnPlan {
  prompt: string;
  inputSummary?: string | null;
  model: string;
  mode: string;
  options: TurnOptions;
  purpose: TurnPurpose;
  /** Images of the prompt, with the data to store. */
  parsedImages?: ParsedImages;
  seenSeq?: number | null;
}

function planTurn(rt: Runtime, thread: ThreadRecord, prompt: string, input: TurnSettingsInput & { inputSummary?: string | null }): TurnPlan {
  // The object schema keeps only its own keys: the prompt and the rest of a start's input are left out.
  const s = parseInput(turnSettingsSchema, input);
  const options: TurnOptions = {};
  for (const key of ['allowShell', 'trustMode', 'networkAccess', 'autoApprove'] as const) if (s[key] != null) options[key] = s[key];
  if (s.sandbox != null) options.sandbox = s.sandbox;
  if (s.routeIntent != null) options.routeIntent = s.routeIntent;
  if (s.temperature != null) options.temperature = s.temperature;
  if (s.topP != null) options.topP = s.topP;
  if (s.maxTokens != null) options.maxTokens = s.maxTokens;
  for (const key of ['reasoningEffort', 'presencePenalty', 'frequencyPenalty', 'seed', 'stop'] as const) {
    if (s[key] != null) (options as Record<string, unknown>)[key] = s[key];
  }
  return {
    prompt,
    inputSummary: input.inputSummary,
    model: pickModel(s.model, s.routeIntent, rt.routingRules, thread.model),
    mode: s.mode ?? thread.mode,
    options,
    purpose: 'PROMPT',
  };
}

async function loadThreadForTurn(rt: Runtime, threadId: string): Promise<ThreadRecord> {
  const thread = await rt.threadForWrite(threadId);
  if (!thread) throw new NotFoundError('thread', threadId);
  if (thread.archived) throw new ThreadArchivedError(threadId);
  return thread;
}

export async function startTurn(rt: Runtime, input: StartTurnInput): Promise<StartTurnResult> {
  const delivery = input.delivery ?? 'REJECT';
  // REJECT needs nobody else: the store refuses a second running turn (TURN_ACTIVE) whichever node runs the first.
  if (delivery === 'REJECT' || !rt.turnOwners) return startTurnHere(rt, input);
  // QUEUE, STEER, INTERRUPT act on the running turn: on the node that runs it. A turn another node started
  // meanwhile makes the store refuse ours (TURN_ACTIVE): look for its node again.
  for (let attempt = 1; ; attempt++) {
    if (!rt.active.get(input.threadId)) {
      const routed = await forwardToOwner<StartTurnResult>(rt, (owners) => owners.ownerOfThread(input.threadId), { kind: 'startTurn', input });
      if (routed.forwarded) return routed.value;
    }
    try {
      return await startTurnHere(rt, input);
    } catch (error) {
      if (!(error instanceof TurnActiveError) || attempt >= 3 || rt.active.get(input.threadId)) throw error;
    }
  }
}

/** startTurn on this node (a forwarded one runs here too). */
export async function startTurnHere(rt: Runtime, input: StartTurnInput): Promise<StartTurnResult> {
  requireId('thread', input.threadId, 'threadId');
  validatePrompt(input.prompt, 'prompt', rt.config.maxPromptBytes);
  checkSeenSeq(rt, input.seenSeq);
  if (rt.isStopping) throw new ConflictError('the server is shutting down');
  return idempotent(
    rt,
    { operation: 'startTurn', clientRequestId: input.clientRequestId, input: { ...input } },
    (claim) => startTurnNow(rt, input, claim),
    async (result, key) => ({ turn: await turnOfReplay(rt, result, key), queuedPosition: result.queuedPosition ?? null }),
  );
}

/** The turn a repeated request made, as it is now. */
async function turnOfReplay(rt: Runtime, result: IdempotentResult, key: string): Promise<TurnRecord> {
  const turnId = defined(result.turnId, 'the turn id of a stored turn request');
  return rt.overlayTurn(await rt.store.getTurn(turnId)) ?? goneOnReplay('turn', turnId, key);
}

function startTurnNow(rt: Runtime, input: StartTurnInput, claim: RequestClaim): Promise<StartTurnResult> {
  return rt.commands.run({ thread: input.threadId }, async () => {
    const thread = await loadThreadForTurn(rt, input.threadId);
    const plan = planTurn(rt, thread, input.prompt, input);
    const outputSchema = parseOutputSchema(input.outputSchema);
    if (outputSchema) plan.options.outputSchema = outputSchema;
    const clientTools = parseClientTools(input.clientTools, rt.config.mcp?.tools().map((t) => t.name) ?? []);
    if (clientTools) plan.options.clientTools = clientTools;
    plan.parsedImages = parseImages(input.images, rt.config.imageLimits);
    plan.seenSeq = input.seenSeq ?? null;
    // Queued turns go first, also in the moment between one turn's end and the next one's start.
    await startNextQueued(rt, thread.id);
    const running = rt.active.get(thread.id);
    // No slot free (--max-running-turns): a QUEUE prompt waits in the thread's queue for one (the thread waits for
    // a slot; one freed meanwhile starts it at once).
    if (!running && input.delivery === 'QUEUE' && rt.slots.running >= rt.slots.max) {
      const queued = await queueTurn(rt, plan, thread.id, claim);
      await startNextQueued(rt, thread.id);
      return queued;
    }
    if (running) {
      switch (input.delivery ?? 'REJECT') {
        case 'REJECT':
          throw new TurnActiveError(running.turn.id);
        case 'QUEUE':
          return queueTurn(rt, plan, thread.id, claim);
        case 'STEER':
          return { turn: await steerActive(rt, running.turn.id, input.prompt, plan.parsedImages, claim, plan.seenSeq), queuedPosition: null };
        case 'INTERRUPT':
          await running.interrupt('Interrupted by a new prompt');
          // The new turn takes the slot the interrupted one held.
          return { turn: await beginTurn(rt, thread.id, plan, { claim, slot: 'force' }), queuedPosition: null };
      }
    }
    return { turn: await beginTurn(rt, thread.id, plan, { claim }), queuedPosition: null };
  });
}

interface BeginOptions {
  /** The QUEUED turn that starts now. */
  queued?: TurnRecord;
  /** The turn editLastTurn replaces. */
  replaces?: TurnRecord;
  claim?: RequestClaim;
  /** take (default): a free slot or OVERLOADED; force: one even past the bound; held: the caller holds one. */
  slot?: 'take' | 'force' | 'held';
}

/** Stores the turn IN_PROGRESS with its user message in one batch, then runs it. Call under the thread's lock. */
async function beginTurn(rt: Runtime, threadId: string, plan: TurnPlan, options: BeginOptions = {}): Promise<TurnRecord> {
  // Checked again here, under the lock: a command that waited for it may find the server shutting down.
  if (rt.isStopping) {
    if (options.slot === 'held') rt.slots.release();
    throw new ConflictError('the server is shutting down; try again after it restarts');
  }
  const slot = options.slot ?? 'take';
  if (slot !== 'held' && !rt.slots.take(threadId, slot === 'force')) throw new OverloadedError(rt.slots.retryAfterMs(), rt.slots.max);
  let begun: { run: TurnRun; running: Promise<void> };
  try {
    begun = await storeBegunTurn(rt, threadId, plan, options);
  } catch (error) {
    rt.slots.release();
    throw error;
  }
  // The slot is free once the turn's end is durable; then this thread's next queued turn may take one.
  void begun.running.finally(() => rt.slots.release()).then(() => startNextQueuedLater(rt, threadId));
  return begun.run.turn;
}

/** Starts the thread's next queued turn as a command of its own; nobody waits for it, so a failure is logged. */
export function startNextQueuedLater(rt: Runtime, threadId: string, slotHeld = false): void {
  rt.commands
    .run({ thread: threadId }, () => startNextQueued(rt, threadId, slotHeld))
    .catch((err: unknown) => {
      // Refused because the server is shutting down: the queue is durable and runs at the next start.
      if (rt.isStopping && err instanceof ConflictError) return;
      rt.config.logger?.error({ err, threadId }, 'could not start the next queued turn');
    });
}

async function storeBegunTurn(
  rt: Runtime,
  threadId: string,
  plan: TurnPlan,
  { queued, replaces, claim = NO_CLAIM }: BeginOptions,
): Promise<{ run: TurnRun; running: Promise<void> }> {
  const now = rt.now();
  const turn: TurnRecord = queued
    ? { ...queued, status: 'IN_PROGRESS', startedAt: now }
    : newTurnRecord({ threadId, ...plan, status: 'IN_PROGRESS' }, now);
  if (!queued && plan.seenSeq != null) turn.seenSeq = plan.seenSeq;
  const batch = rt.store.batch();
  const events: EventDraft[] = [];
  const scope = { threadId, turnId: turn.id };
  const superseded = replaces ? { ...replaces, supersededBy: turn.id } : null;
  if (superseded) {
    batch.putTurn(superseded);
    rt.conversations.invalidate(threadId);
  }
  if (plan.parsedImages?.refs.length) turn.images = plan.parsedImages.refs;
  putImages(batch, threadId, plan.parsedImages?.blobs);
  let message: ItemRecord | null = null;
  if (turn.purpose === 'PROMPT') {
    const images = turn.images?.length ? { images: turn.images } : {};
    message = newItemRecord(turn, { kind: 'USER_MESSAGE', text: turn.prompt, status: 'COMPLETED', endedAt: now, ...images }, now);
    turn.itemCount++;
    batch.putItem(message);
    events.push(draftEvent('turn.started', scope, turnPayload(turn, replaces)), ...storedMessageEvents(message));
  } else {
    events.push(draftEvent('turn.started', scope, turnPayload(turn)));
  }
  batch.putTurn(turn);
  claim.record(batch, { turnId: turn.id, queuedPosition: null });
  const run = new TurnRun(rt, turn, requestApproval);
  let running!: Promise<void>;
  await rt.writeThread(threadId, async (thread) => {
    if (!thread) throw new NotFoundError('thread', threadId);
    const next: ThreadRecord = {
      ...thread,
      activeTurnId: turn.id,
      latestTurnId: queued ? thread.latestTurnId : turn.id,
      turnCount: thread.turnCount + (queued ? 0 : 1),
      updatedAt: now,
    };
    batch.putThread(next, thread);
    const committing = rt.commit(batch, events, [next], { turnId: turn.id });
    // The run builds the engine's input and asks the provider while the start is synced; it holds what the
    // engine reports until the start is durable, and a refused start aborts it (docs/DESIGN.md "Turns and locking").
    let durable!: () => void;
    let refused!: (error: unknown) => void;
    const start = new Promise<void>((resolve, reject) => ((durable = resolve), (refused = reject)));
    running = run.run(start, {
      items: message ? [message] : [],
      images: plan.parsedImages?.blobs ?? [],
      replaces: superseded,
      earlierTurns: queued !== undefined || thread.latestTurnId !== null,
    });
    try {
      const [first] = await committing;
      // Where the turn's events start (kept with its next write), so turnEvents need not replay the whole thread.
      // A queued turn's events start earlier, at turn.queued.
      if (!queued) turn.startSeq = defined(first, 'the first event of a started turn').seq - 1;
      run.begun(next);
      rt.active.add(run);
      durable();
    } catch (error) {
      refused(error);
      throw error;
    }
  });
  return { run, running };
}

/** A user message is stored whole at once: its start and its end are announced together. */
function storedMessageEvents(message: ItemRecord): EventDraft[] {
  const scope = { threadId: message.threadId, turnId: message.turnId, itemId: message.id };
  return [
    draftEvent('item.started', scope, { kind: message.kind, status: 'IN_PROGRESS', summary: message.summary }),
    draftEvent('item.completed', scope, { kind: message.kind, status: 'COMPLETED', summary: message.summary }),
  ];
}

function turnPayload(turn: TurnRecord, replaces?: TurnRecord): TurnStartedPayload {
  return {
    status: turn.status,
    purpose: turn.purpose,
    inputSummary: turn.inputSummary,
    model: turn.model,
    mode: turn.mode,
    ...(replaces ? { replacesTurnId: replaces.id } : {}),
    ...(turn.seenSeq != null ? { seenSeq: turn.seenSeq } : {}),
  };
}

function putImages(batch: ReturnType<Runtime['store']['batch']>, threadId: string, blobs: readonly ImageBlob[] | undefined): void {
  for (const blob of blobs ?? []) batch.putImage(threadId, blob);
}

async function queueTurn(rt: Runtime, plan: TurnPlan, threadId: string, claim: RequestClaim): Promise<StartTurnResult> {
  const now = rt.now();
  const turn = newTurnRecord({ threadId, ...plan, status: 'QUEUED' }, now);
  if (plan.parsedImages?.refs.length) turn.images = plan.parsedImages.refs;
  if (plan.seenSeq != null) turn.seenSeq = plan.seenSeq;
  const position = (await rt.store.listQueuedTurnIds(threadId)).length + 1;
  await rt.writeThread(threadId, async (thread) => {
    if (!thread) throw new NotFoundError('thread', threadId);
    const next: ThreadRecord = { ...thread, latestTurnId: turn.id, turnCount: thread.turnCount + 1, updatedAt: now };
    const batch = rt.store.batch().putTurn(turn).putThread(next, thread);
    putImages(batch, threadId, plan.parsedImages?.blobs);
    claim.record(batch, { turnId: turn.id, queuedPosition: position });
    await rt.commit(batch, [draftEvent('turn.queued', { threadId, turnId: turn.id }, { ...turnPayload(turn), position })], [next]);
  });
  return { turn, queuedPosition: position };
}

/**
 * Starts the oldest QUEUED turn if the thread is idle and a slot is free (else the thread waits for one).
 * `slotHeld`: a freed slot was handed to this thread (released again if it is not used). Call under the thread's lock.
 */
export async function startNextQueued(rt: Runtime, threadId: string, slotHeld = false): Promise<void> {
  const queued = await nextQueuedTurn(rt, threadId);
  if (!queued) {
    if (slotHeld) rt.slots.release();
    return;
  }
  if (!slotHeld && !rt.slots.take(threadId)) {
    rt.slots.wait(threadId);
    return;
  }
  await beginTurn(rt, threadId, queued, { queued, slot: 'held' });
}

/** The turn that runs next on an idle thread, or null (running, nothing queued, archived, stopping). */
async function nextQueuedTurn(rt: Runtime, threadId: string): Promise<TurnRecord | null> {
  if (rt.isStopping || rt.active.get(threadId)) return null;
  const [nextId] = await rt.store.listQueuedTurnIds(threadId);
  if (!nextId) return null;
  const queued = await rt.store.getTurn(nextId);
  if (!queued) return null;
  const thread = await rt.threadForWrite(threadId);
  if (!thread || thread.archived) return null;
  return queued;
}

/** Any turn by id (the running version while it runs), or NOT_FOUND. */
async function findTurn(rt: Runtime, turnId: string) {
  requireId('turn', turnId, 'turnId');
  const turn = rt.active.byTurnId(turnId)?.turn ?? (await rt.store.getTurn(turnId));
  if (!turn) throw new NotFoundError('turn', turnId);
  return turn;
}

export async function steerTurn(
  rt: Runtime,
  turnId: string,
  prompt: string,
  images?: ImageInput[] | null,
  options: SteerOptions = {},
): Promise<TurnRecord> {
  if (rt.turnOwners && !rt.active.byTurnId(turnId)) {
    requireId('turn', turnId, 'turnId');
    const command = { kind: 'steerTurn', turnId, prompt, images: images ?? null, options } as const;
    const routed = await forwardToOwner<TurnRecord>(rt, (owners) => owners.ownerOfTurn(turnId), command);
    if (routed.forwarded) return routed.value;
  }
  return steerTurnHere(rt, turnId, prompt, images, options);
}

/** steerTurn on this node (a forwarded one runs here too). */
export async function steerTurnHere(
  rt: Runtime,
  turnId: string,
  prompt: string,
  images?: ImageInput[] | null,
  { clientRequestId, seenSeq }: SteerOptions = {},
): Promise<TurnRecord> {
  validatePrompt(prompt, 'prompt', rt.config.maxPromptBytes);
  checkSeenSeq(rt, seenSeq);
  const parsed = parseImages(images, rt.config.imageLimits);
  return idempotent(
    rt,
    { operation: 'steerTurn', clientRequestId, input: { turnId, prompt, images, seenSeq } },
    async (claim) => {
      const turn = await findTurn(rt, turnId);
      return rt.commands.run({ thread: turn.threadId }, () => steerActive(rt, turnId, prompt, parsed, claim, seenSeq));
    },
    (result, key) => turnOfReplay(rt, result, key),
  );
}

/** Adds the prompt to the running turn as a USER_MESSAGE; the engine takes it before its next model call. */
async function steerActive(
  rt: Runtime,
  turnId: string,
  prompt: string,
  images: ParsedImages | undefined,
  claim: RequestClaim,
  seenSeq: number | null | undefined,
): Promise<TurnRecord> {
  const run = rt.active.byTurnId(turnId);
  if (!run || !run.acceptsSteers) throw new NoActiveTurnError(`turn ${turnId} is not running; start a new turn instead`);
  const turn = run.turn;
  const now = rt.now();
  const refs = images?.refs ?? [];
  const withImages = refs.length ? { images: refs } : {};
  const message = newItemRecord(
    turn,
    {
      kind: 'USER_MESSAGE',
      text: prompt,
      status: 'COMPLETED',
      endedAt: now,
      metadata: { steer: true, ...(seenSeq != null ? { seenSeq } : {}) },
      ...withImages,
    },
    now,
  );
  turn.steerCount++;
  turn.itemCount++;
  const urls = refs
    .map((ref) =>
      imageUrl(
        ref,
        images?.blobs.find((b) => b.sha256 === ref.sha256),
      ),
    )
    .filter((u): u is string => u !== null);
  run.addSteer(urls.length ? { text: prompt, images: urls } : { text: prompt });
  const batch = rt.store.batch().putItem(message).putTurn(turn);
  putImages(batch, turn.threadId, images?.blobs);
  claim.record(batch, { turnId: turn.id });
  await rt.commit(batch, [
    draftEvent(
      'turn.steered',
      { threadId: turn.threadId, turnId: turn.id, itemId: message.id },
      { steerCount: turn.steerCount, summary: message.summary, ...(seenSeq != null ? { seenSeq } : {}) },
    ),
    ...storedMessageEvents(message),
  ]);
  return turn;
}

export async function interruptTurn(rt: Runtime, turnId: string, { clientRequestId }: RequestKey = {}): Promise<TurnRecord> {
  if (rt.turnOwners && !rt.active.byTurnId(turnId)) {
    requireId('turn', turnId, 'turnId');
    const command = { kind: 'interruptTurn', turnId, options: { clientRequestId } } as const;
    const routed = await forwardToOwner<TurnRecord>(rt, (owners) => owners.ownerOfTurn(turnId), command);
    if (routed.forwarded) return routed.value;
    // Its node had died: the takeover just ended the turn INTERRUPTED, which is what was asked.
    if (routed.tookOver) {
      const turn = await rt.store.getTurn(turnId);
      if (turn?.status === 'INTERRUPTED') return turn;
    }
  }
  return interruptTurnHere(rt, turnId, { clientRequestId });
}

/** interruptTurn on this node (a forwarded one runs here too). */
export function interruptTurnHere(rt: Runtime, turnId: string, { clientRequestId }: RequestKey = {}): Promise<TurnRecord> {
  return idempotent(
    rt,
    { operation: 'interruptTurn', clientRequestId, input: { turnId } },
    async (claim) => {
      const turn = await findTurn(rt, turnId);
      return rt.commands.run({ thread: turn.threadId }, async () => {
        const run = rt.active.byTurnId(turnId);
        if (!run) throw new NoActiveTurnError(`turn ${turnId} is not running (status ${turn.status})`);
        const batch = rt.store.batch();
        claim.record(batch, { turnId });
        await rt.commit(batch, [draftEvent('turn.interrupt_requested', { threadId: turn.threadId, turnId }, {})]);
        await run.interrupt('Interrupted by request');
        return run.turn;
      });
    },
    (result, key) => turnOfReplay(rt, result, key),
  );
}

export async function cancelQueuedTurn(rt: Runtime, turnId: string): Promise<TurnRecord> {
  const found = await findTurn(rt, turnId);
  // The node running the thread's turn starts its next queued turn: the cancel runs there, under the same lock.
  if (rt.turnOwners && found.status === 'QUEUED' && !rt.active.get(found.threadId)) {
    const routed = await forwardToOwner<TurnRecord>(rt, (owners) => owners.ownerOfThread(found.threadId), { kind: 'cancelQueuedTurn', turnId });
    if (routed.forwarded) return routed.value;
  }
  return cancelQueuedTurnHere(rt, turnId);
}

/** cancelQueuedTurn on this node (a forwarded one runs here too). */
export async function cancelQueuedTurnHere(rt: Runtime, turnId: string): Promise<TurnRecord> {
  const found = await findTurn(rt, turnId);
  return rt.commands.run({ thread: found.threadId }, async () => {
    const turn = await rt.store.getTurn(turnId);
    if (!turn) throw new NotFoundError('turn', turnId);
    if (turn.status !== 'QUEUED') throw new ConflictError(`turn ${turnId} is ${turn.status}, not QUEUED`);
    const now = rt.now();
    const canceled: TurnRecord = { ...turn, status: 'CANCELED', endedAt: now };
    await rt.commit(rt.store.batch().putTurn(canceled), [turnCompletedEvent(canceled)]);
    return canceled;
  });
}

export interface EditLastTurnInput extends TurnSettingsInput {
  threadId: string;
  content: string;
  clientRequestId?: string | null;
}

/** Replaces the last turn's prompt and runs it again; the old turn stays as history, out of the conversation. */
export async function editLastTurn(rt: Runtime, input: EditLastTurnInput): Promise<TurnRecord> {
  requireId('thread', input.threadId, 'threadId');
  validatePrompt(input.content, 'content', rt.config.maxPromptBytes);
  return idempotent(
    rt,
    { operation: 'editLastTurn', clientRequestId: input.clientRequestId, input: { ...input } },
    (claim) => editLastTurnNow(rt, input, claim),
    (result, key) => turnOfReplay(rt, result, key),
  );
}

function editLastTurnNow(rt: Runtime, { clientRequestId: _, ...input }: EditLastTurnInput, claim: RequestClaim): Promise<TurnRecord> {
  return rt.commands.run({ thread: input.threadId }, async () => {
    const thread = await loadThreadForTurn(rt, input.threadId);
    const running = rt.active.get(thread.id);
    if (running) throw new TurnActiveError(running.turn.id);
    const last = await lastPromptTurn(rt, thread.id);
    if (!last) throw new ConflictError('the thread has no turn to edit');
    const plan = planTurn(rt, thread, input.content, {
      ...last.options,
      model: input.model ?? (input.routeIntent ? null : last.model),
      mode: input.mode ?? last.mode,
      ...definedOnly(input),
    });
    return beginTurn(rt, thread.id, plan, { replaces: last, claim });
  });
}

async function lastPromptTurn(rt: Runtime, threadId: string): Promise<TurnRecord | null> {
  const ids = await rt.store.listTurnIds(threadId);
  const turns = await rt.store.getTurns(ids);
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i];
    if (t && t.purpose === 'PROMPT' && !t.supersededBy && t.status !== 'CANCELED' && t.status !== 'QUEUED') return t;
  }
  return null;
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v != null)) as Partial<T>;
}

/** A turn whose engine call summarises the conversation into a CONTEXT_COMPACTION item. */
export async function compactThread(
  rt: Runtime,
  threadId: string,
  reason: string | null | undefined,
  { clientRequestId }: RequestKey = {},
): Promise<TurnRecord> {
  requireId('thread', threadId, 'threadId');
  if (reason != null && reason.length > 2000) throw new ValidationError('reason: at most 2000 characters', 'reason');
  return idempotent(
    rt,
    { operation: 'compactThread', clientRequestId, input: { threadId, reason } },
    (claim) =>
      rt.commands.run({ thread: threadId }, async () => {
        const thread = await loadThreadForTurn(rt, threadId);
        const running = rt.active.get(threadId);
        if (running) throw new TurnActiveError(running.turn.id);
        const prompt = reason?.trim() || 'Compact the conversation';
        rt.conversations.invalidate(threadId);
        return beginTurn(rt, threadId, { prompt, model: thread.model, mode: thread.mode, options: {}, purpose: 'COMPACTION' }, { claim });
      }),
    (result, key) => turnOfReplay(rt, result, key),
  );
}
