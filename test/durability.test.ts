/**
 * Durable acknowledgements: by default every write reaches LevelDB with `sync: true`, and nothing is answered or
 * published before that synced write has completed. `--durability relaxed` writes without sync.
 */
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/server/config.js';
import { startTestServer, subscribe, type TestServer } from './support/harness.js';
import { createThread } from './support/ops.js';

type BatchFn = (this: ClassicLevel, operations: unknown[], options: { sync?: boolean }) => Promise<void>;

/** Records the `sync` option of every batch that reaches classic-level; `hold()` makes the next ones wait. */
function watchBatches() {
  const proto = ClassicLevel.prototype as unknown as { _batch: BatchFn };
  const original = proto._batch;
  const syncs: (boolean | undefined)[] = [];
  let gate: Promise<void> | null = null;
  let writesWaiting = 0;
  const spy = vi.spyOn(proto, '_batch').mockImplementation(async function (this: ClassicLevel, operations, options) {
    syncs.push(options?.sync);
    if (gate) {
      writesWaiting++;
      await gate;
    }
    return original.call(this, operations, options);
  });
  return {
    syncs,
    get writesWaiting() {
      return writesWaiting;
    },
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    restore: () => spy.mockRestore(),
  };
}

describe('durability', () => {
  let server: TestServer | undefined;
  let batches: ReturnType<typeof watchBatches> | undefined;
  afterEach(async () => {
    batches?.restore();
    await server?.close();
    server = undefined;
  });

  it('is strict unless configured otherwise; --durability and ZAGENS_DURABILITY choose relaxed; other values are refused', () => {
    expect(parseConfig([], {}).durability).toBe('strict');
    expect(parseConfig(['--durability', 'relaxed'], {}).durability).toBe('relaxed');
    expect(parseConfig([], { ZAGENS_DURABILITY: 'relaxed' }).durability).toBe('relaxed');
    expect(() => parseConfig(['--durability', 'sometimes'], {})).toThrow(/sometimes/);
  });

  it('strict: every write is synced, and neither the answer nor the event goes out before the synced write completes', async () => {
    server = await startTestServer();
    batches = watchBatches();
    // From seq 0 (the server is new): the first event arrives even if it commits before the subscription is set up.
    const live = subscribe(server.ws(), `subscription { runtimeEvents(sinceSeq: 0) { seq name threadId } }`, {}, (_v, all) => all.length >= 2);
    // The subscription is live once it has received an event: make one before holding writes.
    await createThread(server);
    await vi.waitFor(() => expect(live.values).toHaveLength(1));

    const release = batches.hold();
    let answered = false;
    const creating = createThread(server).then((id) => ((answered = true), id));
    await vi.waitFor(() => expect(batches!.writesWaiting).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    expect(live.values).toHaveLength(1);
    release();
    const id = await creating;
    const events = await live.done;
    expect(events[1].runtimeEvents).toMatchObject({ name: 'thread.started', threadId: id });
    expect(batches.syncs.length).toBeGreaterThan(0);
    expect(batches.syncs.every((s) => s === true)).toBe(true);
  });

  it('relaxed: writes are not synced', async () => {
    server = await startTestServer({ config: { durability: 'relaxed' } });
    batches = watchBatches();
    await createThread(server);
    expect(batches.syncs.length).toBeGreaterThan(0);
    expect(batches.syncs.every((s) => s === false)).toBe(true);
  });
});
