import { z } from 'zod';
import { RESOLVE_DECISIONS } from './enums.js';
import { idOf } from './validation.js';

/** A person's decision on a pending approval (GraphQL ResolveApprovalInput, with the shared clientRequestId). */
export const resolveApprovalSchema = z.object({
  approvalId: idOf('approval').describe('A PENDING approval (`appr_…`).'),
  decision: z.enum(RESOLVE_DECISIONS).describe('APPROVE or DENY.'),
  remember: z
    .boolean()
    .nullish()
    .describe(
      "With APPROVE: also set the thread's autoApprove, so later risky tools of this thread run without asking (escalations still ask); default false.",
    ),
  grantNetworkAccess: z
    .boolean()
    .nullish()
    .describe('With APPROVE of a shell command: let this one command use the network (recorded as grantedSandbox); default false.'),
  grantFullAccess: z
    .boolean()
    .nullish()
    .describe('With APPROVE of a shell command: run this one command without sandbox (recorded as grantedSandbox); default false.'),
});
