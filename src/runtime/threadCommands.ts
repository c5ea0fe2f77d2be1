import type { z } from 'zod';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, OutOfRangeError, ValidationError, WorkspaceInvalidError } from '../domain/errors.js';
import { newThreadRecord } from '../domain/factories.js';
import { newId } from '../domain/ids.js';
import { draftEvent, type EventDraft, type ThreadChangeField, type ThreadChanges, type ThreadStartedPayload } from '../domain/events.js';
import { isFinalStatus } from '../domain/enums.js';
import type { ItemRecord, SandboxMode, TaskType, ThreadRecord, TurnRecord } from '../domain/records.js';
import { purgeThread } from './purge.js';
import { parseInput, requireId, threadSettingsSchema } from '../domain/validation.js';
import { applyMetadataPatch, sameMetadata } from '../domain/threadMetadata.js';
import type { Runtime } from './runtime.js';
import { startNextQueued } from './turnCommands.js';
import { defined } from '../domain/defined.js';
import { goneOnReplay, idempotent, type RequestClaim } from './idempotency.js';
import type { IdempotentResult } from '../domain/idempotency.js';
import type { TaskTypeInput } from '../domain/enums.js';

/** Thread settings as a command takes them: the zod schema's input (declared once there), and the expiry. */
export type ThreadSettingsInput = Omit<z.input<typeof threadSettingsSchema>, 'metadata'> & {
  /** Retention purges the thread at this time; null clears it. */
  expiresAt?: Date | string | null;
  /** Any JSON (GraphQL's JSON scalar): the command checks it against `metadataPatchSchema`. */
  metadata?: unknown;
};

export interface CreateThreadInput extends ThreadSettingsInput {
  taskType?: TaskTypeInput | null;
  /** A repeat with the same id returns the thread this call created instead of creating another. */
  clientRequestId?: string | null;
}

export interface UpdateThreadInput extends ThreadSettingsInput {
  threadId: string;
}

/**
 * An existing directory, relative paths resolved against the server's default workspace, stored by its real
 * path: tools later refuse a workspace whose path has come to lead elsewhere (a symlink put in it).
 */
export async function resolveWorkspace(rt: Runtime, workspace: string): Promise<string> {
  const resolved = path.resolve(rt.config.defaultWorkspace, workspace);
  const info = await stat(resolved).catch(() => null);
  if (!info) throw new WorkspaceInvalidError(`workspace ${resolved} does not exist`, resolved);
  if (!info.isDirectory()) throw new WorkspaceInvalidError(`workspace ${resolved} is not a directory`, resolved);
  return realpath(resolved);
}

const emptyToNull = (value: string | null | undefined) => (value == null || value.trim() === '' ? null : value);

export async function createThread(rt: Runtime, input: CreateThreadInput): Promise<ThreadRecord> {
  return idempotent(
    rt,
    { operation: 'createThread', clientRequestId: input.clientRequestId, input: { ...input } },
    (claim) => createThreadNow(rt, input, claim),
    (result, key) => threadOfReplay(rt, result, key),
  );
}

/** The thread a repeated request made, as it is now. */
async function threadOfReplay(rt: Runtime, result: IdempotentResult, key: string): Promise<ThreadRecord> {
  const threadId = defined(result.threadId, 'the thread id of a stored thread request');
  return (await rt.threadForWrite(threadId)) ?? goneOnReplay('thread', threadId, key);
}

async function createThreadNow(rt: Runtime, input: CreateThreadInput, claim: RequestClaim): Promise<ThreadRecord> {
  const s = parseInput(threadSettingsSchema, input);
  const workspace = await resolveWorkspace(rt, s.workspace ?? rt.config.defaultWorkspace);
  const thread = newThreadRecord(
    {
      model: s.model ?? rt.config.defaultModel,
      mode: s.mode ?? rt.config.defaultMode,
      workspace,
      title: emptyToNull(s.title),
      systemPrompt: emptyToNull(s.systemPrompt),
      taskId: emptyToNull(s.taskId),
      scratchpadRunId: emptyToNull(s.scratchpadRunId),
      allowShell: s.allowShell ?? false,
      trustMode: s.trustMode ?? false,
      sandbox: s.sandbox ?? 'WORKSPACE_WRITE',
      networkAccess: s.networkAccess ?? false,
      autoApprove: s.autoApprove ?? false,
      archived: s.archived ?? false,
      // AUTO: code work unless said otherwise (the engine's tools are code tools).
      taskType: input.taskType === 'OFFICE' ? 'OFFICE' : 'CODE',
      expiresAt: expiryOf(input.expiresAt),
      metadata: applyMetadataPatch({}, s.metadata ?? {}),
    },
    rt.now(),
  );
  const batch = rt.store.batch().putThread(thread, null);
  claim.record(batch, { threadId: thread.id });
  // A new id: nothing else can wait on it yet, but creation declares its scope as every thread command does.
  await rt.commands.run({ thread: thread.id }, () =>
    rt.commit(batch, [draftEvent('thread.started', { threadId: thread.id }, threadPayload(thread))], [thread]),
  );
  return thread;
}

const CLEARABLE = new Set<string>(['title', 'systemPrompt', 'scratchpadRunId', 'expiresAt']);
const UPDATABLE = [
  'title',
  'model',
  'mode',
  'workspace',
  'systemPrompt',
  'scratchpadRunId',
  'allowShell',
  'trustMode',
  'sandbox',
  'networkAccess',
  'autoApprove',
  'archived',
  'expiresAt',
] as const;

type UpdatableField = (typeof UPDATABLE)[number];
type UpdatedValues = { [K in UpdatableField]: ThreadRecord[K] | undefined };

function copyField<K extends UpdatableField>(to: ThreadRecord, from: UpdatedValues, field: K): void {
  const value = from[field];
  if (value !== undefined) to[field] = value;
}

/** An expiry time as stored (ISO, UTC), null for none. */
function expiryOf(value: Date | string | null | undefined): string | null {
  if (value == null) return null;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time)) throw new ValidationError('expiresAt: not a valid time', 'expiresAt');
  return new Date(time).toISOString();
}

export async function updateThread(rt: Runtime, input: UpdateThreadInput): Promise<ThreadRecord> {
  requireId('thread', input.threadId, 'threadId');
  const s = parseInput(threadSettingsSchema, { ...input, threadId: undefined });
  // null clears a text field and means "unchanged" for the others.
  const given = UPDATABLE.filter((f) => input[f] !== undefined && (input[f] !== null || CLEARABLE.has(f)));
  if (given.length === 0 && s.metadata == null)
    throw new ValidationError(`nothing to change: give at least one of ${UPDATABLE.join(', ')}, metadata`);
  const workspace = s.workspace != null ? await resolveWorkspace(rt, s.workspace) : undefined;
  const settings = { ...s, expiresAt: expiryOf(input.expiresAt) };

  // Under the write lock too: a running turn's end writes the thread record under that lock only.
  return rt.commands.run({ thread: input.threadId }, async () => {
    const updated = await rt.writeThread(input.threadId, (previous) => applyUpdate(rt, previous, input.threadId, given, settings, workspace));
    // Turns queued before the thread was archived run once it is active again.
    if (!updated.archived) await startNextQueued(rt, updated.id);
    return updated;
  });
}

async function applyUpdate(
  rt: Runtime,
  previous: ThreadRecord | null,
  id: string,
  given: readonly (typeof UPDATABLE)[number][],
  s: ReturnType<typeof parseInput<typeof threadSettingsSchema>> & { expiresAt: string | null },
  workspace: string | undefined,
): Promise<ThreadRecord> {
  if (!previous) throw new NotFoundError('thread', id);
  // What each given field becomes; undefined: not given (null clears only the clearable fields, see `given`).
  const values: UpdatedValues = {
    title: emptyToNull(s.title),
    systemPrompt: emptyToNull(s.systemPrompt),
    scratchpadRunId: emptyToNull(s.scratchpadRunId),
    expiresAt: s.expiresAt,
    workspace,
    model: s.model ?? undefined,
    mode: s.mode ?? undefined,
    allowShell: s.allowShell ?? undefined,
    trustMode: s.trustMode ?? undefined,
    sandbox: s.sandbox ?? undefined,
    networkAccess: s.networkAccess ?? undefined,
    autoApprove: s.autoApprove ?? undefined,
    archived: s.archived ?? undefined,
  };
  const next: ThreadRecord = { ...previous };
  for (const field of given) copyField(next, values, field);
  if (next.scratchpadRunId !== previous.scratchpadRunId && previous.scratchpadRunId) {
    next.scratchpadRunHistory = [...previous.scratchpadRunHistory, previous.scratchpadRunId];
  }
  // Metadata merges into what the thread has now (a key set to null goes), then must still fit the bounds.
  if (s.metadata != null) next.metadata = applyMetadataPatch(previous.metadata, s.metadata);
  const changed: ThreadChangeField[] = UPDATABLE.filter((f) => (next[f] ?? null) !== (previous[f] ?? null));
  if (!sameMetadata(previous.metadata, next.metadata)) changed.push('metadata');
  if (changed.length === 0) return previous;
  next.updatedAt = rt.now();
  const events: EventDraft[] = [draftEvent('thread.updated', { threadId: next.id }, { changed, ...pick(next, changed) })];
  if (changed.includes('archived')) events.push(draftEvent('thread.archived', { threadId: next.id }, { archived: next.archived }));
  await rt.commit(rt.store.batch().putThread(next, previous), events, [next]);
  return next;
}

/** Purges the thread: its content goes from every store row and replay (see purge.ts). */
export async function deleteThread(rt: Runtime, id: string): Promise<string> {
  requireId('thread', id, 'threadId');
  return rt.commands.run({ thread: id }, async () => {
    const thread = await rt.threadForWrite(id);
    if (!thread) throw new NotFoundError('thread', id);
    await purgeThread(rt, thread, 'DELETED');
    return id;
  });
}

export interface ForkResult {
  thread: ThreadRecord;
  originalUserText: string | null;
}

/**
 * A new thread with copies of the source's finished turns and their items. With `depthFromTail` the copy
 * stops before the Nth-from-last user turn (0 drops the newest), whose prompt is returned.
 */
export async function forkThread(
  rt: Runtime,
  threadId: string,
  depthFromTail: number | null | undefined,
  { clientRequestId }: { clientRequestId?: string | null } = {},
): Promise<ForkResult> {
  requireId('thread', threadId, 'threadId');
  if (depthFromTail != null && (!Number.isInteger(depthFromTail) || depthFromTail < 0)) {
    throw new ValidationError('depthFromTail: must be a whole number >= 0', 'depthFromTail');
  }
  return idempotent(
    rt,
    { operation: 'forkThread', clientRequestId, input: { threadId, depthFromTail } },
    (claim) => forkThreadNow(rt, threadId, depthFromTail, claim),
    async (result, key) => ({ thread: await threadOfReplay(rt, result, key), originalUserText: result.originalUserText ?? null }),
  );
}

function forkThreadNow(rt: Runtime, threadId: string, depthFromTail: number | null | undefined, claim: RequestClaim): Promise<ForkResult> {
  return rt.commands.run({ thread: threadId }, async () => {
    const source = await rt.threadForWrite(threadId);
    if (!source) throw new NotFoundError('thread', threadId);
    const allTurns = (await rt.store.getTurns(await rt.store.listTurnIds(threadId))).filter(
      (t): t is TurnRecord => t !== null && isFinalStatus(t.status) && t.status !== 'CANCELED',
    );
    const userTurns = allTurns.filter((t) => t.purpose === 'PROMPT' && !t.supersededBy);
    let dropped: TurnRecord | null = null;
    if (depthFromTail != null) {
      if (depthFromTail >= userTurns.length) {
        throw new OutOfRangeError(`depthFromTail ${depthFromTail} is out of range: the thread has ${userTurns.length} user turns`);
      }
      dropped = defined(userTurns[userTurns.length - 1 - depthFromTail], 'user turn within range');
    }
    const kept = dropped ? allTurns.filter((t) => t.id < dropped!.id) : allTurns;

    const now = rt.now();
    const thread: ThreadRecord = {
      ...source,
      id: newId('thread'),
      createdAt: now,
      updatedAt: now,
      archived: false,
      activeTurnId: null,
      latestTurnId: null,
      turnCount: kept.length,
      forkedFrom: { threadId, turnId: dropped?.id ?? null, depthFromTail: depthFromTail ?? -1 },
    };
    const batch = rt.store.batch();
    const itemPages = await rt.store.pageItemsMany(kept.map((t) => ({ parentId: t.id, args: { first: Number.MAX_SAFE_INTEGER } })));
    const turnIdMap = new Map<string, string>();
    kept.forEach((turn, i) => {
      const copy: TurnRecord = { ...turn, id: newId('turn'), threadId: thread.id, supersededBy: null };
      turnIdMap.set(turn.id, copy.id);
      batch.putTurn(copy);
      for (const { value } of defined(itemPages[i], `item page of turn ${turn.id}`).entries) {
        const item = value as ItemRecord;
        batch.putItem({ ...item, id: newId('item'), turnId: copy.id, threadId: thread.id });
      }
      thread.latestTurnId = copy.id;
    });
    // An edit's replacement turn stays linked to the copy of the turn it replaced.
    for (const turn of kept)
      if (turn.supersededBy && turnIdMap.has(turn.supersededBy)) {
        batch.putTurn({ ...turn, id: turnIdMap.get(turn.id)!, threadId: thread.id, supersededBy: turnIdMap.get(turn.supersededBy)! });
      }
    // The copied items reference the source's stored images by hash: the copy gets its own.
    const hashes = await rt.store.listImageHashesOfThread(threadId);
    for (const image of await rt.store.getImages(threadId, hashes)) if (image) batch.putImage(thread.id, image);
    batch.putThread(thread, null);
    claim.record(batch, { threadId: thread.id, originalUserText: dropped?.prompt ?? null });
    await rt.commit(
      batch,
      [
        draftEvent('thread.started', { threadId: thread.id }, threadPayload(thread)),
        draftEvent(
          'thread.forked',
          { threadId: thread.id },
          { sourceThreadId: threadId, depthFromTail: depthFromTail ?? null, droppedTurnId: dropped?.id ?? null, copiedTurns: kept.length },
        ),
      ],
      [thread],
    );
    return { thread, originalUserText: dropped?.prompt ?? null };
  });
}

export function threadPayload(t: ThreadRecord): ThreadStartedPayload {
  return {
    title: t.title,
    model: t.model,
    mode: t.mode,
    workspace: t.workspace,
    taskType: t.taskType,
    archived: t.archived,
    metadata: t.metadata ?? {},
  };
}

/** The named fields of a thread, for thread.updated. */
function pick(record: ThreadChanges, fields: readonly ThreadChangeField[]): Partial<ThreadChanges> {
  return Object.fromEntries(fields.map((f) => [f, record[f]])) as Partial<ThreadChanges>;
}
