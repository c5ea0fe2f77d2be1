import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMPACTION_REQUEST, OpenAIEngine, type OpenAIEngineOptions } from '../src/engine/openaiEngine.js';
import { DENIED_OUTPUT, EXPIRED_OUTPUT } from '../src/engine/toolRunner.js';
import { effectiveSandboxPolicy, type ItemKind } from '../src/domain/records.js';
import {
  EngineError,
  type ApprovalDecision,
  type ApprovalRequest,
  type ChatMessage,
  type EngineEvent,
  type ItemCompleted,
  type ItemStarted,
  type EngineInput,
} from '../src/engine/types.js';
import { startFakeProvider, textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { defined } from '../src/domain/defined.js';

let provider: FakeProvider;
let workspace: string;

beforeEach(async () => {
  provider = await startFakeProvider();
  workspace = await mkdtemp(path.join(os.tmpdir(), 'zagens-openai-'));
});

afterEach(async () => {
  await provider.close();
  await rm(workspace, { recursive: true, force: true });
});

// ---------- helpers ----------

interface Harness {
  input: EngineInput;
  approvals: ApprovalRequest[];
  updates: Array<{ checklist?: unknown; plan?: unknown }>;
}

interface HarnessOptions extends Partial<Omit<EngineInput, 'takeSteers' | 'requestApproval' | 'updateThread'>> {
  /** Returned by successive takeSteers() calls; [] once used up. */
  steers?: string[][];
  /** Returned by successive requestApproval() calls; APPROVED once used up. */
  decisions?: ApprovalDecision[];
}

function harness(options: HarnessOptions = {}): Harness {
  const { steers = [], decisions = [], ...fields } = options;
  const approvals: ApprovalRequest[] = [];
  const updates: Harness['updates'] = [];
  const input: EngineInput = {
    threadId: 'thread-1',
    turnId: 'turn-1',
    model: 'deepseek-chat',
    mode: 'code',
    systemPrompt: null,
    messages: [{ role: 'user', content: 'hi' }],
    workspace,
    allowShell: false,
    trustMode: false,
    autoApprove: false,
    purpose: 'PROMPT',
    sandbox: effectiveSandboxPolicy({ trustMode: fields.trustMode ?? false }),
    ...fields,
    takeSteers: () => (steers.shift() ?? []).map((text) => ({ text })),
    requestApproval: async (request) => {
      approvals.push(request);
      return { decision: decisions.shift() ?? 'APPROVED', sandbox: request.sandbox ?? null };
    },
    updateThread: async (update) => {
      updates.push(update);
    },
  };
  return { input, approvals, updates };
}

function engine(options: Partial<OpenAIEngineOptions> = {}): OpenAIEngine {
  return new OpenAIEngine({ baseURL: provider.baseURL, apiKey: 'test-key', retryBaseMs: 10, ...options });
}

async function run(e: OpenAIEngine, input: EngineInput, signal = new AbortController().signal) {
  const events: EngineEvent[] = [];
  let error: unknown = null;
  try {
    for await (const event of e.runTurn(input, signal)) events.push(event);
  } catch (caught) {
    error = caught;
  }
  return { events, error };
}

/** A compact trace: "started KIND key", "delta field text", "completed key STATUS", "usage", "steer N". */
function trace(events: EngineEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case 'item.started':
        return `started ${e.kind} ${e.key}`;
      case 'item.delta':
        return `delta ${e.field} ${e.delta}`;
      case 'item.completed':
        return `completed ${e.key} ${e.status ?? 'COMPLETED'}`;
      case 'usage':
        return 'usage';
      case 'steer.consumed':
        return `steer ${e.count}`;
    }
  });
}

function started<K extends ItemKind>(events: EngineEvent[], kind: K) {
  return events.filter((e): e is Extract<ItemStarted, { kind: K }> => e.type === 'item.started' && e.kind === kind);
}

/** An item's end; its fields as a plain object (which ones depends on the item's kind). */
function completed(events: EngineEvent[], key: string): { status?: string; fields?: Record<string, unknown> } | undefined {
  return events.find((e): e is ItemCompleted => e.type === 'item.completed' && e.key === key);
}

function usages(events: EngineEvent[]) {
  return events.flatMap((e) => (e.type === 'usage' ? [e.usage] : []));
}

function toolCallReply(name: string, args: unknown, id = 'call_1'): Reply {
  return { kind: 'stream', chunks: [{ toolCalls: [{ id, name, arguments: JSON.stringify(args) }] }] };
}

function toolNames(tools: unknown[] | undefined): string[] {
  return (tools ?? []).map((t) => (t as { function: { name: string } }).function.name);
}

// ---------- streaming and requests ----------

describe('OpenAIEngine streaming', () => {
  it('streams reasoning and content into one AGENT_MESSAGE item', async () => {
    provider.script({
      kind: 'stream',
      chunks: [{ reasoning: 'think ' }, { reasoning: 'hard' }, { content: 'Hel' }, { content: 'lo' }],
    });
    const { events, error } = await run(engine(), harness().input);
    expect(error).toBeNull();
    expect(trace(events)).toEqual([
      'started AGENT_MESSAGE message-0',
      'delta reasoning think ',
      'delta reasoning hard',
      'delta text Hel',
      'delta text lo',
      'completed message-0 COMPLETED',
      'usage',
    ]);
  });

  it('sends the conversation in OpenAI format with the sampling options, without reasoning', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'read a' },
      { role: 'assistant', content: null, reasoning: 'secret', toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a"}' }] },
      { role: 'tool', toolCallId: 'c1', content: 'A' },
      { role: 'assistant', content: 'a says A', reasoning: 'hmm' },
      { role: 'user', content: 'thanks' },
    ];
    provider.script(textReply('ok'));
    const { error } = await run(engine(), harness({ messages, model: 'deepseek-reasoner', temperature: 0.3, topP: 0.9, maxTokens: 256 }).input);
    expect(error).toBeNull();
    const [req] = provider.requests;
    expect(req?.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'read a' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'A' },
      { role: 'assistant', content: 'a says A' },
      { role: 'user', content: 'thanks' },
    ]);
    expect(req?.model).toBe('deepseek-reasoner');
    expect(req?.temperature).toBe(0.3);
    expect(req?.top_p).toBe(0.9);
    expect(req?.max_tokens).toBe(256);
    expect(req?.stream).toBe(true);
    expect(req?.body.stream_options).toEqual({ include_usage: true });
    expect(req?.headers.authorization).toBe('Bearer test-key');
  });

  it('asks for a summary without tools in a compaction turn', async () => {
    provider.script(textReply('the summary'));
    const { events } = await run(engine(), harness({ purpose: 'COMPACTION' }).input);
    const [req] = provider.requests;
    expect(req?.messages.at(-1)).toEqual({ role: 'user', content: COMPACTION_REQUEST });
    expect(req?.tools).toBeUndefined();
    expect(started(events, 'AGENT_MESSAGE')).toHaveLength(1);
  });
});

describe('OpenAIEngine usage', () => {
  it('reads DeepSeek cache fields', async () => {
    provider.script(
      textReply('a', {
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_cache_hit_tokens: 64,
        prompt_cache_miss_tokens: 36,
        completion_tokens_details: { reasoning_tokens: 7 },
      }),
    );
    const { events } = await run(engine(), harness().input);
    expect(usages(events)).toEqual([
      { inputTokens: 100, outputTokens: 20, cachedTokens: 64, missTokens: 36, reasoningTokens: 7, cacheReported: true },
    ]);
  });

  it('reads OpenAI cache fields', async () => {
    provider.script(textReply('a', { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55, prompt_tokens_details: { cached_tokens: 32 } }));
    const { events } = await run(engine(), harness().input);
    expect(usages(events)).toEqual([{ inputTokens: 50, outputTokens: 5, cachedTokens: 32, missTokens: 18, reasoningTokens: 0, cacheReported: true }]);
  });

  it('marks the cache as unreported when no cache field or no usage is sent', async () => {
    provider.script(textReply('a', { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }), textReply('b'));
    const first = await run(engine(), harness().input);
    expect(usages(first.events)).toEqual([
      { inputTokens: 10, outputTokens: 2, cachedTokens: 0, missTokens: 10, reasoningTokens: 0, cacheReported: false },
    ]);
    const second = await run(engine(), harness().input);
    expect(usages(second.events)).toEqual([
      { inputTokens: 0, outputTokens: 0, cachedTokens: 0, missTokens: 0, reasoningTokens: 0, cacheReported: false },
    ]);
  });
});

// ---------- tools ----------

describe('OpenAIEngine tools', () => {
  it('runs a read_file round and sends the result back', async () => {
    await writeFile(path.join(workspace, 'a.txt'), 'alpha\n');
    provider.script(
      { kind: 'stream', chunks: [{ content: 'Looking.' }, { toolCalls: [{ id: 'call_7', name: 'read_file', arguments: '{"path":"a.txt"}' }] }] },
      textReply('It says alpha.'),
    );
    const { events, error } = await run(engine(), harness().input);
    expect(error).toBeNull();
    expect(trace(events).filter((t) => !t.startsWith('delta'))).toEqual([
      'started AGENT_MESSAGE message-0',
      'completed message-0 COMPLETED',
      'usage',
      'started TOOL_CALL tool-1',
      'completed tool-1 COMPLETED',
      'started AGENT_MESSAGE message-2',
      'completed message-2 COMPLETED',
      'usage',
    ]);
    expect(started(events, 'TOOL_CALL')[0]?.fields).toEqual({
      toolName: 'read_file',
      arguments: { path: 'a.txt' },
      metadata: { toolCallId: 'call_7' },
    });
    const output = completed(events, 'tool-1')?.fields?.output;
    expect(output).toContain('alpha');

    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[1]?.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [{ id: 'call_7', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_7', content: output },
    ]);
  });

  it('fails a tool call with invalid JSON arguments and tells the model', async () => {
    provider.script({ kind: 'stream', chunks: [{ toolCalls: [{ id: 'c', name: 'read_file', arguments: '{"path":' }] }] }, textReply('sorry'));
    const { events, error } = await run(engine(), harness().input);
    expect(error).toBeNull();
    const call = defined(started(events, 'TOOL_CALL')[0], 'a started TOOL_CALL item');
    expect(call.fields?.arguments).toBe('{"path":');
    const done = completed(events, call.key);
    expect(done?.status).toBe('FAILED');
    expect(done?.fields?.output).toMatch(/invalid JSON/);
    expect(provider.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: done?.fields?.output });
  });

  it('asks approval for write_file and records the file change when approved', async () => {
    provider.script(toolCallReply('write_file', { path: 'new.txt', content: 'hello\n' }), textReply('written'));
    const h = harness({ decisions: ['APPROVED'] });
    const { events, error } = await run(engine(), h.input);
    expect(error).toBeNull();
    const call = defined(started(events, 'TOOL_CALL')[0], 'a started TOOL_CALL item');
    expect(h.approvals).toEqual([{ toolName: 'write_file', arguments: { path: 'new.txt', content: 'hello\n' }, reason: null, itemKey: call.key }]);
    const change = defined(started(events, 'FILE_CHANGE')[0], 'a started FILE_CHANGE item');
    expect(change.fields).toMatchObject({ path: 'new.txt', changeKind: 'ADD', metadata: { toolCallId: 'call_1' } });
    expect(change.fields?.diff).toContain('+hello');
    expect(completed(events, change.key)?.status).toBe('COMPLETED');
    expect(completed(events, call.key)?.status).toBe('COMPLETED');
    expect(await readFile(path.join(workspace, 'new.txt'), 'utf8')).toBe('hello\n');
  });

  it.each([
    ['DENIED', DENIED_OUTPUT],
    ['EXPIRED', EXPIRED_OUTPUT],
  ] as const)('does not write when the approval is %s and tells the model', async (decision, message) => {
    provider.script(toolCallReply('write_file', { path: 'new.txt', content: 'hello\n' }), textReply('ok'));
    const h = harness({ decisions: [decision] });
    const { events, error } = await run(engine(), h.input);
    expect(error).toBeNull();
    expect(h.approvals).toHaveLength(1);
    const call = defined(started(events, 'TOOL_CALL')[0], 'a started TOOL_CALL item');
    expect(completed(events, call.key)).toMatchObject({ status: 'FAILED', fields: { output: message } });
    expect(started(events, 'FILE_CHANGE')).toHaveLength(0);
    await expect(readFile(path.join(workspace, 'new.txt'), 'utf8')).rejects.toThrow();
    expect(provider.requests[1]?.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: message });
  });

  it('skips approval with autoApprove', async () => {
    provider.script(toolCallReply('write_file', { path: 'auto.txt', content: 'x' }), textReply('done'));
    const h = harness({ autoApprove: true });
    const { events } = await run(engine(), h.input);
    expect(h.approvals).toEqual([]);
    expect(started(events, 'FILE_CHANGE')).toHaveLength(1);
    expect(await readFile(path.join(workspace, 'auto.txt'), 'utf8')).toBe('x');
  });

  it('offers the shell only with allowShell, and refuses a shell call without it', async () => {
    provider.script(textReply('a'));
    await run(engine(), harness({ allowShell: true }).input);
    expect(toolNames(provider.requests[0]?.tools)).toContain('shell');

    provider.script(toolCallReply('shell', { command: 'echo hi' }), textReply('ok'));
    const h = harness({ allowShell: false, autoApprove: true });
    const { events } = await run(engine(), h.input);
    expect(toolNames(provider.requests[1]?.tools)).not.toContain('shell');
    expect(toolNames(provider.requests[1]?.tools)).toContain('read_file');
    const call = defined(started(events, 'TOOL_CALL')[0], 'a started TOOL_CALL item');
    expect(completed(events, call.key)?.status).toBe('FAILED');
    expect(completed(events, call.key)?.fields?.output).toMatch(/shell is not enabled/);
    expect(started(events, 'COMMAND_EXECUTION')).toHaveLength(0);
  });

  it('runs a shell command as a COMMAND_EXECUTION item', async () => {
    provider.script(toolCallReply('shell', { command: 'echo hi; exit 3' }), textReply('it failed'));
    const { events, error } = await run(engine(), harness({ allowShell: true, autoApprove: true }).input);
    expect(error).toBeNull();
    const command = defined(started(events, 'COMMAND_EXECUTION')[0], 'a started COMMAND_EXECUTION item');
    expect(command.fields).toMatchObject({ command: 'echo hi; exit 3', metadata: { toolCallId: 'call_1' } });
    const done = completed(events, command.key);
    expect(done?.fields).toMatchObject({ exitCode: 3, output: 'hi\n', metadata: { timedOut: false, truncatedBytes: 0, toolCallId: 'call_1' } });
    expect(typeof (done?.fields?.metadata as { durationMs: unknown }).durationMs).toBe('number');
    const toolMessage = provider.requests[1]?.messages.at(-1);
    expect(toolMessage?.content).toMatch(/^exit code 3 .*\nhi\n$/);
  });

  it('asks approval for the shell', async () => {
    provider.script(toolCallReply('shell', { command: 'echo hi' }), textReply('ok'));
    const h = harness({ allowShell: true, decisions: ['DENIED'] });
    const { events } = await run(engine(), h.input);
    expect(h.approvals.map((a) => a.toolName)).toEqual(['shell']);
    expect(started(events, 'COMMAND_EXECUTION')).toHaveLength(0);
  });

  it('refuses a shell command the policy forbids without asking approval', async () => {
    provider.script(toolCallReply('shell', { command: 'curl https://example.com' }), textReply('ok'));
    const h = harness({ allowShell: true, trustMode: false });
    const { events } = await run(engine(), h.input);
    expect(h.approvals).toEqual([]);
    const call = defined(started(events, 'TOOL_CALL')[0], 'a started TOOL_CALL item');
    expect(completed(events, call.key)).toMatchObject({ status: 'FAILED', fields: { output: expect.stringMatching(/^command refused: curl/) } });
    expect(started(events, 'COMMAND_EXECUTION')).toHaveLength(0);
  });

  it('updates the checklist and the plan', async () => {
    const items = [{ text: 'write tests', done: false }];
    const steps = [{ step: 'read', status: 'completed' }];
    provider.script(
      {
        kind: 'stream',
        chunks: [
          {
            toolCalls: [
              { id: 'a', name: 'update_checklist', arguments: JSON.stringify({ items }) },
              { id: 'b', name: 'update_plan', arguments: JSON.stringify({ steps }) },
            ],
          },
        ],
      },
      textReply('ok'),
    );
    const h = harness();
    const { error } = await run(engine(), h.input);
    expect(error).toBeNull();
    expect(h.updates).toEqual([{ checklist: items }, { plan: steps }]);
    expect(provider.requests[1]?.messages.slice(-2).map((m) => m.tool_call_id)).toEqual(['a', 'b']);
  });
});

// ---------- loop control ----------

describe('OpenAIEngine loop', () => {
  it('sends steered input after a final answer in a second request', async () => {
    provider.script(textReply('first answer'), textReply('second answer'));
    const h = harness({ steers: [[], ['also do X']] });
    const { events, error } = await run(engine(), h.input);
    expect(error).toBeNull();
    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[1]?.messages.slice(-2)).toEqual([
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'also do X' },
    ]);
    expect(events.filter((e) => e.type === 'steer.consumed')).toEqual([{ type: 'steer.consumed', count: 1 }]);
    expect(started(events, 'AGENT_MESSAGE')).toHaveLength(2);
  });

  it('sends steers taken before a follow-up call after the tool results', async () => {
    provider.script(toolCallReply('list_dir', {}), textReply('done'));
    const h = harness({ steers: [[], ['hurry up']] });
    await run(engine(), h.input);
    expect(provider.requests[1]?.messages.slice(-2).map((m) => m.role)).toEqual(['tool', 'user']);
    expect(provider.requests[1]?.messages.at(-1)?.content).toBe('hurry up');
  });

  it('stops with a STATUS item at the step limit', async () => {
    provider.scriptFn(() => toolCallReply('list_dir', {}));
    const { events, error } = await run(engine({ maxSteps: 2 }), harness().input);
    expect(error).toBeNull();
    expect(provider.requests).toHaveLength(2);
    const status = defined(started(events, 'STATUS')[0], 'a started STATUS item');
    expect(status.fields?.message).toBe('Stopped after 2 tool steps (the step limit)');
    expect(completed(events, status.key)?.status).toBe('COMPLETED');
    expect(events.at(-1)).toMatchObject({ type: 'item.completed', key: status.key });
  });
});

// ---------- errors, retries, timeouts, abort ----------

describe('OpenAIEngine errors', () => {
  it('fails on 401 without retrying', async () => {
    provider.script({ kind: 'error', status: 401, message: 'Invalid API key' });
    const { error } = await run(engine(), harness().input);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toBe('provider returned 401: Invalid API key');
    expect(provider.requests).toHaveLength(1);
  });

  it('retries 500 and succeeds', async () => {
    provider.script({ kind: 'error', status: 500, message: 'boom' }, { kind: 'error', status: 503, message: 'busy' }, textReply('finally'));
    const { events, error } = await run(engine({ retryBaseMs: 10 }), harness().input);
    expect(error).toBeNull();
    expect(provider.requests).toHaveLength(3);
    expect(trace(events)).toContain('delta text finally');
    expect(usages(events)).toHaveLength(1);
  });

  it('gives up on 429 after maxRetries retries', async () => {
    provider.scriptFn(() => ({ kind: 'error', status: 429, message: 'slow down' }));
    const { error } = await run(engine({ maxRetries: 2, retryBaseMs: 5 }), harness().input);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toBe('provider returned 429: slow down');
    expect(provider.requests).toHaveLength(3);
  });

  it('honours retry-after instead of the backoff', async () => {
    provider.script({ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '0' } }, textReply('ok'));
    const startedAt = Date.now();
    const { error } = await run(engine({ retryBaseMs: 60_000 }), harness().input);
    expect(error).toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(provider.requests).toHaveLength(2);
  });

  it('retries a connection dropped before any token, not one dropped after', async () => {
    provider.script({ kind: 'drop', chunks: [] }, textReply('ok'));
    const first = await run(engine(), harness().input);
    expect(first.error).toBeNull();
    expect(provider.requests).toHaveLength(2);

    provider.script({ kind: 'drop', chunks: [{ content: 'half' }] }, textReply('never'));
    const second = await run(engine(), harness().input);
    expect(second.error).toBeInstanceOf(EngineError);
    expect((second.error as Error).message).toMatch(/connection to the provider/);
    expect(provider.requests).toHaveLength(3);
  });

  it('reports an unreachable provider', async () => {
    const closed = await startFakeProvider();
    const baseURL = closed.baseURL;
    await closed.close();
    const { error } = await run(new OpenAIEngine({ baseURL, apiKey: 'k', maxRetries: 0 }), harness().input);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toMatch(new RegExp(`^could not reach the provider at ${baseURL}: `));
  });

  it('fails on a malformed stream', async () => {
    provider.script({ kind: 'malformed' });
    const { events, error } = await run(engine(), harness().input);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toMatch(/^provider stream was malformed: /);
    expect(trace(events)).toContain('delta text Hel');
    expect(provider.requests).toHaveLength(1);
  });

  it.each([true, false])('times out when the provider sends nothing (headers sent: %s)', async (headers) => {
    provider.script({ kind: 'hang', headers });
    const { error } = await run(engine({ idleTimeoutMs: 200 }), harness().input);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toBe('the provider sent nothing for 200 ms');
    expect(provider.requests).toHaveLength(1);
    await vi.waitFor(() => expect(provider.requests[0]?.aborted).toBe(true), { timeout: 1000, interval: 5 });
  });

  it('stops at once on abort mid-stream, without throwing', async () => {
    provider.script({ kind: 'stream', chunks: [{ content: 'a' }, { content: 'b', delayMs: 10_000 }] });
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    const startedAt = Date.now();
    for await (const event of engine().runTurn(harness().input, controller.signal)) {
      events.push(event);
      if (event.type === 'item.delta') controller.abort();
    }
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(trace(events)).toEqual(['started AGENT_MESSAGE message-0', 'delta text a']);
    await vi.waitFor(() => expect(provider.requests[0]?.aborted).toBe(true), { timeout: 1000, interval: 5 });
  });

  it('stops waiting in the retry backoff on abort', async () => {
    provider.script({ kind: 'error', status: 500, message: 'boom' });
    const controller = new AbortController();
    const startedAt = Date.now();
    const running = run(engine({ retryBaseMs: 60_000 }), harness().input, controller.signal);
    await provider.waitForRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const { error } = await running;
    expect(error).toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(provider.requests).toHaveLength(1);
  });
});
