import * as errors from '../domain/errors.js';
import type { SandboxGrant } from './approvals.js';
import type { RequestKey, StartTurnInput, SteerOptions } from './turnCommands.js';
import type { ImageInput } from '../domain/images.js';
import type { Runtime } from './runtime.js';
import type { EditQueuedTurnInput } from './queueCommands.js';
import type { ResolveDecision } from '../domain/enums.js';

/**
 * Commands for a turn another node runs (docs/DESIGN.md "Commands across nodes"). With a shared database the
 * node that runs a turn holds its live state (the provider stream, the waiting approvals and client tools):
 * a command for it sent to another node is forwarded there, run by the same code as on that node, and its
 * answer — payload or typed error — returned as it is.
 */

/** A command as it travels to the node that runs its turn (JSON). */
export type ForwardedCommand =
  | { kind: 'startTurn'; input: StartTurnInput }
  | { kind: 'steerTurn'; turnId: string; prompt: string; images: ImageInput[] | null; options: SteerOptions }
  | { kind: 'interruptTurn'; turnId: string; options: RequestKey }
  | { kind: 'cancelQueuedTurn'; turnId: string }
  | { kind: 'editQueuedTurn'; input: EditQueuedTurnInput }
  | { kind: 'moveQueuedTurn'; turnId: string; position: number }
  | {
      kind: 'resolveApproval';
      approvalId: string;
      decision: ResolveDecision;
      remember: boolean;
      grant: SandboxGrant;
      options: RequestKey;
    }
  | { kind: 'submitToolOutput'; callId: string; output: string }
  | { kind: 'pendingClientToolCalls'; threadId: string | null };

/** The node that runs a turn, and whether its heartbeat is fresh. */
export interface TurnOwner {
  node: string;
  live: boolean;
}

/** The answer of a forwarded command: the owner's answer, or none because the owner died. */
export type SendOutcome = { answered: true; answer: unknown } | { answered: false; reason: 'dead' };

/** The nodes sharing this runtime's store, as far as commands are concerned (postgresNode.ts implements it). */
export interface TurnOwners {
  readonly nodeId: string;
  ownerOfTurn(turnId: string): Promise<TurnOwner | null>;
  ownerOfThread(threadId: string): Promise<TurnOwner | null>;
  /** The other live nodes that run a turn. */
  nodesRunningTurns(): Promise<string[]>;
  /** Sends the command to `node` and waits for its answer; NodeUnreachableError when it does not come in time. */
  send(node: string, command: ForwardedCommand): Promise<SendOutcome>;
  /** `node` stopped heartbeating: take over its turns now (they end INTERRUPTED), as the heartbeat's takeover would. */
  takeOver(node: string): Promise<void>;
}

/** What a forwarded command answers: its value, or the error it failed with. */
export type WireAnswer = { value: unknown } | { error: WireError };

interface WireError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

/** The typed errors a command can answer, by class name: they cross nodes as themselves. */
const USER_ERRORS: Record<string, { prototype: errors.UserError }> = {
  NotFoundError: errors.NotFoundError,
  ValidationError: errors.ValidationError,
  TurnActiveError: errors.TurnActiveError,
  NoActiveTurnError: errors.NoActiveTurnError,
  ThreadArchivedError: errors.ThreadArchivedError,
  WorkspaceInvalidError: errors.WorkspaceInvalidError,
  ConflictError: errors.ConflictError,
  RequestKeyTakenError: errors.RequestKeyTakenError,
  NodeUnreachableError: errors.NodeUnreachableError,
  OutOfRangeError: errors.OutOfRangeError,
  OverloadedError: errors.OverloadedError,
  WorkspaceConflictError: errors.WorkspaceConflictError,
};

export function errorToWire(error: unknown): WireError {
  const name = error instanceof errors.UserError ? Object.keys(USER_ERRORS).find((key) => USER_ERRORS[key] === error.constructor) : undefined;
  if (name && error instanceof Error) return { name, message: error.message, fields: { ...error } };
  // Not the caller's to fix: it stays an internal error (masked by GraphQL) on the sending node too.
  return { name: 'Error', message: error instanceof Error ? error.message : String(error), fields: {} };
}

/** The same error as on the node that ran the command: same class (so the same GraphQL type), message and fields. */
function errorFromWire(wire: WireError): Error {
  const type = USER_ERRORS[wire.name];
  if (!type) return new Error(`the node running the turn failed: ${wire.message}`);
  const error = Object.assign(Object.create(type.prototype) as errors.UserError, wire.fields);
  Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true });
  Object.defineProperty(error, 'stack', { value: `${wire.name}: ${wire.message}`, writable: true, configurable: true });
  return error;
}

/** Where a command ran: on the owner (its answer), or it is this node's to run (after a takeover of a dead owner). */
export type Routed<T> = { forwarded: true; value: T } | { forwarded: false; tookOver: boolean };

const HERE: Routed<never> = { forwarded: false, tookOver: false };

/**
 * Forwards `command` when another live node runs the turn `find` names. A dead owner (lease expired) is taken
 * over first — its turn ends INTERRUPTED — and the command runs here, on the durable state.
 */
export async function forwardToOwner<T>(
  rt: Runtime,
  find: (owners: TurnOwners) => Promise<TurnOwner | null>,
  command: ForwardedCommand,
): Promise<Routed<T>> {
  const owners = rt.turnOwners;
  if (!owners) return HERE;
  const owner = await find(owners);
  if (!owner || owner.node === owners.nodeId) return HERE;
  if (owner.live) {
    const asked = await askNode<T>(owners, owner.node, command);
    if (asked.answered) return { forwarded: true, value: asked.value };
  }
  await owners.takeOver(owner.node);
  return { forwarded: false, tookOver: true };
}

/** Runs `command` on `node`: its value (its typed error is thrown here), or none because the node died. */
export async function askNode<T>(
  owners: TurnOwners,
  node: string,
  command: ForwardedCommand,
): Promise<{ answered: true; value: T } | { answered: false }> {
  const outcome = await owners.send(node, command);
  if (!outcome.answered) return { answered: false };
  const answer = outcome.answer as WireAnswer;
  if ('error' in answer) throw errorFromWire(answer.error);
  return { answered: true, value: answer.value as T };
}
