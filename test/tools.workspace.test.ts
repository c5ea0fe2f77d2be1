import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolError } from '../src/engine/tools/toolError.js';
import { relativeToWorkspace, resolveInWorkspace } from '../src/engine/tools/workspace.js';

let base: string;
let ws: string;
let outside: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'zagens-ws-')));
  ws = path.join(base, 'ws');
  outside = path.join(base, 'outside');
  await mkdir(path.join(ws, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(ws, 'src', 'a.ts'), 'a\n');
  await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveInWorkspace', () => {
  it('resolves relative, dotted and absolute paths inside the workspace', async () => {
    expect(await resolveInWorkspace(ws, 'src/a.ts')).toBe(path.join(ws, 'src', 'a.ts'));
    expect(await resolveInWorkspace(ws, './src/../src/a.ts')).toBe(path.join(ws, 'src', 'a.ts'));
    expect(await resolveInWorkspace(ws, path.join(ws, 'src'))).toBe(path.join(ws, 'src'));
    expect(await resolveInWorkspace(ws, '.')).toBe(ws);
    expect(await resolveInWorkspace(ws, '')).toBe(ws);
  });

  it('resolves paths that do not exist yet', async () => {
    expect(await resolveInWorkspace(ws, 'new/dir/file.txt')).toBe(path.join(ws, 'new', 'dir', 'file.txt'));
  });

  it('accepts the workspace named through a symlink', async () => {
    const alias = path.join(base, 'alias');
    await symlink(ws, alias);
    expect(await resolveInWorkspace(alias, 'src/a.ts')).toBe(path.join(ws, 'src', 'a.ts'));
    expect(await resolveInWorkspace(alias, path.join(alias, 'src'))).toBe(path.join(ws, 'src'));
  });

  it('follows symlinks that stay inside', async () => {
    await symlink(path.join(ws, 'src'), path.join(ws, 'link'));
    expect(await resolveInWorkspace(ws, 'link/a.ts')).toBe(path.join(ws, 'src', 'a.ts'));
  });

  it.each(['../x', '../outside/secret.txt', 'a/../../x', 'src/../../outside', '/etc/passwd', '/'])('refuses %s', async (p) => {
    await expect(resolveInWorkspace(ws, p)).rejects.toThrow(ToolError);
    await expect(resolveInWorkspace(ws, p)).rejects.toThrow(/outside the workspace/);
  });

  it('refuses a symlink inside the workspace that points outside', async () => {
    await symlink(outside, path.join(ws, 'escape'));
    await expect(resolveInWorkspace(ws, 'escape/secret.txt')).rejects.toThrow(ToolError);
    await expect(resolveInWorkspace(ws, 'escape/new-file')).rejects.toThrow(ToolError);
    await symlink(path.join(outside, 'secret.txt'), path.join(ws, 'file-link'));
    await expect(resolveInWorkspace(ws, 'file-link')).rejects.toThrow(ToolError);
  });

  it('refuses a dangling symlink whose target would be created outside', async () => {
    await symlink(path.join(outside, 'not-yet'), path.join(ws, 'dangling'));
    await expect(resolveInWorkspace(ws, 'dangling')).rejects.toThrow(ToolError);
  });

  it('refuses a missing workspace and NUL bytes', async () => {
    await expect(resolveInWorkspace(path.join(base, 'nope'), 'x')).rejects.toThrow(/does not exist/);
    await expect(resolveInWorkspace(ws, 'a\0b')).rejects.toThrow(ToolError);
  });

  it('relativeToWorkspace uses / and . for the root', () => {
    expect(relativeToWorkspace(ws, path.join(ws, 'src', 'a.ts'))).toBe('src/a.ts');
    expect(relativeToWorkspace(ws, ws)).toBe('.');
  });

  it('does not mistake names starting with .. for the parent', async () => {
    expect(await resolveInWorkspace(ws, '..hidden')).toBe(path.join(ws, '..hidden'));
  });
});
