import {
  ConflictError,
  NoActiveTurnError,
  NotFoundError,
  OutOfRangeError,
  ThreadArchivedError,
  TurnActiveError,
  UserError,
  ValidationError,
  WorkspaceInvalidError,
} from '../domain/errors.js';
import { builder } from './builder.js';

/** Every failure a caller can fix; mutations return these as members of their result union. */
export const UserErrorInterface = builder.interfaceRef<UserError>('UserError').implement({
  description: 'A failure the caller can fix. `code` is one of the codes in API.md.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});



builder.objectType(NotFoundError, {
  interfaces: [UserErrorInterface],
  name: 'NotFoundError',
  description: 'No record has this id.',
  fields: (t) => ({ kind: t.exposeString('kind'), id: t.exposeString('id') }),
});
builder.objectType(ValidationError, {
  interfaces: [UserErrorInterface],
  name: 'ValidationError',
  description: 'An input is invalid; `field` names it when one field is at fault.',
  fields: (t) => ({ field: t.exposeString('field', { nullable: true }) }),
});
builder.objectType(TurnActiveError, {
  interfaces: [UserErrorInterface],
  name: 'TurnActiveError',
  description: 'The thread already has an active turn.',
  fields: (t) => ({ activeTurnId: t.exposeID('activeTurnId') }),
});
builder.objectType(NoActiveTurnError, {
  interfaces: [UserErrorInterface],
  name: 'NoActiveTurnError',
  description: 'The turn is not the running turn of its thread.',
  fields: () => ({}),
});
builder.objectType(ThreadArchivedError, {
  interfaces: [UserErrorInterface],
  name: 'ThreadArchivedError',
  description: 'The thread is archived; unarchive it to start turns.',
  fields: (t) => ({ threadId: t.exposeID('threadId') }),
});
builder.objectType(WorkspaceInvalidError, {
  interfaces: [UserErrorInterface],
  name: 'WorkspaceInvalidError',
  description: 'The workspace path does not exist or is not a directory.',
  fields: (t) => ({ path: t.exposeString('path') }),
});
builder.objectType(ConflictError, {
  interfaces: [UserErrorInterface],
  name: 'ConflictError',
  description: 'The record is not in a state that allows this.',
  fields: () => ({}),
});
builder.objectType(OutOfRangeError, {
  interfaces: [UserErrorInterface],
  name: 'OutOfRangeError',
  description: 'A number is outside the range of what exists.',
  fields: () => ({}),
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
};
