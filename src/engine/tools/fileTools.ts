import { lstat, mkdir, readdir, readlink, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApplyPatchArgs, ListDirArgs, ReadFileArgs, SearchFilesArgs, WriteFileArgs } from './definitions.js';
import { fileChange, type FileChange, type WriteToolResult } from './fileChange.js';
import { applyFilePatch, parseUnifiedDiff } from './patch.js';
import { hasErrorCode, ToolError } from './toolError.js';
import { openInWorkspace, relativeToWorkspace, resolveInWorkspace, workspaceRoot } from './workspace.js';

export const FILE_TOOL_LIMITS = {
  /** read_file refuses larger files (the shell can page through them). */
  readMaxFileBytes: 10 * 1024 * 1024,
  readDefaultLines: 2000,
  /** read_file output is cut past this many characters. */
  readMaxChars: 100_000,
  readMaxLineChars: 2000,
  listMaxEntries: 500,
  searchMaxResults: 200,
  searchMaxFileBytes: 2 * 1024 * 1024,
  searchMaxFiles: 20_000,
  searchMaxLineChars: 300,
} as const;

/** Directories search_files never enters. */
export const SEARCH_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

const BINARY_SNIFF_BYTES = 8000;

export async function readFileTool(workspace: string, args: ReadFileArgs): Promise<string> {
  const root = await workspaceRoot(workspace);
  const file = await resolveInWorkspace(root, args.path);
  const shown = relativeToWorkspace(root, file);
  const info = await statOrThrow(file, shown);
  if (info.isDirectory()) throw new ToolError(`${shown} is a directory; use list_dir to see its entries`);
  if (!info.isFile()) throw new ToolError(`${shown} is not a regular file`);
  if (info.size > FILE_TOOL_LIMITS.readMaxFileBytes) {
    throw new ToolError(
      `${shown} is ${info.size} bytes, more than read_file reads (${FILE_TOOL_LIMITS.readMaxFileBytes}); use search_files or the shell (sed -n) to see parts of it`,
    );
  }
  const buffer = await readInWorkspace(root, file, shown);
  if (isBinary(buffer)) throw new ToolError(`${shown} is a binary file`);
  const lines = splitLines(buffer.toString('utf8'));
  if (lines.length === 0) return `(${shown} is empty)`;

  const offset = args.offset ?? 1;
  const limit = args.limit ?? FILE_TOOL_LIMITS.readDefaultLines;
  if (offset > lines.length) throw new ToolError(`offset ${offset} is past the end of ${shown}, which has ${lines.length} lines`);

  const out: string[] = [];
  let chars = 0;
  let last = offset - 1; // last line number shown
  for (let n = offset; n <= lines.length && n < offset + limit; n++) {
    let text = lines[n - 1] ?? '';
    if (text.length > FILE_TOOL_LIMITS.readMaxLineChars) {
      text = `${text.slice(0, FILE_TOOL_LIMITS.readMaxLineChars)} [... line cut, ${text.length} characters]`;
    }
    const line = `${String(n).padStart(6)}\t${text}`;
    if (chars + line.length > FILE_TOOL_LIMITS.readMaxChars && out.length > 0) break;
    out.push(line);
    chars += line.length + 1;
    last = n;
  }
  if (last < lines.length) {
    out.push(`[truncated: showing lines ${offset}-${last} of ${lines.length}; call read_file with offset=${last + 1} to read more]`);
  }
  return out.join('\n');
}

export async function listDirTool(workspace: string, args: ListDirArgs): Promise<string> {
  const root = await workspaceRoot(workspace);
  const dir = await resolveInWorkspace(root, args.path ?? '.');
  const shown = relativeToWorkspace(root, dir);
  const info = await statOrThrow(dir, shown);
  if (!info.isDirectory()) throw new ToolError(`${shown} is not a directory; use read_file to read it`);

  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareNames(a.name, b.name));
  if (entries.length === 0) return `${shown}: (empty directory)`;
  const out = [`${shown}: ${entries.length} entries`];
  for (const entry of entries.slice(0, FILE_TOOL_LIMITS.listMaxEntries)) {
    if (entry.isDirectory()) out.push(`dir      ${entry.name}/`);
    else if (entry.isFile()) out.push(`file     ${entry.name}`);
    else if (entry.isSymbolicLink()) {
      const target = await readlink(path.join(dir, entry.name)).catch(() => '?');
      out.push(`symlink  ${entry.name} -> ${target}`);
    } else out.push(`other    ${entry.name}`);
  }
  if (entries.length > FILE_TOOL_LIMITS.listMaxEntries) {
    out.push(`[${entries.length - FILE_TOOL_LIMITS.listMaxEntries} more entries not shown]`);
  }
  return out.join('\n');
}

export async function searchFilesTool(workspace: string, args: SearchFilesArgs): Promise<string> {
  const root = await workspaceRoot(workspace);
  const start = await resolveInWorkspace(root, args.path ?? '.');
  const shown = relativeToWorkspace(root, start);
  await statOrThrow(start, shown);
  const matches = lineMatcher(args.pattern, args.regex ?? false);

  const results: string[] = [];
  let filesScanned = 0;
  let capped = false;
  for await (const file of walkFiles(start)) {
    if (++filesScanned > FILE_TOOL_LIMITS.searchMaxFiles) {
      capped = true;
      break;
    }
    const text = await readSearchableText(root, file);
    if (text === null) continue;
    const lines = splitLines(text);
    for (const [i, text] of lines.entries()) {
      if (!matches(text)) continue;
      if (results.length >= FILE_TOOL_LIMITS.searchMaxResults) {
        capped = true;
        break;
      }
      const line = text.length > FILE_TOOL_LIMITS.searchMaxLineChars ? `${text.slice(0, FILE_TOOL_LIMITS.searchMaxLineChars)}...` : text;
      results.push(`${relativeToWorkspace(root, file)}:${i + 1}: ${line}`);
    }
    if (capped) break;
  }
  if (results.length === 0)
    return `no matches for ${JSON.stringify(args.pattern)} in ${shown}${capped ? ' (search stopped early: too many files)' : ''}`;
  if (capped) results.push(`[results capped: showing the first ${results.length} matches; narrow the pattern or the path]`);
  return results.join('\n');
}

export async function writeFileTool(workspace: string, args: WriteFileArgs): Promise<WriteToolResult> {
  const root = await workspaceRoot(workspace);
  const file = await resolveInWorkspace(root, args.path);
  const shown = relativeToWorkspace(root, file);
  const before = await readTextOrNull(root, file, shown);
  if (before === args.content) return { output: `${shown} already has this content; nothing changed`, changes: [] };
  try {
    await writeInWorkspace(root, file, shown, args.content);
  } catch (error) {
    if (hasErrorCode(error, 'ENOTDIR', 'EEXIST', 'EISDIR')) throw new ToolError(`cannot write ${shown}: a parent path is not a directory`);
    throw error;
  }
  const change = fileChange(shown, before, args.content);
  const verb = change.changeKind === 'ADD' ? 'created' : 'updated';
  return { output: `${verb} ${shown} (${countLines(args.content)} lines)`, changes: [change] };
}

interface PendingFile {
  shown: string;
  before: string | null;
  after: string | null;
}

/** Where a tool reports a failure that its result alone does not show (the engine's logger). */
export type ToolLog = (details: object, message: string) => void;

/**
 * Checks every file of the patch in memory first, so a patch that does not apply changes nothing. A write that
 * fails half way is undone; files that cannot be put back are logged and named in the error.
 */
export async function applyPatchTool(workspace: string, args: ApplyPatchArgs, log?: ToolLog): Promise<WriteToolResult> {
  const root = await workspaceRoot(workspace);
  const filePatches = parseUnifiedDiff(args.patch);
  const pending = new Map<string, PendingFile>(); // by absolute path, in patch order

  const load = async (userPath: string): Promise<{ file: string; entry: PendingFile }> => {
    const file = await resolveInWorkspace(root, userPath);
    let entry = pending.get(file);
    if (!entry) {
      const shown = relativeToWorkspace(root, file);
      const before = await readTextOrNull(root, file, shown);
      entry = { shown, before, after: before };
      pending.set(file, entry);
    }
    return { file, entry };
  };

  for (const filePatch of filePatches) {
    if (filePatch.oldPath === null) {
      const { entry } = await load(filePatch.newPath!);
      if (entry.after !== null) throw new ToolError(`cannot add ${entry.shown}: it already exists; patch it as an update instead`);
      entry.after = applyFilePatch('', filePatch, entry.shown);
    } else if (filePatch.newPath === null) {
      const { entry } = await load(filePatch.oldPath);
      if (entry.after === null) throw new ToolError(`cannot delete ${entry.shown}: no such file`);
      if (filePatch.patch.hunks.length > 0 && applyFilePatch(entry.after, filePatch, entry.shown) !== '') {
        throw new ToolError(`cannot delete ${entry.shown}: the removed lines in the patch are not the whole file`);
      }
      entry.after = null;
    } else {
      const source = await load(filePatch.oldPath);
      if (source.entry.after === null) {
        throw new ToolError(`cannot update ${source.entry.shown}: no such file (to create a file, use "--- /dev/null")`);
      }
      const patched = applyFilePatch(source.entry.after, filePatch, source.entry.shown);
      const target = await load(filePatch.newPath);
      if (target.file !== source.file) {
        if (target.entry.after !== null) throw new ToolError(`cannot rename ${source.entry.shown} to ${target.entry.shown}: the target exists`);
        source.entry.after = null;
      }
      target.entry.after = patched;
    }
  }

  const changed = [...pending.entries()].filter(([, entry]) => entry.before !== entry.after);
  await commit(root, changed, log);
  const changes: FileChange[] = changed.map(([, entry]) => fileChange(entry.shown, entry.before, entry.after));
  if (changes.length === 0) return { output: 'the patch changed nothing', changes };
  const letter = { ADD: 'A', UPDATE: 'M', DELETE: 'D' } as const;
  return { output: ['applied the patch:', ...changes.map((c) => `${letter[c.changeKind]} ${c.path}`)].join('\n'), changes };
}

/** Writes the new contents; if the disk fails half way, puts back what was already written. */
async function commit(root: string, changed: Array<[string, PendingFile]>, log?: ToolLog): Promise<void> {
  const done: Array<[string, PendingFile]> = [];
  try {
    for (const [file, entry] of changed) {
      await writeOrRemove(root, file, entry.shown, entry.after);
      done.push([file, entry]);
    }
  } catch (error) {
    const failure =
      error instanceof ToolError || !hasErrorCode(error, 'ENOTDIR', 'EEXIST', 'EISDIR')
        ? error
        : new ToolError(`cannot apply the patch: ${(error as Error).message}`);
    const unrestored: string[] = [];
    for (const [file, entry] of done.reverse()) {
      try {
        await writeOrRemove(root, file, entry.shown, entry.before);
      } catch (rollbackError) {
        log?.({ err: rollbackError, path: entry.shown, cause: String(error) }, 'apply_patch: could not put a file back after a failed write');
        unrestored.push(`${entry.shown} (${rollbackError instanceof Error ? rollbackError.message : String(rollbackError)})`);
      }
    }
    if (unrestored.length === 0) throw failure;
    const message = `${failure instanceof Error ? failure.message : String(failure)}; these files keep the patched contents, they could not be put back: ${unrestored.join(', ')}`;
    // The model can still act on a ToolError; anything else fails the turn, now saying what the workspace holds.
    throw failure instanceof ToolError ? new ToolError(message) : new Error(message, { cause: failure });
  }
}

async function writeOrRemove(root: string, file: string, shown: string, content: string | null): Promise<void> {
  if (content === null) await rm(file, { force: true });
  else await writeInWorkspace(root, file, shown, content);
}

/** Reads through openInWorkspace (no symlink swapped in, still inside, no hard link). */
async function readInWorkspace(root: string, file: string, shown: string): Promise<Buffer> {
  const handle = await openInWorkspace(root, file, shown, 'read');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Creates parents and writes through openInWorkspace, so a link a command made is never written through. */
async function writeInWorkspace(root: string, file: string, shown: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await openInWorkspace(root, file, shown, 'write');
  try {
    await handle.truncate(0);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** Text content, null when the file does not exist; ToolError for directories, special and binary files. */
async function readTextOrNull(root: string, file: string, shown: string): Promise<string | null> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return null;
    if (hasErrorCode(error, 'ENOTDIR')) throw new ToolError(`${shown}: a parent path is not a directory`);
    throw error;
  }
  if (info.isDirectory()) throw new ToolError(`${shown} is a directory`);
  if (!info.isFile()) throw new ToolError(`${shown} is not a regular file`);
  const buffer = await readInWorkspace(root, file, shown);
  if (isBinary(buffer)) throw new ToolError(`${shown} is a binary file; it cannot be edited as text`);
  return buffer.toString('utf8');
}

async function statOrThrow(file: string, shown: string) {
  try {
    return await stat(file);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT', 'ENOTDIR')) throw new ToolError(`${shown} does not exist`);
    throw error;
  }
}

/** Regular files under `start` (or `start` itself), in sorted order; symlinks are not followed. */
async function* walkFiles(start: string): AsyncGenerator<string> {
  const info = await lstat(start);
  if (info.isFile()) {
    yield start;
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(start, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => compareNames(a.name, b.name));
  for (const entry of entries) {
    const full = path.join(start, entry.name);
    if (entry.isDirectory() && !SEARCH_SKIPPED_DIRS.has(entry.name)) yield* walkFiles(full);
    else if (entry.isFile()) yield full;
  }
}

/** Null for what search skips: large and binary files, and what openInWorkspace refuses (links made by commands). */
async function readSearchableText(root: string, file: string): Promise<string | null> {
  const handle = await openInWorkspace(root, file, file, 'read').catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    if (size > FILE_TOOL_LIMITS.searchMaxFileBytes) return null;
    const buffer = await handle.readFile();
    return isBinary(buffer) ? null : buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

function lineMatcher(pattern: string, regex: boolean): (line: string) => boolean {
  if (!regex) return (line) => line.includes(pattern);
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern);
  } catch (error) {
    throw new ToolError(`invalid regular expression: ${(error as Error).message}`);
  }
  return (line) => compiled.test(line);
}

function isBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Lines without their terminators; a final newline does not start another line. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function countLines(text: string): number {
  return splitLines(text).length;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
