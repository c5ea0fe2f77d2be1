import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { effectiveSandboxPolicy, type SandboxMode, type SandboxPolicy } from '../../domain/records.js';
import { checkCommandPolicy } from './commandPolicy.js';
import { HeadTailBuffer } from './headTailBuffer.js';
import { createCommandCgroup, DEFAULT_RESOURCE_LIMITS, limitedLaunch, type ResourceLimits } from './resourceLimits.js';
import { bwrapArgs, bwrapBinary, commandEnvironment, detectSandbox } from './sandbox.js';
import { ToolError } from './toolError.js';

export { checkCommandPolicy, type CommandPolicyOptions } from './commandPolicy.js';

export const DEFAULT_SHELL_TIMEOUT_MS = 120_000;
export const MAX_SHELL_TIMEOUT_MS = 600_000;
export const DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024;
/** After SIGTERM, how long the process group has before SIGKILL. */
const KILL_GRACE_MS = 1000;
/**
 * After the shell exits, how long its output pipes may stay open. Background processes that still hold them
 * would keep the call waiting forever, so the group is killed then.
 */
const DRAIN_AFTER_EXIT_MS = 250;

export interface RunShellOptions {
  command: string;
  /** Where the command runs: the workspace. */
  cwd: string;
  timeoutMs?: number;
  outputCapBytes?: number;
  signal?: AbortSignal;
  /** Same as `sandbox: FULL_ACCESS` (and wins over `sandbox`). */
  trustMode?: boolean;
  /** Default WORKSPACE_WRITE. Outside FULL_ACCESS the command is first checked by the text policy, then runs under bwrap. */
  sandbox?: SandboxMode;
  /** Default false: the command gets a network namespace of its own with only a loopback. */
  networkAccess?: boolean;
  /** The workspace for the policy's path checks and the sandbox's writable directory; defaults to `cwd`. */
  workspace?: string;
  limits?: Partial<ResourceLimits>;
  /** Directories a sandboxed command must not see (the server's data directory). */
  hiddenPaths?: readonly string[];
  /** False skips the text policy (tests use it to show the sandbox holds on its own). */
  textPolicy?: boolean;
}

export interface ShellResult {
  /** null when the command was killed (timeout, abort) or ended by a signal. */
  exitCode: number | null;
  /** stdout and stderr interleaved as they arrived; the middle is cut past the cap. */
  output: string;
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
  /** Bytes cut from the middle of the output (0 when complete). */
  truncatedBytes: number;
  /** The policy the command ran under. */
  policy: SandboxPolicy;
}

const SHELL: { file: string; args: string[] } =
  existsSync('/bin/bash') || existsSync('/usr/bin/bash') ? { file: 'bash', args: ['-lc'] } : { file: 'sh', args: ['-c'] };

/** The text policy's refusal, worded for the model; null when the text policy lets the command through. */
export function commandRefusal(command: string, workspace: string, policy: SandboxPolicy): string | null {
  const refusal = checkCommandPolicy(command, { trustMode: policy.mode === 'FULL_ACCESS', networkAccess: policy.networkAccess, workspace });
  if (!refusal) return null;
  return `command refused: ${refusal}. If it is needed, ask for it with the shell's \`escalate\` argument (a person approves it) or ask the user to change the thread's sandbox.`;
}

/**
 * Runs `command` with `bash -lc` under its sandbox policy: READ_ONLY and WORKSPACE_WRITE inside bubblewrap,
 * FULL_ACCESS directly. Either way in its own process group with a minimal environment and, where cgroups
 * allow, in a cgroup of its own that bounds memory and processes and is emptied when the command ends.
 */
export async function runShell(options: RunShellOptions): Promise<ShellResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS;
  const policy = effectiveSandboxPolicy({ trustMode: options.trustMode ?? false, sandbox: options.sandbox, networkAccess: options.networkAccess });
  const workspace = options.workspace ?? options.cwd;
  const refusal = options.textPolicy === false ? null : commandRefusal(options.command, workspace, policy);
  if (refusal) throw new ToolError(refusal);
  const cwdInfo = await stat(options.cwd).catch(() => null);
  if (!cwdInfo?.isDirectory()) throw new ToolError(`the working directory ${options.cwd} does not exist`);
  const support = await detectSandbox();
  if (policy.mode !== 'FULL_ACCESS' && !support.available) {
    throw new ToolError(
      `the shell sandbox is unavailable, so the command was not run: ${support.problem}. Until then only a thread or approval with sandbox FULL_ACCESS may run commands.`,
    );
  }

  const started = Date.now();
  if (options.signal?.aborted) {
    return { exitCode: null, output: '', durationMs: 0, timedOut: false, aborted: true, truncatedBytes: 0, policy };
  }
  const limits = { ...DEFAULT_RESOURCE_LIMITS, ...options.limits };
  let argv = [SHELL.file, ...SHELL.args, options.command];
  if (policy.mode !== 'FULL_ACCESS') {
    const layout = { workspace: await realpath(workspace), hiddenPaths: options.hiddenPaths, tmpBytes: limits.memoryBytes };
    // Not a login shell: profiles that rehash or cache into HOME would only print errors (HOME is read-only).
    argv = [bwrapBinary(), ...bwrapArgs(policy, support, layout), SHELL.file, '-c', options.command];
  }
  const cgroup = await createCommandCgroup(support.limits, limits).catch(() => null);
  const launch = limitedLaunch(cgroup, limits, argv);
  const output = new HeadTailBuffer(options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES);
  const child = spawn(launch.file, launch.args, {
    cwd: options.cwd,
    env: commandEnvironment(policy),
    detached: true, // its own process group, so kill(-pid) reaches everything it started
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  try {
    return await supervise(child, output, { timeoutMs, signal: options.signal, started, policy });
  } finally {
    await cgroup?.dispose();
  }
}

function supervise(
  child: ReturnType<typeof spawn>,
  output: HeadTailBuffer,
  { timeoutMs, signal, started, policy }: { timeoutMs: number; signal?: AbortSignal; started: number; policy: SandboxPolicy },
): Promise<ShellResult> {
  const options = { signal };
  return new Promise<ShellResult>((resolve, reject) => {
    let timedOut = false;
    let aborted = false;
    let exitCode: number | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS));
    };
    const onAbort = () => {
      aborted = true;
      stop();
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', onAbort);
      const { text, cutBytes } = output.result();
      resolve({
        exitCode: timedOut || aborted ? null : exitCode,
        output: text,
        durationMs: Date.now() - started,
        timedOut,
        aborted,
        truncatedBytes: cutBytes,
        policy,
      });
    };

    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, timeoutMs),
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('exit', (code) => {
      exitCode = code;
      timers.push(
        setTimeout(() => {
          killGroup('SIGKILL');
          child.stdout!.destroy();
          child.stderr!.destroy();
          finish();
        }, DRAIN_AFTER_EXIT_MS),
      );
    });
    child.on('close', finish);
  });
}

/** The text the model sees for a finished command. */
export function formatShellResult(result: ShellResult, timeoutMs: number): string {
  let status: string;
  if (result.timedOut) status = `timed out after ${timeoutMs} ms; the command was killed`;
  else if (result.aborted) status = 'aborted; the command was killed';
  else if (result.exitCode === null) status = 'killed by a signal';
  else status = `exit code ${result.exitCode}`;
  const body = result.output === '' ? '(no output)' : result.output;
  return `${status} (${result.durationMs} ms)\n${body}`;
}
