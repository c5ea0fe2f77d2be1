import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { checkCommandPolicy } from './commandPolicy.js';
import { HeadTailBuffer } from './headTailBuffer.js';
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
  /** Off (the default): the command is first checked by the conservative policy; ToolError when refused. */
  trustMode?: boolean;
  /** The workspace for the policy's path checks; defaults to `cwd`. */
  workspace?: string;
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
}

const SHELL: { file: string; args: string[] } =
  existsSync('/bin/bash') || existsSync('/usr/bin/bash') ? { file: 'bash', args: ['-lc'] } : { file: 'sh', args: ['-c'] };

/** Runs `command` with `bash -lc` in its own process group; the whole group is killed on timeout or abort. */
export async function runShell(options: RunShellOptions): Promise<ShellResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS;
  const trustMode = options.trustMode ?? false;
  const refusal = checkCommandPolicy(options.command, { trustMode, workspace: options.workspace ?? options.cwd });
  if (refusal) throw new ToolError(`command refused: ${refusal}. Ask the user to enable trust mode if it is needed.`);
  const cwdInfo = await stat(options.cwd).catch(() => null);
  if (!cwdInfo?.isDirectory()) throw new ToolError(`the working directory ${options.cwd} does not exist`);

  const started = Date.now();
  if (options.signal?.aborted) {
    return { exitCode: null, output: '', durationMs: 0, timedOut: false, aborted: true, truncatedBytes: 0 };
  }
  const output = new HeadTailBuffer(options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES);
  const child = spawn(SHELL.file, [...SHELL.args, options.command], {
    cwd: options.cwd,
    detached: true, // its own process group, so kill(-pid) reaches everything it started
    stdio: ['ignore', 'pipe', 'pipe'],
  });

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
      });
    };

    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
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
          child.stdout.destroy();
          child.stderr.destroy();
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
