import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createZagensClient, type ZagensClient } from '../../sdk/client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** POST a GraphQL operation. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }>;
  /** The project's typed SDK client on this server (closed by kill). */
  sdk: ZagensClient;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The environment of a spawned server: no API key from the developer's shell. */
const serverEnv = (env: Record<string, string>) => ({ ...process.env, ZAGENS_API_KEY: '', DEEPSEEK_API_KEY: '', OPENAI_API_KEY: '', ...env });

/**
 * Runs the built server, `dist/server/main.js` (what `npm start` runs; the tests' global setup builds it from the
 * current sources), as a real process and waits for its `listening on` line.
 */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return waitListening(
    spawn(process.execPath, ['dist/server/main.js', '--port', '0', '--log-level', 'warn', ...args], {
      cwd: ROOT,
      env: serverEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** `npm start -- <args>`, exactly as a user or a process manager runs it; `child` is npm itself. */
export function spawnNpmStart(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  return waitListening(
    spawn('npm', ['start', '--silent', '--', '--port', '0', '--log-level', 'warn', ...args], {
      cwd: ROOT,
      env: serverEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

function waitListening(child: ChildProcess): Promise<ServerProcess> {
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(Object.assign(new Error(`server exited with ${code}: ${err}`), { code, stderr: err }));
    child.once('exit', exited);
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match?.[1]) return;
      child.off('exit', exited);
      const url = match[1];
      const sdk = createZagensClient({ url, webSocketImpl: WebSocket });
      resolve({
        child,
        url,
        sdk,
        stderr: () => err,
        async gql(query, variables) {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables }),
          });
          return res.json() as never;
        },
        async kill(signal = 'SIGKILL') {
          await sdk.dispose();
          return new Promise((done) => {
            // A process killed by a signal has signalCode set and exitCode null; its 'exit' has already fired.
            if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill(signal);
          });
        },
      });
    });
  });
}

/** Runs the server expecting it to fail at start; resolves with its exit code and stderr. */
export function spawnServerExpectingFailure(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return spawnServer(args, env).then(
    async (server) => {
      await server.kill();
      throw new Error('the server started but was expected to fail');
    },
    (error) => ({ code: error.code, stderr: error.stderr }),
  );
}
