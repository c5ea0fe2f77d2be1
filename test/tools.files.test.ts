import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_TOOL_LIMITS, listDirTool, readFileTool, searchFilesTool, writeFileTool } from '../src/engine/tools/fileTools.js';
import { ToolError } from '../src/engine/tools/toolError.js';

let base: string;
let ws: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'zagens-files-')));
  ws = path.join(base, 'ws');
  await mkdir(path.join(ws, 'src', 'lib'), { recursive: true });
  await mkdir(path.join(ws, 'node_modules', 'dep'), { recursive: true });
  await mkdir(path.join(ws, '.git'));
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(base, 'outside', 'secret.txt'), 'needle outside\n');
  await writeFile(path.join(ws, 'README.md'), 'hello\nneedle in readme\n');
  await writeFile(path.join(ws, 'src', 'main.ts'), 'const a = 1;\nconst needle = 2;\nexport {};\n');
  await writeFile(path.join(ws, 'src', 'lib', 'util.ts'), 'export const x = "needle";\n');
  await writeFile(path.join(ws, 'node_modules', 'dep', 'index.js'), 'needle in dep\n');
  await writeFile(path.join(ws, '.git', 'config'), 'needle in git\n');
  await writeFile(path.join(ws, 'image.bin'), Buffer.from([0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65, 0x00, 0x01]));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('read_file', () => {
  it('reads a file with line numbers', async () => {
    const out = await readFileTool(ws, { path: 'src/main.ts' });
    expect(out).toBe('     1\tconst a = 1;\n     2\tconst needle = 2;\n     3\texport {};');
  });

  it('reads a range with offset and limit and says how to continue', async () => {
    await writeFile(path.join(ws, 'long.txt'), lines(10));
    const out = await readFileTool(ws, { path: 'long.txt', offset: 3, limit: 2 });
    expect(out.split('\n')).toEqual([
      '     3\tline 3',
      '     4\tline 4',
      '[truncated: showing lines 3-4 of 10; call read_file with offset=5 to read more]',
    ]);
    const end = await readFileTool(ws, { path: 'long.txt', offset: 9 });
    expect(end).not.toMatch(/truncated/);
  });

  it('cuts at the default line limit and at the size cap', async () => {
    await writeFile(path.join(ws, 'many.txt'), lines(FILE_TOOL_LIMITS.readDefaultLines + 5));
    const many = await readFileTool(ws, { path: 'many.txt' });
    expect(many).toMatch(new RegExp(`showing lines 1-${FILE_TOOL_LIMITS.readDefaultLines} of ${FILE_TOOL_LIMITS.readDefaultLines + 5}`));

    const wide = Array.from({ length: 200 }, () => 'x'.repeat(1000)).join('\n');
    await writeFile(path.join(ws, 'wide.txt'), wide);
    const out = await readFileTool(ws, { path: 'wide.txt' });
    expect(out.length).toBeLessThan(FILE_TOOL_LIMITS.readMaxChars + 200);
    expect(out).toMatch(/\[truncated: showing lines 1-\d+ of 200; call read_file with offset=\d+/);
  });

  it('cuts very long lines', async () => {
    await writeFile(path.join(ws, 'min.js'), 'y'.repeat(FILE_TOOL_LIMITS.readMaxLineChars + 10));
    expect(await readFileTool(ws, { path: 'min.js' })).toMatch(/line cut, 2010 characters/);
  });

  it('reports empty files', async () => {
    await writeFile(path.join(ws, 'empty.txt'), '');
    expect(await readFileTool(ws, { path: 'empty.txt' })).toMatch(/empty/);
  });

  it('refuses missing files, directories, binary files, offsets past the end and escapes', async () => {
    await expect(readFileTool(ws, { path: 'nope.txt' })).rejects.toThrow(/nope.txt does not exist/);
    await expect(readFileTool(ws, { path: 'src' })).rejects.toThrow(/is a directory/);
    await expect(readFileTool(ws, { path: 'image.bin' })).rejects.toThrow(/binary/);
    await expect(readFileTool(ws, { path: 'README.md', offset: 5 })).rejects.toThrow(/past the end/);
    await expect(readFileTool(ws, { path: '../outside/secret.txt' })).rejects.toThrow(ToolError);
    await expect(readFileTool(ws, { path: '/etc/passwd' })).rejects.toThrow(/outside the workspace/);
    await symlink(path.join(base, 'outside', 'secret.txt'), path.join(ws, 'link.txt'));
    await expect(readFileTool(ws, { path: 'link.txt' })).rejects.toThrow(/outside the workspace/);
    execFileSync('mkfifo', [path.join(ws, 'pipe')]);
    await expect(readFileTool(ws, { path: 'pipe' })).rejects.toThrow(/not a regular file/);
    await expect(writeFileTool(ws, { path: 'pipe', content: 'x' })).rejects.toThrow(/not a regular file/);
  });
});

describe('list_dir', () => {
  it('lists entries sorted with their type', async () => {
    await symlink('src/main.ts', path.join(ws, 'alias.ts'));
    const out = await listDirTool(ws, {});
    expect(out.split('\n')).toEqual([
      '.: 6 entries',
      'dir      .git/',
      'file     README.md',
      'symlink  alias.ts -> src/main.ts',
      'file     image.bin',
      'dir      node_modules/',
      'dir      src/',
    ]);
  });

  it('lists a sub directory and caps long listings', async () => {
    expect(await listDirTool(ws, { path: 'src' })).toBe('src: 2 entries\ndir      lib/\nfile     main.ts');
    await mkdir(path.join(ws, 'big'));
    for (let i = 0; i < FILE_TOOL_LIMITS.listMaxEntries + 3; i++) await writeFile(path.join(ws, 'big', `f${String(i).padStart(4, '0')}`), '');
    const out = await listDirTool(ws, { path: 'big' });
    expect(out).toMatch(/\[3 more entries not shown\]$/);
    expect(out.split('\n')).toHaveLength(FILE_TOOL_LIMITS.listMaxEntries + 2);
  });

  it('refuses files, missing paths and escapes', async () => {
    await expect(listDirTool(ws, { path: 'README.md' })).rejects.toThrow(/not a directory/);
    await expect(listDirTool(ws, { path: 'nope' })).rejects.toThrow(/does not exist/);
    await expect(listDirTool(ws, { path: '..' })).rejects.toThrow(/outside the workspace/);
  });
});

describe('search_files', () => {
  it('finds literal text, skipping node_modules, .git and binary files', async () => {
    const out = await searchFilesTool(ws, { pattern: 'needle' });
    expect(out.split('\n')).toEqual([
      'README.md:2: needle in readme',
      'src/lib/util.ts:1: export const x = "needle";',
      'src/main.ts:2: const needle = 2;',
    ]);
  });

  it('treats the pattern literally unless regex is set', async () => {
    expect(await searchFilesTool(ws, { pattern: 'const .* = 1' })).toMatch(/^no matches/);
    expect(await searchFilesTool(ws, { pattern: 'const .* = 1', regex: true })).toBe('src/main.ts:1: const a = 1;');
    await expect(searchFilesTool(ws, { pattern: '(', regex: true })).rejects.toThrow(/invalid regular expression/);
  });

  it('searches under a path or a single file', async () => {
    expect(await searchFilesTool(ws, { pattern: 'needle', path: 'src/lib' })).toBe('src/lib/util.ts:1: export const x = "needle";');
    expect(await searchFilesTool(ws, { pattern: 'needle', path: 'README.md' })).toBe('README.md:2: needle in readme');
  });

  it('caps the results', async () => {
    await writeFile(path.join(ws, 'many.txt'), 'hit\n'.repeat(FILE_TOOL_LIMITS.searchMaxResults + 10));
    const out = await searchFilesTool(ws, { pattern: 'hit', path: 'many.txt' });
    const rows = out.split('\n');
    expect(rows).toHaveLength(FILE_TOOL_LIMITS.searchMaxResults + 1);
    expect(rows.at(-1)).toMatch(/results capped/);
  });

  it('does not follow symlinks out of the workspace and refuses escapes', async () => {
    await symlink(path.join(base, 'outside'), path.join(ws, 'escape'));
    expect(await searchFilesTool(ws, { pattern: 'needle outside' })).toMatch(/^no matches/);
    await expect(searchFilesTool(ws, { pattern: 'needle', path: 'escape' })).rejects.toThrow(/outside the workspace/);
    await expect(searchFilesTool(ws, { pattern: 'needle', path: '../outside' })).rejects.toThrow(/outside the workspace/);
  });
});

describe('write_file', () => {
  it('creates a file with parent directories and reports an ADD', async () => {
    const result = await writeFileTool(ws, { path: 'new/dir/file.txt', content: 'one\ntwo\n' });
    expect(await readFile(path.join(ws, 'new', 'dir', 'file.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(result.output).toBe('created new/dir/file.txt (2 lines)');
    expect(result.changes).toEqual([
      { path: 'new/dir/file.txt', changeKind: 'ADD', diff: '--- /dev/null\n+++ b/new/dir/file.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n' },
    ]);
  });

  it('overwrites a file and reports an UPDATE with its diff', async () => {
    const result = await writeFileTool(ws, { path: 'src/main.ts', content: 'const a = 1;\nconst needle = 3;\nexport {};\n' });
    expect(result.changes).toEqual([
      {
        path: 'src/main.ts',
        changeKind: 'UPDATE',
        diff: '--- a/src/main.ts\n+++ b/src/main.ts\n@@ -1,3 +1,3 @@\n const a = 1;\n-const needle = 2;\n+const needle = 3;\n export {};\n',
      },
    ]);
    expect(result.output).toBe('updated src/main.ts (3 lines)');
  });

  it('reports no change when the content is the same', async () => {
    const result = await writeFileTool(ws, { path: 'README.md', content: 'hello\nneedle in readme\n' });
    expect(result.changes).toEqual([]);
  });

  it('refuses escapes, directories and binary files', async () => {
    await expect(writeFileTool(ws, { path: '../x', content: 'x' })).rejects.toThrow(/outside the workspace/);
    await expect(writeFileTool(ws, { path: path.join(base, 'outside', 'x'), content: 'x' })).rejects.toThrow(ToolError);
    await symlink(path.join(base, 'outside'), path.join(ws, 'escape'));
    await expect(writeFileTool(ws, { path: 'escape/x', content: 'x' })).rejects.toThrow(/outside the workspace/);
    await symlink(path.join(base, 'outside', 'created-through-link'), path.join(ws, 'dangling'));
    await expect(writeFileTool(ws, { path: 'dangling', content: 'x' })).rejects.toThrow(/outside the workspace/);
    await expect(writeFileTool(ws, { path: 'src', content: 'x' })).rejects.toThrow(/is a directory/);
    await expect(writeFileTool(ws, { path: 'README.md/x', content: 'x' })).rejects.toThrow(ToolError);
    await expect(writeFileTool(ws, { path: 'image.bin', content: 'x' })).rejects.toThrow(/binary/);
    await expect(readFile(path.join(base, 'outside', 'created-through-link'))).rejects.toThrow();
  });
});
