import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { hasErrorCode, ToolError } from './toolError.js';

const MAX_SYMLINK_HOPS = 40;

/** The workspace's real path (symlinks resolved); ToolError when it does not exist. */
export async function workspaceRoot(workspace: string): Promise<string> {
  try {
    return await realpath(workspace);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) throw new ToolError(`workspace ${workspace} does not exist`);
    throw error;
  }
}

/**
 * Resolves `userPath` (relative to the workspace, or absolute) to a real absolute path inside the workspace.
 * `..` and symlinks are resolved, also for paths that do not exist yet, so neither can lead outside.
 */
export async function resolveInWorkspace(workspace: string, userPath: string): Promise<string> {
  if (userPath.includes('\0')) throw new ToolError('path must not contain NUL characters');
  const root = await workspaceRoot(workspace);
  // Absolute paths may name the workspace by its unresolved path; the real path of both is compared below.
  const requested = path.resolve(root, userPath === '' ? '.' : userPath);
  const resolved = await realpathLoose(requested, 0);
  if (!isInside(root, resolved)) {
    throw new ToolError(`path ${userPath} is outside the workspace; only paths inside the workspace are allowed`);
  }
  return resolved;
}

/** `absolutePath` relative to the workspace root, `.` for the root itself, always with `/` separators. */
export function relativeToWorkspace(root: string, absolutePath: string): string {
  const relative = path.relative(root, absolutePath);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * realpath that also works for paths that do not exist: the deepest existing ancestor is resolved and the rest
 * appended. A dangling symlink is followed to its target, because writing through it would create the target.
 */
async function realpathLoose(absolutePath: string, hops: number): Promise<string> {
  try {
    return await realpath(absolutePath);
  } catch (error) {
    if (!hasErrorCode(error, 'ENOENT', 'ENOTDIR')) throw error;
  }
  const parent = path.dirname(absolutePath);
  if (parent === absolutePath) return absolutePath;
  const realParent = await realpathLoose(parent, hops);
  const candidate = path.join(realParent, path.basename(absolutePath));
  const stats = await lstat(candidate).catch(() => null);
  if (stats?.isSymbolicLink()) {
    if (hops >= MAX_SYMLINK_HOPS) throw new ToolError(`too many levels of symbolic links at ${absolutePath}`);
    const target = await readlink(candidate);
    return realpathLoose(path.resolve(realParent, target), hops + 1);
  }
  return candidate;
}

/**
 * A thread's workspace is stored by its real path. When that path has come to resolve elsewhere, a symlink was
 * put in it (say, another thread's command replaced the directory with a link to `/`): refused.
 */
export async function checkWorkspaceUnmoved(workspace: string): Promise<void> {
  const real = await workspaceRoot(workspace);
  if (real !== path.resolve(workspace)) {
    throw new ToolError(
      `the workspace ${workspace} now resolves to ${real}: a symbolic link in its path leads elsewhere, so tools refuse to work there. ` +
        "If the move is intended, set the thread's workspace again",
    );
  }
}

/**
 * Opens a file already resolved inside `root`, refusing what a command may have swapped in since: a symlink as
 * the last component (O_NOFOLLOW), a path that now leads outside (checked on the open descriptor), and a hard
 * link (its other names may be outside the workspace; writing it would change them too).
 */
export async function openInWorkspace(root: string, file: string, shown: string, flags: 'read' | 'write'): Promise<FileHandle> {
  const mode = flags === 'read' ? constants.O_RDONLY : constants.O_WRONLY | constants.O_CREAT;
  let handle: FileHandle;
  try {
    handle = await open(file, mode | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o666);
  } catch (error) {
    if (hasErrorCode(error, 'ELOOP')) throw new ToolError(`${shown} became a symbolic link; refusing to follow it`);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isFile() && info.nlink > 1) {
      throw new ToolError(
        `${shown} has ${info.nlink} hard links: file tools do not read or write a file that also exists under another name (it may be outside the workspace)`,
      );
    }
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
    if (opened !== null && !isInside(root, opened)) throw new ToolError(`${shown} now leads outside the workspace; refusing it`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}
