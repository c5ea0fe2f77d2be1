import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, textReply, type FakeProvider } from './support/fakeProvider.js';
import { removeDir, tempDir, waitFor } from './support/harness.js';
import { createThread, eventsNamed, narrow, startedTurn, threadEvents, turnState } from './support/ops.js';
import { spawnServer, spawnServerExpectingFailure, type ServerProcess } from './support/process.js';
import { RuntimeInfoDocument } from '../sdk/generated/graphql.js';

// A real server process killed with SIGKILL in the middle of a streaming turn, then restarted on its data.
describe('kill -9 mid-turn, then restart on the same data directory', () => {
  let fake: FakeProvider;
  let dataDir: string;
  let args: string[];
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    fake = await startFakeProvider();
    dataDir = await tempDir();
    args = ['--data-dir', dataDir, '--engine', 'openai', '--base-url', fake.baseURL, '--api-key', 'test', '--workspace', dataDir];
  });
  afterAll(async () => {
    await server?.kill();
    await fake.close();
    await removeDir(dataDir);
  });

  it('recovers: the turn is INTERRUPTED with its streamed text, seq has no gap, queued turns run, new turns work', async () => {
    server = await spawnServer(args);
    const threadId = await createThread(server);
    fake.script({
      kind: 'stream',
      chunks: [{ content: 'partial ' }, ...Array.from({ length: 400 }, (_, i) => ({ content: `w${i} `, delayMs: 25 }))],
    });
    const turnId = (await startedTurn(server, { threadId, prompt: 'stream a lot' })).id;
    const queuedId = (await startedTurn(server, { threadId, prompt: 'run me after', delivery: 'QUEUE' })).id;
    await waitFor(async () => eventsNamed(await threadEvents(server!, threadId), 'item.delta').length >= 5, 10_000, 'deltas');
    const seenBeforeKill = await threadEvents(server, threadId);

    await server.kill('SIGKILL');
    fake.script(textReply('the queued turn ran'));
    server = await spawnServer(args);

    const turn = await turnState(server, turnId);
    expect(turn.status).toBe('INTERRUPTED');
    expect(turn.error).toBe('Interrupted by process restart');
    const events = await threadEvents(server, threadId);
    // Nothing acknowledged before the kill is missing.
    expect(events.slice(0, seenBeforeKill.length)).toEqual(seenBeforeKill);
    // One thread only, so its seqs are the global ones: 1..N without a gap.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const agent = narrow(
      turn.items.nodes.find((i) => i.kind === 'AGENT_MESSAGE'),
      'AgentMessageItem',
    );
    expect(agent.status).toBe('INTERRUPTED');
    const streamed = eventsNamed(events, 'item.delta')
      .filter((e) => e.itemId === agent.id)
      .map((e) => e.payload.delta)
      .join('');
    expect(agent.text).toBe(streamed);
    expect(agent.text.startsWith('partial ')).toBe(true);
    expect(eventsNamed(events, 'turn.completed').some((e) => e.payload.status === 'INTERRUPTED')).toBe(true);

    // The queued turn survived and ran.
    const queued = await waitFor(
      async () => {
        const t = await turnState(server!, queuedId);
        return t.status === 'COMPLETED' ? t : null;
      },
      10_000,
      'the queued turn',
    );
    expect(narrow(queued.items.nodes.at(-1), 'AgentMessageItem').text).toBe('the queued turn ran');

    fake.script(textReply('still works'));
    const next = (await startedTurn(server, { threadId, prompt: 'hello again' })).id;
    await waitFor(async () => (await turnState(server!, next)).status === 'COMPLETED', 10_000, 'a new turn');
  });

  it('a second server on the same data directory refuses to start, naming the directory', async () => {
    server ??= await spawnServer(args);
    const second = await spawnServerExpectingFailure(args);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('in use by another process');
    expect(second.stderr).toContain(dataDir);
  });

  it('SIGTERM stops cleanly with exit code 0 and closes the store', async () => {
    server ??= await spawnServer(args);
    expect(await server.kill('SIGTERM')).toBe(0);
    // The store was closed: a new server opens it at once.
    server = await spawnServer(args);
    expect((await server.sdk.request(RuntimeInfoDocument)).runtimeInfo.latestSeq).toBeGreaterThan(0);
  });
});
