/**
 * Workspace snapshots are taken only by turns that may change files: the "before" snapshot when the first tool
 * call starts (before it runs), none at all for a turn that only answers. Reverting and diffs behave as if every
 * turn had been snapshotted.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProvider, textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { startProviderServer, type ProviderServer } from './support/providerServer.js';
import { createThread, mutate, narrow, startTurn, turnDiff, waitForTurnEnd } from './support/ops.js';
import { RevertThreadDocument } from '../sdk/generated/graphql.js';

let fake: FakeProvider;
let running: ProviderServer;

beforeEach(async () => {
  fake = await startFakeProvider();
  running = await startProviderServer({}, fake);
});
afterEach(async () => {
  await running.close();
  await fake.close();
});

let calls = 0;
const writeFileCall = (file: string, content: string): Reply => ({
  kind: 'stream',
  chunks: [{ toolCalls: [{ id: `call_${++calls}`, name: 'write_file', arguments: JSON.stringify({ path: file, content }) }] }],
});

async function runTurn(threadId: string, prompt: string, ...replies: Reply[]): Promise<string> {
  fake.script(...replies, textReply(`done: ${prompt}`));
  const started = await startTurn(running.server, { threadId, prompt });
  expect(started.__typename, JSON.stringify(started)).toBe('StartTurnPayload');
  const turn = await waitForTurnEnd(running.server, narrow(started, 'StartTurnPayload').turn.id);
  expect(turn.status, JSON.stringify(turn)).toBe('COMPLETED');
  return turn.id as string;
}

/** revertThread: the payload's removed turns and restored files, or the typed error. */
async function revert(threadId: string, beforeTurnId: string) {
  const result = await mutate(running.server, RevertThreadDocument, { threadId, beforeTurnId });
  return result.__typename === 'RevertThreadPayload'
    ? { __typename: result.__typename, removedTurnIds: result.removedTurnIds, restoredFiles: result.restoredFiles }
    : result;
}

/** Objects in the thread's private snapshot store (git), 0 when it was never created. */
async function snapshotObjects(threadId: string): Promise<number> {
  const objects = path.join(running.server.dataDir, 'snapshots', `${threadId}.git`, 'objects');
  if (!existsSync(objects)) return 0;
  return (await readdir(objects)).filter((d) => /^[0-9a-f]{2}$/.test(d)).length;
}

describe('lazy workspace snapshots', () => {
  it('a turn that only answers takes no snapshot, has an empty diff, and reverting it changes no file', async () => {
    const ws = running.server.workspace;
    await writeFile(path.join(ws, 'mine.txt'), 'mine\n');
    const threadId = await createThread(running.server, { autoApprove: true });
    const quiet = await runTurn(threadId, 'just talk');
    expect(await snapshotObjects(threadId)).toBe(0);
    expect(await turnDiff(running.server, quiet)).toEqual({ diff: '', changedFiles: [] });
    // A file changed by a person after the turn is not the turn's: reverting leaves it.
    await writeFile(path.join(ws, 'mine.txt'), 'edited later\n');
    const reverted = await revert(threadId, quiet);
    expect(reverted).toEqual({ __typename: 'RevertThreadPayload', removedTurnIds: [quiet], restoredFiles: [] });
    expect(await readFile(path.join(ws, 'mine.txt'), 'utf8')).toBe('edited later\n');
  });

  it('reverting to before a text-only turn undoes the files of the tool turns after it', async () => {
    const ws = running.server.workspace;
    const threadId = await createThread(running.server, { autoApprove: true });
    const quiet = await runTurn(threadId, 'plan first');
    const edit = await runTurn(threadId, 'now edit', writeFileCall('made.txt', 'by the agent\n'));
    expect(await snapshotObjects(threadId)).toBeGreaterThan(0);
    expect((await turnDiff(running.server, edit)).changedFiles?.map(({ path, change }) => ({ path, change }))).toEqual([
      { path: 'made.txt', change: 'ADDED' },
    ]);
    const reverted = await revert(threadId, quiet);
    expect(reverted).toMatchObject({ __typename: 'RevertThreadPayload', removedTurnIds: [quiet, edit], restoredFiles: ['made.txt'] });
    expect(existsSync(path.join(ws, 'made.txt'))).toBe(false);
  });
});
