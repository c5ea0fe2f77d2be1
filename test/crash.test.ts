import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, textReply, type FakeProvider } from './support/fakeProvider.js';
import { removeDir, tempDir, waitFor } from './support/harness.js';
import { spawnServer, spawnServerExpectingFailure, type ServerProcess } from './support/process.js';

const CREATE = `mutation { createThread(input: {}) { ... on CreateThreadPayload { thread { id } } } }`;
const START = `mutation($t: ID!, $p: String!, $d: TurnDelivery) { startTurn(input: { threadId: $t, prompt: $p, delivery: $d }) { ... on StartTurnPayload { turn { id } } ... on UserError { code } } }`;
const TURN = `query($id: ID!) { turn(id: $id) { status error items { nodes { id kind status ... on AgentMessageItem { text } } } } }`;
const EVENTS = `query($t: ID!) { events(threadId: $t, limit: 5000) { seq name itemId payload } }`;

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
    const threadId = (await server.gql(CREATE)).data.createThread.thread.id;
    fake.script({
      kind: 'stream',
      chunks: [{ content: 'partial ' }, ...Array.from({ length: 400 }, (_, i) => ({ content: `w${i} `, delayMs: 25 }))],
    });
    const turnId = (await server.gql(START, { t: threadId, p: 'stream a lot' })).data.startTurn.turn.id;
    const queuedId = (await server.gql(START, { t: threadId, p: 'run me after', d: 'QUEUE' })).data.startTurn.turn.id;
    await waitFor(
      async () => (await server!.gql(EVENTS, { t: threadId })).data.events.filter((e: any) => e.name === 'item.delta').length >= 5,
      10_000,
      'deltas',
    );
    const seenBeforeKill = (await server.gql(EVENTS, { t: threadId })).data.events;

    await server.kill('SIGKILL');
    fake.script(textReply('the queued turn ran'));
    server = await spawnServer(args);

    const turn = (await server.gql(TURN, { id: turnId })).data.turn;
    expect(turn.status).toBe('INTERRUPTED');
    expect(turn.error).toBe('Interrupted by process restart');
    const events = (await server.gql(EVENTS, { t: threadId })).data.events;
    // Nothing acknowledged before the kill is missing.
    expect(events.slice(0, seenBeforeKill.length)).toEqual(seenBeforeKill);
    // One thread only, so its seqs are the global ones: 1..N without a gap.
    expect(events.map((e: any) => e.seq)).toEqual(events.map((_: unknown, i: number) => i + 1));
    const agent = turn.items.nodes.find((i: any) => i.kind === 'AGENT_MESSAGE');
    expect(agent.status).toBe('INTERRUPTED');
    const streamed = events
      .filter((e: any) => e.name === 'item.delta' && e.itemId === agent.id)
      .map((e: any) => e.payload.delta)
      .join('');
    expect(agent.text).toBe(streamed);
    expect(agent.text.startsWith('partial ')).toBe(true);
    expect(events.some((e: any) => e.name === 'turn.completed' && e.payload.status === 'INTERRUPTED')).toBe(true);

    // The queued turn survived and ran.
    const queued = await waitFor(
      async () => {
        const t = (await server!.gql(TURN, { id: queuedId })).data.turn;
        return t.status === 'COMPLETED' ? t : null;
      },
      10_000,
      'the queued turn',
    );
    expect(queued.items.nodes.at(-1).text).toBe('the queued turn ran');

    fake.script(textReply('still works'));
    const next = (await server.gql(START, { t: threadId, p: 'hello again' })).data.startTurn.turn.id;
    await waitFor(async () => (await server!.gql(TURN, { id: next })).data.turn.status === 'COMPLETED', 10_000, 'a new turn');
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
    expect((await server.gql(`{ runtimeInfo { latestSeq } }`)).data.runtimeInfo.latestSeq).toBeGreaterThan(0);
  });
});
