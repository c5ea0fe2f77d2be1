/**
 * A full disk that recovers (issue #20, case 4), on a real tmpfs: the data directory is a tmpfs mount of a few
 * MiB that the test fills until LevelDB refuses writes (a table it cannot write leaves its background error
 * sticky), then enlarges with `mount -o remount,size=…`. The store recovers by itself: `/health` is 503 while
 * writes are refused and 200 again after, the end of a turn that could not be written is written by its
 * retry, new writes work, and a restart finds everything acknowledged.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, EngineEvent, EngineInput } from '../src/engine/types.js';
import { removeDir, startTestServer, tempDir, waitFor, type TestServer } from './support/harness.js';
import { checkInvariants, dumpStore } from './support/invariants.js';
import { createThread, graphqlError, mutate, narrow, startTurn, threadState, turnState } from './support/ops.js';
import { ZagensGraphQLError } from '../sdk/client.js';
import { CreateThreadDocument } from '../sdk/generated/graphql.js';

/** Answers at once, except a prompt saying "hold": that turn streams a little and waits for `release()`. */
class HoldEngine implements Engine {
  readonly name = 'hold';
  private releaseHeld: () => void = () => {};
  private held = new Promise<void>((resolve) => (this.releaseHeld = resolve));

  release(): void {
    this.releaseHeld();
  }

  async *runTurn(input: EngineInput): AsyncIterable<EngineEvent> {
    const last = input.messages.at(-1);
    yield { type: 'item.started', key: 'a', kind: 'AGENT_MESSAGE' };
    yield { type: 'item.delta', key: 'a', field: 'text', delta: 'working' };
    if (last?.role === 'user' && last.content === 'hold') await this.held;
    yield { type: 'item.completed', key: 'a' };
  }
}

function mount(...args: string[]): void {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`this test needs to mount a tmpfs (run as root with CAP_SYS_ADMIN): mount ${args.join(' ')}: ${stderr || error}`);
  }
}

describe('a full disk that recovers (real tmpfs)', () => {
  let dir: string;
  let mounted = false;
  let server: TestServer | null = null;
  const engine = new HoldEngine();

  beforeAll(async () => {
    dir = await tempDir('zagens-tmpfs-');
    mount('-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', dir);
    mounted = true;
  });
  afterAll(async () => {
    await server?.close();
    if (mounted) execFileSync('umount', [dir]);
    await removeDir(dir);
  });

  it('writes are refused while it is full, /health is 503; after it grows the store recovers, the turn end is written, nothing acknowledged is lost', async () => {
    server = await startTestServer({ engine, dataDir: dir });
    const s = server;
    const heldThread = await createThread(s, { title: 'held' });
    const held = await startTurn(s, { threadId: heldThread, prompt: 'hold' });
    const heldTurn = narrow(held, 'StartTurnPayload').turn.id;
    await waitFor(
      async () => (await s.runtime.store.readEvents(heldThread, 0, 100)).some((e) => e.name === 'item.delta'),
      5000,
      'the held turn to stream',
    );

    // Fill it: threads with 60 KiB of incompressible system prompt each, until the store refuses one.
    const acknowledged: string[] = [];
    let refusal: unknown = null;
    for (let i = 0; i < 500 && !refusal; i++) {
      await mutate(s, CreateThreadDocument, { title: `fill ${i}`, systemPrompt: randomBytes(45 * 1024).toString('base64') }).then(
        (r) => (r.__typename === 'CreateThreadPayload' ? acknowledged.push(r.thread.id) : (refusal = r)),
        (error: unknown) => (refusal = error),
      );
    }
    expect(refusal, 'the 6 MiB disk filled up').not.toBeNull();
    expect(refusal).toBeInstanceOf(ZagensGraphQLError);
    expect((refusal as ZagensGraphQLError).errors[0]).toMatchObject({
      message: expect.stringMatching(/store refused the write/),
      extensions: { code: 'STORAGE_UNAVAILABLE' },
    });
    expect(JSON.stringify(refusal)).toMatch(/space/i);

    // Full: writes are refused, /health says not ready, reads still work.
    const health = await fetch(s.url.replace('/graphql', '/health'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/refuses writes/) });
    const again = await graphqlError(createThread(s, { title: 'while full' }));
    expect(again.code).toBe('STORAGE_UNAVAILABLE');
    expect((await threadState(s, heldThread)).title).toBe('held');

    // The held turn ends now: its end cannot be written and stays IN_PROGRESS on disk, retried in the background.
    engine.release();
    await waitFor(() => !s.runtime.active.get(heldThread), 5000, 'the held turn to leave the running set');
    expect((await turnState(s, heldTurn)).status).toBe('IN_PROGRESS');

    // The disk grows: the store reopens by itself, /health is ready, the turn's end is written by its retry.
    mount('-o', 'remount,size=64m', dir);
    await waitFor(async () => (await fetch(s.url.replace('/graphql', '/health'))).status === 200, 15_000, '/health to be ready again');
    const ended = await waitFor(
      async () => {
        const turn = await turnState(s, heldTurn);
        return turn.status !== 'IN_PROGRESS' ? turn : null;
      },
      15_000,
      'the retried turn end',
    );
    // Its last item could not be written while the disk was full either: the end says so.
    expect(ended).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^storage write failed: .*space/i) });

    // New writes work, with no gap in seq.
    const latest = s.runtime.log.latestSeq;
    const after = await mutate(s, CreateThreadDocument, { title: 'after' });
    expect(after.__typename).toBe('CreateThreadPayload');
    const afterId = narrow(after, 'CreateThreadPayload').thread.id;
    expect((await s.runtime.store.readEvents(afterId, 0, 10))[0]?.seq).toBe(latest + 1);
    await s.runtime.log.drain();
    expect(checkInvariants(await dumpStore(s.store), { quiescent: true })).toEqual([]);

    // A restart on the same disk finds everything that was acknowledged, and the ended turn.
    server = await s.restart();
    const restarted = server;
    const d = await dumpStore(restarted.store);
    expect(checkInvariants(d, { quiescent: true })).toEqual([]);
    for (const id of [heldThread, ...acknowledged, afterId]) expect(d.threads.has(id), id).toBe(true);
    expect(d.turns.get(heldTurn)?.status).toBe('FAILED');
  }, 90_000);
});
