import type { ChatMessage, Engine, EngineEvent, EngineInput, ProviderModel } from './types.js';
import { sleep } from './sleep.js';

const WORDS_PER_DELTA = 3;
const DELTA_DELAY_MS = 15;

/**
 * Works with no network and no key, so the server is usable out of the box: it answers deterministically,
 * streamed as several deltas, describing what it was asked. Steered input gets its own answer.
 */
export class OfflineEngine implements Engine {
  readonly name = 'offline';
  readonly changesFiles = false;

  constructor(private readonly delayMs: number = DELTA_DELAY_MS) {}

  /** It answers for any model name; this is the one it calls itself. */
  async listModels(): Promise<ProviderModel[]> {
    return [{ id: 'offline', ownedBy: 'zagens', created: null }];
  }

  async *runTurn(input: EngineInput, signal: AbortSignal): AsyncIterable<EngineEvent> {
    let round = 0;
    let prompt = lastUserText(input.messages);
    for (;;) {
      const key = `answer-${round}`;
      const answer = input.purpose === 'COMPACTION' ? summarise(input.messages) : reply(prompt, input);
      yield { type: 'item.started', key, kind: 'AGENT_MESSAGE' };
      const words = answer.split(/(?<= )/);
      for (let i = 0; i < words.length; i += WORDS_PER_DELTA) {
        if (signal.aborted) return;
        yield { type: 'item.delta', key, field: 'text', delta: words.slice(i, i + WORDS_PER_DELTA).join('') };
        if (this.delayMs) await sleep(this.delayMs, signal);
      }
      yield { type: 'item.completed', key };
      const inputTokens = input.messages.reduce((n, m) => n + countWords(textOf(m)), 0);
      yield {
        type: 'usage',
        usage: { inputTokens, outputTokens: countWords(answer), cachedTokens: 0, missTokens: inputTokens, reasoningTokens: 0, cacheReported: true },
      };
      const steers = input.takeSteers();
      if (steers.length === 0) return;
      yield { type: 'steer.consumed', count: steers.length };
      prompt = steers.map((s) => s.text).join('\n');
      round++;
    }
  }
}

function reply(prompt: string, input: EngineInput): string {
  const words = countWords(prompt);
  const turns = input.messages.filter((m) => m.role === 'user').length;
  return (
    `(offline engine) You said: "${prompt.trim()}". That is ${words} word${words === 1 ? '' : 's'}; ` +
    `this thread has ${turns} user message${turns === 1 ? '' : 's'} so far and model "${input.model}" was asked. ` +
    `Start the server with --api-key (or ZAGENS_API_KEY) to talk to a real model.`
  );
}

function summarise(messages: ChatMessage[]): string {
  const users = messages.filter((m) => m.role === 'user').map((m) => textOf(m).trim());
  return `The user asked ${users.length} thing${users.length === 1 ? '' : 's'}: ${users.map((u) => `"${u.slice(0, 80)}"`).join('; ')}.`;
}

function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return textOf(message);
  }
  return '';
}

function textOf(m: ChatMessage): string {
  return typeof m.content === 'string' ? m.content : '';
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
