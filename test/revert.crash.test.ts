import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, textReply, type FakeProvider } from './support/fakeProvider.js';
import { removeDir, tempDir, waitFor } from './support/harness.js';
import { createThread, eventsNamed, mutate, startedTurn, threadEvents, turnCount, turnState } from './support/ops.js';
import { spawnServer, type ServerProcess } from './support/process.js';
import { RevertThreadDocument } from '../sdk/generated/graphql.js';

// A real server process killed with SIGKILL in the middle of revertThread (at each point where the store and
// the workspace disagree), then restarted on the same data: the revert is all there or not at all.

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
    const { id } = await startedTurn(server!, { threadId, prompt });
    await waitFor(async () => (await turnState(server!, id)).status === 'COMPLETED', 15_000, 'the turn');
    return id;
  }

  for (const point of ['revert.intent', 'revert.files']) {
    it(`killed at ${point}: after the restart the turns are gone and the files restored, announced once, seq gapless`, async () => {
      dataDir = await tempDir();
      workspace = await tempDir('zagens-ws-');
      try {
        const args = ['--data-dir', dataDir, '--workspace', workspace, '--engine', 'openai', '--base-url', fake.baseURL, '--api-key', 'test'];
        await writeFile(path.join(workspace, 'kept.txt'), 'original\n');
        server = await spawnServer(args, { ZAGENS_CRASH_AT: point });
        const threadId = await createThread(server, { autoApprove: true });
        const first = await runTurn(threadId, 'one', 'kept.txt', 'changed by the agent\n');
        await runTurn(threadId, 'two', 'new.txt', 'created\n');

        await expect(mutate(server, RevertThreadDocument, { threadId, beforeTurnId: first })).rejects.toThrow();
        expect(await server.kill()).not.toBe(0);

        server = await spawnServer(args);
        const events = await threadEvents(server, threadId);
        expect(await turnCount(server, threadId)).toBe(0);
        expect(await readFile(path.join(workspace, 'kept.txt'), 'utf8')).toBe('original\n');
        expect(existsSync(path.join(workspace, 'new.txt'))).toBe(false);
        const reverted = eventsNamed(events, 'thread.reverted');
        expect(reverted).toHaveLength(1);
        expect(reverted[0]?.payload).toMatchObject({ beforeTurnId: first, recovered: true });
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));

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
