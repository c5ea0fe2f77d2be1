import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIEngine } from '../src/engine/openaiEngine.js';
import { startFakeProvider, textReply, type FakeProvider, type Reply } from './support/fakeProvider.js';
import { removeDir, startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { createThread, mutate, narrow, startTurn, threadCount, threadEvents, threadState, waitForTurnEnd } from './support/ops.js';
import {
  DeleteThreadDocument,
  RuntimeEventsDocument,
  ThreadDocument,
  UpdateThreadDocument,
  type EventFieldsFragment,
} from '../sdk/generated/graphql.js';

// deleteThread and retention purge a thread's content from every row of the store and from every replay; the
// global log keeps one content-free tombstone per purged seq.

let server: TestServer;
let fake: FakeProvider | null = null;

afterEach(async () => {
  await server.close();
  await fake?.close();
  fake = null;
  await removeDir(server.workspace);
  await removeDir(server.dataDir);
});

const deleteThread = (threadId: string) => mutate(server, DeleteThreadDocument, { threadId });
/** The runtime events from `sinceSeq` on, until `until`, as compared here (no timestamp). */
const runtimeEvents = (sinceSeq: number, until: (e: EventFieldsFragment) => boolean) =>
  subscribe(server.ws(), RuntimeEventsDocument, { sinceSeq }, (v) => until(v.runtimeEvents)).done.then((values) =>
    values.map(({ runtimeEvents: { seq, name, threadId, turnId, itemId, payload } }) => ({ seq, name, threadId, turnId, itemId, payload })),
  );

/** Every key and value of the LevelDB, as raw text (all sublevels). */
async function allRows(s: TestServer): Promise<string[]> {
  const rows: string[] = [];
  for await (const [key, value] of s.store.db.iterator({ keyEncoding: 'utf8', valueEncoding: 'utf8' })) rows.push(`${key} => ${value}`);
  return rows;
}

function toolReply(name: string, args: unknown): Reply {
  return { kind: 'stream', chunks: [{ toolCalls: [{ id: `call_${name}`, name, arguments: JSON.stringify(args) }] }] };
}

async function runTurn(threadId: string, prompt: string) {
  const started = await startTurn(server, { threadId, prompt });
  expect(started.__typename, JSON.stringify(started)).toBe('StartTurnPayload');
  return waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
}

describe('deleteThread purges', () => {
  it('leaves no text of the thread in any store row or replay; other threads keep theirs; seq stays gapless', async () => {
    fake = await startFakeProvider();
    server = await startTestServer({ engine: new OpenAIEngine({ baseURL: fake.baseURL, apiKey: 'test', retryBaseMs: 10 }) });
    const secret = 'PURPLE-ELEPHANT-7731';
    const threadId = await createThread(server, {
      title: `title ${secret}`,
      systemPrompt: `system ${secret}`,
      autoApprove: true,
      taskId: `task-${secret}`,
    });
    fake.script(toolReply('write_file', { path: 'notes.txt', content: `file ${secret}\n` }), textReply(`answer ${secret}`));
    expect((await runTurn(threadId, `prompt ${secret}`)).status).toBe('COMPLETED');
    fake.script(textReply(`second answer ${secret}`));
    expect((await runTurn(threadId, `again ${secret}`)).status).toBe('COMPLETED');

    const kept = 'KEPT-GIRAFFE-4410';
    const otherId = await createThread(server, { title: kept });
    fake.script(textReply(`answer ${kept}`));
    expect((await runTurn(otherId, `prompt ${kept}`)).status).toBe('COMPLETED');

    expect((await allRows(server)).some((r) => r.includes(secret))).toBe(true);
    const before = await threadEvents(server, threadId);
    expect(before.length).toBeGreaterThan(5);

    // A subscriber (from the current seq on, so it cannot miss it) sees the deletion announced, without content.
    const live = runtimeEvents(server.runtime.log.latestSeq, (e) => e.name === 'thread.deleted');
    const deleted = await deleteThread(threadId);
    expect(deleted).toEqual({ __typename: 'DeleteThreadPayload', deletedThreadId: threadId });
    const [announcement] = await live;
    expect(announcement).toMatchObject({ name: 'thread.deleted', threadId, payload: { reason: 'DELETED', purgedEvents: before.length } });

    const rows = await allRows(server);
    expect(rows.filter((r) => r.includes(secret))).toEqual([]);
    expect(rows.some((r) => r.includes(kept))).toBe(true);

    // Replays: the thread's own replay is empty, the global one has a tombstone at each of its seqs.
    expect(await threadEvents(server, threadId)).toEqual([]);
    const latestSeq = server.runtime.log.latestSeq;
    const all = await runtimeEvents(0, (e) => e.seq === latestSeq);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: latestSeq }, (_, i) => i + 1));
    expect(JSON.stringify(all)).not.toContain(secret);
    const tombstones = all.filter((e) => e.threadId === threadId && e.name === 'event.purged');
    expect(tombstones.map((e) => e.seq)).toEqual(before.map((e) => e.seq));
    expect(tombstones[0]).toEqual({
      seq: before[0]?.seq,
      name: 'event.purged',
      threadId,
      turnId: null,
      itemId: null,
      payload: { reason: 'DELETED' },
    });
    expect(JSON.stringify(all)).toContain(kept);

    // Nothing of it is readable any more, and it survives a restart that way.
    const gone = {
      thread: (await server.sdk.request(ThreadDocument, { id: threadId })).thread,
      threads: { totalCount: await threadCount(server, { search: 'ELEPHANT' }) },
    };
    expect(gone).toEqual({ thread: null, threads: { totalCount: 0 } });
    server = await server.restart();
    expect((await allRows(server)).filter((r) => r.includes(secret))).toEqual([]);
    expect((await deleteThread(threadId)).__typename).toBe('NotFoundError');
  });
});

describe('retention', () => {
  let now = Date.parse('2026-01-10T00:00:00Z');
  const clock = () => now;

  it('purges a thread at its expiresAt and archived threads older than --retain-archived-days, as events', async () => {
    server = await startTestServer({ runtime: { clock, retentionSweepMs: 20, retainArchivedDays: 30 } });
    const expiring = await createThread(server, { title: 'expiring secret', expiresAt: '2026-01-11T00:00:00Z' });
    const archived = await createThread(server, { title: 'archived secret', archived: true });
    const active = await createThread(server, { title: 'active stays' });
    const cleared = await createThread(server, { title: 'expiry cleared', expiresAt: '2026-01-11T00:00:00Z' });
    const u = await mutate(server, UpdateThreadDocument, { threadId: cleared, expiresAt: null });
    expect(narrow(u, 'UpdateThreadPayload').thread.expiresAt).toBeNull();
    expect((await threadState(server, expiring)).expiresAt).toBe('2026-01-11T00:00:00.000Z');

    const exists = async (id: string) => (await server.sdk.request(ThreadDocument, { id })).thread !== null;
    // A day later the expiring thread goes; the archived one is not old enough yet.
    now += 2 * 86_400_000;
    await waitFor(async () => !(await exists(expiring)), 5000, 'the expired thread to be purged');
    expect(await exists(archived)).toBe(true);

    now += 40 * 86_400_000;
    await waitFor(async () => !(await exists(archived)), 5000, 'the old archived thread to be purged');
    expect(await exists(active)).toBe(true);
    expect(await exists(cleared)).toBe(true);

    const latestSeq = server.runtime.log.latestSeq;
    const all = await runtimeEvents(0, (e) => e.seq === latestSeq);
    expect(all.filter((e) => e.name === 'thread.deleted').map((e) => [e.threadId, (e.payload as { reason?: string }).reason])).toEqual([
      [expiring, 'EXPIRED'],
      [archived, 'RETENTION'],
    ]);
    expect(JSON.stringify(all)).not.toContain('secret');
  });

  it('refuses an expiresAt that is not a time', async () => {
    server = await startTestServer();
    // Not a DateTime: bad input, sent raw.
    const r = await server.gql(`mutation { createThread(input: { expiresAt: "soon" }) { __typename } }`);
    expect(r.errors?.[0]?.message).toMatch(/DateTime/);
  });
});
