import { execFile } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SandboxPolicy } from '../../domain/records.js';
import { isInside } from './workspace.js';
import { detectLimitSupport, type LimitSupport } from './resourceLimits.js';

export const BWRAP_INSTALL_HINT = 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)';

/** What this machine offers for confining shell commands, found once per process. */
export interface SandboxSupport {
  /** bwrap runs and can make its namespaces: READ_ONLY and WORKSPACE_WRITE commands can run. */
  available: boolean;
  /** e.g. `bubblewrap 0.8.0`; null when bwrap is missing. */
  version: string | null;
  /** Whether bwrap makes a user namespace (all capabilities dropped outside of it) or runs as root with --cap-drop ALL. */
  userNamespace: boolean;
  /** Why the sandbox is unavailable, with the fix; null when available. */
  problem: string | null;
  limits: LimitSupport;
}

let detected: Promise<SandboxSupport> | undefined;

/** The bwrap binary: `ZAGENS_BWRAP` when set (a path, or a missing one to see the refusal), else `bwrap` on PATH. */
export function bwrapBinary(): string {
  return process.env.ZAGENS_BWRAP || 'bwrap';
}

/** Probes bubblewrap and the resource limits once; later calls share the answer. */
export function detectSandbox(): Promise<SandboxSupport> {
  detected ??= probeSandbox();
  return detected;
}

/** For tests: forget the probe (after installing or removing bwrap). */
export function resetSandboxDetection(): void {
  detected = undefined;
}

async function probeSandbox(): Promise<SandboxSupport> {
  const limits = await detectLimitSupport();
  const version = await run(bwrapBinary(), ['--version']);
  if (!version.ok) {
    const missing = version.code === 'ENOENT';
    const problem = missing ? `bubblewrap (bwrap) is not installed: ${BWRAP_INSTALL_HINT}` : `bwrap --version failed: ${version.output}`;
    return { available: false, version: null, userNamespace: false, problem, limits };
  }
  const trial = (userNamespace: boolean) =>
    run(bwrapBinary(), [
      ...namespaceArgs(userNamespace, false),
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/tmp',
      '--',
      'true',
    ]);
  const withUser = await trial(true);
  if (withUser.ok) return { available: true, version: version.output.trim(), userNamespace: true, problem: null, limits };
  // Root without user namespaces can still make the others; capabilities are then dropped by bwrap itself.
  if (process.getuid?.() === 0) {
    const asRoot = await trial(false);
    if (asRoot.ok) return { available: true, version: version.output.trim(), userNamespace: false, problem: null, limits };
  }
  const problem =
    `bwrap cannot create its namespaces here (${withUser.output.trim() || 'no message'}): allow user namespaces ` +
    '(sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; in a container, e.g. docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined), or run the server as root';
  return { available: false, version: version.output.trim(), userNamespace: false, problem, limits };
}

function run(file: string, args: string[]): Promise<{ ok: boolean; output: string; code?: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }, (error, stdout, stderr) => {
      if (error)
        resolve({ ok: false, output: `${stderr}${stdout}` || error.message, code: (error as NodeJS.ErrnoException).code as string | undefined });
      else resolve({ ok: true, output: `${stdout}` });
    });
  });
}

function namespaceArgs(userNamespace: boolean, networkAccess: boolean): string[] {
  return [
    ...(userNamespace ? ['--unshare-user', '--disable-userns'] : []),
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(networkAccess ? [] : ['--unshare-net']),
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
  ];
}

export interface SandboxLayout {
  /** The workspace's real path. */
  workspace: string;
  /** Directories the command must not see at all (the server's data directory), covered by an empty tmpfs. */
  hiddenPaths?: readonly string[];
  /** Size of the private /tmp. */
  tmpBytes: number;
}

/**
 * The bwrap arguments for READ_ONLY and WORKSPACE_WRITE, ending with `--` (the command follows):
 * read-only root, fresh /dev, /proc (of the new pid namespace only) and /tmp, the workspace bound writable or
 * read-only, the repository's hooks and config read-only, no network unless allowed.
 */
export function bwrapArgs(policy: SandboxPolicy, support: SandboxSupport, layout: SandboxLayout): string[] {
  if (policy.mode === 'FULL_ACCESS') throw new Error('FULL_ACCESS runs without bwrap');
  const ws = layout.workspace;
  const args = [...namespaceArgs(support.userNamespace, policy.networkAccess), '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  args.push('--size', String(layout.tmpBytes), '--tmpfs', '/tmp', '--size', String(layout.tmpBytes), '--tmpfs', '/var/tmp');
  // Without network, host sockets under /run (D-Bus, Docker, systemd) are no way out either.
  if (!policy.networkAccess && existsSync('/run') && !isInside('/run', ws)) args.push('--tmpfs', '/run');
  for (const hidden of layout.hiddenPaths ?? []) {
    if (existsSync(hidden) && !isInside(hidden, ws) && !isInside(ws, hidden)) args.push('--tmpfs', hidden, '--remount-ro', hidden);
  }
  args.push(policy.mode === 'WORKSPACE_WRITE' ? '--bind' : '--ro-bind', ws, ws);
  if (policy.mode === 'WORKSPACE_WRITE') args.push(...gitProtection(ws));
  args.push('--chdir', ws, '--');
  return args;
}

/**
 * A hook or config written by the command would run outside the sandbox at the user's next git command: both
 * are bound read-only. `.git` itself is bound onto itself so it cannot be renamed away and replaced.
 */
function gitProtection(ws: string): string[] {
  const git = path.join(ws, '.git');
  const info = lstatOrNull(git);
  if (!info) return [];
  if (!info.isDirectory()) return ['--ro-bind', git, git]; // a worktree's `gitdir:` file
  const args = ['--bind', git, git];
  const hooks = path.join(git, 'hooks');
  if (lstatOrNull(hooks)?.isDirectory()) args.push('--ro-bind', hooks, hooks);
  else if (!lstatOrNull(hooks)) args.push('--tmpfs', hooks, '--remount-ro', hooks);
  const config = path.join(git, 'config');
  if (lstatOrNull(config)?.isFile()) args.push('--ro-bind', config, config);
  return args;
}

function lstatOrNull(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

/**
 * The whole environment of a command: PATH and locale from the server, a read-only HOME (caches go to the
 * private /tmp) and nothing else, so no key or token of the server reaches it.
 */
export function commandEnvironment(policy: SandboxPolicy): Record<string, string> {
  const home = os.homedir();
  const env: Record<string, string> = {
    PATH: process.env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: home,
    USER: os.userInfo().username,
    LOGNAME: os.userInfo().username,
    SHELL: '/bin/bash',
    LANG: process.env.LANG || 'C.UTF-8',
    TERM: 'dumb',
    TMPDIR: '/tmp',
    ZAGENS_SANDBOX: policy.mode,
  };
  if (process.env.LC_ALL) env.LC_ALL = process.env.LC_ALL;
  if (process.env.TZ) env.TZ = process.env.TZ;
  if (policy.mode !== 'FULL_ACCESS') {
    env.XDG_CACHE_HOME = '/tmp/.cache';
    env.npm_config_cache = '/tmp/.npm';
    env.PYTHONPYCACHEPREFIX = '/tmp/.pycache';
  }
  return env;
}

/** One line for the start-up log and runtimeInfo. */
export function describeSandbox(support: SandboxSupport): string {
  const limits =
    support.limits.mechanism === 'rlimit'
      ? `per-process rlimits only (${support.limits.problem})`
      : `${support.limits.mechanism} memory and process limits`;
  if (!support.available) return `sandbox: unavailable (${support.problem}); shell commands are refused unless their policy is FULL_ACCESS`;
  return `sandbox: ${support.version}${support.userNamespace ? '' : ' (no user namespace: root with all capabilities dropped)'}, ${limits}`;
}
