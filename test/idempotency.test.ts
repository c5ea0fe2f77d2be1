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
import { threadEvents, waitForTurnEnd } from './support/ops.js';
import { spawnServer, type ServerProcess } from './support/process.js';

type Json = any;

const CREATE = `mutation($input: CreateThreadInput!) { createThread(input: $input) {
  __typename ... on CreateThreadPayload { thread { id title } } ... on UserError { code message } } }`;
const START = `mutation($input: StartTurnInput!) { startTurn(input: $input) {
  __typename ... on StartTurnPayload { turn { id status prompt } queued { position } } ... on UserError { code message } } }`;
const STEER = `mutation($input: SteerTurnInput!) { steerTurn(input: $input) {
  __typename ... on SteerTurnPayload { turn { id steerCount } } ... on UserError { code message } } }`;
const INTERRUPT = `mutation($input: InterruptTurnInput!) { interruptTurn(input: $input) {
  __typename ... on InterruptTurnPayload { turn { id status } } ... on UserError { code message } } }`;
const EDIT = `mutation($input: EditLastTurnInput!) { editLastTurn(input: $input) {
  __typename ... on EditLastTurnPayload { turn { id prompt } } ... on UserError { code message } } }`;
const FORK = `mutation($input: ForkThreadInput!) { forkThread(input: $input) {
  __typename ... on ForkThreadPayload { thread { id } originalUserText } ... on UserError { code message } } }`;
const COMPACT = `mutation($input: CompactThreadInput!) { compactThread(input: $input) {
  __typename ... on CompactThreadPayload { turn { id purpose } } ... on UserError { code message } } }`;
const RESOLVE = `mutation($input: ResolveApprovalInput!) { resolveApproval(input: $input) {
  __typename ... on ResolveApprovalPayload { approval { id status } } ... on UserError { code message } } }`;
const TURNS = `query($id: ID!) { thread(id: $id) { turnCount: turns { totalCount } turns(first: 100) { nodes { id prompt status } } } }`;
const THREAD_COUNT = `query { threads(first: 500, filter: { archived: INCLUDE_ARCHIVED }) { totalCount } }`;

const field = (r: Json, name: string) => {
  if (!r.data?.[name]) throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r.data[name];
};

type Gql = { gql(query: string, variables?: Record<string, unknown>): Promise<Json> };

async function gqlField(server: Gql, query: string, input: Record<string, unknown>, name: string) {
  return field(await server.gql(query, { input }), name);
}

async function turnsOf(server: Gql, threadId: string): Promise<{ id: string; prompt: string; status: string }[]> {
  return field(await server.gql(TURNS, { id: threadId }), 'thread').turns.nodes;
}

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
    const first = await gqlField(server, CREATE, { title: 'once', clientRequestId: key }, 'createThread');
    const again = await gqlField(server, CREATE, { title: 'once', clientRequestId: key }, 'createThread');
    expect(first.__typename).toBe('CreateThreadPayload');
    expect(again).toEqual(first);
    const threadId = first.thread.id;
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'thread.started')).toHaveLength(1);

    const turnKey = randomUUID();
    const started = await gqlField(server, START, { threadId, prompt: 'hi', clientRequestId: turnKey }, 'startTurn');
    const repeat = await gqlField(server, START, { threadId, prompt: 'hi', clientRequestId: turnKey }, 'startTurn');
    expect(repeat.__typename, JSON.stringify(repeat)).toBe('StartTurnPayload');
    expect(repeat.turn.id).toBe(started.turn.id);
    expect(await turnsOf(server, threadId)).toHaveLength(1);
    engine.release(started.turn.id);
    await waitForTurnEnd(server, started.turn.id);
    // Later repeats still answer with that turn, as it is now.
    const later = await gqlField(server, START, { threadId, prompt: 'hi', clientRequestId: turnKey }, 'startTurn');
    expect(later.turn).toMatchObject({ id: started.turn.id, status: 'COMPLETED' });
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'turn.started')).toHaveLength(1);
  });

  it('a queued startTurn repeats with its queue position', async () => {
    const threadId = field(await server.gql(CREATE, { input: {} }), 'createThread').thread.id;
    await gqlField(server, START, { threadId, prompt: 'runs' }, 'startTurn');
    const key = randomUUID();
    const input = { threadId, prompt: 'waits', delivery: 'QUEUE', clientRequestId: key };
    const queued = await gqlField(server, START, input, 'startTurn');
    expect(queued.queued).toEqual({ position: 1 });
    expect(await gqlField(server, START, input, 'startTurn')).toEqual(queued);
    expect(await turnsOf(server, threadId)).toHaveLength(2);
  });

  it('the same key with another input, or for another mutation, is a CONFLICT and changes nothing', async () => {
    const key = randomUUID();
    const threadId = (await gqlField(server, CREATE, { title: 'a', clientRequestId: key }, 'createThread')).thread.id;
    const other = await gqlField(server, CREATE, { title: 'b', clientRequestId: key }, 'createThread');
    expect(other).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(other.message).toContain(key);
    const otherMutation = await gqlField(server, START, { threadId, prompt: 'hi', clientRequestId: key }, 'startTurn');
    expect(otherMutation).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(otherMutation.message).toContain('createThread');
    expect(await turnsOf(server, threadId)).toHaveLength(0);
    // Null and absent fields are the same input; so is another order of the fields.
    const same = await gqlField(server, CREATE, { clientRequestId: key, systemPrompt: null, title: 'a' }, 'createThread');
    expect(same.thread.id).toBe(threadId);
  });

  it('a bad key is a VALIDATION error naming the field', async () => {
    for (const clientRequestId of ['', 'has space', 'x'.repeat(201), 'é']) {
      const r = await gqlField(server, CREATE, { clientRequestId }, 'createThread');
      expect(r, JSON.stringify(clientRequestId)).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    }
  });

  it('a request that failed stored nothing: its repeat runs again', async () => {
    const threadId = field(await server.gql(CREATE, { input: {} }), 'createThread').thread.id;
    const running = await gqlField(server, START, { threadId, prompt: 'first' }, 'startTurn');
    const key = randomUUID();
    const refused = await gqlField(server, START, { threadId, prompt: 'second', clientRequestId: key }, 'startTurn');
    expect(refused.code).toBe('TURN_ACTIVE');
    engine.release(running.turn.id);
    await waitForTurnEnd(server, running.turn.id);
    const accepted = await gqlField(server, START, { threadId, prompt: 'second', clientRequestId: key }, 'startTurn');
    expect(accepted.__typename).toBe('StartTurnPayload');
    expect(accepted.turn.id).not.toBe(running.turn.id);
  });

  it('20 racing duplicates make exactly one thread, one turn, one steer, one fork', async () => {
    const race = <T>(make: () => Promise<T>) => Promise.all(Array.from({ length: 20 }, make));
    const before = field(await server.gql(THREAD_COUNT), 'threads').totalCount;
    const key = randomUUID();
    const created = await race(() => gqlField(server, CREATE, { title: 'race', clientRequestId: key }, 'createThread'));
    expect(new Set(created.map((c) => c.thread.id)).size).toBe(1);
    expect(field(await server.gql(THREAD_COUNT), 'threads').totalCount).toBe(before + 1);
    const threadId = created[0].thread.id;

    const turnKey = randomUUID();
    const turns = await race(() => gqlField(server, START, { threadId, prompt: 'race', clientRequestId: turnKey }, 'startTurn'));
    expect(turns.map((t) => t.__typename)).toEqual(Array(20).fill('StartTurnPayload'));
    expect(new Set(turns.map((t) => t.turn.id)).size).toBe(1);
    expect(await turnsOf(server, threadId)).toHaveLength(1);
    const turnId = turns[0].turn.id;

    const steerKey = randomUUID();
    const steers = await race(() => gqlField(server, STEER, { turnId, prompt: 'more', clientRequestId: steerKey }, 'steerTurn'));
    expect(steers.map((s) => s.turn.steerCount)).toEqual(Array(20).fill(1));
    const events = await threadEvents(server, threadId);
    expect(events.filter((e) => e.name === 'turn.steered')).toHaveLength(1);

    const interruptKey = randomUUID();
    const interrupts = await race(() => gqlField(server, INTERRUPT, { turnId, clientRequestId: interruptKey }, 'interruptTurn'));
    expect(interrupts.map((i) => i.__typename)).toEqual(Array(20).fill('InterruptTurnPayload'));
    expect(interrupts.every((i) => i.turn.status === 'INTERRUPTED')).toBe(true);
    expect((await threadEvents(server, threadId)).filter((e) => e.name === 'turn.interrupt_requested')).toHaveLength(1);

    const forkKey = randomUUID();
    const forks = await race(() => gqlField(server, FORK, { threadId, clientRequestId: forkKey }, 'forkThread'));
    expect(new Set(forks.map((f) => f.thread.id)).size).toBe(1);
    expect(field(await server.gql(THREAD_COUNT), 'threads').totalCount).toBe(before + 2);
  });

  it('editLastTurn, compactThread and resolveApproval repeat with their first answer', async () => {
    const threadId = field(await server.gql(CREATE, { input: {} }), 'createThread').thread.id;
    const first = await gqlField(server, START, { threadId, prompt: 'original' }, 'startTurn');
    engine.release(first.turn.id);
    await waitForTurnEnd(server, first.turn.id);

    const editKey = randomUUID();
    const edit = { threadId, content: 'edited', clientRequestId: editKey };
    const edited = await gqlField(server, EDIT, edit, 'editLastTurn');
    expect(edited.__typename, JSON.stringify(edited)).toBe('EditLastTurnPayload');
    expect(await gqlField(server, EDIT, edit, 'editLastTurn')).toEqual(edited);
    engine.release(edited.turn.id);
    await waitForTurnEnd(server, edited.turn.id);
    // A repeat after the edited turn ended still answers with it: not a third turn, not TURN_ACTIVE.
    expect((await gqlField(server, EDIT, edit, 'editLastTurn')).turn.id).toBe(edited.turn.id);
    expect(await turnsOf(server, threadId)).toHaveLength(2);

    const compactKey = randomUUID();
    const compacted = await gqlField(server, COMPACT, { threadId, clientRequestId: compactKey }, 'compactThread');
    expect(compacted.turn.purpose).toBe('COMPACTION');
    engine.release(compacted.turn.id);
    await waitForTurnEnd(server, compacted.turn.id);
    expect((await gqlField(server, COMPACT, { threadId, clientRequestId: compactKey }, 'compactThread')).turn.id).toBe(compacted.turn.id);
    expect(await turnsOf(server, threadId)).toHaveLength(3);

    const asking = await gqlField(server, START, { threadId, prompt: 'this needs approval' }, 'startTurn');
    const approvalId = await waitFor(async () => {
      const r = await server.gql(`query($t: ID) { pendingApprovals(threadId: $t) { id } }`, { t: threadId });
      return r.data?.pendingApprovals?.[0]?.id as string | undefined;
    });
    const resolveKey = randomUUID();
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => gqlField(server, RESOLVE, { approvalId, decision: 'APPROVE', clientRequestId: resolveKey }, 'resolveApproval')),
    );
    expect(decisions.map((d) => d.__typename)).toEqual(Array(5).fill('ResolveApprovalPayload'));
    expect(decisions.every((d) => d.approval.status === 'APPROVED')).toBe(true);
    // Without the key the second decision is refused as before.
    expect((await gqlField(server, RESOLVE, { approvalId, decision: 'APPROVE' }, 'resolveApproval')).code).toBe('CONFLICT');
    expect((await gqlField(server, RESOLVE, { approvalId, decision: 'DENY', clientRequestId: resolveKey }, 'resolveApproval')).code).toBe('CONFLICT');
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
    const first = (await gqlField(server, CREATE, { clientRequestId: key }, 'createThread')).thread.id;
    now += TTL - 1;
    expect((await gqlField(server, CREATE, { clientRequestId: key }, 'createThread')).thread.id).toBe(first);
    const sweeper = new RetentionSweeper(server.runtime);
    await sweeper.sweep();
    expect(await server.runtime.store.getIdempotency(key)).not.toBeNull();

    now += 1;
    await sweeper.sweep();
    expect(await server.runtime.store.getIdempotency(key)).toBeNull();
    // The key is free: a new request with it (even another input) is a new request.
    const second = (await gqlField(server, CREATE, { title: 'new', clientRequestId: key }, 'createThread')).thread.id;
    expect(second).not.toBe(first);
    expect((await server.runtime.store.getIdempotency(key))?.result.threadId).toBe(second);
  });

  it('an expired key not yet purged is free too, and the purge then keeps its new record', async () => {
    const key = randomUUID();
    const first = (await gqlField(server, CREATE, { clientRequestId: key }, 'createThread')).thread.id;
    now += TTL;
    const second = (await gqlField(server, CREATE, { clientRequestId: key }, 'createThread')).thread.id;
    expect(second).not.toBe(first);
    await new RetentionSweeper(server.runtime).sweep();
    expect((await server.runtime.store.getIdempotency(key))?.result.threadId).toBe(second);
    expect((await gqlField(server, CREATE, { clientRequestId: key }, 'createThread')).thread.id).toBe(second);
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
    const threadId = (await gqlField(server, CREATE, { title: 'durable', clientRequestId: threadKey }, 'createThread')).thread.id;
    const turnKey = randomUUID();
    const turnId = (await gqlField(server, START, { threadId, prompt: 'hello', clientRequestId: turnKey }, 'startTurn')).turn.id;
    await server.kill('SIGKILL');

    server = await spawnServer(args);
    expect((await gqlField(server, CREATE, { title: 'durable', clientRequestId: threadKey }, 'createThread')).thread.id).toBe(threadId);
    const repeat = await gqlField(server, START, { threadId, prompt: 'hello', clientRequestId: turnKey }, 'startTurn');
    expect(repeat.turn.id).toBe(turnId);
    expect((await gqlField(server, START, { threadId, prompt: 'other', clientRequestId: turnKey }, 'startTurn')).code).toBe('CONFLICT');
    await waitFor(async () => (await turnsOf(server!, threadId)).every((t) => t.status !== 'IN_PROGRESS'), 10_000, 'the turn to end');

    // Requests killed at spread delays: after the restart, the repeat makes the turn if (and only if) the first did not.
    for (const delay of [0, 2, 5, 10, 20]) {
      const key = randomUUID();
      const prompt = `killed after ${delay} ms`;
      const input = { threadId, prompt, delivery: 'QUEUE', clientRequestId: key };
      let acked: string | null = null;
      const request = server.gql(START, { input }).then(
        (r: Json) => (acked = r.data?.startTurn?.turn?.id ?? null),
        () => null,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      await server.kill('SIGKILL');
      await request;
      server = await spawnServer(args);
      const repeated = await gqlField(server, START, input, 'startTurn');
      expect(repeated.__typename, JSON.stringify(repeated)).toBe('StartTurnPayload');
      if (acked) expect(repeated.turn.id).toBe(acked);
      const made = (await turnsOf(server, threadId)).filter((t) => t.prompt === prompt);
      expect(made.map((t) => t.id)).toEqual([repeated.turn.id]);
    }
  }, 120_000);
});
