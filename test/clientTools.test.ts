import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_EXPIRED_OUTPUT } from '../src/engine/extraToolRunner.js';
import { textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { subscribe, waitFor, type TestServer } from './support/harness.js';
import { startProviderServer, type ProviderServer } from './support/providerServer.js';
import { print } from 'graphql';
import { codeOf, createThread, mutate, narrow, startTurn, threadEvents, turnState, waitForTurnEnd } from './support/ops.js';
import {
  InterruptTurnDocument,
  PendingClientToolCallsDocument,
  SubmitToolOutputDocument,
  ThreadEventsDocument,
  type ClientToolInput,
  type SubmitToolOutputMutation,
} from '../sdk/generated/graphql.js';
import { defined } from '../src/domain/defined.js';

// Tools the client declares on startTurn and answers itself with submitToolOutput.

const WEATHER = {
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

const submit = (server: TestServer, callId: string, output: string) => mutate(server, SubmitToolOutputDocument, { callId, output });

function weatherCall(args = '{"city":"Oslo"}'): Reply {
  return { kind: 'stream', chunks: [{ toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: args }] }] };
}

async function requestedCall(server: TestServer, threadId: string) {
  const event = await waitFor(
    async () => (await threadEvents(server, threadId)).find((e) => e.name === 'client_tool.requested'),
    5000,
    'client_tool.requested',
  );
  return { ...event, itemId: defined(event.itemId ?? undefined, 'the call item') };
}

describe('client tools', () => {
  let envs: ProviderServer[];
  let fake: FakeProvider;
  let server: TestServer;
  let short: TestServer;
  beforeAll(async () => {
    const main = await startProviderServer();
    const other = await startProviderServer({ runtime: { clientToolTimeoutMs: 300 } }, main.fake);
    envs = [main, other];
    ({ fake, server } = main);
    short = other.server;
  });
  afterAll(async () => {
    await envs[1]?.close();
    await envs[0]?.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('offers the tool, announces the call, waits, and goes on with the output the client submits', async () => {
    const threadId = await createThread(server);
    fake.script(weatherCall(), textReply('It is sunny in Oslo.'));
    const t = await startTurn(server, { threadId, prompt: 'weather?', clientTools: [WEATHER] });
    expect(t.__typename).toBe('StartTurnPayload');
    const event = await requestedCall(server, threadId);
    expect(event.payload).toMatchObject({
      callId: event.itemId,
      toolName: 'get_weather',
      arguments: { city: 'Oslo' },
      expiresAt: expect.any(String),
    });
    expect(fake.requests[0]?.tools).toContainEqual({ type: 'function', function: WEATHER });
    expect((await turnState(server, narrow(t, 'StartTurnPayload').turn.id)).status).toBe('IN_PROGRESS');

    const pending = (await server.sdk.request(PendingClientToolCallsDocument, { threadId })).pendingClientToolCalls;
    expect(pending.map((p) => narrow(p, 'ToolCallItem')).map(({ id, toolName, arguments: args }) => ({ id, toolName, arguments: args }))).toEqual([
      { id: event.itemId, toolName: 'get_weather', arguments: { city: 'Oslo' } },
    ]);

    const r = await submit(server, event.itemId, 'sunny, 21 °C');
    expect(r.__typename).toBe('SubmitToolOutputPayload');
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.find((n) => n.id === event.itemId)).toMatchObject({
      kind: 'TOOL_CALL',
      status: 'COMPLETED',
      output: 'sunny, 21 °C',
    });
    expect(fake.requests[1]?.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_w', content: 'sunny, 21 °C' });

    // Answered once only.
    const again = await submit(server, event.itemId, 'rain');
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const names = (await threadEvents(server, threadId)).map((e) => e.name);
    expect(names.filter((n) => n.startsWith('client_tool.'))).toEqual(['client_tool.requested', 'client_tool.resolved']);
  });

  it('a call never answered expires: the model is told, the item fails, and a late answer is a CONFLICT', async () => {
    const threadId = await createThread(short);
    fake.script(weatherCall(), textReply('I could not get the weather.'));
    const t = await startTurn(short, { threadId, prompt: 'weather?', clientTools: [WEATHER] });
    const event = await requestedCall(short, threadId);
    const turn = await waitForTurnEnd(short, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.find((n) => n.id === event.itemId)).toMatchObject({ status: 'FAILED', output: CLIENT_EXPIRED_OUTPUT });
    expect(fake.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: CLIENT_EXPIRED_OUTPUT });
    const resolved = (await threadEvents(short, threadId)).find((e) => e.name === 'client_tool.resolved');
    expect(resolved?.payload).toEqual({ callId: event.itemId, status: 'EXPIRED' });

    const late = await submit(short, event.itemId, 'too late');
    expect(late).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('a client that reconnects replays the announcement and answers over the new connection', async () => {
    const threadId = await createThread(server);
    fake.script(weatherCall('{"city":"Lima"}'), textReply('Warm in Lima.'));
    const first = server.ws();
    const seen = subscribe(first, ThreadEventsDocument, { threadId, sinceSeq: 0 }, (v) => v.threadEvents.name === 'client_tool.requested');
    const t = await startTurn(server, { threadId, prompt: 'weather?', clientTools: [WEATHER] });
    await seen.done;
    await first.dispose(); // the client goes away before it answers

    const second = server.ws();
    const replay = subscribe(second, ThreadEventsDocument, { threadId, sinceSeq: 0 }, (v) => v.threadEvents.name === 'client_tool.requested');
    const events = await replay.done;
    const callId = events.at(-1)?.threadEvents.itemId;
    // The answer goes over the new WebSocket (graphql-ws runs mutations too).
    const answer = await new Promise<{ data?: SubmitToolOutputMutation | null }>((resolve, reject) =>
      second.subscribe<SubmitToolOutputMutation>(
        { query: print(SubmitToolOutputDocument), variables: { input: { callId, output: 'warm' } } },
        { next: resolve, error: reject, complete: () => undefined },
      ),
    );
    expect(answer.data?.submitToolOutput.__typename).toBe('SubmitToolOutputPayload');
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(fake.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: 'warm' });
  });

  it('arguments that break the declared schema go back to the model without asking the client', async () => {
    const threadId = await createThread(server);
    fake.script(weatherCall('{"town":"Oslo"}'), textReply('ok'));
    const t = await startTurn(server, { threadId, prompt: 'weather?', clientTools: [WEATHER] });
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes[1]).toMatchObject({
      kind: 'TOOL_CALL',
      status: 'FAILED',
      output: expect.stringMatching(/invalid arguments for get_weather: .*city/),
    });
    expect((await threadEvents(server, threadId)).some((e) => e.name === 'client_tool.requested')).toBe(false);
  });

  it('bad declarations and bad answers are typed errors', async () => {
    const threadId = await createThread(server);
    const cases: [ClientToolInput[], RegExp][] = [
      [[{ name: 'read_file' }], /clientTools\.0\.name: read_file is already a tool/],
      [[{ name: 'has space' }], /clientTools\.0\.name: 1 to 64/],
      [[WEATHER, WEATHER], /clientTools\.1\.name: get_weather is declared twice/],
      [[{ name: 'x', parameters: { type: 'nope' } }], /clientTools\.0\.parameters: not a valid JSON Schema/],
    ];
    for (const [clientTools, message] of cases) {
      const r = await startTurn(server, { threadId, prompt: 'x', clientTools });
      expect(r.__typename).toBe('ValidationError');
      expect(narrow(r, 'ValidationError').message).toMatch(message);
    }
    expect(codeOf(await submit(server, 'item_01JAAAAAAAAAAAAAAAAAAAAAAA', 'x'))).toBe('NOT_FOUND');
    expect(codeOf(await submit(server, 'nope', 'x'))).toBe('VALIDATION');
    fake.script(textReply('hi'));
    const t = await startTurn(server, { threadId, prompt: 'hello' });
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    const notATool = await submit(server, turn.items.nodes[0]!.id, 'x');
    expect(notATool).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/not a client tool call/) });
  });

  it('interrupting a turn that waits for the client ends it', async () => {
    const threadId = await createThread(server);
    fake.script(weatherCall());
    const t = await startTurn(server, { threadId, prompt: 'weather?', clientTools: [WEATHER] });
    const event = await requestedCall(server, threadId);
    narrow(await mutate(server, InterruptTurnDocument, { turnId: narrow(t, 'StartTurnPayload').turn.id }), 'InterruptTurnPayload');
    const turn = await waitForTurnEnd(server, narrow(t, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('INTERRUPTED');
    expect(codeOf(await submit(server, event.itemId, 'x'))).toBe('CONFLICT');
  });
});
