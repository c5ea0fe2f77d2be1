import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeadTailBuffer } from '../src/engine/tools/headTailBuffer.js';
import { formatShellResult, runShell } from '../src/engine/tools/shell.js';
import { ToolError } from '../src/engine/tools/toolError.js';

let ws: string;

beforeEach(async () => {
  ws = await realpath(await mkdtemp(path.join(os.tmpdir(), 'zagens-shell-')));
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

const run = (command: string, extra: Partial<Parameters<typeof runShell>[0]> = {}) =>
  runShell({ command, cwd: ws, timeoutMs: 10_000, trustMode: true, ...extra });

/** Running, not a zombie waiting to be reaped (the container's init may never reap it). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('runShell', () => {
  it('runs in the workspace and returns the exit code and output', async () => {
    const result = await run('pwd; echo hello');
    expect(result).toMatchObject({ exitCode: 0, output: `${ws}\nhello\n`, timedOut: false, aborted: false, truncatedBytes: 0 });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect((await run('exit 3')).exitCode).toBe(3);
    expect((await run('false')).exitCode).toBe(1);
  });

  it('interleaves stdout and stderr in order', async () => {
    const result = await run('echo out1; sleep 0.05; echo err1 >&2; sleep 0.05; echo out2');
    expect(result.output).toBe('out1\nerr1\nout2\n');
  });

  it('kills the process group on timeout', async () => {
    const started = Date.now();
    // Generous enough that a loaded machine still starts bash and echoes before the timeout.
    const result = await run('sleep 30 & echo $! > child.pid; echo started; sleep 30', { timeoutMs: 2000 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.output).toBe('started\n');
    expect(Date.now() - started).toBeLessThan(5000);
    const childPid = Number(await readFile(path.join(ws, 'child.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(childPid)).toBe(false);
    expect(formatShellResult(result, 2000)).toMatch(/^timed out after 2000 ms/);
  });

  it('kills the command when the signal aborts', async () => {
    const controller = new AbortController();
    // Abort once the command is surely running (it has written its marker), however slow the machine.
    const marker = path.join(ws, 'running');
    const poll = setInterval(() => existsSync(marker) && controller.abort(), 10);
    const started = Date.now();
    const result = await run('echo begin; touch running; sleep 30', { signal: controller.signal });
    clearInterval(poll);
    expect(result).toMatchObject({ aborted: true, timedOut: false, exitCode: null, output: 'begin\n' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await run('touch ran', { signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect((await run('ls')).output).toBe('');
  });

  it('does not wait for background processes holding the output open', async () => {
    const started = Date.now();
    const result = await run('sleep 30 & echo done');
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe('done\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('caps the output keeping head and tail and counting the cut bytes', async () => {
    // 10 lines of 100 bytes (99 chars + newline) = 1000 bytes, capped to 200.
    const result = await run('for i in 0 1 2 3 4 5 6 7 8 9; do printf "%099d\\n" $i; done', { outputCapBytes: 200 });
    expect(result.truncatedBytes).toBe(800);
    expect(result.output).toBe(`${'0'.repeat(99)}\n\n[... 800 bytes cut ...]\n${'0'.repeat(98)}9\n`);
  });

  it('refuses by policy without trust mode and runs with it', async () => {
    await expect(run('curl http://example.com', { trustMode: false })).rejects.toThrow(ToolError);
    await expect(run('curl http://example.com', { trustMode: false })).rejects.toThrow(/command refused: curl: network access/);
    const ok = await run('echo fine > out.txt && cat out.txt', { trustMode: false });
    expect(ok.output).toBe('fine\n');
    // trust mode: the policy does not apply (the command itself just fails here)
    const trusted = await run('command -v definitely-not-a-command-xyz || echo missing');
    expect(trusted.exitCode).toBe(0);
  });

  it('refuses a missing working directory', async () => {
    await expect(runShell({ command: 'true', cwd: path.join(ws, 'nope'), trustMode: true })).rejects.toThrow(/does not exist/);
  });
});

describe('HeadTailBuffer', () => {
  it('keeps everything under the cap', () => {
    const buffer = new HeadTailBuffer(10);
    buffer.push(Buffer.from('abc'));
    buffer.push(Buffer.from('defghij'));
    expect(buffer.result()).toEqual({ text: 'abcdefghij', cutBytes: 0 });
  });

  it('keeps head and tail across many small chunks', () => {
    const buffer = new HeadTailBuffer(6);
    for (const c of 'abcdefghijklmnop') buffer.push(Buffer.from(c));
    expect(buffer.result()).toEqual({ text: 'abc\n[... 10 bytes cut ...]\nnop', cutBytes: 10 });
  });

  it('does not split UTF-8 characters at the seam', () => {
    const buffer = new HeadTailBuffer(6);
    buffer.push(Buffer.from('aéé…éb'));
    const { text, cutBytes } = buffer.result();
    expect(text).not.toContain('\uFFFD');
    expect(text).toBe('aé\n[... 5 bytes cut ...]\néb');
    expect(cutBytes).toBe(5);

    const split = new HeadTailBuffer(4);
    split.push(Buffer.from('aéé…éb'));
    expect(split.result()).toEqual({ text: 'a\n[... 9 bytes cut ...]\nb', cutBytes: 9 });
  });
});
