import type { ApprovalRecord, EventRecord, ItemRecord, ThreadRecord, TurnRecord } from '../domain/records.js';
import { builder } from './builder.js';
import type { DeliveryRecord, WebhookRecord } from '../domain/webhooks.js';

/** Type references shared across schema files (the types are implemented in their own files). */
export const ThreadRef = builder.objectRef<ThreadRecord>('Thread');
export const TurnRef = builder.objectRef<TurnRecord>('Turn');
export const ItemRef = builder.interfaceRef<ItemRecord>('Item');
export const EventRef = builder.objectRef<EventRecord>('RuntimeEvent');
export const ApprovalRef = builder.objectRef<ApprovalRecord>('Approval');

export type NodeShape = ThreadRecord | TurnRecord | ItemRecord | ApprovalRecord | WebhookRecord | DeliveryRecord;
export const NodeRef = builder.interfaceRef<NodeShape>('Node');

/** The object type of each item kind (each implements Item). */
export const ITEM_TYPE_OF_KIND = {
  USER_MESSAGE: 'UserMessageItem',
  AGENT_MESSAGE: 'AgentMessageItem',
  TOOL_CALL: 'ToolCallItem',
  MCP_TOOL_CALL: 'McpToolCallItem',
  FILE_CHANGE: 'FileChangeItem',
  COMMAND_EXECUTION: 'CommandExecutionItem',
  CONTEXT_COMPACTION: 'ContextCompactionItem',
  STATUS: 'StatusItem',
  ERROR: 'ErrorItem',
} as const;
