import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { SUMMARY_PREFIX } from './conversation.js';
import type { AutoCompaction, EngineEvent } from './types.js';

/** What an image part is counted as (a provider's cost of one high-detail tile set is of this order). */
export const IMAGE_TOKENS = 765;
/** Role and framing of each message. */
const MESSAGE_OVERHEAD_TOKENS = 4;

type CountTokens = (text: string) => number;
let counter: CountTokens | null = null;

/** gpt-tokenizer (o200k_base, its data ships in the package) loaded on first use. */
async function tokenCounter(): Promise<CountTokens> {
  counter ??= (await import('gpt-tokenizer')).countTokens;
  return counter;
}

/** BPE is quadratic in the length of one piece: long texts are counted in pieces cut at whitespace. */
const PIECE_CHARS = 1024;

/** Tokens of `text`, counting stops past `budget` (then the result is at least the budget). */
function countText(count: CountTokens, text: string, budget: number): number {
  if (text.length <= PIECE_CHARS) return count(text);
  let n = 0;
  for (let at = 0; at < text.length && n < budget;) {
    let end = Math.min(at + PIECE_CHARS, text.length);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > at) end = space;
    }
    n += count(text.slice(at, end));
    at = end;
  }
  return n;
}

function messageTokens(count: CountTokens, message: ChatCompletionMessageParam, budget: number): number {
  let n = MESSAGE_OVERHEAD_TOKENS;
  const content = message.content;
  if (typeof content === 'string') n += countText(count, content, budget);
  else if (Array.isArray(content)) {
    for (const part of content) n += part.type === 'text' ? countText(count, part.text, budget - n) : part.type === 'image_url' ? IMAGE_TOKENS : 0;
  }
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? [])
      if (call.type === 'function') n += count(call.function.name) + countText(count, call.function.arguments, budget - n);
  }
  return n;
}

// Messages are not changed once built: their counts are kept for the next model call of the turn.
const counted = new WeakMap<object, number>();

/**
 * Tokens the conversation takes, counted with the tokenizer. With `stopAt`, counting stops once the total reaches
 * it (the result is then at least `stopAt`): a conversation far past the window costs no more than one at it.
 */
export async function countConversationTokens(messages: readonly ChatCompletionMessageParam[], stopAt = Infinity): Promise<number> {
  const count = await tokenCounter();
  let total = 0;
  for (const message of messages) {
    if (total >= stopAt) break;
    let n = counted.get(message);
    if (n === undefined) {
      const budget = stopAt - total;
      n = messageTokens(count, message, budget);
      if (n < budget) counted.set(message, n); // a count cut short is not the message's
    }
    total += n;
  }
  return total;
}

export type Summariser = (conversation: ChatCompletionMessageParam[], itemKey: string) => AsyncGenerator<EngineEvent, string | null>;

/**
 * When the conversation has reached the threshold: summarises it into a CONTEXT_COMPACTION item and returns the
 * conversation to go on with (system prompt, then the summary), the same one a rebuild gives. Null when it is
 * under the threshold, has nothing to compact, or the turn was aborted.
 */
export async function* autoCompact(
  messages: ChatCompletionMessageParam[],
  settings: AutoCompaction,
  model: string,
  summarise: Summariser,
  nextKey: (prefix: string) => string,
): AsyncGenerator<EngineEvent, ChatCompletionMessageParam[] | null> {
  const tokens = await countConversationTokens(messages, settings.contextWindow ?? settings.thresholdTokens);
  if (tokens < settings.thresholdTokens) return null;
  // Past the window already: the model could not read it to summarise it either (the provider says so).
  if (settings.contextWindow !== null && tokens >= settings.contextWindow) return null;
  const system = messages.filter((m) => m.role === 'system');
  if (messages.length - system.length <= 1) return null; // one message: nothing a summary would shorten
  const key = nextKey('compaction');
  const window = settings.contextWindow ? ` of the ${settings.contextWindow}-token context of ${model}` : ` for ${model}`;
  const reason = `Automatic: the conversation reached ${tokens} tokens (threshold ${settings.thresholdTokens}${window})`;
  yield {
    type: 'item.started',
    key,
    kind: 'CONTEXT_COMPACTION',
    fields: { reason, metadata: { automatic: true, tokens, thresholdTokens: settings.thresholdTokens } },
  };
  const summary = yield* summarise(messages, key);
  if (summary === null) return null;
  if (summary.trim() === '') {
    yield { type: 'item.completed', key, kind: 'CONTEXT_COMPACTION', status: 'FAILED', fields: { text: '' } };
    return null;
  }
  yield { type: 'item.completed', key, status: 'COMPLETED' };
  return [...system, { role: 'user', content: SUMMARY_PREFIX + summary }];
}
