import { APPROVAL_STATUSES, RESOLVE_DECISIONS } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import type { ApprovalRecord } from '../domain/records.js';
import { resolveApproval } from '../runtime/approvals.js';
import { clientRequestIdField } from './idempotency.js';
import { builder } from './builder.js';
import { registerZodEnum, zodInputFields } from './zodFields.js';
import { resolveApprovalSchema } from '../domain/approvals.js';
import { parseInput } from '../domain/validation.js';
import { ApprovalRef, NodeRef, ThreadRef, TurnRef } from './refs.js';
import { SandboxPolicyRef } from './sandbox.js';

const ApprovalStatusEnum = builder.enumType('ApprovalStatus', {
  description: "Where an approval is: PENDING until a decision, the timeout or the turn's end (event approval.resolved).",
  values: enumValues(APPROVAL_STATUSES, {
    PENDING: 'Waiting for resolveApproval; the tool has not run.',
    APPROVED: 'Approved; the tool ran (final).',
    DENIED: 'Denied; the tool did not run and the model was told so (final).',
    EXPIRED: 'Nobody decided before expiresAt, or the turn ended first; the tool did not run (final).',
  }),
});
const ApprovalDecisionEnum = builder.enumType('ApprovalDecision', {
  description: "A person's decision on a pending approval.",
  values: enumValues(RESOLVE_DECISIONS, {
    APPROVE: 'Let the tool call run.',
    DENY: 'Refuse it; the model is told the call was denied.',
  }),
});

registerZodEnum(RESOLVE_DECISIONS, ApprovalDecisionEnum);

ApprovalRef.implement({
  description: 'A tool call waiting for a person to approve or deny it.',
  interfaces: [NodeRef],
  isTypeOf: (v) => isIdOf('approval', (v as ApprovalRecord).id),
  fields: (t) => ({
    id: t.exposeID('id', { description: "The approval id (`appr_…`), as in approval.required's payload `approvalId`; pass it to resolveApproval." }),
    thread: t.field({
      type: ThreadRef,
      description: 'The thread of the turn that asks.',
      resolve: async (a, _, ctx) => (await ctx.loaders.thread.load(a.threadId))!,
    }),
    turn: t.field({
      type: TurnRef,
      description: 'The turn waiting for the decision.',
      resolve: async (a, _, ctx) => (await ctx.loaders.turn.load(a.turnId))!,
    }),
    toolName: t.exposeString('toolName', { description: 'The tool that wants to run: `write_file`, `apply_patch` or `shell`.' }),
    arguments: t.expose('arguments', {
      type: 'JSON',
      description: 'The tool call\'s arguments as a JSON object (e.g. `{"command": "ls"}` for shell), to show the person deciding.',
    }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why approval is needed, for people; null when no reason was given.' }),
    sandbox: t.field({
      type: SandboxPolicyRef,
      nullable: true,
      description:
        "Shell commands: the policy the command runs under if approved as asked (wider than the turn's when the model asked to escalate); null for other tools.",
      resolve: (a) => a.sandbox ?? null,
    }),
    grantedSandbox: t.field({
      type: SandboxPolicyRef,
      nullable: true,
      description:
        'Shell commands: the wider policy the person granted this one command with grantNetworkAccess or grantFullAccess; null when none was granted.',
      resolve: (a) => a.grantedSandbox ?? null,
    }),
    status: t.field({ type: ApprovalStatusEnum, description: 'PENDING, or the final outcome.', resolve: (a) => a.status }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the tool call asked.' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: "After this instant the approval EXPIRES and the tool does not run (the server's approval timeout, 2 minutes by default).",
    }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true, description: 'When it left PENDING; null while PENDING.' }),
  }),
});

builder.queryField('pendingApprovals', (t) =>
  t.field({
    type: [ApprovalRef],
    description:
      'PENDING approvals, of one thread or of all (grouped by thread, oldest first within each). New ones are announced by approval.required.',
    args: { threadId: t.arg.id({ required: false, description: "Only this thread's (`thr_…`); omitted: every thread's." }) },
    resolve: async (_, { threadId }, ctx) => {
      if (threadId != null && !isIdOf('thread', String(threadId))) return [];
      const ids = await ctx.rt.store.listPendingApprovalIds(threadId == null ? null : String(threadId));
      return (await ctx.rt.store.getApprovals(ids)).filter((a): a is ApprovalRecord => a !== null && a.status === 'PENDING');
    },
  }),
);

builder.mutationField('resolveApproval', (t) =>
  t.field({
    description:
      "Approves or denies a PENDING approval; the waiting turn goes on at once (event approval.resolved, then the tool item's events; with remember also thread.updated). Errors: NOT_FOUND, VALIDATION, CONFLICT (already resolved, expired, or clientRequestId used for another input).",
    type: builder.objectRef<{ approval: ApprovalRecord }>('ResolveApprovalPayload').implement({
      description: 'The decision was recorded.',
      fields: (f) => ({ approval: f.field({ type: ApprovalRef, description: 'The approval, APPROVED or DENIED.', resolve: (p) => p.approval }) }),
    }),
    errors: {
      types: [NotFoundError, ValidationError, ConflictError],
      union: { name: 'ResolveApprovalResult', description: 'ResolveApprovalPayload, or NotFoundError, ValidationError, ConflictError.' },
    },
    args: {
      input: t.arg({
        description: 'The approval and the decision.',
        type: builder.inputType('ResolveApprovalInput', {
          description: 'The approval and the decision.',
          fields: (f) => ({ ...zodInputFields(f, resolveApprovalSchema), clientRequestId: clientRequestIdField(f) }),
        }),
        required: true,
      }),
    },
    resolve: async (_, { input }, ctx) => ({
      approval: await resolveApproval(
        ctx.rt,
        parseInput(resolveApprovalSchema, input).approvalId,
        input.decision,
        input.remember ?? false,
        { networkAccess: input.grantNetworkAccess, fullAccess: input.grantFullAccess },
        { clientRequestId: input.clientRequestId },
      ),
    }),
  }),
);
