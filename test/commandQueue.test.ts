import { describe, expect, it } from 'vitest';
import { LocalCommandQueue, scopeKey, type CommandScope } from '../src/runtime/commandQueue.js';

/** A command that records its start and end and finishes when released. */
function gated(log: string[], name: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const command = async () => {
    log.push(`${name} start`);
    await gate;
    log.push(`${name} end`);
    return name;
  };
  return { command, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LocalCommandQueue', () => {
  it('runs the commands of one scope one at a time, in arrival order', async () => {
    const queue = new LocalCommandQueue();
    const log: string[] = [];
    const a = gated(log, 'a');
    const b = gated(log, 'b');
    const ra = queue.run({ thread: 't1' }, a.command);
    const rb = queue.run({ thread: 't1' }, b.command);
    await tick();
    expect(log).toEqual(['a start']);
    b.release();
    await tick();
    expect(log).toEqual(['a start']);
    a.release();
    expect(await ra).toBe('a');
    expect(await rb).toBe('b');
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('runs commands of different scopes concurrently, also a thread and its record', async () => {
    const queue = new LocalCommandQueue();
    const log: string[] = [];
    const scopes: CommandScope[] = [{ thread: 't1' }, { thread: 't2' }, { threadRecord: 't1' }, { approval: 't1' }, 'runtime'];
    const commands = scopes.map((_, i) => gated(log, String(i)));
    const results = scopes.map((scope, i) => queue.run(scope, commands[i]!.command));
    await tick();
    expect(log).toEqual(['0 start', '1 start', '2 start', '3 start', '4 start']);
    for (const c of commands) c.release();
    await Promise.all(results);
    expect(new Set(scopes.map(scopeKey)).size).toBe(scopes.length);
  });

  it("gives a command's failure to its caller only: the next command of the scope still runs", async () => {
    const queue = new LocalCommandQueue();
    const failed = queue.run({ thread: 't1' }, async () => {
      throw new Error('refused');
    });
    const next = queue.run({ thread: 't1' }, async () => 'ran');
    await expect(failed).rejects.toThrow('refused');
    expect(await next).toBe('ran');
  });

  it('is idle once every command queued so far, also those queued meanwhile, has ended', async () => {
    const queue = new LocalCommandQueue();
    expect(queue.isIdle).toBe(true);
    const log: string[] = [];
    const a = gated(log, 'a');
    const later = gated(log, 'later');
    void queue.run({ thread: 't1' }, async () => {
      await a.command();
      void queue.run({ thread: 't2' }, later.command);
    });
    expect(queue.isIdle).toBe(false);
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    a.release();
    await tick();
    await tick();
    expect(idle).toBe(false);
    later.release();
    await waiting;
    expect(log).toEqual(['a start', 'a end', 'later start', 'later end']);
    expect(queue.isIdle).toBe(true);
  });
});
