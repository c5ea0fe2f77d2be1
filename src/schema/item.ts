import { GraphQLError } from 'graphql';
import { isIdOf } from '../domain/ids.js';
import type { ItemKind, ItemRecord } from '../domain/records.js';
import { builder } from './builder.js';
import { ITEM_TYPE_OF_KIND, ItemRef, NodeRef, TurnRef } from './refs.js';

export const ItemKindEnum = builder.enumType('ItemKind', {
  values: ['USER_MESSAGE', 'AGENT_MESSAGE', 'TOOL_CALL', 'FILE_CHANGE', 'COMMAND_EXECUTION', 'CONTEXT_COMPACTION', 'STATUS', 'ERROR'] as const,
});
export const ItemStatusEnum = builder.enumType('ItemStatus', {
  values: ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'INTERRUPTED', 'CANCELED'] as const,
});
const ChangeKindEnum = builder.enumType('FileChangeKind', { values: ['ADD', 'UPDATE', 'DELETE'] as const });

ItemRef.implement({
  description: 'One unit inside a turn. Each kind has its own object type with typed fields.',
  interfaces: [NodeRef],
  resolveType: (item) => ITEM_TYPE_OF_KIND[item.kind],
  fields: (t) => ({
    id: t.exposeID('id'),
    turn: t.field({
      type: TurnRef,
      resolve: async (item, _, ctx) => {
        const turn = await ctx.loaders.turn.load(item.turnId);
        if (!turn) throw new GraphQLError(`turn ${item.turnId} of item ${item.id} not found`);
        return turn;
      },
    }),
    kind: t.field({ type: ItemKindEnum, resolve: (i) => i.kind }),
    status: t.field({ type: ItemStatusEnum, resolve: (i) => i.status }),
    summary: t.exposeString('summary'),
    detail: t.exposeString('detail', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
    artifactRefs: t.exposeStringList('artifactRefs'),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
  }),
});

type ItemFields = NonNullable<Parameters<ReturnType<typeof builder.objectRef<ItemRecord>>['implement']>[0]['fields']>;

function itemType(kind: ItemKind, description: string, fields: ItemFields) {
  builder.objectRef<ItemRecord>(ITEM_TYPE_OF_KIND[kind]).implement({
    description,
    interfaces: [NodeRef, ItemRef],
    isTypeOf: (value) => (value as ItemRecord).kind === kind,
    fields,
  });
}

itemType('USER_MESSAGE', 'What the user said: the prompt, or input steered into the running turn.', (t) => ({
  text: t.string({ resolve: (i) => i.text ?? '' }),
}));
itemType('AGENT_MESSAGE', "The model's answer; `reasoning` is its reasoning text when the model streams one.", (t) => ({
  text: t.string({ resolve: (i) => i.text ?? '' }),
  reasoning: t.string({ nullable: true, resolve: (i) => i.reasoning || null }),
}));
itemType('TOOL_CALL', 'A tool the model called, with its arguments and output.', (t) => ({
  toolName: t.string({ resolve: (i) => i.toolName ?? '' }),
  arguments: t.field({ type: 'JSON', nullable: true, resolve: (i) => i.arguments ?? null }),
  output: t.string({ nullable: true, resolve: (i) => i.output ?? null }),
}));
itemType('COMMAND_EXECUTION', 'A shell command run in the workspace.', (t) => ({
  command: t.string({ resolve: (i) => i.command ?? '' }),
  exitCode: t.int({ nullable: true, resolve: (i) => i.exitCode ?? null }),
  output: t.string({ nullable: true, resolve: (i) => i.output ?? null }),
}));
itemType('FILE_CHANGE', 'A file the agent added, updated or deleted, with the unified diff.', (t) => ({
  path: t.string({ resolve: (i) => i.path ?? '' }),
  changeKind: t.field({ type: ChangeKindEnum, resolve: (i) => i.changeKind ?? 'UPDATE' }),
  diff: t.string({ resolve: (i) => i.diff ?? '' }),
}));
itemType('CONTEXT_COMPACTION', 'A summary that replaces the conversation before it.', (t) => ({
  reason: t.string({ nullable: true, resolve: (i) => i.reason ?? null }),
  text: t.string({ resolve: (i) => i.text ?? '' }),
}));
itemType('STATUS', 'A status note from the runtime (e.g. a step limit reached).', (t) => ({
  message: t.string({ resolve: (i) => i.message ?? '' }),
}));
itemType('ERROR', 'An error reported inside the turn.', (t) => ({
  message: t.string({ resolve: (i) => i.message ?? '' }),
}));

builder.queryField('item', (t) =>
  t.field({
    type: ItemRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => (isIdOf('item', String(id)) ? ctx.loaders.item.load(String(id)) : null),
  }),
);
