import type { ImageRef, ItemRecord, TurnRecord } from '../domain/records.js';
import type { ChatMessage } from './types.js';

export const SUMMARY_PREFIX = 'Summary of the conversation so far:\n';

/**
 * The conversation the model sees, rebuilt from the thread's turns (oldest first) and their items (in order).
 * Turns replaced by an edit and canceled or queued turns are left out; the latest context compaction replaces
 * everything before it with its summary.
 */
export function buildConversation(
  systemPrompt: string | null,
  turns: readonly TurnRecord[],
  itemsByTurn: ReadonlyMap<string, readonly ItemRecord[]>,
  /** The URL an image of a user message is sent as (null: its data is gone, it is left out). */
  imageUrl: (image: ImageRef) => string | null = (image) => image.url ?? null,
): ChatMessage[] {
  let body: ChatMessage[] = [];
  for (const turn of turns) {
    if (turn.supersededBy || turn.status === 'QUEUED' || turn.status === 'CANCELED') continue;
    for (const item of itemsByTurn.get(turn.id) ?? []) {
      if (item.kind === 'CONTEXT_COMPACTION') {
        if (item.status === 'COMPLETED' && item.text) body = [{ role: 'user', content: SUMMARY_PREFIX + item.text }];
        continue;
      }
      if (turn.purpose === 'COMPACTION') continue;
      appendItem(body, item, imageUrl);
    }
  }
  return systemPrompt ? [{ role: 'system', content: systemPrompt }, ...body] : body;
}

function appendItem(body: ChatMessage[], item: ItemRecord, imageUrl: (image: ImageRef) => string | null): void {
  switch (item.kind) {
    case 'USER_MESSAGE': {
      const images = (item.images ?? []).map(imageUrl).filter((url): url is string => url !== null);
      body.push(images.length ? { role: 'user', content: item.text, images } : { role: 'user', content: item.text });
      return;
    }
    case 'AGENT_MESSAGE':
      if (item.text) body.push({ role: 'assistant', content: item.text });
      return;
    case 'TOOL_CALL':
    case 'MCP_TOOL_CALL': {
      const callId = String(item.metadata?.toolCallId ?? item.id);
      const call = { id: callId, name: item.toolName, arguments: JSON.stringify(item.arguments ?? {}) };
      body.push({ role: 'assistant', content: null, toolCalls: [call] });
      body.push({ role: 'tool', toolCallId: callId, content: item.output ?? '(no output)' });
      return;
    }
    default:
      return;
  }
}
