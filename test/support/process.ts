import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** POST a GraphQL operation. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `src/server/main.ts` as a real process (as `npm start` does) and waits for its `listening on` line. */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--log-level', 'warn', ...args], {
    cwd: ROOT,
    env: { ...process.env, ZAGENS_API_KEY: '', DEEPSEEK_API_KEY: '', OPENAI_API_KEY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(Object.assign(new Error(`server exited with ${code}: ${err}`), { code, stderr: err }));
    child.once('exit', exited);
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      child.off('exit', exited);
      const url = match[1];
      resolve({
        child,
        url,
        stderr: () => err,
        async gql(query, variables) {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
          return res.json() as never;
        },
        kill(signal = 'SIGKILL') {
          return new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill(signal);
          });
        },
      });
    });
  });
}

/** Runs the server expecting it to fail at start; resolves with its exit code and stderr. */
export function spawnServerExpectingFailure(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return spawnServer(args).then(
    async (server) => {
      await server.kill();
      throw new Error('the server started but was expected to fail');
    },
    (error) => ({ code: error.code, stderr: error.stderr }),
  );
}
