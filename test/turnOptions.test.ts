import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textReply, type FakeProvider } from './support/fakeProvider.js';
import type { TestServer } from './support/harness.js';
import { startProviderServer, type ProviderServer } from './support/providerServer.js';
import { createThread, narrow, startTurn, startedTurn, turnState, waitForTurnEnd, type SdkServer } from './support/ops.js';
import { type StartTurnInput } from '../sdk/generated/graphql.js';
import { defined } from '../src/domain/defined.js';

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
  required: ['city', 'days'],
  additionalProperties: false,
};

async function agentMessage(server: SdkServer, turnId: string) {
  return narrow(
    (await turnState(server, turnId)).items.nodes.find((n) => n.kind === 'AGENT_MESSAGE'),
    'AgentMessageItem',
  );
}

// Structured output and per-turn model options, through the whole server against the fake provider.
describe('per-turn model options and structured output', () => {
  let env: ProviderServer;
  let fake: FakeProvider;
  let server: TestServer;
  beforeAll(async () => {
    env = await startProviderServer();
    ({ fake, server } = env);
  });
  afterAll(() => env.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('passes reasoning effort, penalties, seed and stop through to the request', async () => {
    const threadId = await createThread(server);
    fake.script(textReply('ok'));
    const t = await startedTurn(server, {
      threadId,
      prompt: 'think',
      reasoningEffort: 'HIGH',
      presencePenalty: 0.5,
      frequencyPenalty: -0.25,
      seed: 7,
      stop: ['END'],
    });
    expect((await waitForTurnEnd(server, t.id)).status).toBe('COMPLETED');
    const body = defined(fake.requests[0], 'the first request').body;
    expect(body).toMatchObject({ reasoning_effort: 'high', presence_penalty: 0.5, frequency_penalty: -0.25, seed: 7, stop: ['END'] });
    expect(body.response_format).toBeUndefined();
  });

  it('rejects model options out of range as VALIDATION', async () => {
    const threadId = await createThread(server);
    const cases: [Partial<StartTurnInput>, string][] = [
      [{ presencePenalty: 3 }, 'presencePenalty'],
      [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
      [{ stop: [''] }, 'stop.0'],
    ];
    for (const [input, field] of cases) {
      const r = await startTurn(server, { threadId, prompt: 'x', ...input });
      expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
      expect(narrow(r, 'ValidationError').message).toContain(field);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('sends outputSchema as a json_schema response format and stores the parsed answer', async () => {
    const threadId = await createThread(server);
    fake.script(textReply('{"city": "Paris", "days": 3}'));
    const t = await startedTurn(server, { threadId, prompt: 'plan a trip', outputSchema: SCHEMA });
    const turn = await waitForTurnEnd(server, t.id);
    expect(turn.status).toBe('COMPLETED');
    expect(fake.requests[0]?.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema: SCHEMA } });
    expect(await agentMessage(server, t.id)).toMatchObject({ status: 'COMPLETED', json: { city: 'Paris', days: 3 }, jsonError: null });
  });

  it('an answer that does not match the schema fails the item and the turn with a clear error', async () => {
    const threadId = await createThread(server);
    fake.script(textReply('{"city": "Paris", "days": 0}'));
    const t = await startedTurn(server, { threadId, prompt: 'plan a trip', outputSchema: SCHEMA });
    const turn = await waitForTurnEnd(server, t.id);
    expect(turn.status).toBe('FAILED');
    expect(turn.error).toMatch(/does not match the output schema: answer\/days must be >= 1/);
    expect(await agentMessage(server, t.id)).toMatchObject({ status: 'FAILED', json: null, jsonError: turn.error });

    fake.script(textReply('Sure! Paris for 3 days.'));
    const prose = await startedTurn(server, { threadId, prompt: 'again', outputSchema: SCHEMA });
    const ended = await waitForTurnEnd(server, prose.id);
    expect(ended.status).toBe('FAILED');
    expect(ended.error).toMatch(/the answer is not JSON/);
  });

  it('only the final answer is checked: a tool round before it is not', async () => {
    const threadId = await createThread(server);
    fake.script(
      { kind: 'stream', chunks: [{ content: 'Let me look.' }, { toolCalls: [{ id: 'c1', name: 'list_dir', arguments: '{}' }] }] },
      textReply('{"city": "Rome", "days": 2}'),
    );
    const t = await startedTurn(server, { threadId, prompt: 'plan', outputSchema: SCHEMA });
    const turn = await waitForTurnEnd(server, t.id);
    expect(turn.status).toBe('COMPLETED');
    expect(fake.requests.every((r) => (r.body.response_format as { type: string }).type === 'json_schema')).toBe(true);
    const answers = (await turnState(server, t.id)).items.nodes.filter((n) => n.kind === 'AGENT_MESSAGE');
    expect(answers.map((a) => narrow(a, 'AgentMessageItem').json)).toEqual([null, { city: 'Rome', days: 2 }]);
  });

  it('an outputSchema that is not a JSON Schema is a VALIDATION error', async () => {
    const threadId = await createThread(server);
    for (const outputSchema of [{ type: 'no-such-type' }, 'a string', [1], { properties: 5 }]) {
      const r = await startTurn(server, { threadId, prompt: 'x', outputSchema });
      expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
      expect(narrow(r, 'ValidationError').message).toMatch(/^outputSchema: /);
    }
    expect(fake.requests).toHaveLength(0);
  });
});
