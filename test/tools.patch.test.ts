import { mkdir, mkdtemp, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPatchTool } from '../src/engine/tools/fileTools.js';
import { ToolError } from '../src/engine/tools/toolError.js';

let base: string;
let ws: string;
const MAIN = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n';

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'zagens-patch-')));
  ws = path.join(base, 'ws');
  await mkdir(path.join(ws, 'src'), { recursive: true });
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(ws, 'src', 'main.txt'), MAIN);
  await writeFile(path.join(ws, 'old.txt'), 'bye\nnow\n');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const read = (p: string) => readFile(path.join(ws, p), 'utf8');
const exists = (p: string) =>
  stat(path.join(ws, p)).then(
    () => true,
    () => false,
  );

describe('apply_patch', () => {
  it('updates a file with several hunks', async () => {
    const patch = [
      '--- a/src/main.txt',
      '+++ b/src/main.txt',
      '@@ -1,3 +1,3 @@',
      ' one',
      '-two',
      '+TWO',
      ' three',
      '@@ -8,3 +8,4 @@',
      ' eight',
      ' nine',
      ' ten',
      '+eleven',
      '',
    ].join('\n');
    const result = await applyPatchTool(ws, { patch });
    expect(await read('src/main.txt')).toBe(MAIN.replace('two', 'TWO') + 'eleven\n');
    expect(result.output).toBe('applied the patch:\nM src/main.txt');
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]?.changeKind).toBe('UPDATE');
    expect(result.changes[0]?.path).toBe('src/main.txt');
    expect(result.changes[0]?.diff).toContain('-two\n+TWO\n');
    expect(result.changes[0]?.diff).toContain('+eleven\n');
  });

  it('adds, updates and deletes files in one patch', async () => {
    const patch = `--- /dev/null
+++ b/docs/new.md
@@ -0,0 +1,2 @@
+# New
+text
--- a/old.txt
+++ /dev/null
@@ -1,2 +0,0 @@
-bye
-now
--- a/src/main.txt
+++ b/src/main.txt
@@ -5,1 +5,1 @@
-five
+FIVE
`;
    const result = await applyPatchTool(ws, { patch });
    expect(await read('docs/new.md')).toBe('# New\ntext\n');
    expect(await exists('old.txt')).toBe(false);
    expect(await read('src/main.txt')).toBe(MAIN.replace('five', 'FIVE'));
    expect(result.changes.map((c) => [c.path, c.changeKind])).toEqual([
      ['docs/new.md', 'ADD'],
      ['old.txt', 'DELETE'],
      ['src/main.txt', 'UPDATE'],
    ]);
    expect(result.changes[0]?.diff).toBe('--- /dev/null\n+++ b/docs/new.md\n@@ -0,0 +1,2 @@\n+# New\n+text\n');
    expect(result.changes[1]?.diff).toBe('--- a/old.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-bye\n-now\n');
    expect(result.output).toBe('applied the patch:\nA docs/new.md\nD old.txt\nM src/main.txt');
  });

  it('accepts git-style patches with wrong hunk counts and a stripped blank context line', async () => {
    await writeFile(path.join(ws, 'gap.txt'), 'a\n\nb\n');
    const patch = 'diff --git a/gap.txt b/gap.txt\nindex 1111111..2222222 100644\n--- a/gap.txt\n+++ b/gap.txt\n@@ -1,9 +1,9 @@\n a\n\n-b\n+B\n';
    await applyPatchTool(ws, { patch });
    expect(await read('gap.txt')).toBe('a\n\nB\n');
  });

  it('deletes with a git header and no hunks', async () => {
    const patch = 'diff --git a/old.txt b/old.txt\ndeleted file mode 100644\nindex e69de29..0000000\n';
    const result = await applyPatchTool(ws, { patch });
    expect(await exists('old.txt')).toBe(false);
    expect(result.changes[0]?.changeKind).toBe('DELETE');
  });

  it('renames as a delete plus an add', async () => {
    const patch = '--- a/old.txt\n+++ b/moved/new.txt\n@@ -1,2 +1,2 @@\n bye\n-now\n+later\n';
    const result = await applyPatchTool(ws, { patch });
    expect(await exists('old.txt')).toBe(false);
    expect(await read('moved/new.txt')).toBe('bye\nlater\n');
    expect(result.changes.map((c) => [c.path, c.changeKind])).toEqual([
      ['old.txt', 'DELETE'],
      ['moved/new.txt', 'ADD'],
    ]);
  });

  it('changes nothing when one file of the patch does not apply', async () => {
    const patch = `--- /dev/null
+++ b/added.txt
@@ -0,0 +1 @@
+added
--- a/old.txt
+++ /dev/null
@@ -1,2 +0,0 @@
-bye
-now
--- a/src/main.txt
+++ b/src/main.txt
@@ -1,2 +1,2 @@
 one
-two
+TWO
@@ -6,2 +6,2 @@
 six
-not seven
+SEVEN
`;
    const error = await applyPatchTool(ws, { patch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(/does not apply to src\/main.txt: hunk 2 of 2/);
    expect(await exists('added.txt')).toBe(false);
    expect(await read('old.txt')).toBe('bye\nnow\n');
    expect(await read('src/main.txt')).toBe(MAIN);
  });

  it('refuses to add an existing file, update or delete a missing one', async () => {
    await expect(applyPatchTool(ws, { patch: '--- /dev/null\n+++ b/old.txt\n@@ -0,0 +1 @@\n+x\n' })).rejects.toThrow(/already exists/);
    await expect(applyPatchTool(ws, { patch: '--- a/nope.txt\n+++ b/nope.txt\n@@ -1 +1 @@\n-a\n+b\n' })).rejects.toThrow(/no such file/);
    await expect(applyPatchTool(ws, { patch: '--- a/nope.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n' })).rejects.toThrow(/no such file/);
    await expect(applyPatchTool(ws, { patch: '--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n' })).rejects.toThrow(/not the whole file/);
    expect(await read('old.txt')).toBe('bye\nnow\n');
  });

  it('refuses malformed patches', async () => {
    await expect(applyPatchTool(ws, { patch: 'just some text' })).rejects.toThrow(/no file changes/);
    await expect(applyPatchTool(ws, { patch: '@@ -1 +1 @@\n-one\n+ONE\n' })).rejects.toThrow(ToolError);
  });

  it('refuses paths outside the workspace and changes nothing', async () => {
    const escape = `--- a/src/main.txt
+++ b/src/main.txt
@@ -1 +1 @@
-one
+ONE
--- /dev/null
+++ b/../outside/evil.txt
@@ -0,0 +1 @@
+evil
`;
    await expect(applyPatchTool(ws, { patch: escape })).rejects.toThrow(/outside the workspace/);
    expect(await read('src/main.txt')).toBe(MAIN);
    await symlink(path.join(base, 'outside'), path.join(ws, 'link'));
    await expect(applyPatchTool(ws, { patch: '--- /dev/null\n+++ b/link/evil.txt\n@@ -0,0 +1 @@\n+evil\n' })).rejects.toThrow(
      /outside the workspace/,
    );
    await expect(applyPatchTool(ws, { patch: '--- /dev/null\n+++ /etc/evil.txt\n@@ -0,0 +1 @@\n+evil\n' })).rejects.toThrow(/outside the workspace/);
    await expect(stat(path.join(base, 'outside', 'evil.txt'))).rejects.toThrow();
  });

  it('applies successive patches of the same file in order', async () => {
    const patch = `--- a/old.txt
+++ b/old.txt
@@ -1,2 +1,2 @@
-bye
+hi
 now
--- a/old.txt
+++ b/old.txt
@@ -1,2 +1,2 @@
 hi
-now
+there
`;
    const result = await applyPatchTool(ws, { patch });
    expect(await read('old.txt')).toBe('hi\nthere\n');
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]?.diff).toBe('--- a/old.txt\n+++ b/old.txt\n@@ -1,2 +1,2 @@\n-bye\n-now\n+hi\n+there\n');
  });
});
