import { WORKSPACE_FILE_CHANGES } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import { NotFoundError, ConflictError, TurnActiveError, ValidationError, WorkspaceConflictError } from '../domain/errors.js';
import type { ThreadRecord } from '../domain/records.js';
import type { ChangedFile } from '../engine/workspaceSnapshots.js';
import { revertThread, type RevertResult } from '../runtime/revert.js';
import { turnChangedFiles, turnDiff } from '../runtime/turnSnapshots.js';
import { builder } from './builder.js';
import { UserErrorInterface } from './errors.js';
import { ThreadRef, TurnRef } from './refs.js';

const FileChangeKindEnum = builder.enumType('WorkspaceFileChange', {
  description: 'How a turn changed a workspace file.',
  values: enumValues(WORKSPACE_FILE_CHANGES, {
    ADDED: 'The file is new.',
    MODIFIED: 'The content changed.',
    DELETED: 'The file was removed.',
    RENAMED: 'The file moved (`oldPath` is where it was), perhaps with changes.',
    TYPE_CHANGED: 'A file became a symlink or the other way round.',
  }),
});

const ChangedFileRef = builder.objectRef<ChangedFile>('ChangedFile').implement({
  description: 'One workspace file a turn changed, from the snapshots taken before and after it.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Path relative to the workspace (the new path of a rename).' }),
    oldPath: t.exposeString('oldPath', { nullable: true, description: 'The path before a rename.' }),
    change: t.field({ type: FileChangeKindEnum, description: 'How the file changed.', resolve: (f) => f.change }),
    binary: t.exposeBoolean('binary', { description: 'True for a binary file (the diff names it without its bytes).' }),
    additions: t.exposeInt('additions', { nullable: true, description: 'Lines added (null for a binary file).' }),
    deletions: t.exposeInt('deletions', { nullable: true, description: 'Lines removed (null for a binary file).' }),
  }),
});

builder.objectFields(TurnRef, (t) => ({
  diff: t.string({
    nullable: true,
    description:
      'Unified diff (git format) of everything the turn changed in the workspace, by tools or shell commands: renames as renames, binary files named without their bytes. Null while the turn runs and for turns without snapshots.',
    resolve: (turn, _, ctx) => turnDiff(ctx.rt, turn),
  }),
  changedFiles: t.field({
    type: [ChangedFileRef],
    nullable: true,
    description: 'The workspace files the turn changed. Null while the turn runs and for turns without snapshots.',
    resolve: (turn, _, ctx) => turnChangedFiles(ctx.rt, turn),
  }),
}));

builder.objectType(WorkspaceConflictError, {
  interfaces: [UserErrorInterface],
  name: 'WorkspaceConflictError',
  description: 'Code CONFLICT: files were changed outside the agent since the turn, so reverting would lose them; nothing was changed.',
  fields: (t) => ({ files: t.exposeStringList('files', { description: 'The files changed outside the agent (workspace-relative).' }) }),
});

const RevertThreadInput = builder.inputType('RevertThreadInput', {
  description: 'Which thread to rewind, and to before which of its turns.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread to rewind.' }),
    beforeTurnId: t.id({
      required: true,
      description: 'This turn and every later one are removed; the workspace goes back to the snapshot taken before it.',
    }),
    force: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Revert even if files were changed outside the agent (their changes are lost).',
    }),
  }),
});

builder.mutationField('revertThread', (t) =>
  t.field({
    description:
      'Removes a turn and the later ones from the conversation and restores the workspace to the snapshot taken before it, as one operation (finished at the next start if the server dies midway). Announced by `thread.reverted`.',
    type: builder.objectRef<RevertResult>('RevertThreadPayload').implement({
      description: 'The thread after the revert.',
      fields: (f) => ({
        thread: f.field({ type: ThreadRef, description: 'The thread, now ending before the removed turns.', resolve: (p): ThreadRecord => p.thread }),
        removedTurnIds: f.idList({ description: 'The turns removed, oldest first.', resolve: (p) => p.removedTurnIds }),
        restoredFiles: f.stringList({ description: 'Workspace files rewritten, recreated or deleted.', resolve: (p) => p.restoredFiles }),
      }),
    }),
    errors: {
      types: [NotFoundError, ValidationError, TurnActiveError, WorkspaceConflictError, ConflictError],
      union: {
        name: 'RevertThreadResult',
        description:
          'RevertThreadPayload, or the UserError that prevented it: NotFoundError, ValidationError, TurnActiveError, WorkspaceConflictError (files changed outside the agent), ConflictError (a turn without a snapshot).',
      },
    },
    args: { input: t.arg({ type: RevertThreadInput, required: true, description: 'The thread, the first turn to remove, and whether to force.' }) },
    resolve: (_, { input }, ctx) =>
      revertThread(ctx.rt, { threadId: String(input.threadId), beforeTurnId: String(input.beforeTurnId), force: input.force }),
  }),
);
