import { spawn } from 'node:child_process';
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkWorkspaceUnmoved } from './tools/workspace.js';
import { defined } from '../domain/defined.js';
import type { WorkspaceFileChange } from '../domain/enums.js';

/** A workspace state: a git tree in the thread's private object store. */
export interface Snapshot {
  tree: string;
  /** Files left out because they are over the size limit (revert leaves them as they are). */
  skipped: string[];
}

export type FileChange = WorkspaceFileChange;

export interface ChangedFile {
  path: string;
  /** The path before a rename. */
  oldPath: string | null;
  change: FileChange;
  binary: boolean;
  /** Lines added and removed (null for a binary file). */
  additions: number | null;
  deletions: number | null;
}

/** The runtime's snapshotMaxFileBytes when left out. */
export const DEFAULT_SNAPSHOT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface WorkspaceSnapshotOptions {
  /** Directory holding one private git directory per thread (under the server's data directory). */
  root: string;
  /** Files bigger than this are not snapshotted. */
  maxFileBytes: number;
  /** Absolute directories never snapshotted (the data directory when it lies inside a workspace). */
  exclude: string[];
  /** Runs `work` alone among the calls with the same thread id (a per-key lock). */
  serialize: <T>(threadId: string, work: () => Promise<T>) => Promise<T>;
}

export class SnapshotError extends Error {}

const STATUS: Record<string, FileChange> = { A: 'ADDED', M: 'MODIFIED', D: 'DELETED', R: 'RENAMED', T: 'TYPE_CHANGED' };

/**
 * Snapshots of workspaces with git plumbing into a private object store: GIT_DIR is `<root>/<threadId>.git`,
 * the index is private to it and GIT_WORK_TREE is the workspace, so a user's own repository (its `.git`, index,
 * refs, hooks and config) is never read or written. Whatever changed the files (a tool, a shell command, a
 * person), `take` sees it. The workspace's `.gitignore` rules apply; nested repositories are recorded as links,
 * not their content. Operations on one thread run one at a time (they share its index).
 */
export class WorkspaceSnapshots {
  /** Runs git work of one thread alone (its operations share the private index). */
  private readonly serial: <T>(threadId: string, work: () => Promise<T>) => Promise<T>;

  constructor(private readonly options: WorkspaceSnapshotOptions) {
    this.serial = options.serialize;
  }

  /** The current state of the workspace. */
  take(threadId: string, workspace: string): Promise<Snapshot> {
    return this.serial(threadId, async () => this.snapshot(await this.open(threadId, workspace), workspace));
  }

  private async snapshot(git: Git, workspace: string): Promise<Snapshot> {
    const candidates = splitNul(await git(['ls-files', '-z', '--others', '--modified', '--exclude-standard']));
    const skipped: string[] = [];
    for (const file of new Set(candidates)) {
      const info = await lstat(path.join(workspace, file)).catch(() => null);
      if (info?.isFile() && info.size > this.options.maxFileBytes) skipped.push(file);
    }
    const excluded = skipped.map((f) => `:(exclude,literal)${f}`);
    await git(['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], ['.', ...excluded].join('\0'));
    if (skipped.length)
      await git(
        ['rm', '--cached', '-q', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'],
        skipped.map((f) => `:(literal)${f}`).join('\0'),
      );
    const tree = (await git(['write-tree'])).trim();
    return { tree, skipped };
  }

  /** What changed from tree `from` to tree `to`, renames detected. */
  changes(threadId: string, workspace: string, from: string, to: string): Promise<ChangedFile[]> {
    return this.serial(threadId, async () => {
      const git = await this.open(threadId, workspace);
      const status = splitNul(await git(['diff-tree', '-r', '-M', '-z', '--name-status', from, to]));
      const numstat = splitNul(await git(['diff-tree', '-r', '-M', '-z', '--numstat', from, to]));
      const counts = new Map<string, [string, string]>();
      for (let i = 0; i < numstat.length; i++) {
        const [add = '', del = '', file] = defined(numstat[i], 'git numstat entry').split('\t');
        // A rename's entry is "add\tdel\t" followed by the old and the new path.
        if (file === '') {
          counts.set(defined(numstat[i + 2], 'new path of a rename in git numstat'), [add, del]);
          i += 2;
        } else if (file !== undefined) counts.set(file, [add, del]);
      }
      const files: ChangedFile[] = [];
      for (let i = 0; i < status.length; i++) {
        const code = defined(status[i], 'git status entry').charAt(0);
        const renamed = code === 'R' || code === 'C';
        const oldPath = renamed ? defined(status[++i], 'old path of a rename in git status') : null;
        const file = defined(status[++i], 'path in git status');
        const [add, del] = counts.get(file) ?? ['0', '0'];
        const binary = add === '-';
        files.push({
          path: file,
          oldPath,
          change: code === 'C' ? 'ADDED' : (STATUS[code] ?? 'MODIFIED'),
          binary,
          additions: binary ? null : Number(add),
          deletions: binary ? null : Number(del),
        });
      }
      return files;
    });
  }

  /** The unified diff from `from` to `to`: renames as renames, binary files named without their bytes. */
  diff(threadId: string, workspace: string, from: string, to: string): Promise<string> {
    return this.serial(threadId, async () => {
      const git = await this.open(threadId, workspace);
      return git(['diff-tree', '-r', '-p', '-M', '--no-color', '--no-ext-diff', '--no-textconv', from, to]);
    });
  }

  /**
   * Makes the workspace match `tree`: changed files rewritten, files it lacks deleted, missing ones created.
   * Idempotent, so an interrupted restore is finished by running it again. Files outside the snapshot
   * (ignored, too big) are left alone.
   */
  restore(threadId: string, workspace: string, tree: string): Promise<void> {
    return this.serial(threadId, async () => {
      const git = await this.open(threadId, workspace);
      // The index must describe the workspace as it is now, so that read-tree knows what to remove.
      await this.snapshot(git, workspace);
      await git(['read-tree', '--reset', '-u', tree]);
    });
  }

  /** Removes the thread's object store (its snapshots are gone for good). */
  remove(threadId: string): Promise<void> {
    return this.serial(threadId, () => rm(this.gitDir(threadId), { recursive: true, force: true }));
  }

  private gitDir(threadId: string): string {
    if (!/^[A-Za-z0-9_]+$/.test(threadId)) throw new SnapshotError(`not a thread id: ${threadId}`);
    return path.join(this.options.root, `${threadId}.git`);
  }

  private async open(threadId: string, workspace: string): Promise<Git> {
    // Never snapshot (or restore into) a workspace whose path a symlink now leads elsewhere, e.g. to `/`.
    await checkWorkspaceUnmoved(workspace).catch((error: Error) => {
      throw new SnapshotError(error.message);
    });
    const gitDir = this.gitDir(threadId);
    const run = (args: string[], input?: string) => runGit(args, { gitDir, workspace, input });
    const exists = await lstat(path.join(gitDir, 'HEAD')).catch(() => null);
    if (!exists) {
      await mkdir(gitDir, { recursive: true });
      await runGit(['init', '-q', '--bare', gitDir], { gitDir, workspace, init: true });
      // Objects are never collected behind our back; removing the thread removes them.
      await run(['config', 'gc.auto', '0']);
      await run(['config', 'core.autocrlf', 'false']);
      await run(['config', 'core.quotepath', 'false']);
    }
    const excludes = this.options.exclude
      .map((dir) => path.relative(workspace, dir))
      .filter((rel) => rel && !rel.startsWith('..') && !path.isAbsolute(rel))
      .map((rel) => `/${rel.split(path.sep).join('/')}/`);
    await mkdir(path.join(gitDir, 'info'), { recursive: true });
    await writeFile(path.join(gitDir, 'info', 'exclude'), excludes.join('\n') + '\n');
    return run;
  }
}

type Git = (args: string[], input?: string) => Promise<string>;

function splitNul(text: string): string[] {
  return text.split('\0').filter((s) => s !== '');
}

/** Runs git on the private store only: no system or global config, no prompts, no pager. */
function runGit(
  args: string[],
  { gitDir, workspace, input, init }: { gitDir: string; workspace: string; input?: string; init?: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: workspace,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: gitDir,
        LC_ALL: 'C',
        // `init` creates the store itself (git refuses a work tree there).
        ...(init ? {} : { GIT_DIR: gitDir, GIT_WORK_TREE: workspace, GIT_INDEX_FILE: path.join(gitDir, 'snapshot-index') }),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_OPTIONAL_LOCKS: '0',
      },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => (err += d));
    child.on('error', (e) => reject(new SnapshotError(`git is needed for workspace snapshots: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new SnapshotError(`git ${args[0]} failed (${code}): ${err.trim().slice(0, 500)}`));
    });
    if (child.stdin) {
      // git may exit before reading all of it (an error it reports itself).
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}
