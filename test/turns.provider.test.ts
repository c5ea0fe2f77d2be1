import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { startFakeProvider, textReply, type FakeProvider } from './support/fakeProvider.js';
import { startTestServer, waitFor, type TestServer } from './support/harness.js';
import { CompactThreadDocument, InterruptTurnDocument, SetRoutingRulesDocument, SteerTurnDocument } from '../sdk/generated/graphql.js';
import { createThread, mutate, narrow, startTurn, startedTurn, threadEvents, turnState, waitForTurnEnd } from './support/ops.js';
import { defined } from '../src/domain/defined.js';

// The real OpenAI engine, through the whole server, against a fake provider on 127.0.0.1.
describe('turns run by the openai engine', () => {
  let fake: FakeProvider;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeProvider();
    server = await startTestServer({ engine: new OpenAIEngine({ baseURL: fake.baseURL, apiKey: 'test', retryBaseMs: 10, maxRetries: 2 }) });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('streams content and reasoning into one agent message and records usage with cache hits and cost', async () => {
    const threadId = await createThread(server, { model: 'deepseek-v4-flash', systemPrompt: 'Be brief.' });
    fake.script({
      kind: 'stream',
      chunks: [{ reasoning: 'Thinking ' }, { reasoning: 'hard.' }, { content: 'Hello' }, { content: ', world' }],
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 200,
        total_tokens: 1200,
        prompt_cache_hit_tokens: 800,
        prompt_cache_miss_tokens: 200,
        completion_tokens_details: { reasoning_tokens: 50 },
      },
    });
    const t = await startTurn(server, { threadId, prompt: 'greet me', temperature: 0.3, topP: 0.9, maxTokens: 123 });
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes[1]).toMatchObject({ kind: 'AGENT_MESSAGE', text: 'Hello, world', reasoning: 'Thinking hard.' });
    expect(turn.usage).toEqual({ inputTokens: 1000, outputTokens: 200, cachedTokens: 800, missTokens: 200, reasoningTokens: 50 });
    // 800 × 0.0028 + 200 × 0.14 + 200 × 0.28 per million.
    expect(turn.costUsd).toBeCloseTo((800 * 0.0028 + 200 * 0.14 + 200 * 0.28) / 1e6, 12);

    const [request] = fake.requests;
    expect(request?.model).toBe('deepseek-v4-flash');
    expect(request?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'greet me' },
    ]);
    expect([request?.temperature, request?.top_p, request?.max_tokens]).toEqual([0.3, 0.9, 123]);
  });

  it('sends the conversation rebuilt from earlier turns', async () => {
    const threadId = await createThread(server);
    fake.script(textReply('first answer'), textReply('second answer'));
    for (const prompt of ['first question', 'second question']) {
      const t = await startTurn(server, { threadId, prompt });
      await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    }
    expect(fake.requests[1]?.messages).toEqual([
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second question' },
    ]);
  });

  it('picks the model: explicit, else the routing rule for routeIntent, else the thread model', async () => {
    const set = await mutate(server, SetRoutingRulesDocument, { rules: [{ intent: 'Code', model: 'deepseek-coder' }] });
    expect(set.__typename).toBe('SetRoutingRulesPayload');
    const threadId = await createThread(server, { model: 'thread-model' });
    const models: string[] = [];
    for (const input of [{ model: 'explicit-model' }, { routeIntent: '  code ' }, { routeIntent: 'unknown' }, {}]) {
      fake.script(textReply('ok'));
      const t = await startTurn(server, { threadId, prompt: 'which model?', ...input });
      await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
      models.push(fake.requests[fake.requests.length - 1]?.model!);
    }
    expect(models).toEqual(['explicit-model', 'deepseek-coder', 'thread-model', 'thread-model']);
  });

  it('steer mid-stream: the provider sees the steer text before the next model call', async () => {
    const threadId = await createThread(server);
    fake.script(
      { kind: 'stream', chunks: [{ content: 'working' }, ...Array.from({ length: 20 }, () => ({ content: '.', delayMs: 20 }))] },
      textReply('noted the steer'),
    );
    const t = await startTurn(server, { threadId, prompt: 'do a long thing' });
    await waitFor(async () => (await threadEvents(server, threadId)).some((e) => e.name === 'item.delta'), 5000, 'streaming');
    const steer = await mutate(server, SteerTurnDocument, { turnId: narrow(t, 'StartTurnPayload').turn.id, prompt: 'focus on tests' });
    expect(narrow(steer, 'SteerTurnPayload').turn.steerCount).toBe(1);
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'focus on tests' });
    expect(turn.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'AGENT_MESSAGE', 'USER_MESSAGE', 'AGENT_MESSAGE']);
    expect((await threadEvents(server, threadId)).map((e) => e.name)).toContain('turn.steered');
  });

  it('interrupt mid-stream cancels the HTTP stream to the provider at once', async () => {
    const threadId = await createThread(server);
    // The provider sends 'start', then holds the rest of its answer until the test releases it (in `finally`): the
    // interrupt must answer, and abort the request, while the provider still holds it (no waiting for the stream).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    fake.script({ kind: 'stream', chunks: [{ content: 'start' }, { content: ' and the rest', after: held }] });
    try {
      const t = await startTurn(server, { threadId, prompt: 'talk forever' });
      await waitFor(async () => (await threadEvents(server, threadId)).some((e) => e.name === 'item.delta'), 5000, 'streaming');
      const r = await mutate(server, InterruptTurnDocument, { turnId: narrow(t, 'StartTurnPayload').turn.id });
      expect(narrow(r, 'InterruptTurnPayload').turn.status).toBe('INTERRUPTED');
      await waitFor(() => fake.requests[0]?.aborted, 5000, 'the provider request to be aborted');
      const turn = await turnState(server, narrow(t, 'StartTurnPayload').turn.id);
      expect(turn.items.nodes[1]).toMatchObject({ status: 'INTERRUPTED', text: 'start' });
    } finally {
      release();
    }
  });

  it.each([
    [{ kind: 'error', status: 401, message: 'Authentication Fails' } as const, /401.*Authentication Fails/, 1],
    [{ kind: 'error', status: 400, message: 'bad model' } as const, /400.*bad model/, 1],
    [{ kind: 'malformed' } as const, /malformed/, 1],
  ])('a provider failure ends the turn FAILED with a readable error (%j)', async (reply, error, requests) => {
    const threadId = await createThread(server);
    fake.script(reply);
    const t = await startTurn(server, { threadId, prompt: 'fail please' });
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('FAILED');
    expect(turn.error).toMatch(error);
    expect(fake.requests).toHaveLength(requests);
    const completed = (await threadEvents(server, threadId)).find((e) => e.name === 'turn.completed')!;
    expect(completed.payload).toMatchObject({ status: 'FAILED' });
    // The thread is usable again.
    fake.script(textReply('fine now'));
    const next = await startTurn(server, { threadId, prompt: 'again' });
    expect((await waitForTurnEnd(server, narrow(next, 'StartTurnPayload').turn.id)).status).toBe('COMPLETED');
  });

  it('retries 429 and 5xx before the first token, then succeeds', async () => {
    const threadId = await createThread(server);
    fake.script({ kind: 'error', status: 503, message: 'busy' }, { kind: 'error', status: 429, message: 'slow down' }, textReply('made it'));
    const t = await startTurn(server, { threadId, prompt: 'retry' });
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(narrow(turn.items.nodes[1], 'AgentMessageItem').text).toBe('made it');
    expect(fake.requests).toHaveLength(3);
  });

  it("gives up after the retry bound with the provider's message", async () => {
    const threadId = await createThread(server);
    fake.script(...Array.from({ length: 3 }, () => ({ kind: 'error', status: 500, message: 'down' }) as const));
    const t = await startTurn(server, { threadId, prompt: 'retry forever' });
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('FAILED');
    expect(turn.error).toMatch(/500.*down/);
    expect(fake.requests).toHaveLength(3);
  });

  it('compaction sends the summary instead of the turns before it', async () => {
    const threadId = await createThread(server);
    fake.script(textReply('a1'), textReply('SUMMARY: the user asked q1'), textReply('a2'));
    const t1 = await startedTurn(server, { threadId, prompt: 'q1' });
    await waitForTurnEnd(server, t1.id);
    const c = await mutate(server, CompactThreadDocument, { threadId });
    await waitForTurnEnd(server, narrow(c, 'CompactThreadPayload').turn.id);
    const t2 = await startedTurn(server, { threadId, prompt: 'q2' });
    await waitForTurnEnd(server, t2.id);
    const messages = defined(fake.requests[2], 'the third request').messages;
    expect(messages).toHaveLength(2);
    expect(messages[0]?.content).toContain('SUMMARY: the user asked q1');
    expect(messages[1]).toEqual({ role: 'user', content: 'q2' });
  });
});
