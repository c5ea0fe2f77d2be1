import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeProvider, textReply, dropReply, type FakeProvider } from './support/fakeProvider.js';
import { defined } from '../src/domain/defined.js';

let provider: FakeProvider;
let client: OpenAI;

beforeEach(async () => {
  provider = await startFakeProvider();
  // logLevel 'off' keeps the SDK from printing the malformed-chunk diagnostics.
  client = new OpenAI({ baseURL: provider.baseURL, apiKey: 'test', maxRetries: 0, logLevel: 'off' });
});

afterEach(async () => {
  await provider.close();
});

async function collect(opts: Partial<OpenAI.Chat.ChatCompletionCreateParamsStreaming> = {}, signal?: AbortSignal) {
  const stream = await client.chat.completions.create(
    {
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      ...opts,
    },
    { signal },
  );
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

type DeltaWithReasoning = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null };

describe('fake provider', () => {
  it('streams reasoning and content deltas in order, shaped like chat.completion.chunk', async () => {
    provider.script({
      kind: 'stream',
      chunks: [{ reasoning: 'think ' }, { reasoning: 'hard' }, { content: 'Hello' }, { content: ', world', delayMs: 5 }],
    });
    const chunks = await collect();

    const order = chunks.flatMap((c) => {
      const delta = c.choices[0]?.delta as DeltaWithReasoning | undefined;
      if (delta?.reasoning_content) return [`r:${delta.reasoning_content}`];
      if (delta?.content) return [`c:${delta.content}`];
      return [];
    });
    expect(order).toEqual(['r:think ', 'r:hard', 'c:Hello', 'c:, world']);

    const first = chunks[0];
    expect(first?.object).toBe('chat.completion.chunk');
    expect(first?.model).toBe('deepseek-chat');
    expect(first?.choices[0]).toMatchObject({ index: 0, delta: { role: 'assistant' }, logprobs: null, finish_reason: null });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('streams tool calls that reassemble to the scripted name and arguments', async () => {
    const args = JSON.stringify({ path: '/tmp/some/file.txt', recursive: true, depth: 3 });
    provider.script({
      kind: 'stream',
      chunks: [
        { content: 'Let me look.' },
        {
          toolCalls: [
            { id: 'call_1', name: 'read_file', arguments: args },
            { id: 'call_2', name: 'list_dir', arguments: '{}' },
          ],
        },
      ],
    });
    const chunks = await collect({ tools: [{ type: 'function', function: { name: 'read_file', parameters: {} } }] });

    const calls: Array<{ id: string; name: string; args: string }> = [];
    let argFragments = 0;
    for (const chunk of chunks) {
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (tc.id) {
          expect(tc.type).toBe('function');
          expect(tc.function?.arguments).toBe('');
          calls[tc.index] = { id: tc.id, name: tc.function?.name ?? '', args: '' };
        } else {
          argFragments++;
          defined(calls[tc.index], `tool call ${tc.index}`).args += tc.function?.arguments ?? '';
        }
      }
    }
    expect(calls).toEqual([
      { id: 'call_1', name: 'read_file', args },
      { id: 'call_2', name: 'list_dir', args: '{}' },
    ]);
    expect(argFragments).toBeGreaterThan(2); // arguments really arrive in pieces
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');

    // The SDK's own accumulator agrees.
    provider.script({ kind: 'stream', chunks: [{ toolCalls: [{ id: 'call_9', name: 'read_file', arguments: args }] }] });
    const final = await client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: 'call_9', function: { name: 'read_file', arguments: args } });
  });

  it('sends a usage chunk in DeepSeek or OpenAI style, or none', async () => {
    const deepseek = {
      prompt_tokens: 100,
      completion_tokens: 20,
      total_tokens: 120,
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
      completion_tokens_details: { reasoning_tokens: 7 },
    };
    const openai = {
      prompt_tokens: 50,
      completion_tokens: 5,
      total_tokens: 55,
      prompt_tokens_details: { cached_tokens: 32 },
    };
    provider.script(textReply('a b', deepseek), textReply('c', openai), textReply('d'));

    const ds = await collect();
    expect(ds.at(-1)?.choices).toEqual([]);
    expect(ds.at(-1)?.usage).toEqual(deepseek);
    expect(ds.at(-2)?.choices[0]?.finish_reason).toBe('stop');

    const oa = await collect();
    expect(oa.at(-1)?.usage).toEqual(openai);

    const none = await collect();
    expect(none.every((c) => !c.usage)).toBe(true);
    expect(none.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('uses the default "ok" reply, then scriptFn, with the queue taking precedence', async () => {
    expect((await collect()).map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('ok');

    provider.scriptFn((req) => textReply(`echo ${String(req.messages.at(-1)?.content)}`));
    provider.script(textReply('queued'));
    const text = async (content: string) =>
      (await collect({ messages: [{ role: 'user', content }] })).map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(await text('one')).toBe('queued');
    expect(await text('two')).toBe('echo two');
  });

  it('surfaces 401 and 500 as OpenAI.APIError with the status', async () => {
    provider.script({ kind: 'error', status: 401, message: 'Invalid API key' }, { kind: 'error', status: 500, message: 'boom' });
    const e401 = await collect().catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(OpenAI.APIError);
    expect((e401 as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((e401 as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_api_key');
    expect(String((e401 as Error).message)).toContain('Invalid API key');

    const e500 = await collect().catch((e: unknown) => e);
    expect(e500).toBeInstanceOf(OpenAI.InternalServerError);
    expect((e500 as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect(provider.requests).toHaveLength(2); // no retries
  });

  it('hangs until the client aborts, and records the abort', async () => {
    provider.script({ kind: 'hang' }, { kind: 'hang', headers: false });

    // Headers sent: create() resolves, iteration hangs.
    const ac1 = new AbortController();
    const run1 = collect({}, ac1.signal).catch((e: unknown) => e);
    await provider.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(provider.requests[0]?.aborted).toBe(false);
    ac1.abort();
    await run1; // the SDK may end quietly or throw APIUserAbortError; either is fine here
    await vi.waitFor(() => expect(provider.requests[0]?.aborted).toBe(true), { timeout: 500, interval: 5 });

    // Nothing sent: create() itself hangs.
    const ac2 = new AbortController();
    const run2 = collect({}, ac2.signal).catch((e: unknown) => e);
    await provider.waitForRequests(2);
    ac2.abort();
    expect(await run2).toBeInstanceOf(OpenAI.APIUserAbortError);
    await vi.waitFor(() => expect(provider.requests[1]?.aborted).toBe(true), { timeout: 500, interval: 5 });
  });

  it('raises an error on a malformed stream', async () => {
    provider.script({ kind: 'malformed' });
    const seen: string[] = [];
    const err = await (async () => {
      const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyntaxError);
    expect(seen.join('')).toBe('Hello');
  });

  it('drops the connection mid-stream', async () => {
    provider.script(dropReply(3));
    const seen: string[] = [];
    const err = await (async () => {
      const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(seen.join('')).toBe('c0 c1 c2 ');
    expect(provider.requests[0]?.aborted).toBe(false);
  });

  it('records model, messages, sampling parameters, tools and headers', async () => {
    await collect({
      model: 'deepseek-reasoner',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 256,
      tools: [{ type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }],
    });
    const [req] = await provider.waitForRequests(1);
    expect(req?.model).toBe('deepseek-reasoner');
    expect(req?.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ]);
    expect(req?.temperature).toBe(0.3);
    expect(req?.top_p).toBe(0.9);
    expect(req?.max_tokens).toBe(256);
    expect(req?.tools).toHaveLength(1);
    expect(req?.stream).toBe(true);
    expect(req?.body.stream_options).toEqual({ include_usage: true });
    expect(req?.headers.authorization).toBe('Bearer test');
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.aborted).toBe(false);
  });

  it('answers non-streaming requests with a chat.completion', async () => {
    provider.script({
      kind: 'stream',
      chunks: [{ reasoning: 'hmm' }, { content: 'Hel' }, { content: 'lo' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0]?.message.content).toBe('Hello');
    expect((res.choices[0]?.message as { reasoning_content?: string }).reasoning_content).toBe('hmm');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(provider.requests[0]?.stream).toBe(false);
  });

  it('streams 100,000 tiny deltas with correct SSE framing', async () => {
    // Raw fetch: the SDK's own SSE parsing of 100k events takes ~1 s, the provider itself ~0.2 s.
    provider.script({ kind: 'stream', chunks: Array.from({ length: 100_000 }, () => ({ content: 'x' })) });
    const res = await fetch(`${provider.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [], stream: true }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n\n');
    expect(events.pop()).toBe(''); // every event ends with a blank line
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as ChatCompletionChunk);
    expect(chunks.filter((c) => c.choices[0]?.delta.content === 'x')).toHaveLength(100_000);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams 10,000 tiny deltas through the SDK', async () => {
    provider.script({ kind: 'stream', chunks: Array.from({ length: 10_000 }, () => ({ content: 'x' })) });
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'm', messages: [], stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('x'.repeat(10_000));
  });

  it('waitForRequests times out with a clear error', async () => {
    await expect(provider.waitForRequests(1, 20)).rejects.toThrow(/expected 1 request/);
  });
});
