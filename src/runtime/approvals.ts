import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { draftEvent, type EventDraft } from '../domain/events.js';
import type { ApprovalRecord, ApprovalStatus, SandboxPolicy, ThreadRecord } from '../domain/records.js';
import { SCHEMA_VERSION } from '../domain/records.js';
import { requireId } from '../domain/validation.js';
import type { ApprovalDecision, ApprovalOutcome, ApprovalRequest } from '../engine/types.js';
import type { Runtime } from './runtime.js';
import type { TurnRun } from './turnRun.js';
import { goneOnReplay, idempotent, NO_CLAIM, type RequestClaim } from './idempotency.js';
import { forwardToOwner } from './turnOwners.js';
import type { ResolveDecision } from '../domain/enums.js';

const STATUS_OF: Record<ApprovalDecision, ApprovalStatus> = { APPROVED: 'APPROVED', DENIED: 'DENIED', EXPIRED: 'EXPIRED' };

/**
 * Stores a PENDING approval, announces it (`approval.required`) and waits for a person's decision, the
 * timeout (EXPIRED, which denies) or the turn's interruption (DENIED).
 */
export async function requestApproval(run: TurnRun, request: ApprovalRequest, itemId: string | null): Promise<ApprovalOutcome> {
  const rt = run.rt;
  const now = rt.clock();
  const approval: ApprovalRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: newId('approval'),
    threadId: run.threadId,
    turnId: run.turn.id,
    itemId,
    toolName: request.toolName,
    arguments: request.arguments ?? {},
    reason: request.reason,
    sandbox: request.sandbox ?? null,
    grantedSandbox: null,
    status: 'PENDING',
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + rt.config.approvalTimeoutMs).toISOString(),
    resolvedAt: null,
  };
  const decided = new Promise<ApprovalOutcome>((resolve) =>
    run.waitingApprovals.set(approval.id, (decision, granted) => resolve({ decision, sandbox: granted ?? approval.sandbox ?? null })),
  );
  // The store refused the approval: nobody can decide it, so the engine gets the failure (the turn ends FAILED).
  const stored = rt.commit(rt.store.batch().putApproval(approval), [
    draftEvent(
      'approval.required',
      { threadId: run.threadId, turnId: run.turn.id, itemId },
      {
        approvalId: approval.id,
        toolName: approval.toolName,
        arguments: approval.arguments,
        reason: approval.reason,
        expiresAt: approval.expiresAt,
        ...(approval.sandbox ? { sandbox: approval.sandbox } : {}),
      },
    ),
  ]);
  await stored.catch((error: unknown) => {
    run.waitingApprovals.delete(approval.id);
    throw error;
  });
  if (run.signal.aborted) run.waitingApprovals.get(approval.id)?.('DENIED');
  const timer = setTimeout(() => void expire(rt, run, approval.id, 'timeout'), rt.config.approvalTimeoutMs);
  const outcome = await decided;
  clearTimeout(timer);
  // Interrupted while waiting: the approval ends as EXPIRED so that nobody can approve a dead turn.
  if (run.signal.aborted && outcome.decision !== 'APPROVED') await expire(rt, run, approval.id, 'turn interrupted');
  return outcome;
}

/**
 * Records a pending approval as EXPIRED. Never throws: when the store refuses, the failure is logged and the
 * waiting turn is woken all the same (an expiry denies), so no turn waits forever; the approval stays PENDING in
 * the store until a later expiry succeeds (resolveApproval past its expiry, or the next start).
 */
async function expire(rt: Runtime, run: TurnRun | undefined, approvalId: string, cause: string): Promise<void> {
  try {
    await settle(rt, run, approvalId, 'EXPIRED', false);
  } catch (err) {
    // Decided meanwhile (a person, or the other of timeout and interruption): that decision woke the turn.
    if (err instanceof ConflictError) return;
    rt.config.logger?.error({ err, approvalId, turnId: run?.turn.id ?? null, cause }, 'could not record the expiry of an approval');
    run?.waitingApprovals.get(approvalId)?.('EXPIRED');
    run?.waitingApprovals.delete(approvalId);
  }
}

/** What a person may widen for one shell command when approving it. */
export interface SandboxGrant {
  networkAccess?: boolean | null;
  fullAccess?: boolean | null;
}

/** Records the decision on a pending approval and wakes the turn waiting for it; one decision per approval. */
function settle(
  rt: Runtime,
  run: TurnRun | undefined,
  approvalId: string,
  decision: ApprovalDecision,
  remember: boolean,
  grant: SandboxGrant = {},
  claim: RequestClaim = NO_CLAIM,
): Promise<ApprovalRecord> {
  return rt.commands.run({ approval: approvalId }, () => settleNow(rt, run, approvalId, decision, remember, grant, claim));
}

/** The policy an approval grants: what was asked, widened by the grant; null when nothing is widened. */
function grantedPolicy(approval: ApprovalRecord, grant: SandboxGrant): SandboxPolicy | null {
  if (!grant.networkAccess && !grant.fullAccess) return null;
  if (!approval.sandbox)
    throw new ValidationError(
      'grantNetworkAccess and grantFullAccess apply to shell commands only',
      grant.fullAccess ? 'grantFullAccess' : 'grantNetworkAccess',
    );
  if (grant.fullAccess) return { mode: 'FULL_ACCESS', networkAccess: true };
  return { ...approval.sandbox, networkAccess: true };
}

async function settleNow(
  rt: Runtime,
  run: TurnRun | undefined,
  approvalId: string,
  decision: ApprovalDecision,
  remember: boolean,
  grant: SandboxGrant,
  claim: RequestClaim,
): Promise<ApprovalRecord> {
  const approval = await rt.store.getApproval(approvalId);
  if (!approval) throw new NotFoundError('approval', approvalId);
  if (approval.status !== 'PENDING') throw new ConflictError(`approval ${approvalId} is already ${approval.status}`);
  const grantedSandbox = decision === 'APPROVED' ? grantedPolicy(approval, grant) : null;
  const resolved: ApprovalRecord = { ...approval, status: STATUS_OF[decision], grantedSandbox, resolvedAt: rt.now() };
  const batch = rt.store.batch().putApproval(resolved);
  claim.record(batch, { approvalId });
  const event = draftEvent(
    'approval.resolved',
    { threadId: approval.threadId, turnId: approval.turnId, itemId: approval.itemId },
    { approvalId, status: resolved.status, toolName: approval.toolName, remember, ...(grantedSandbox ? { grantedSandbox } : {}) },
  );
  if (remember && decision === 'APPROVED') {
    await rt.writeThread(approval.threadId, async (thread) => {
      const events: EventDraft[] = [event];
      const threads: ThreadRecord[] = [];
      if (thread && !thread.autoApprove) {
        const next = { ...thread, autoApprove: true, updatedAt: rt.now() };
        batch.putThread(next, thread);
        threads.push(next);
        events.push(draftEvent('thread.updated', { threadId: thread.id }, { changed: ['autoApprove'], autoApprove: true }));
      }
      await rt.commit(batch, events, threads);
    });
  } else {
    await rt.commit(batch, [event]);
  }
  if (run && remember && decision === 'APPROVED') run.approveRestOfTurn();
  run?.waitingApprovals.get(approvalId)?.(decision, grantedSandbox);
  run?.waitingApprovals.delete(approvalId);
  return resolved;
}

export async function resolveApproval(
  rt: Runtime,
  approvalId: string,
  decision: ResolveDecision,
  remember: boolean,
  grant: SandboxGrant = {},
  options: { clientRequestId?: string | null } = {},
): Promise<ApprovalRecord> {
  requireId('approval', approvalId, 'approvalId');
  // The turn waiting for the decision may run on another node: the decision is made there, where the turn is woken.
  const approval = rt.turnOwners ? await rt.store.getApproval(approvalId) : null;
  if (approval?.status === 'PENDING' && !rt.active.byTurnId(approval.turnId)) {
    const command = { kind: 'resolveApproval', approvalId, decision, remember, grant, options } as const;
    const routed = await forwardToOwner<ApprovalRecord>(rt, (owners) => owners.ownerOfTurn(approval.turnId), command);
    if (routed.forwarded) return routed.value;
    // Its node had died: the takeover ended the turn and expired its approvals.
  }
  return resolveApprovalHere(rt, approvalId, decision, remember, grant, options);
}

/** resolveApproval on this node (a forwarded one runs here too). */
export async function resolveApprovalHere(
  rt: Runtime,
  approvalId: string,
  decision: ResolveDecision,
  remember: boolean,
  grant: SandboxGrant = {},
  { clientRequestId }: { clientRequestId?: string | null } = {},
): Promise<ApprovalRecord> {
  requireId('approval', approvalId, 'approvalId');
  return idempotent(
    rt,
    { operation: 'resolveApproval', clientRequestId, input: { approvalId, decision, remember, ...grant } },
    async (claim) => {
      const approval = await rt.store.getApproval(approvalId);
      if (!approval) throw new NotFoundError('approval', approvalId);
      const run = rt.active.byTurnId(approval.turnId) as TurnRun | undefined;
      if (approval.status === 'PENDING' && Date.parse(approval.expiresAt) <= rt.clock()) {
        await expire(rt, run, approvalId, 'decided after its expiry');
        throw new ConflictError(`approval ${approvalId} expired at ${approval.expiresAt}`);
      }
      return settle(rt, run, approvalId, decision === 'APPROVE' ? 'APPROVED' : 'DENIED', remember, grant, claim);
    },
    async (result, key) => {
      const id = result.approvalId ?? approvalId;
      return (await rt.store.getApproval(id)) ?? goneOnReplay('approval', id, key);
    },
  );
}

/**
 * Pending approvals whose turn no longer runs (after a restart, a takeover) become EXPIRED; a turn still
 * IN_PROGRESS in the store runs on another node sharing it, which decides its approvals.
 */
export async function expireOrphanedApprovals(rt: Runtime): Promise<void> {
  const ids = await rt.store.listPendingApprovalIds(null);
  const approvals = (await rt.store.getApprovals(ids)).filter((a): a is ApprovalRecord => a !== null && !rt.active.byTurnId(a.turnId));
  const turns = await rt.store.getTurns([...new Set(approvals.map((a) => a.turnId))]);
  const running = new Set(turns.filter((t) => t?.status === 'IN_PROGRESS').map((t) => t!.id));
  for (const approval of approvals) {
    if (!running.has(approval.turnId)) await expire(rt, undefined, approval.id, 'its turn no longer runs');
  }
}
