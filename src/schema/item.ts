import { FILE_CHANGE_KINDS, ITEM_KINDS, ITEM_STATUSES } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import { isIdOf } from '../domain/ids.js';
import type { ImageRef, ItemKind, ItemOf, ItemRecord } from '../domain/records.js';
import { builder } from './builder.js';
import { ITEM_TYPE_OF_KIND, ItemRef, NodeRef, TurnRef } from './refs.js';
import { codedError } from './codedError.js';

export const ItemKindEnum = builder.enumType('ItemKind', {
  description: 'What an item is; each kind has its own object type implementing Item (select its fields with `... on <Type>`).',
  values: enumValues(ITEM_KINDS, {
    USER_MESSAGE: 'The prompt, or a prompt steered into the running turn (UserMessageItem).',
    AGENT_MESSAGE: "The model's answer text, streamed as item.delta events (AgentMessageItem).",
    TOOL_CALL: 'A tool the model called (ToolCallItem); risky tools wait for an Approval first.',
    MCP_TOOL_CALL: 'A call of a tool of an MCP server (McpToolCallItem); approved unless the server is trusted.',
    FILE_CHANGE: 'A file the agent added, updated or deleted in the workspace (FileChangeItem).',
    COMMAND_EXECUTION: 'A shell command run in the workspace (CommandExecutionItem); only when shell is allowed.',
    CONTEXT_COMPACTION: 'A summary that replaces the conversation before it (ContextCompactionItem), made by compactThread.',
    STATUS: 'A note from the runtime, e.g. a step limit reached (StatusItem).',
    ERROR: 'An error inside the turn, e.g. the provider failed (ErrorItem).',
  }),
});
export const ItemStatusEnum = builder.enumType('ItemStatus', {
  description:
    'Where an item is in its life: IN_PROGRESS, then exactly one of the final statuses (announced by item.completed, item.failed or item.interrupted).',
  values: enumValues(ITEM_STATUSES, {
    QUEUED: 'Created, not started yet.',
    IN_PROGRESS: 'Being produced (text still streaming, tool or command running, approval pending).',
    COMPLETED: 'Finished normally (final).',
    FAILED: 'Finished with an error, e.g. a tool failed or was denied (final).',
    INTERRUPTED: 'Stopped by interruptTurn, a new INTERRUPT prompt, or a server restart (final).',
    CANCELED: 'Dropped before it started (final).',
  }),
});
const ChangeKindEnum = builder.enumType('FileChangeKind', {
  description: 'What happened to the file.',
  values: enumValues(FILE_CHANGE_KINDS, {
    ADD: 'The file was created.',
    UPDATE: 'The file existed and its content changed.',
    DELETE: 'The file was removed.',
  }),
});

ItemRef.implement({
  description: 'One unit inside a turn. Each kind has its own object type with typed fields.',
  interfaces: [NodeRef],
  resolveType: (item) => ITEM_TYPE_OF_KIND[item.kind],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The item id (`item_…`), sorting by creation time.' }),
    turn: t.field({
      type: TurnRef,
      description: 'The turn this item belongs to.',
      resolve: async (item, _, ctx) => {
        const turn = await ctx.loaders.turn.load(item.turnId);
        if (!turn) throw codedError('NOT_FOUND', `turn ${item.turnId} of item ${item.id} not found`);
        return turn;
      },
    }),
    kind: t.field({ type: ItemKindEnum, description: 'Which object type this item is.', resolve: (i) => i.kind }),
    status: t.field({ type: ItemStatusEnum, description: 'IN_PROGRESS while it is produced, then final.', resolve: (i) => i.status }),
    summary: t.exposeString('summary', {
      description: 'One short line for lists and timelines (the first words of a message, the tool and its main argument...).',
    }),
    detail: t.exposeString('detail', { nullable: true, description: 'Longer text behind the summary when there is one; null otherwise.' }),
    metadata: t.expose('metadata', {
      type: 'JSON',
      nullable: true,
      description: 'Extra facts about the item as a JSON object (e.g. `{"steer": true}` on a steered prompt); null when none.',
    }),
    artifactRefs: t.exposeStringList('artifactRefs', {
      description: 'References to artifacts the item produced; empty when none (this version records none yet).',
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When it started; null while QUEUED.' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true, description: 'When it reached a final status; null while it is in progress.' }),
  }),
});

/** The record of an item of kind K; `& ItemRecord` lets the compiler see that it is an Item (it adds nothing). */
type ItemShape<K extends ItemKind> = ItemOf<K> & ItemRecord;

/** One object type per item kind, whose fields read the record of that kind. */
function itemType<K extends ItemKind>(
  kind: K,
  description: string,
  fields: NonNullable<Parameters<ReturnType<typeof builder.objectRef<ItemShape<K>>>['implement']>[0]['fields']>,
) {
  builder.objectRef<ItemShape<K>>(ITEM_TYPE_OF_KIND[kind]).implement({
    description,
    interfaces: [NodeRef, ItemRef],
    isTypeOf: (value) => (value as ItemRecord).kind === kind,
    fields,
  });
}

const ImageRefType = builder.objectRef<ImageRef & { threadId: string }>('MessageImage').implement({
  description: 'An image sent with a user message: a URL, or data stored once with the thread (by hash).',
  fields: (t) => ({
    url: t.string({ nullable: true, description: 'The image URL, for an image given by URL.', resolve: (i) => i.url ?? null }),
    sha256: t.string({ nullable: true, description: 'SHA-256 of the bytes (hex), for an image given as data.', resolve: (i) => i.sha256 ?? null }),
    mimeType: t.string({ nullable: true, description: 'MIME type, for an image given as data.', resolve: (i) => i.mimeType ?? null }),
    byteSize: t.int({ nullable: true, description: 'Size of the decoded bytes, for an image given as data.', resolve: (i) => i.byteSize ?? null }),
    data: t.string({
      nullable: true,
      description: 'The bytes as base64, for an image given as data (read from the image store; null if it is gone).',
      resolve: async (i, _, ctx) => (i.sha256 ? ((await ctx.rt.store.getImages(i.threadId, [i.sha256]))[0]?.data ?? null) : null),
    }),
  }),
});

itemType('USER_MESSAGE', 'What the user said: the prompt, or input steered into the running turn.', (t) => ({
  text: t.exposeString('text', { description: 'The prompt as sent.' }),
  images: t.field({
    type: [ImageRefType],
    description: 'Images sent with the message, in order (sent to the model as image parts after the text).',
    resolve: (i) => (i.images ?? []).map((image) => ({ ...image, threadId: i.threadId })),
  }),
}));
itemType('AGENT_MESSAGE', "The model's answer; `reasoning` is its reasoning text when the model streams one.", (t) => ({
  text: t.exposeString('text', {
    description: 'The answer so far while IN_PROGRESS (item.delta events carry the increments), the whole answer when COMPLETED.',
  }),
  reasoning: t.string({
    nullable: true,
    description: 'Reasoning text the model streamed before its answer; null when the model streams none.',
    resolve: (i) => i.reasoning || null,
  }),
  json: t.field({
    type: 'JSON',
    nullable: true,
    description: 'The answer parsed as JSON, when the turn had an outputSchema and the answer matches it.',
    resolve: (i) => i.json ?? null,
  }),
  jsonError: t.exposeString('jsonError', {
    nullable: true,
    description: "Why the answer does not match the turn's outputSchema (not JSON, or which rule it breaks); the item and turn are then FAILED.",
  }),
}));
itemType('TOOL_CALL', 'A tool the model called, with its arguments and output.', (t) => ({
  toolName: t.exposeString('toolName', { description: 'The tool, e.g. `read_file`, `write_file`, `apply_patch`, `shell`.' }),
  arguments: t.expose('arguments', {
    type: 'JSON',
    nullable: true,
    description: 'The arguments the model sent, as a JSON object; null when they were not valid JSON.',
  }),
  output: t.exposeString('output', {
    nullable: true,
    description: 'What the tool returned to the model (or why it did not run); null until it ends.',
  }),
}));
itemType('MCP_TOOL_CALL', 'A call of a tool of an MCP server configured with --mcp-config.', (t) => ({
  toolName: t.exposeString('toolName', { description: 'The name the model called: `<server>__<tool>`.' }),
  server: t.exposeString('mcpServer', { description: 'The MCP server (its name in the config).' }),
  tool: t.exposeString('mcpTool', { description: "The tool's name on the server." }),
  arguments: t.expose('arguments', {
    type: 'JSON',
    nullable: true,
    description: 'The arguments the model sent, as a JSON object; null when they were not valid JSON.',
  }),
  output: t.exposeString('output', {
    nullable: true,
    description: "The tool's text content (or why it did not run); null until it ends.",
  }),
  isError: t.boolean({
    description: 'The server reported an error, the call was refused or the server was unavailable.',
    resolve: (i) => i.isError ?? false,
  }),
}));
itemType('COMMAND_EXECUTION', 'A shell command run in the workspace.', (t) => ({
  command: t.exposeString('command', { description: "The command line, run in the thread's workspace." }),
  exitCode: t.exposeInt('exitCode', {
    nullable: true,
    description: 'The process exit code; null while it runs, or when it was killed (timeout, interrupt) or refused.',
  }),
  output: t.exposeString('output', {
    nullable: true,
    description: 'Combined stdout and stderr (long output keeps its head and tail); null until it ends.',
  }),
}));
itemType('FILE_CHANGE', 'A file the agent added, updated or deleted, with the unified diff.', (t) => ({
  path: t.exposeString('path', { description: "The file, relative to the thread's workspace." }),
  changeKind: t.expose('changeKind', { type: ChangeKindEnum, description: 'Added, updated or deleted.' }),
  diff: t.exposeString('diff', { description: 'Unified diff of the change (empty when the content did not change).' }),
}));
itemType('CONTEXT_COMPACTION', 'A summary that replaces the conversation before it.', (t) => ({
  reason: t.exposeString('reason', {
    nullable: true,
    description: "Why the conversation was compacted (compactThread's `reason`); null when none was given.",
  }),
  text: t.exposeString('text', { description: 'The summary the model sees from now on instead of the turns before this item.' }),
}));
itemType('STATUS', 'A status note from the runtime (e.g. a step limit reached).', (t) => ({
  message: t.exposeString('message', { description: 'The note, for people.' }),
}));
itemType('ERROR', 'An error reported inside the turn.', (t) => ({
  message: t.exposeString('message', { description: "What failed, for people (the turn's `error` has the same text when it ended FAILED)." }),
}));

builder.queryField('item', (t) =>
  t.field({
    type: ItemRef,
    nullable: true,
    description: 'An item by id; null when no item has it (also for ids of other kinds).',
    args: { id: t.arg.id({ required: true, description: 'An item id (`item_…`).' }) },
    resolve: (_, { id }, ctx) => (isIdOf('item', String(id)) ? ctx.loaders.item.load(String(id)) : null),
  }),
);
