import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { COMPACTION_REQUEST } from '../src/engine/openaiEngine.js';
import { SUMMARY_PREFIX } from '../src/engine/conversation.js';
import { countConversationTokens } from '../src/engine/compaction.js';
import { textReply, type FakeProvider } from './support/fakeProvider.js';
import type { TestServer } from './support/harness.js';
import { startProviderServer, type ProviderServer } from './support/providerServer.js';
import { createThread, narrow, startTurn, startedTurn, waitForTurnEnd } from './support/ops.js';

// Automatic compaction before a model call when the conversation reaches the model's threshold.

const THRESHOLD = 300;
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('automatic compaction', () => {
  let env: ProviderServer;
  let fake: FakeProvider;
  let server: TestServer;
  beforeAll(async () => {
    env = await startProviderServer({
      runtime: { modelLimits: [{ pattern: 'tiny-model', match: 'exact', contextWindow: 4000, compactAtTokens: THRESHOLD }] },
    });
    ({ fake, server } = env);
  });
  afterAll(() => env.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('counts tokens with the tokenizer', async () => {
    const short = await countConversationTokens([{ role: 'user', content: 'hello world' }]);
    const long = await countConversationTokens([{ role: 'user', content: words(100) }]);
    expect(short).toBeGreaterThan(2);
    expect(short).toBeLessThan(10);
    expect(long).toBeGreaterThan(100);
    // A huge piece without spaces is counted in pieces, and counting stops at the limit asked for.
    const huge = await countConversationTokens([{ role: 'user', content: 'x'.repeat(5_000_000) }], 10_000);
    expect(huge).toBeGreaterThanOrEqual(10_000);
    expect(huge).toBeLessThan(20_000);
  });

  it('a conversation already past the window is not compacted (the model could not read it to summarise it)', async () => {
    const threadId = await createThread(server, { model: 'tiny-model' });
    fake.script(textReply('too long'));
    const t = await startedTurn(server, { threadId, prompt: words(3000) });
    await waitForTurnEnd(server, t.id);
    expect(fake.requests).toHaveLength(1);
  });

  it('under the threshold nothing is compacted; at it, the runtime compacts first and records the item', async () => {
    const threadId = await createThread(server, { model: 'tiny-model' });
    fake.script(textReply('short answer'));
    const first = await startTurn(server, { threadId, prompt: 'a short question' });
    await waitForTurnEnd(server, narrow(first, 'StartTurnPayload').turn.id);
    expect(fake.requests).toHaveLength(1);

    fake.script(textReply('SUMMARY: asked a short question and a long one.'), textReply('answer after compaction'));
    const long = await startTurn(server, { threadId, prompt: words(300) });
    const turn = await waitForTurnEnd(server, narrow(long, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(fake.requests).toHaveLength(3);
    const summaryCall = fake.requests[1];
    expect(summaryCall?.messages.at(-1)).toEqual({ role: 'user', content: COMPACTION_REQUEST });
    expect(summaryCall?.tools).toBeUndefined();
    expect(fake.requests[2]?.messages).toEqual([{ role: 'user', content: SUMMARY_PREFIX + 'SUMMARY: asked a short question and a long one.' }]);

    const kinds = turn.items.nodes.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(['USER_MESSAGE', 'CONTEXT_COMPACTION', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[1]).toMatchObject({
      status: 'COMPLETED',
      text: 'SUMMARY: asked a short question and a long one.',
      reason: expect.stringMatching(/^Automatic: the conversation reached \d+ tokens \(threshold 300 of the 4000-token context of tiny-model\)$/),
    });

    // The next turn's conversation is rebuilt from the summary on.
    fake.script(textReply('third'));
    const third = await startTurn(server, { threadId, prompt: 'and then?' });
    await waitForTurnEnd(server, narrow(third, 'StartTurnPayload').turn.id);
    expect(fake.requests[3]?.messages).toEqual([
      { role: 'user', content: SUMMARY_PREFIX + 'SUMMARY: asked a short question and a long one.' },
      { role: 'assistant', content: 'answer after compaction' },
      { role: 'user', content: 'and then?' },
    ]);
  });

  it('a long tool result inside a turn is compacted before the next model call, and the turn goes on', async () => {
    const threadId = await createThread(server, { model: 'tiny-model' });
    await writeFile(path.join(server.workspace, 'big.txt'), words(400));
    fake.script(
      { kind: 'stream', chunks: [{ toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"big.txt"}' }] }] },
      textReply('the file lists many words'),
      textReply('done reading'),
    );
    const t = await startedTurn(server, { threadId, prompt: 'read big.txt' });
    const turn = await waitForTurnEnd(server, t.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.items.nodes.map((n: { kind: string }) => n.kind)).toEqual(['USER_MESSAGE', 'TOOL_CALL', 'CONTEXT_COMPACTION', 'AGENT_MESSAGE']);
    expect(fake.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: COMPACTION_REQUEST });
    expect(fake.requests[2]?.messages).toEqual([{ role: 'user', content: SUMMARY_PREFIX + 'the file lists many words' }]);
  });

  it('a model with no known window and no configured threshold is never compacted', async () => {
    const threadId = await createThread(server, { model: 'unknown-model' });
    fake.script(textReply('fine'));
    const t = await startedTurn(server, { threadId, prompt: words(600) });
    await waitForTurnEnd(server, t.id);
    expect(fake.requests).toHaveLength(1);
  });
});
