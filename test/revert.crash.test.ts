import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, textReply, type FakeProvider } from './support/fakeProvider.js';
import { removeDir, tempDir, waitFor } from './support/harness.js';
import { spawnServer, type ServerProcess } from './support/process.js';

// A real server process killed with SIGKILL in the middle of revertThread (at each point where the store and
// the workspace disagree), then restarted on the same data: the revert is all there or not at all.

const CREATE = `mutation { createThread(input: { autoApprove: true }) { ... on CreateThreadPayload { thread { id } } } }`;
const START = `mutation($t: ID!, $p: String!) { startTurn(input: { threadId: $t, prompt: $p }) { ... on StartTurnPayload { turn { id } } } }`;
const TURN = `query($id: ID!) { turn(id: $id) { id status } }`;
const REVERT = `mutation($t: ID!, $b: ID!) { revertThread(input: { threadId: $t, beforeTurnId: $b }) { __typename } }`;
const THREAD = `query($t: ID!) { thread(id: $t) { turns { totalCount } } events(threadId: $t, limit: 5000) { seq name payload } }`;

describe('kill -9 in the middle of revertThread', () => {
  let fake: FakeProvider;
  let dataDir: string;
  let workspace: string;
  let server: ServerProcess | null = null;
  let calls = 0;

  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(async () => {
    await server?.kill();
    await fake.close();
  });

  async function runTurn(threadId: string, prompt: string, file: string, content: string) {
    fake.script(
      { kind: 'stream', chunks: [{ toolCalls: [{ id: `c${++calls}`, name: 'write_file', arguments: JSON.stringify({ path: file, content }) }] }] },
      textReply('ok'),
    );
    const id = (await server!.gql(START, { t: threadId, p: prompt })).data.startTurn.turn.id;
    await waitFor(async () => (await server!.gql(TURN, { id })).data.turn.status === 'COMPLETED', 15_000, 'the turn');
    return id as string;
  }

  for (const point of ['revert.intent', 'revert.files']) {
    it(`killed at ${point}: after the restart the turns are gone and the files restored, announced once, seq gapless`, async () => {
      dataDir = await tempDir();
      workspace = await tempDir('zagens-ws-');
      try {
        const args = ['--data-dir', dataDir, '--workspace', workspace, '--engine', 'openai', '--base-url', fake.baseURL, '--api-key', 'test'];
        await writeFile(path.join(workspace, 'kept.txt'), 'original\n');
        server = await spawnServer(args, { ZAGENS_CRASH_AT: point });
        const threadId = (await server.gql(CREATE)).data.createThread.thread.id;
        const first = await runTurn(threadId, 'one', 'kept.txt', 'changed by the agent\n');
        await runTurn(threadId, 'two', 'new.txt', 'created\n');

        await expect(server.gql(REVERT, { t: threadId, b: first })).rejects.toThrow();
        expect(await server.kill()).not.toBe(0);

        server = await spawnServer(args);
        const { thread, events } = (await server.gql(THREAD, { t: threadId })).data;
        expect(thread.turns.totalCount).toBe(0);
        expect(await readFile(path.join(workspace, 'kept.txt'), 'utf8')).toBe('original\n');
        expect(existsSync(path.join(workspace, 'new.txt'))).toBe(false);
        const reverted = events.filter((e: any) => e.name === 'thread.reverted');
        expect(reverted).toHaveLength(1);
        expect(reverted[0].payload).toMatchObject({ beforeTurnId: first, recovered: true });
        expect(events.map((e: any) => e.seq)).toEqual(events.map((_: unknown, i: number) => i + 1));

        // The thread works on.
        await runTurn(threadId, 'three', 'after.txt', 'fine\n');
        expect(await server.kill('SIGTERM')).toBe(0);
        server = null;
      } finally {
        await removeDir(dataDir);
        await removeDir(workspace);
      }
    }, 120_000);
  }
});
