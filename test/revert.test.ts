import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import type { RuntimeConfig } from '../src/runtime/config.js';
import { startFakeProvider, textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { removeDir, startTestServer, type TestServer } from './support/harness.js';
import { createThread, mutate, narrow, startTurn, threadEvents, threadState, turnCount, turnDiff, waitForTurnEnd } from './support/ops.js';
import { RevertThreadDocument, TurnDocument } from '../sdk/generated/graphql.js';

// Workspace snapshots around turns (git plumbing into a private store), revertThread, Turn.diff and
// Turn.changedFiles, against a real server whose "model" (the fake provider) calls real tools.

let fake: FakeProvider;
let server: TestServer;

async function start(runtime: Partial<RuntimeConfig> = {}) {
  server = await startTestServer({ engine: new OpenAIEngine({ baseURL: fake.baseURL, apiKey: 'test', retryBaseMs: 10 }), runtime });
}

beforeEach(async () => {
  fake = await startFakeProvider();
  await start();
});

afterEach(async () => {
  await server.close();
  await fake.close();
  await removeDir(server.workspace);
  await removeDir(server.dataDir);
});

let calls = 0;
const tool = (name: string, args: unknown): Reply => ({
  kind: 'stream',
  chunks: [{ toolCalls: [{ id: `call_${++calls}`, name, arguments: JSON.stringify(args) }] }],
});

async function runTurn(threadId: string, prompt: string, ...replies: Reply[]) {
  fake.script(...replies, textReply(`done: ${prompt}`));
  const started = await startTurn(server, { threadId, prompt });
  expect(started.__typename, JSON.stringify(started)).toBe('StartTurnPayload');
  const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
  expect(turn.status, JSON.stringify(turn)).toBe('COMPLETED');
  return turn.id as string;
}

const revert = (threadId: string, beforeTurnId: string, force?: boolean) => mutate(server, RevertThreadDocument, { threadId, beforeTurnId, force });

/** The thread after a revert: how many turns it has and its latest one. */
async function turnsLeft(threadId: string) {
  return { turnCount: await turnCount(server, threadId), latestTurn: (await threadState(server, threadId)).latestTurn };
}

/** Every file under the workspace (but a user's .git) with its bytes, as a comparable map. */
async function tree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.name === '.git') continue;
    if (entry.isDirectory()) Object.assign(out, await tree(dir, rel));
    else out[rel] = (await readFile(path.join(dir, rel))).toString('base64');
  }
  return out;
}

// GIT_OPTIONAL_LOCKS=0: the test's own `git status` must not refresh the index it compares.
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@e', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });

describe('revertThread', () => {
  it("undoes file writes, patches and shell commands byte for byte, and the turns; the user's own git repository is untouched", async () => {
    const ws = server.workspace;
    await writeFile(path.join(ws, 'a.txt'), 'alpha\nbeta\n');
    await writeFile(path.join(ws, 'logo.bin'), Buffer.from([0, 1, 2, 255, 0, 7]));
    await writeFile(path.join(ws, 'doomed.txt'), 'delete me\n');
    await mkdir(path.join(ws, 'src'));
    await writeFile(path.join(ws, 'src', 'keep.ts'), 'export const x = 1;\n');
    git(ws, 'init', '-q');
    git(ws, 'add', 'a.txt');
    git(ws, 'commit', '-qm', 'user commit');
    const userGit = {
      head: git(ws, 'rev-parse', 'HEAD'),
      status: git(ws, 'status', '--porcelain'),
      index: await readFile(path.join(ws, '.git', 'index')),
    };
    const before = await tree(ws);

    const threadId = await createThread(server, { autoApprove: true, allowShell: true });
    const first = await runTurn(
      threadId,
      'change things',
      tool('write_file', { path: 'a.txt', content: 'ALPHA\n' }),
      tool('apply_patch', { patch: '--- a/doomed.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-delete me\n' }),
      tool('shell', { command: 'mv logo.bin logo2.bin && mkdir -p gen && echo made > gen/made.txt' }),
    );
    await runTurn(threadId, 'more', tool('write_file', { path: 'src/new.ts', content: 'export const y = 2;\n' }));
    expect(existsSync(path.join(ws, 'doomed.txt'))).toBe(false);
    expect(existsSync(path.join(ws, 'gen', 'made.txt'))).toBe(true);
    // The snapshots never touch the user's repository.
    expect(await readFile(path.join(ws, '.git', 'index'))).toEqual(userGit.index);

    const reply = await revert(threadId, first);
    expect(reply.__typename, JSON.stringify(reply)).toBe('RevertThreadPayload');
    const result = narrow(reply, 'RevertThreadPayload');
    expect(result.removedTurnIds).toHaveLength(2);
    expect(result.removedTurnIds[0]).toBe(first);
    expect(result.thread.id).toBe(threadId);
    expect(await turnsLeft(threadId)).toEqual({ turnCount: 0, latestTurn: null });
    expect([...result.restoredFiles].sort()).toEqual(['a.txt', 'doomed.txt', 'gen/made.txt', 'logo.bin', 'logo2.bin', 'src/new.ts']);

    expect(await tree(ws)).toEqual(before);
    expect(existsSync(path.join(ws, 'gen'))).toBe(false);
    expect(git(ws, 'rev-parse', 'HEAD')).toBe(userGit.head);
    expect(git(ws, 'status', '--porcelain')).toBe(userGit.status);
    expect(await readFile(path.join(ws, '.git', 'index'))).toEqual(userGit.index);

    // Events announce it; the removed turns are gone; the next turn's conversation does not have them.
    const events = await threadEvents(server, threadId);
    const reverted = events.find((e) => e.name === 'thread.reverted')!;
    expect(reverted.payload).toMatchObject({ beforeTurnId: first, removedTurnIds: result.removedTurnIds, forced: false, recovered: false });
    expect((await server.sdk.request(TurnDocument, { id: first })).turn).toBeNull();
    const requestsBefore = fake.requests.length;
    await runTurn(threadId, 'fresh start');
    expect(JSON.stringify(fake.requests[requestsBefore]?.messages)).not.toContain('change things');
  });

  it('reverts to before a later turn, keeping the earlier one and its files', async () => {
    const threadId = await createThread(server, { autoApprove: true });
    const one = await runTurn(threadId, 'one', tool('write_file', { path: 'one.txt', content: '1\n' }));
    const two = await runTurn(
      threadId,
      'two',
      tool('write_file', { path: 'one.txt', content: 'one\n' }),
      tool('write_file', { path: 'two.txt', content: '2\n' }),
    );
    const result = await revert(threadId, two);
    expect(result).toMatchObject({ __typename: 'RevertThreadPayload', removedTurnIds: [two], thread: { id: threadId } });
    expect(await turnsLeft(threadId)).toMatchObject({ turnCount: 1, latestTurn: { id: one } });
    expect(await readFile(path.join(server.workspace, 'one.txt'), 'utf8')).toBe('1\n');
    expect(existsSync(path.join(server.workspace, 'two.txt'))).toBe(false);
  });

  it('answers CONFLICT listing files changed outside the agent, changes nothing; force overrides', async () => {
    const ws = server.workspace;
    await writeFile(path.join(ws, 'shared.txt'), 'v1\n');
    const threadId = await createThread(server, { autoApprove: true });
    const first = await runTurn(threadId, 'edit', tool('write_file', { path: 'shared.txt', content: 'agent\n' }));
    // A person edits between the two turns and after the last one.
    await writeFile(path.join(ws, 'between.txt'), 'mine\n');
    await runTurn(threadId, 'again', tool('write_file', { path: 'other.txt', content: 'agent\n' }));
    await writeFile(path.join(ws, 'shared.txt'), 'human edit\n');
    const snapshotOfNow = await tree(ws);

    const refused = await revert(threadId, first);
    expect(refused).toMatchObject({ __typename: 'WorkspaceConflictError', code: 'CONFLICT', files: ['between.txt', 'shared.txt'] });
    expect(narrow(refused, 'WorkspaceConflictError').message).toMatch(/force/);
    expect(await tree(ws)).toEqual(snapshotOfNow);
    expect(await turnCount(server, threadId)).toBe(2);
    expect((await threadEvents(server, threadId)).some((e) => e.name === 'thread.reverted')).toBe(false);

    const forced = await revert(threadId, first, true);
    expect(forced.__typename).toBe('RevertThreadPayload');
    expect(await readFile(path.join(ws, 'shared.txt'), 'utf8')).toBe('v1\n');
    expect(existsSync(path.join(ws, 'between.txt'))).toBe(false);
    expect(existsSync(path.join(ws, 'other.txt'))).toBe(false);
    const event = (await threadEvents(server, threadId)).find((e) => e.name === 'thread.reverted')!;
    expect(event.payload).toMatchObject({ forced: true, overwritten: ['between.txt', 'shared.txt'] });
  });

  it('answers typed errors for bad ids, unknown turns and a turn of another thread', async () => {
    const threadId = await createThread(server, { autoApprove: true });
    const other = await createThread(server, { autoApprove: true });
    const turn = await runTurn(other, 'x');
    expect(await revert(threadId, 'nope')).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    expect(await revert(threadId, turn)).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await revert('thr_01HZZZZZZZZZZZZZZZZZZZZZZZ', turn)).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('leaves files over the size limit alone (documented) and ignored files untouched', async () => {
    await server.close();
    await start({ snapshotMaxFileBytes: 1000 });
    const ws = server.workspace;
    await writeFile(path.join(ws, '.gitignore'), 'build/\n');
    await mkdir(path.join(ws, 'build'));
    await writeFile(path.join(ws, 'build', 'out.js'), 'old build\n');
    const threadId = await createThread(server, { autoApprove: true, allowShell: true });
    const first = await runTurn(
      threadId,
      'big',
      tool('shell', { command: `head -c 5000 /dev/zero > big.dat && echo new build > build/out.js && echo small > small.txt` }),
    );
    expect((await revert(threadId, first)).__typename).toBe('RevertThreadPayload');
    expect(existsSync(path.join(ws, 'small.txt'))).toBe(false);
    expect(existsSync(path.join(ws, 'big.dat'))).toBe(true);
    expect(await readFile(path.join(ws, 'build', 'out.js'), 'utf8')).toBe('new build\n');
  });
});

describe('Turn.diff and Turn.changedFiles', () => {
  it('give the unified diff with renames and binary files, and the list of changed files', async () => {
    const ws = server.workspace;
    await writeFile(path.join(ws, 'readme.md'), 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    await writeFile(path.join(ws, 'image.png'), Buffer.from([137, 80, 78, 71, 0, 0, 1, 2, 3]));
    await writeFile(path.join(ws, 'old-name.txt'), 'same content that is long enough to be a rename\nsecond line\n');
    await writeFile(path.join(ws, 'gone.txt'), 'bye\n');
    const threadId = await createThread(server, { autoApprove: true, allowShell: true });
    const turnId = await runTurn(
      threadId,
      'diff me',
      tool('apply_patch', { patch: '--- a/readme.md\n+++ b/readme.md\n@@ -1,5 +1,5 @@\n line 1\n-line 2\n+LINE TWO\n line 3\n line 4\n line 5\n' }),
      tool('shell', {
        command: "printf '\\x89PNG\\x00\\x00\\x09' > image.png && mv old-name.txt new-name.txt && rm gone.txt && echo hi > added.txt",
      }),
    );
    const turn = await turnDiff(server, turnId);
    expect(turn.changedFiles).toEqual([
      { path: 'added.txt', oldPath: null, change: 'ADDED', binary: false, additions: 1, deletions: 0 },
      { path: 'gone.txt', oldPath: null, change: 'DELETED', binary: false, additions: 0, deletions: 1 },
      { path: 'image.png', oldPath: null, change: 'MODIFIED', binary: true, additions: null, deletions: null },
      { path: 'new-name.txt', oldPath: 'old-name.txt', change: 'RENAMED', binary: false, additions: 0, deletions: 0 },
      { path: 'readme.md', oldPath: null, change: 'MODIFIED', binary: false, additions: 1, deletions: 1 },
    ]);
    expect(turn.diff).toContain('diff --git a/readme.md b/readme.md\n');
    expect(turn.diff).toContain('-line 2\n+LINE TWO\n');
    expect(turn.diff).toContain('Binary files a/image.png and b/image.png differ\n');
    expect(turn.diff).toContain('rename from old-name.txt\nrename to new-name.txt\n');
    expect(turn.diff).toContain('deleted file mode 100644\n');
    expect(turn.diff).toContain('+++ b/added.txt\n@@ -0,0 +1 @@\n+hi\n');

    // A turn that changed nothing has an empty diff; the offline engine's turns have none at all.
    const quiet = await runTurn(threadId, 'nothing');
    expect(await turnDiff(server, quiet)).toEqual({ diff: '', changedFiles: [] });
  });

  it('are null for turns of an engine that never writes files (offline), and revert still removes the turns', async () => {
    await server.close();
    server = await startTestServer();
    await rm(path.join(server.workspace, 'x'), { force: true });
    const threadId = await createThread(server);
    const started = await startTurn(server, { threadId, prompt: 'hello' });
    await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
    expect(await turnDiff(server, narrow(started, 'StartTurnPayload').turn.id)).toEqual({ diff: null, changedFiles: null });
    expect(await revert(threadId, narrow(started, 'StartTurnPayload').turn.id)).toMatchObject({
      __typename: 'RevertThreadPayload',
      restoredFiles: [],
      removedTurnIds: [narrow(started, 'StartTurnPayload').turn.id],
    });
  });
});
