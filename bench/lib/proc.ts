import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Reply {
  id?: number;
  type?: string;
  ok?: boolean;
  result?: unknown;
  error?: string;
  [key: string]: unknown;
}

/**
 * A TypeScript child process (run through tsx) driven by request/response messages over IPC:
 * `call({ cmd, ... })` resolves with what the child's handler for `cmd` returned.
 */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: Reply) => void)[] = [];
  private exited = false;
  readonly exit: Promise<number | null>;

  constructor(
    readonly proc: ChildProcess,
    readonly name: string,
  ) {
    proc.on('message', (m: Reply) => {
      if (m.id !== undefined && this.pending.has(m.id)) {
        const p = this.pending.get(m.id)!;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(new Error(`${name}: ${m.error}`));
        return;
      }
      for (const l of [...this.listeners]) l(m);
    });
    this.exit = new Promise((resolve) =>
      proc.on('exit', (code) => {
        this.exited = true;
        for (const p of this.pending.values()) p.reject(new Error(`${name} exited (code ${code})`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.proc.pid!;
  }

  call<T = unknown>(message: Record<string, unknown> & { cmd: string }, timeoutMs = 600_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${message.cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ ...message, id });
    });
  }

  /** Resolves with the first unsolicited message of `type` (e.g. the child's "ready"). */
  waitFor<T extends Reply = Reply>(type: string, timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      const listener = (m: Reply) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(m as T);
      };
      this.listeners.push(listener);
      void this.exit.then(() => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited before "${type}"`));
      });
    });
  }

  /** Asks the child to exit; kills it (by pid) if it has not after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    try {
      await this.call({ cmd: 'exit' }, graceMs).catch(() => undefined);
    } finally {
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
      await this.exit;
      clearTimeout(timer);
    }
  }
}

/** Forks `bench/lib/<script>` with tsx (and extra node flags, e.g. --expose-gc). */
export function forkChild(script: string, args: string[] = [], nodeFlags: string[] = []): Child {
  const proc = fork(path.join(ROOT, 'bench', 'lib', script), args, {
    cwd: ROOT,
    execArgv: [...nodeFlags, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Child(proc, script.replace(/\.ts$/, ''));
}

/**
 * Forks `bench/lib/<script>` as `npm start` runs the server: bundled by esbuild (built once per run into
 * dist/bench, the options of scripts/buildServer.mjs) and run by plain node. tsx transpiles with esbuild's
 * keepNames, which gives every function a `name` property of its own (a property array each, ~6 KiB per idle
 * subscription in a heap snapshot) that the built server does not have.
 */
export async function forkBuilt(script: string, args: string[] = [], nodeFlags: string[] = []): Promise<Child> {
  const name = script.replace(/\.ts$/, '');
  // dist/bench/x.mjs: two levels below the root, like dist/server (sources read ../../package.json).
  const outfile = path.join(ROOT, 'dist', 'bench', `${name}.mjs`);
  built[outfile] ??= import('esbuild').then(({ build }) =>
    build({
      entryPoints: [path.join(ROOT, 'bench', 'lib', script)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      external: ['classic-level', 'pg-native', 'esbuild'],
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    }),
  );
  await built[outfile];
  const proc = fork(outfile, args, { cwd: ROOT, execArgv: nodeFlags, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Child(proc, name);
}
const built: Record<string, Promise<unknown>> = {};

type Handler = (message: Record<string, unknown>) => unknown;

/** Child side: answers `call`s with the handler named by `cmd`; `exit` ends the process. */
export function serveParent(handlers: Record<string, Handler>): void {
  process.on('message', (m: Record<string, unknown> & { id: number; cmd: string }) => void answer(m));
  async function answer(m: Record<string, unknown> & { id: number; cmd: string }): Promise<void> {
    if (m.cmd === 'exit') {
      try {
        await handlers.exit?.(m);
      } finally {
        process.send!({ id: m.id, ok: true, result: null }, () => process.exit(0));
      }
      return;
    }
    const handler = handlers[m.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${m.cmd}`);
      const result = await handler(m);
      process.send!({ id: m.id, ok: true, result });
    } catch (error) {
      process.send!({ id: m.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  process.on('disconnect', () => process.exit(0));
}

/** Resident set size of a process, from /proc (bytes). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}
