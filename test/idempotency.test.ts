/**
 * Idempotency keys (issue 15): `clientRequestId` on the mutations that make something. A repeat returns the first
 * answer (the same records) without a second effect, also after kill -9 and a restart; the same key with another
 * input is a CONFLICT; 20 racing duplicates make exactly one effect; expired keys are purged and free again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RetentionSweeper } from '../src/runtime/retention.js';
import { GateEngine } from './support/gateEngine.js';
import { closeAndRemove, removeDir, startTestServer, tempDir, waitFor, type TestServer } from './support/harness.js';
import {
  codeOf,
  mutate,
  narrow,
  pendingApprovals,
  resolveApproval,
  startTurn,
  startedTurn,
  threadCount,
  threadEvents,
  waitForTurnEnd,
  type SdkServer,
} from './support/ops.js';
import {
  CompactThreadDocument,
  CreateThreadDocument,
  EditLastTurnDocument,
  ForkThreadDocument,
  InterruptTurnDocument,
  SteerTurnDocument,
  ThreadTurnsDocument,
  type CreateThreadInput,
  type StartTurnInput,
} from '../sdk/generated/graphql.js';
import { spawnServer, type ServerProcess } from './support/process.js';

const createThreadResult = (s: SdkServer, input: CreateThreadInput) => mutate(s, CreateThreadDocument, input);
/** createThread that must make (or repeat) a thread: its id. */
const createdThread = async (s: SdkServer, input: CreateThreadInput) => narrow(await createThreadResult(s, input), 'CreateThreadPayload').thread.id;

async function turnsOf(server: SdkServer, threadId: string) {
  const { thread } = await server.sdk.request(ThreadTurnsDocument, { id: threadId, first: 100, itemsFirst: 1 });
  if (!thread) throw new Error(`thread ${threadId} not found`);
  return thread.turns.edges.map((e) => e.node);
}

const allThreads = { archived: 'INCLUDE_ARCHIVED' } as const;

describe('a repeated mutation with the same clientRequestId', () => {
  let server: TestServer;
  const engine = new GateEngine();

  beforeAll(async () => {
    server = await startTestServer({ engine });
  });
  afterEach(() => engine.releaseAll());
  afterAll(async () => {
    engine.releaseAll();
    await closeAndRemove(server);
  });

  it('createThread and startTurn answer with the first thread and turn; nothing is made twice', async () => {
    const key = randomUUID();
    const first = await createThreadResult(server, { title: 'once', clientRequestId: key });
    const again = await createThreadResult(server, { title: 'once', clientRequestId: key });
    expect(first.__typename).toBe('CreateThreadPayload');
    expect(again).toEqual(first);
    const threadId = narrow(first, 'CreateThreadPayload').thread.id;
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'thread.started')).toHaveLength(1);

    const turnKey = randomUUID();
    const started = { turn: await startedTurn(server, { threadId, prompt: 'hi', clientRequestId: turnKey }) };
    const repeat = await startTurn(server, { threadId, prompt: 'hi', clientRequestId: turnKey });
    expect(repeat.__typename, JSON.stringify(repeat)).toBe('StartTurnPayload');
    expect(narrow(repeat, 'StartTurnPayload').turn.id).toBe(started.turn.id);
    expect(await turnsOf(server, threadId)).toHaveLength(1);
    engine.release(started.turn.id);
    await waitForTurnEnd(server, started.turn.id);
    // Later repeats still answer with that turn, as it is now.
    const later = await startedTurn(server, { threadId, prompt: 'hi', clientRequestId: turnKey });
    expect(later).toMatchObject({ id: started.turn.id, status: 'COMPLETED' });
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'turn.started')).toHaveLength(1);
  });

  it('a queued startTurn repeats with its queue position', async () => {
    const threadId = await createdThread(server, {});
    await startedTurn(server, { threadId, prompt: 'runs' });
    const key = randomUUID();
    const input: StartTurnInput = { threadId, prompt: 'waits', delivery: 'QUEUE', clientRequestId: key };
    const queued = await startTurn(server, input);
    expect(narrow(queued, 'StartTurnPayload').queued).toEqual({ position: 1 });
    expect(await startTurn(server, input)).toEqual(queued);
    expect(await turnsOf(server, threadId)).toHaveLength(2);
  });

  it('the same key with another input, or for another mutation, is a CONFLICT and changes nothing', async () => {
    const key = randomUUID();
    const threadId = await createdThread(server, { title: 'a', clientRequestId: key });
    const other = await createThreadResult(server, { title: 'b', clientRequestId: key });
    expect(other).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(narrow(other, 'ConflictError').message).toContain(key);
    const otherMutation = await startTurn(server, { threadId, prompt: 'hi', clientRequestId: key });
    expect(otherMutation).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(narrow(otherMutation, 'ConflictError').message).toContain('createThread');
    expect(await turnsOf(server, threadId)).toHaveLength(0);
    // Null and absent fields are the same input; so is another order of the fields.
    expect(await createdThread(server, { clientRequestId: key, systemPrompt: null, title: 'a' })).toBe(threadId);
  });

  it('a bad key is a VALIDATION error naming the field', async () => {
    for (const clientRequestId of ['', 'has space', 'x'.repeat(201), 'é']) {
      const r = await createThreadResult(server, { clientRequestId });
      expect(r, JSON.stringify(clientRequestId)).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    }
  });

  it('a request that failed stored nothing: its repeat runs again', async () => {
    const threadId = await createdThread(server, {});
    const running = { turn: await startedTurn(server, { threadId, prompt: 'first' }) };
    const key = randomUUID();
    const refused = await startTurn(server, { threadId, prompt: 'second', clientRequestId: key });
    expect(codeOf(refused)).toBe('TURN_ACTIVE');
    engine.release(running.turn.id);
    await waitForTurnEnd(server, running.turn.id);
    const accepted = await startTurn(server, { threadId, prompt: 'second', clientRequestId: key });
    expect(accepted.__typename).toBe('StartTurnPayload');
    expect(narrow(accepted, 'StartTurnPayload').turn.id).not.toBe(running.turn.id);
  });

  it('20 racing duplicates make exactly one thread, one turn, one steer, one fork', async () => {
    const race = <T>(make: () => Promise<T>) => Promise.all(Array.from({ length: 20 }, make));
    const before = await threadCount(server, allThreads);
    const key = randomUUID();
    const created = await race(() => createdThread(server, { title: 'race', clientRequestId: key }));
    expect(new Set(created).size).toBe(1);
    expect(await threadCount(server, allThreads)).toBe(before + 1);
    const threadId = created[0]!;

    const turnKey = randomUUID();
    const turns = await race(() => startTurn(server, { threadId, prompt: 'race', clientRequestId: turnKey }));
    expect(turns.map((t) => t.__typename)).toEqual(Array(20).fill('StartTurnPayload'));
    expect(new Set(turns.map((t) => narrow(t, 'StartTurnPayload').turn.id)).size).toBe(1);
    expect(await turnsOf(server, threadId)).toHaveLength(1);
    const turnId = narrow(turns[0], 'StartTurnPayload').turn.id;

    const steerKey = randomUUID();
    const steers = await race(() => mutate(server, SteerTurnDocument, { turnId, prompt: 'more', clientRequestId: steerKey }));
    expect(steers.map((s) => narrow(s, 'SteerTurnPayload').turn.steerCount)).toEqual(Array(20).fill(1));
    const events = await threadEvents(server, threadId);
    expect(events.filter((e) => e.name === 'turn.steered')).toHaveLength(1);

    const interruptKey = randomUUID();
    const interrupts = await race(() => mutate(server, InterruptTurnDocument, { turnId, clientRequestId: interruptKey }));
    expect(interrupts.map((i) => i.__typename)).toEqual(Array(20).fill('InterruptTurnPayload'));
    expect(interrupts.every((i) => narrow(i, 'InterruptTurnPayload').turn.status === 'INTERRUPTED')).toBe(true);
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'turn.interrupt_requested')).toHaveLength(1);

    const forkKey = randomUUID();
    const forks = await race(() => mutate(server, ForkThreadDocument, { threadId, clientRequestId: forkKey }));
    expect(new Set(forks.map((f) => narrow(f, 'ForkThreadPayload').thread.id)).size).toBe(1);
    expect(await threadCount(server, allThreads)).toBe(before + 2);
  });

  it('editLastTurn, compactThread and resolveApproval repeat with their first answer', async () => {
    const threadId = await createdThread(server, {});
    const first = { turn: await startedTurn(server, { threadId, prompt: 'original' }) };
    engine.release(first.turn.id);
    await waitForTurnEnd(server, first.turn.id);

    const editKey = randomUUID();
    const edit = { threadId, content: 'edited', clientRequestId: editKey };
    const editResult = await mutate(server, EditLastTurnDocument, edit);
    expect(editResult.__typename, JSON.stringify(editResult)).toBe('EditLastTurnPayload');
    const edited = narrow(editResult, 'EditLastTurnPayload');
    expect(await mutate(server, EditLastTurnDocument, edit)).toEqual(edited);
    engine.release(edited.turn.id);
    await waitForTurnEnd(server, edited.turn.id);
    // A repeat after the edited turn ended still answers with it: not a third turn, not TURN_ACTIVE.
    expect(narrow(await mutate(server, EditLastTurnDocument, edit), 'EditLastTurnPayload').turn.id).toBe(edited.turn.id);
    expect(await turnsOf(server, threadId)).toHaveLength(2);

    const compactKey = randomUUID();
    const compacted = narrow(await mutate(server, CompactThreadDocument, { threadId, clientRequestId: compactKey }), 'CompactThreadPayload');
    expect(compacted.turn.purpose).toBe('COMPACTION');
    engine.release(compacted.turn.id);
    await waitForTurnEnd(server, compacted.turn.id);
    expect(narrow(await mutate(server, CompactThreadDocument, { threadId, clientRequestId: compactKey }), 'CompactThreadPayload').turn.id).toBe(
      compacted.turn.id,
    );
    expect(await turnsOf(server, threadId)).toHaveLength(3);

    const asking = { turn: await startedTurn(server, { threadId, prompt: 'this needs approval' }) };
    const approvalId = await waitFor(async () => (await pendingApprovals(server, threadId))[0]?.id);
    const resolveKey = randomUUID();
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => resolveApproval(server, { approvalId, decision: 'APPROVE', clientRequestId: resolveKey })),
    );
    expect(decisions.map((d) => d.__typename)).toEqual(Array(5).fill('ResolveApprovalPayload'));
    expect(decisions.every((d) => narrow(d, 'ResolveApprovalPayload').approval.status === 'APPROVED')).toBe(true);
    // Without the key the second decision is refused as before.
    expect(codeOf(await resolveApproval(server, { approvalId, decision: 'APPROVE' }))).toBe('CONFLICT');
    expect(codeOf(await resolveApproval(server, { approvalId, decision: 'DENY', clientRequestId: resolveKey }))).toBe('CONFLICT');
    engine.release(asking.turn.id);
    await waitForTurnEnd(server, asking.turn.id);
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'approval.resolved')).toHaveLength(1);
  });
});

describe('expiry of clientRequestIds', () => {
  let server: TestServer;
  let now = Date.parse('2026-01-01T00:00:00Z');
  const TTL = 60_000;

  beforeAll(async () => {
    server = await startTestServer({ runtime: { clock: () => now, idempotencyTtlMs: TTL, retentionSweepMs: 3_600_000 } });
  });
  afterAll(async () => {
    await closeAndRemove(server);
  });

  it('within the TTL a repeat answers with the first thread; after it the key is purged and makes a new one', async () => {
    const key = randomUUID();
    const first = await createdThread(server, { clientRequestId: key });
    now += TTL - 1;
    expect(await createdThread(server, { clientRequestId: key })).toBe(first);
    const sweeper = new RetentionSweeper(server.runtime);
    await sweeper.sweep();
    expect(await server.runtime.store.getIdempotency(key)).not.toBeNull();

    now += 1;
    await sweeper.sweep();
    expect(await server.runtime.store.getIdempotency(key)).toBeNull();
    // The key is free: a new request with it (even another input) is a new request.
    const second = await createdThread(server, { title: 'new', clientRequestId: key });
    expect(second).not.toBe(first);
    expect((await server.runtime.store.getIdempotency(key))?.result.threadId).toBe(second);
  });

  it('an expired key not yet purged is free too, and the purge then keeps its new record', async () => {
    const key = randomUUID();
    const first = await createdThread(server, { clientRequestId: key });
    now += TTL;
    const second = await createdThread(server, { clientRequestId: key });
    expect(second).not.toBe(first);
    await new RetentionSweeper(server.runtime).sweep();
    expect((await server.runtime.store.getIdempotency(key))?.result.threadId).toBe(second);
    expect(await createdThread(server, { clientRequestId: key })).toBe(second);
  });
});

describe('clientRequestIds across kill -9 and restart of a real server process', () => {
  let dataDir: string;
  let args: string[];
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    dataDir = await tempDir();
    args = ['--data-dir', dataDir, '--workspace', dataDir, '--engine', 'offline'];
  });
  afterAll(async () => {
    await server?.kill();
    await removeDir(dataDir);
  });

  it('an acknowledged request repeats after kill -9 with its first answer; one killed mid-request runs at most once', async () => {
    server = await spawnServer(args);
    const threadKey = randomUUID();
    const threadId = await createdThread(server, { title: 'durable', clientRequestId: threadKey });
    const turnKey = randomUUID();
    const turnId = (await startedTurn(server, { threadId, prompt: 'hello', clientRequestId: turnKey })).id;
    await server.kill('SIGKILL');

    server = await spawnServer(args);
    expect(await createdThread(server, { title: 'durable', clientRequestId: threadKey })).toBe(threadId);
    const repeat = await startedTurn(server, { threadId, prompt: 'hello', clientRequestId: turnKey });
    expect(repeat.id).toBe(turnId);
    expect(codeOf(await startTurn(server, { threadId, prompt: 'other', clientRequestId: turnKey }))).toBe('CONFLICT');
    await waitFor(async () => (await turnsOf(server!, threadId)).every((t) => t.status !== 'IN_PROGRESS'), 10_000, 'the turn to end');

    // Requests killed at spread delays: after the restart, the repeat makes the turn if (and only if) the first did not.
    for (const delay of [0, 2, 5, 10, 20]) {
      const key = randomUUID();
      const prompt = `killed after ${delay} ms`;
      const input: StartTurnInput = { threadId, prompt, delivery: 'QUEUE', clientRequestId: key };
      let acked: string | null = null;
      const request = startTurn(server, input).then(
        (r) => (acked = r.__typename === 'StartTurnPayload' ? r.turn.id : null),
        () => null,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      await server.kill('SIGKILL');
      await request;
      server = await spawnServer(args);
      const repeatedResult = await startTurn(server, input);
      expect(repeatedResult.__typename, JSON.stringify(repeatedResult)).toBe('StartTurnPayload');
      const repeated = narrow(repeatedResult, 'StartTurnPayload');
      if (acked) expect(repeated.turn.id).toBe(acked);
      const made = (await turnsOf(server, threadId)).filter((t) => t.prompt === prompt);
      expect(made.map((t) => t.id)).toEqual([repeated.turn.id]);
    }
  }, 120_000);
});
