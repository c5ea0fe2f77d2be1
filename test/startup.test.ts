/**
 * Start-up and stop as a user and a process manager meet them, each as a real process: every failure to start
 * is one line `zagens-runtime: …` saying what to do, with exit code 1; `npm start` stops on SIGTERM and SIGINT
 * sent to npm itself, and exits 0 after a clean shutdown.
 */
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { removeDir, tempDir } from './support/harness.js';
import { spawnNpmStart, spawnServerExpectingFailure } from './support/process.js';
import { CreateThreadDocument } from '../sdk/generated/graphql.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeDir(dir));

/** The whole of stderr is one line: the reason and what to do. */
function expectOneLine(result: { code: number | null; stderr: string }, ...phrases: (string | RegExp)[]): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^zagens-runtime: /);
  expect(lines[0]).not.toMatch(/\bat .*:\d+:\d+\)?$/); // no stack frame
  for (const phrase of phrases) expect(lines[0]).toMatch(phrase);
}

describe('a server that cannot start says why in one line and exits 1', () => {
  it('a port another process really holds', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const result = await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'port'), '--port', String(port)]);
      expectOneLine(result, `port ${port} on 127.0.0.1 is already in use`, /--port/);
    } finally {
      holder.close();
    }
  });

  it('--engine openai without an API key', async () => {
    expectOneLine(await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'key'), '--engine', 'openai']), /needs an API key/, /--api-key/);
  });

  it('a --pricing-file that is missing, not JSON, or not a pricing table', async () => {
    const missing = path.join(dir, 'nope.json');
    expectOneLine(
      await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'p1'), '--pricing-file', missing]),
      `cannot read --pricing-file ${missing} (no such file)`,
    );
    const notJson = path.join(dir, 'bad.json');
    await writeFile(notJson, '{ entries: ');
    expectOneLine(
      await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'p2'), '--pricing-file', notJson]),
      `--pricing-file ${notJson} is not valid JSON`,
    );
    const invalid = path.join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ entries: [{ pattern: 1 }] }));
    expectOneLine(
      await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'p3'), '--pricing-file', invalid]),
      `--pricing-file ${invalid}: invalid pricing table: entries.0.pattern`,
    );
  });

  it('a --data-dir that is a file, or under one', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    expectOneLine(await spawnServerExpectingFailure(['--data-dir', file]), `--data-dir ${file} is a file, not a directory`);
    expectOneLine(
      await spawnServerExpectingFailure(['--data-dir', path.join(file, 'sub')]),
      `cannot open the store under ${path.join(file, 'sub')}`,
      /ENOTDIR/,
    );
  });

  it('a --workspace that does not exist or is a file, checked before listening', async () => {
    expectOneLine(
      await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'w1'), '--workspace', '/nope']),
      '--workspace /nope does not exist',
    );
    const file = path.join(dir, 'ws-file');
    await writeFile(file, 'x');
    expectOneLine(await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'w2'), '--workspace', file]), `--workspace ${file} is a file`);
  });

  it('the same through the environment variables', async () => {
    expectOneLine(
      await spawnServerExpectingFailure(['--data-dir', path.join(dir, 'env')], { ZAGENS_WORKSPACE: '/nope' }),
      '--workspace /nope does not exist',
      /ZAGENS_WORKSPACE/,
    );
  });
});

describe('npm start stops when a process manager signals npm', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to npm's pid: the server shuts down cleanly, npm exits 0, port and data directory are free`, { timeout: 60_000 }, async () => {
      const dataDir = path.join(dir, `npm-${signal}`);
      const server = await spawnNpmStart(['--data-dir', dataDir]);
      const { createThread } = await server.sdk.request(CreateThreadDocument, { input: {} });
      expect(createThread.__typename).toBe('CreateThreadPayload');
      const { port } = new URL(server.url);

      expect(await server.kill(signal)).toBe(0); // npm's own exit code: the server exited 0
      expect(server.stderr()).not.toMatch(/error|Error/);
      // Nothing is left holding the port or the LevelDB lock.
      await expect(connect(Number(port))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      const store = await Store.open(path.join(dataDir, 'runtime'));
      await store.close();
    });
  }
});

function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
