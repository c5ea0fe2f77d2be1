import {
  ConflictError,
  NoActiveTurnError,
  NotFoundError,
  OutOfRangeError,
  OverloadedError,
  ThreadArchivedError,
  TurnActiveError,
  UserError,
  ValidationError,
  WorkspaceInvalidError,
} from '../domain/errors.js';
import { builder } from './builder.js';

/** Every failure a caller can fix; mutations return these as members of their result union. */
export const UserErrorInterface = builder.interfaceRef<UserError>('UserError').implement({
  description:
    "A failure the caller can fix, returned as a member of a mutation's result union (not as a GraphQL error). Select `... on UserError { code message }` to read any of them.",
  fields: (t) => ({
    message: t.exposeString('message', {
      description: 'What went wrong and how to fix it, in English, for people (do not parse it; branch on `code`).',
    }),
    code: t.exposeString('code', {
      description:
        'Stable machine-readable code: NOT_FOUND, VALIDATION, TURN_ACTIVE, NO_ACTIVE_TURN, THREAD_ARCHIVED, WORKSPACE_INVALID, CONFLICT, OUT_OF_RANGE or OVERLOADED (one per error type).',
    }),
  }),
});

builder.objectType(NotFoundError, {
  interfaces: [UserErrorInterface],
  name: 'NotFoundError',
  description: 'No record has the id that was given (code NOT_FOUND); it never existed or was deleted.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'Kind of record looked for: `thread`, `turn`, `item` or `approval`.' }),
    missingId: t.exposeID('missingId', {
      description:
        "The id that was not found, as given. Not this error's identity: only Node types have an `id`, so normalized caches never merge an error into a record.",
    }),
  }),
});
builder.objectType(ValidationError, {
  interfaces: [UserErrorInterface],
  name: 'ValidationError',
  description:
    'An input is invalid (code VALIDATION): empty or too long text, a number out of its range, an id of the wrong kind. Nothing was changed.',
  fields: (t) => ({
    field: t.exposeString('field', {
      nullable: true,
      description: "The input field at fault (e.g. `prompt`, `temperature`); null when the problem is not one field's.",
    }),
  }),
});
builder.objectType(TurnActiveError, {
  interfaces: [UserErrorInterface],
  name: 'TurnActiveError',
  description:
    'The thread already has an active turn (code TURN_ACTIVE). Wait for its turn.completed, interrupt it, or start with `delivery: QUEUE`, `STEER` or `INTERRUPT`.',
  fields: (t) => ({
    activeTurnId: t.exposeID('activeTurnId', { description: 'The turn that is running now (pass it to interruptTurn or steerTurn).' }),
  }),
});
builder.objectType(NoActiveTurnError, {
  interfaces: [UserErrorInterface],
  name: 'NoActiveTurnError',
  description: 'The turn is not running (code NO_ACTIVE_TURN): it ended, was queued, or never started. Start a new turn instead.',
  fields: () => ({}),
});
builder.objectType(ThreadArchivedError, {
  interfaces: [UserErrorInterface],
  name: 'ThreadArchivedError',
  description: 'The thread is archived (code THREAD_ARCHIVED); unarchive it (updateThread with `archived: false`) to start turns.',
  fields: (t) => ({ threadId: t.exposeID('threadId', { description: 'The archived thread.' }) }),
});
builder.objectType(WorkspaceInvalidError, {
  interfaces: [UserErrorInterface],
  name: 'WorkspaceInvalidError',
  description: 'The workspace path does not exist or is not a directory (code WORKSPACE_INVALID). Nothing was changed.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'The path as resolved on the server (relative paths against its default workspace).' }),
  }),
});
builder.objectType(ConflictError, {
  interfaces: [UserErrorInterface],
  name: 'ConflictError',
  description:
    'The record is not in a state that allows this (code CONFLICT), e.g. cancelling a turn that is not QUEUED, resolving an approval twice or after it expired, editing a thread with no turn, or a server that is shutting down.',
  fields: () => ({}),
});
builder.objectType(OutOfRangeError, {
  interfaces: [UserErrorInterface],
  name: 'OutOfRangeError',
  description: "A number is outside the range of what exists (code OUT_OF_RANGE), e.g. forkThread's depthFromTail beyond the thread's user turns.",
  fields: () => ({}),
});

builder.objectType(OverloadedError, {
  interfaces: [UserErrorInterface],
  name: 'OverloadedError',
  description:
    'The server is running as many turns at once as it may (code OVERLOADED, `--max-running-turns`). Nothing was changed: try again after retryAfterMs (the SDK does, with backoff and jitter), or send the prompt with `delivery: QUEUE`, which waits for a free slot.',
  fields: (t) => ({
    retryAfterMs: t.exposeInt('retryAfterMs', { description: 'How long to wait before trying again, in milliseconds (a hint).' }),
    maxRunningTurns: t.exposeInt('maxRunningTurns', { description: 'The bound on turns running at once across all threads.' }),
  }),
});

export const ALL_ERRORS = {
  NotFoundError,
  ValidationError,
  TurnActiveError,
  NoActiveTurnError,
  ThreadArchivedError,
  WorkspaceInvalidError,
  ConflictError,
  OutOfRangeError,
  OverloadedError,
};
