import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import type { ApprovalRecord } from '../domain/records.js';
import { resolveApproval } from '../runtime/approvals.js';
import { builder } from './builder.js';
import { ApprovalRef, NodeRef, ThreadRef, TurnRef } from './refs.js';

const ApprovalStatusEnum = builder.enumType('ApprovalStatus', { values: ['PENDING', 'APPROVED', 'DENIED', 'EXPIRED'] as const });
const ApprovalDecisionEnum = builder.enumType('ApprovalDecision', { values: ['APPROVE', 'DENY'] as const });

ApprovalRef.implement({
  description: 'A tool call waiting for a person to approve or deny it.',
  interfaces: [NodeRef],
  isTypeOf: (v) => isIdOf('approval', (v as ApprovalRecord).id),
  fields: (t) => ({
    id: t.exposeID('id'),
    thread: t.field({ type: ThreadRef, resolve: async (a, _, ctx) => (await ctx.loaders.thread.load(a.threadId))! }),
    turn: t.field({ type: TurnRef, resolve: async (a, _, ctx) => (await ctx.loaders.turn.load(a.turnId))! }),
    toolName: t.exposeString('toolName'),
    arguments: t.expose('arguments', { type: 'JSON' }),
    reason: t.exposeString('reason', { nullable: true }),
    status: t.field({ type: ApprovalStatusEnum, resolve: (a) => a.status }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('pendingApprovals', (t) =>
  t.field({
    type: [ApprovalRef],
    description: 'PENDING approvals, of one thread or of all.',
    args: { threadId: t.arg.id({ required: false }) },
    resolve: async (_, { threadId }, ctx) => {
      if (threadId != null && !isIdOf('thread', String(threadId))) return [];
      const ids = await ctx.rt.store.listPendingApprovalIds(threadId == null ? null : String(threadId));
      return (await ctx.rt.store.getApprovals(ids)).filter((a): a is ApprovalRecord => a !== null && a.status === 'PENDING');
    },
  }),
);

builder.mutationField('resolveApproval', (t) =>
  t.field({
    type: builder.objectRef<{ approval: ApprovalRecord }>('ResolveApprovalPayload').implement({
      fields: (f) => ({ approval: f.field({ type: ApprovalRef, resolve: (p) => p.approval }) }),
    }),
    errors: { types: [NotFoundError, ValidationError, ConflictError], union: { name: 'ResolveApprovalResult' } },
    args: {
      input: t.arg({
        type: builder.inputType('ResolveApprovalInput', {
          fields: (f) => ({
            approvalId: f.id({ required: true }),
            decision: f.field({ type: ApprovalDecisionEnum, required: true }),
            remember: f.boolean({ required: false, description: 'With APPROVE: auto-approve this thread from now on.' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_, { input }, ctx) => ({
      approval: await resolveApproval(ctx.rt, String(input.approvalId), input.decision, input.remember ?? false),
    }),
  }),
);
