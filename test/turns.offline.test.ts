import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAndRemove, startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { GateEngine } from './support/gateEngine.js';
import { codeOf, createThread, eventsNamed, narrow, startTurn, startedTurn, threadEvents, turnState, waitForTurnEnd } from './support/ops.js';
import { defined } from '../src/domain/defined.js';
import {
  CancelQueuedTurnDocument,
  CompactThreadDocument,
  EditLastTurnDocument,
  ForkThreadDocument,
  InterruptTurnDocument,
  SteerTurnDocument,
  ThreadDocument,
  ThreadTurnsDocument,
  TurnDocument,
  TurnEventsDocument,
  UpdateThreadDocument,
} from '../sdk/generated/graphql.js';

// Turns run by the offline engine: the whole path from startTurn to stored items and events, no provider.
describe('turns with the offline engine', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('a turn stores its user message and the streamed answer, with events in order', async () => {
    const threadId = await createThread(server);
    const started = await startTurn(server, { threadId, prompt: 'count these four words' });
    expect(started.__typename).toBe('StartTurnPayload');
    expect(narrow(started, 'StartTurnPayload').turn.status).toBe('IN_PROGRESS');
    const turn = await waitForTurnEnd(server, narrow(started, 'StartTurnPayload').turn.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.durationMs).toBeGreaterThanOrEqual(0);
    expect(turn.usage?.outputTokens).toBeGreaterThan(0);
    expect(turn.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'AGENT_MESSAGE']);
    expect(narrow(turn.items.nodes[0], 'UserMessageItem').text).toBe('count these four words');
    const answer = narrow(turn.items.nodes[1], 'AgentMessageItem');
    expect(answer.text).toContain('That is 4 words');

    const events = await threadEvents(server, threadId);
    const names = events.map((e) => e.name);
    expect(names.slice(0, 4)).toEqual(['thread.started', 'turn.started', 'item.started', 'item.completed']);
    expect(names[names.length - 1]).toBe('turn.completed');
    expect(eventsNamed(events, 'turn.completed').at(-1)?.payload.status).toBe('COMPLETED');
    // The deltas, concatenated, are the stored text.
    const agentId = answer.id;
    const streamed = eventsNamed(events, 'item.delta')
      .filter((e) => e.itemId === agentId)
      .map((e) => e.payload.delta)
      .join('');
    expect(streamed).toBe(answer.text);
    // Per-thread seqs increase strictly.
    for (const [i, e] of events.entries()) if (i > 0) expect(e.seq).toBeGreaterThan(defined(events[i - 1], 'the previous event').seq);
  });

  it('rejects an empty prompt, an unknown thread, an archived thread and a second turn', async () => {
    const threadId = await createThread(server);
    expect(codeOf(await startTurn(server, { threadId, prompt: '  \n ' }))).toBe('VALIDATION');
    expect(codeOf(await startTurn(server, { threadId: 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV', prompt: 'x' }))).toBe('NOT_FOUND');
    expect(codeOf(await startTurn(server, { threadId: 'nonsense', prompt: 'x' }))).toBe('VALIDATION');

    const first = await startedTurn(server, { threadId, prompt: 'a long prompt '.repeat(40) });
    const second = await startTurn(server, { threadId, prompt: 'another' });
    expect(second).toMatchObject({ __typename: 'TurnActiveError', code: 'TURN_ACTIVE' });
    await waitForTurnEnd(server, first.id);

    const archived = await createThread(server, { archived: true });
    expect(codeOf(await startTurn(server, { threadId: archived, prompt: 'x' }))).toBe('THREAD_ARCHIVED');
  });

  it('20 concurrent startTurn calls with REJECT yield exactly one turn', async () => {
    // The first turn ends when the test releases it: it is still running when the last call is answered.
    const engine = new GateEngine();
    const gated = await startTestServer({ engine });
    try {
      const threadId = await createThread(gated);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => startTurn(gated, { threadId, prompt: `prompt ${i}` })));
      const ok = results.filter((r) => r.__typename === 'StartTurnPayload');
      expect(ok).toHaveLength(1);
      expect(results.filter((r) => codeOf(r) === 'TURN_ACTIVE')).toHaveLength(19);
      engine.releaseAll();
      await waitForTurnEnd(gated, narrow(ok[0], 'StartTurnPayload').turn.id);
    } finally {
      await closeAndRemove(gated);
    }
  });

  it('20 concurrent startTurn calls with QUEUE yield one turn and 19 queued, which all complete in order', async () => {
    // Turns end when the test releases them, so the first one is still running when the last is admitted.
    const engine = new GateEngine();
    const gated = await startTestServer({ engine });
    try {
      await queueTwenty(gated, engine);
    } finally {
      await closeAndRemove(gated);
    }
  });

  async function queueTwenty(server: TestServer, engine: GateEngine): Promise<void> {
    const threadId = await createThread(server);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => startTurn(server, { threadId, prompt: `queued prompt ${i}`, delivery: 'QUEUE' })),
    );
    for (const r of results) engine.release(narrow(r, 'StartTurnPayload').turn.id);
    expect(results.every((r) => r.__typename === 'StartTurnPayload')).toBe(true);
    const admitted = results.map((r) => narrow(r, 'StartTurnPayload'));
    const positions = admitted
      .filter((r) => r.queued)
      .map((r) => r.queued!.position)
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    const byPosition = [...admitted].sort((a, b) => (a.queued?.position ?? 0) - (b.queued?.position ?? 0));

    const turns = await waitFor(
      async () => {
        const queued = (await server.sdk.request(ThreadDocument, { id: threadId })).thread?.queuedTurns;
        const t = (await server.sdk.request(ThreadTurnsDocument, { id: threadId, first: 100 })).thread;
        const nodes = t?.turns.edges.map((e) => e.node) ?? [];
        return nodes.every((n) => n.status === 'COMPLETED') && queued?.length === 0 ? nodes : null;
      },
      20_000,
      'all queued turns to complete',
    );
    expect(turns).toHaveLength(20);
    // They ran in queue order, one at a time.
    const runOrder = [...turns].sort((a, b) => a.startedAt!.localeCompare(b.startedAt!)).map((t) => t.id);
    expect(runOrder).toEqual(byPosition.map((r) => r.turn.id));
    for (let i = 1; i < runOrder.length; i++) {
      const prev = defined(
        turns.find((t) => t.id === runOrder[i - 1]),
        'the previous turn',
      );
      const next = defined(
        turns.find((t) => t.id === runOrder[i]),
        'the next turn',
      );
      expect(next.startedAt! >= prev.endedAt!).toBe(true);
    }
  }

  it('queuedTurns lists queued turns in run order and cancelQueuedTurn cancels one', async () => {
    const threadId = await createThread(server);
    const active = await startedTurn(server, { threadId, prompt: 'a long prompt '.repeat(60) });
    const q1 = narrow(await startTurn(server, { threadId, prompt: 'q1', delivery: 'QUEUE' }), 'StartTurnPayload');
    const q2 = narrow(await startTurn(server, { threadId, prompt: 'q2', delivery: 'QUEUE' }), 'StartTurnPayload');
    expect([q1.queued!.position, q2.queued!.position]).toEqual([1, 2]);
    const listed = await server.sdk.request(ThreadDocument, { id: threadId });
    expect(listed.thread!.queuedTurns.map((t) => t.id)).toEqual([q1.turn.id, q2.turn.id]);

    const cancel = async (turnId: string) => (await server.sdk.request(CancelQueuedTurnDocument, { input: { turnId } })).cancelQueuedTurn;
    const canceled = narrow(await cancel(q1.turn.id), 'CancelQueuedTurnPayload');
    expect(canceled.turn).toMatchObject({ id: q1.turn.id, status: 'CANCELED' });
    expect(codeOf(await cancel(q1.turn.id))).toBe('CONFLICT');
    expect(codeOf(await cancel(active.id))).toBe('CONFLICT');
    expect(codeOf(await cancel('turn_01ARZ3NDEKTSV4RRFFQ69G5FAV'))).toBe('NOT_FOUND');

    await waitForTurnEnd(server, active.id);
    const q2done = await waitForTurnEnd(server, q2.turn.id);
    expect(q2done.status).toBe('COMPLETED');
    expect((await turnState(server, q1.turn.id)).status).toBe('CANCELED');
  });

  it('a turn queued on a thread archived meanwhile waits, and runs once the thread is unarchived', async () => {
    const threadId = await createThread(server);
    const active = await startedTurn(server, { threadId, prompt: 'word '.repeat(300) });
    const queued = await startedTurn(server, { threadId, prompt: 'after the archive', delivery: 'QUEUE' });
    const setArchived = async (archived: boolean) =>
      narrow((await server.sdk.request(UpdateThreadDocument, { input: { threadId, archived } })).updateThread, 'UpdateThreadPayload');
    await setArchived(true);
    await waitForTurnEnd(server, active.id);
    await new Promise((r) => setTimeout(r, 100));
    expect((await turnState(server, queued.id)).status).toBe('QUEUED');
    await setArchived(false);
    expect((await waitForTurnEnd(server, queued.id)).status).toBe('COMPLETED');
  });

  it('interrupt ends the running turn INTERRUPTED and its open item too; a finished turn cannot be interrupted', async () => {
    const threadId = await createThread(server);
    const turnId = (await startedTurn(server, { threadId, prompt: 'word '.repeat(3000) })).id;
    await waitFor(async () => (await turnState(server, turnId)).items.nodes.length === 2, 5000, 'the answer to start');
    const interrupt = async () => (await server.sdk.request(InterruptTurnDocument, { input: { turnId } })).interruptTurn;
    expect(narrow(await interrupt(), 'InterruptTurnPayload').turn.status).toBe('INTERRUPTED');
    const turn = await turnState(server, turnId);
    expect(turn.status).toBe('INTERRUPTED');
    expect(turn.items.nodes[1]?.status).toBe('INTERRUPTED');
    const names = (await threadEvents(server, threadId)).map((e) => e.name);
    expect(names).toContain('turn.interrupt_requested');
    expect(names).toContain('item.interrupted');
    expect(codeOf(await interrupt())).toBe('NO_ACTIVE_TURN');
  });

  it('delivery STEER adds the prompt to the running turn; INTERRUPT replaces it', async () => {
    const threadId = await createThread(server);
    const first = await startedTurn(server, { threadId, prompt: 'word '.repeat(300) });
    const steered = await startedTurn(server, { threadId, prompt: 'and also this', delivery: 'STEER' });
    expect(steered.id).toBe(first.id);
    const done = await waitForTurnEnd(server, first.id);
    expect(done.steerCount).toBe(1);
    const texts = done.items.nodes.filter((i) => i.kind === 'USER_MESSAGE').map((i) => narrow(i, 'UserMessageItem').text);
    expect(texts).toEqual(['word '.repeat(300), 'and also this']);
    // The offline engine answers steered input in a second message.
    expect(narrow(done.items.nodes.filter((i) => i.kind === 'AGENT_MESSAGE').pop(), 'AgentMessageItem').text).toContain('and also this');

    const long = await startedTurn(server, { threadId, prompt: 'word '.repeat(3000) });
    const replacing = await startTurn(server, { threadId, prompt: 'stop that', delivery: 'INTERRUPT' });
    expect(replacing.__typename).toBe('StartTurnPayload');
    expect((await turnState(server, long.id)).status).toBe('INTERRUPTED');
    expect((await waitForTurnEnd(server, narrow(replacing, 'StartTurnPayload').turn.id)).status).toBe('COMPLETED');
  });

  it('steerTurn on a finished or unknown turn is NO_ACTIVE_TURN / NOT_FOUND', async () => {
    const threadId = await createThread(server);
    const t = await startedTurn(server, { threadId, prompt: 'hi' });
    await waitForTurnEnd(server, t.id);
    const steer = async (turnId: string, prompt: string) => (await server.sdk.request(SteerTurnDocument, { input: { turnId, prompt } })).steerTurn;
    expect(codeOf(await steer(t.id, 'more'))).toBe('NO_ACTIVE_TURN');
    expect(codeOf(await steer('turn_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'more'))).toBe('NOT_FOUND');
    expect(codeOf(await steer(t.id, ' '))).toBe('VALIDATION');
  });

  it('editLastTurn replaces the last prompt; the old turn stays as history', async () => {
    const threadId = await createThread(server);
    const edit = async (content: string) => (await server.sdk.request(EditLastTurnDocument, { input: { threadId, content } })).editLastTurn;
    expect(codeOf(await edit('x'))).toBe('CONFLICT');
    const first = await startedTurn(server, { threadId, prompt: 'original question' });
    expect(codeOf(await edit('while running'))).toBe('TURN_ACTIVE');
    await waitForTurnEnd(server, first.id);
    const newTurn = narrow(await edit('better question'), 'EditLastTurnPayload').turn;
    expect(newTurn.prompt).toBe('better question');
    const done = await waitForTurnEnd(server, newTurn.id);
    // The model saw one user message, not two: the replaced turn left the conversation.
    expect(narrow(done.items.nodes[1], 'AgentMessageItem').text).toContain('1 user message');
    const old = await server.sdk.request(TurnDocument, { id: first.id });
    expect(old.turn).toMatchObject({ status: 'COMPLETED', supersededBy: { id: newTurn.id } });
  });

  it('forkThread copies turns and items, or stops before the Nth-from-last user turn', async () => {
    const threadId = await createThread(server, { title: 'source' });
    const prompts = ['one', 'two', 'three'];
    for (const prompt of prompts) {
      const t = await startedTurn(server, { threadId, prompt });
      await waitForTurnEnd(server, t.id);
    }
    const fork = async (depthFromTail?: number) =>
      (await server.sdk.request(ForkThreadDocument, { input: { threadId, ...(depthFromTail === undefined ? {} : { depthFromTail }) } })).forkThread;
    const turnsOf = async (id: string) => (await server.sdk.request(ThreadTurnsDocument, { id, first: 10 })).thread!.turns;

    const all = narrow(await fork(), 'ForkThreadPayload');
    expect(all.originalUserText).toBeNull();
    const allTurns = (await turnsOf(all.thread.id)).edges.map((e) => e.node);
    expect(allTurns.map((t) => t.prompt)).toEqual(prompts);
    expect(allTurns[0]?.items.nodes.map((i) => i.kind)).toEqual(['USER_MESSAGE', 'AGENT_MESSAGE']);
    expect(all.thread.forkedFrom).toMatchObject({ threadId, turnId: null, thread: { id: threadId } });

    const dropNewest = narrow(await fork(0), 'ForkThreadPayload');
    expect(dropNewest.originalUserText).toBe('three');
    expect((await turnsOf(dropNewest.thread.id)).edges.map((e) => e.node.prompt)).toEqual(['one', 'two']);
    expect(dropNewest.thread.forkedFrom?.depthFromTail).toBe(0);

    const dropTwo = narrow(await fork(1), 'ForkThreadPayload');
    expect(dropTwo.originalUserText).toBe('two');
    expect((await turnsOf(dropTwo.thread.id)).totalCount).toBe(1);

    expect(codeOf(await fork(3))).toBe('OUT_OF_RANGE');
    expect(codeOf(await fork(-1))).toBe('VALIDATION');
    const unknown = (await server.sdk.request(ForkThreadDocument, { input: { threadId: 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV' } })).forkThread;
    expect(codeOf(unknown)).toBe('NOT_FOUND');

    const forkedEvents = await threadEvents(server, dropNewest.thread.id);
    const forked = forkedEvents.find((e) => e.name === 'thread.forked')!;
    expect(forked.payload).toMatchObject({ sourceThreadId: threadId, depthFromTail: 0 });
    expect(forked.payload.droppedTurnId).toBeTruthy();

    // The fork is a conversation of its own: a new turn there sees the copied history.
    const next = await startedTurn(server, { threadId: dropNewest.thread.id, prompt: 'four' });
    expect(narrow((await waitForTurnEnd(server, next.id)).items.nodes[1], 'AgentMessageItem').text).toContain('3 user messages');
  });

  it('compactThread summarises the conversation and later turns send the summary instead', async () => {
    const threadId = await createThread(server);
    for (const prompt of ['alpha question', 'beta question']) {
      const t = await startedTurn(server, { threadId, prompt });
      await waitForTurnEnd(server, t.id);
    }
    const compact = async () => (await server.sdk.request(CompactThreadDocument, { input: { threadId, reason: 'too long' } })).compactThread;
    const c = narrow(await compact(), 'CompactThreadPayload');
    const done = await waitForTurnEnd(server, c.turn.id);
    expect(done.items.nodes.map((i) => i.kind)).toEqual(['CONTEXT_COMPACTION']);
    const compaction = narrow(done.items.nodes[0], 'ContextCompactionItem');
    expect(compaction.reason).toBe('too long');
    expect(compaction.text).toContain('alpha question');
    expect((await threadEvents(server, threadId)).map((e) => e.name)).toContain('thread.compacted');

    const after = await startedTurn(server, { threadId, prompt: 'gamma' });
    // Summary (one user message) + the new prompt: the two earlier prompts are no longer sent.
    expect(narrow((await waitForTurnEnd(server, after.id)).items.nodes[1], 'AgentMessageItem').text).toContain('2 user messages');

    const running = await startedTurn(server, { threadId, prompt: 'word '.repeat(500) });
    expect(codeOf(await compact())).toBe('TURN_ACTIVE');
    await waitForTurnEnd(server, running.id);
  });

  it('turnEvents streams one turn from its first event and completes after turn.completed', async () => {
    const threadId = await createThread(server);
    const t = await startedTurn(server, { threadId, prompt: 'follow me' });
    const sub = subscribe(server.ws(), TurnEventsDocument, { turnId: t.id });
    const events = (await sub.done).map((v) => v.turnEvents);
    expect(events[0]?.name).toBe('turn.started');
    expect(events[events.length - 1]?.name).toBe('turn.completed');
    expect(events.every((e) => e.turnId === t.id)).toBe(true);
  });
});
