import { resolveApprovalHere } from './approvals.js';
import { pendingClientToolCallsHere, submitToolOutput } from './clientTools.js';
import { editQueuedTurnHere, moveQueuedTurnHere } from './queueCommands.js';
import type { Runtime } from './runtime.js';
import { cancelQueuedTurnHere, interruptTurnHere, startTurnHere, steerTurnHere } from './turnCommands.js';
import { errorToWire, type ForwardedCommand, type WireAnswer } from './turnOwners.js';

/**
 * Runs a command another node forwarded here (docs/DESIGN.md "Commands across nodes") through the same code as
 * one sent here, and answers its value or its error. Never throws.
 */
export async function runForwarded(rt: Runtime, command: ForwardedCommand): Promise<WireAnswer> {
  try {
    return { value: await run(rt, command) };
  } catch (error) {
    return { error: errorToWire(error) };
  }
}

function run(rt: Runtime, c: ForwardedCommand): Promise<unknown> {
  switch (c.kind) {
    case 'startTurn':
      return startTurnHere(rt, c.input);
    case 'steerTurn':
      return steerTurnHere(rt, c.turnId, c.prompt, c.images, c.options);
    case 'interruptTurn':
      return interruptTurnHere(rt, c.turnId, c.options);
    case 'cancelQueuedTurn':
      return cancelQueuedTurnHere(rt, c.turnId);
    case 'editQueuedTurn':
      return editQueuedTurnHere(rt, c.input);
    case 'moveQueuedTurn':
      return moveQueuedTurnHere(rt, c.turnId, c.position);
    case 'resolveApproval':
      return resolveApprovalHere(rt, c.approvalId, c.decision, c.remember, c.grant, c.options);
    case 'submitToolOutput':
      return submitToolOutput(rt, c.callId, c.output);
    case 'pendingClientToolCalls':
      return Promise.resolve(pendingClientToolCallsHere(rt, c.threadId));
    default:
      // A node of a newer version sent a command this one does not know.
      throw new Error(`unknown forwarded command ${(c as { kind?: unknown }).kind}`);
  }
}
