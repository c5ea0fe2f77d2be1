/**
 * examples/run-turn.ts, run as a user would (`npx tsx examples/run-turn.ts URL PROMPT`) against a real server:
 * it creates a thread, starts a turn and prints the answer to stdout while it streams.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { agentMessage, latestTurn } from './support/ops.js';
import { defined } from '../src/domain/defined.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as it arrived: one entry per chunk read from the pipe, with the time it arrived. */
  chunks: { at: number; text: string }[];
}

function runExample(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/run-turn.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ZAGENS_URL: '', ZAGENS_AUTH_TOKEN: '', ZAGENS_PROMPT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { code: null, stdout: '', stderr: '', chunks: [] };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    run.stdout += text;
    run.chunks.push({ at: Date.now(), text });
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (run.stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`examples/run-turn.ts did not exit in time\nstdout: ${run.stdout}\nstderr: ${run.stderr}`));
    }, 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ...run, code });
    });
  });
}

async function answerOf(server: TestServer, threadId: string): Promise<string> {
  const turn = await latestTurn(server, threadId);
  expect(turn.status).toBe('COMPLETED');
  return agentMessage(turn).text;
}

let server: TestServer;
beforeAll(async () => {
  // Slow enough deltas that the answer visibly arrives in pieces.
  server = await startTestServer({ engine: new OfflineEngine(60) });
});
afterAll(async () => {
  await server?.close();
});

describe('examples/run-turn.ts', () => {
  it('creates a thread, runs a turn and prints the answer as it streams, then exits 0', { timeout: 40_000 }, async () => {
    const run = await runExample([server.url, 'Hello from the example']);
    expect(run.code, run.stderr).toBe(0);

    const threadId = /thread (thr_\w+)/.exec(run.stderr)?.[1];
    expect(threadId, run.stderr).toBeDefined();
    expect(run.stderr).toMatch(/turn turn_\w+: Hello from the example/);
    expect(run.stderr).toMatch(/turn completed/);

    const answer = await answerOf(server, threadId!);
    expect(answer).toContain('(offline engine) You said: "Hello from the example"');
    expect(run.stdout).toBe(`${answer}\n`);

    // Printed as it arrived, not all at the end.
    expect(run.chunks.length).toBeGreaterThanOrEqual(3);
    expect(defined(run.chunks.at(-1), 'the last chunk').at - defined(run.chunks[0], 'the first chunk').at).toBeGreaterThan(200);
  });

  it('takes the server URL from ZAGENS_URL', { timeout: 40_000 }, async () => {
    const run = await runExample([], { ZAGENS_URL: server.url, ZAGENS_PROMPT: 'From the environment' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('(offline engine) You said: "From the environment"');
  });

  it('follows the turn over SSE with ZAGENS_TRANSPORT=sse', { timeout: 40_000 }, async () => {
    const run = await runExample([server.url, 'Over SSE'], { ZAGENS_TRANSPORT: 'sse' });
    expect(run.code, run.stderr).toBe(0);
    const threadId = /thread (thr_\w+)/.exec(run.stderr)?.[1];
    expect(run.stdout).toBe(`${await answerOf(server, threadId!)}\n`);
  });

  it('sends ZAGENS_AUTH_TOKEN to a server that runs with --auth-token', { timeout: 40_000 }, async () => {
    const secured = await startTestServer({ config: { authToken: 'example-token' } });
    try {
      const ok = await runExample([secured.url], { ZAGENS_AUTH_TOKEN: 'example-token' });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('(offline engine) You said: "Hello! What can you do?"');

      const refused = await runExample([secured.url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^run-turn: CreateThread failed: missing or wrong bearer token \[UNAUTHENTICATED\] \(HTTP 401\)/m);
    } finally {
      await secured.close();
    }
  });

  it('exits 1 with a clear message when the server cannot be reached', { timeout: 40_000 }, async () => {
    const gone = await startTestServer();
    await gone.close();
    const run = await runExample([gone.url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^run-turn: CreateThread failed: cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql: ECONNREFUSED/m);
  });
});
