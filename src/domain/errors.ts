import type { UserErrorCode } from './errorCodes.js';

/**
 * Failures the caller can fix. The schema exposes each class as a GraphQL type implementing `UserError`,
 * so mutations return them as union members instead of exceptions.
 */
export abstract class UserError extends Error {
  abstract readonly code: UserErrorCode;

  /** Where one escapes a typed union (a query field), GraphQL reports it with this code, unmasked. */
  get extensions(): { code: UserErrorCode } {
    return { code: this.code };
  }
}

export class NotFoundError extends UserError {
  readonly code = 'NOT_FOUND' as const;
  constructor(
    readonly kind: string,
    /** The id that was looked up (not this error's identity: normalized caches key records by `id`). */
    readonly missingId: string,
  ) {
    super(`${kind} ${missingId} not found`);
  }
}

export class ValidationError extends UserError {
  readonly code = 'VALIDATION' as const;
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

export class TurnActiveError extends UserError {
  readonly code = 'TURN_ACTIVE' as const;
  constructor(readonly activeTurnId: string) {
    super(`thread already has an active turn (${activeTurnId})`);
  }
}

export class NoActiveTurnError extends UserError {
  readonly code = 'NO_ACTIVE_TURN' as const;
  constructor(message = 'the turn is not active') {
    super(message);
  }
}

export class ThreadArchivedError extends UserError {
  readonly code = 'THREAD_ARCHIVED' as const;
  constructor(readonly threadId: string) {
    super(`thread ${threadId} is archived; unarchive it first`);
  }
}

export class WorkspaceInvalidError extends UserError {
  readonly code = 'WORKSPACE_INVALID' as const;
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export class ConflictError extends UserError {
  readonly code = 'CONFLICT' as const;
}

/**
 * The client request key was recorded by another request meanwhile (e.g. the same request sent to two nodes at
 * once): this one had no effect and answers as the repeat it is.
 */
export class RequestKeyTakenError extends ConflictError {
  constructor(readonly key: string) {
    super(`clientRequestId ${key} was just used by a request running at the same time`);
  }
}

/**
 * The node running the turn did not take the command in time (nothing was changed), or took it and did not
 * answer in time (its outcome is unknown): docs/DESIGN.md "Commands across nodes". Try again.
 */
export class NodeUnreachableError extends ConflictError {
  constructor(
    readonly nodeId: string,
    waitedMs: number,
    taken: boolean,
  ) {
    super(
      taken
        ? `the node running this turn (${nodeId}) took the command but did not answer within ${Math.round(waitedMs / 1000)} s; its outcome is unknown`
        : `the node running this turn (${nodeId}) did not take the command within ${Math.round(waitedMs / 1000)} s; nothing was changed, try again`,
    );
  }
}

export class OutOfRangeError extends UserError {
  readonly code = 'OUT_OF_RANGE' as const;
}

/** The server runs as many turns as it may (`--max-running-turns`): nothing was changed; try again later. */
export class OverloadedError extends UserError {
  readonly code = 'OVERLOADED' as const;
  constructor(
    /** How long to wait before trying again (a hint). */
    readonly retryAfterMs: number,
    readonly maxRunningTurns: number,
  ) {
    super(`the server is running its most turns at once (${maxRunningTurns}); try again in ${retryAfterMs} ms, or start with delivery QUEUE`);
  }
}

/** Files changed outside the agent would be lost: nothing was changed. */
export class WorkspaceConflictError extends UserError {
  readonly code = 'CONFLICT' as const;
  constructor(readonly files: string[]) {
    super(
      `${files.length} file${files.length === 1 ? ' was' : 's were'} changed outside the agent since that turn: ${files.slice(0, 10).join(', ')}${files.length > 10 ? ', ...' : ''}; pass force to overwrite`,
    );
  }
}
