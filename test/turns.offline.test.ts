import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAndRemove, startTestServer, subscribe, waitFor, type TestServer } from './support/harness.js';
import { GateEngine } from './support/gateEngine.js';
import { createThread, startTurn, threadEvents, turnState, waitForTurnEnd } from './support/ops.js';
import { defined } from '../src/domain/defined.js';

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
    expect(started.turn!.status).toBe('IN_PROGRESS');
    const turn = await waitForTurnEnd(server, started.turn!.id);
    expect(turn.status).toBe('COMPLETED');
    expect(turn.durationMs).toBeGreaterThanOrEqual(0);
    expect(turn.usage.outputTokens).toBeGreaterThan(0);
    expect(turn.items.nodes.map((i: any) => i.kind)).toEqual(['USER_MESSAGE', 'AGENT_MESSAGE']);
    expect(turn.items.nodes[0].text).toBe('count these four words');
    expect(turn.items.nodes[1].text).toContain('That is 4 words');

    const events = await threadEvents(server, threadId);
    const names = events.map((e) => e.name);
    expect(names.slice(0, 4)).toEqual(['thread.started', 'turn.started', 'item.started', 'item.completed']);
    expect(names[names.length - 1]).toBe('turn.completed');
    expect(events[events.length - 1]?.payload.status).toBe('COMPLETED');
    // The deltas, concatenated, are the stored text.
    const agentId = turn.items.nodes[1].id;
    const streamed = events
      .filter((e) => e.name === 'item.delta' && e.itemId === agentId)
      .map((e) => e.payload.delta)
      .join('');
    expect(streamed).toBe(turn.items.nodes[1].text);
    // Per-thread seqs increase strictly.
    for (const [i, e] of events.entries()) if (i > 0) expect(e.seq).toBeGreaterThan(defined(events[i - 1], 'the previous event').seq);
  });

  it('rejects an empty prompt, an unknown thread, an archived thread and a second turn', async () => {
    const threadId = await createThread(server);
    expect((await startTurn(server, { threadId, prompt: '  \n ' })).code).toBe('VALIDATION');
    expect((await startTurn(server, { threadId: 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV', prompt: 'x' })).code).toBe('NOT_FOUND');
    expect((await startTurn(server, { threadId: 'nonsense', prompt: 'x' })).code).toBe('VALIDATION');

    const first = await startTurn(server, { threadId, prompt: 'a long prompt '.repeat(40) });
    const second = await startTurn(server, { threadId, prompt: 'another' });
    expect(second).toMatchObject({ __typename: 'TurnActiveError', code: 'TURN_ACTIVE' });
    await waitForTurnEnd(server, first.turn!.id);

    const archived = await createThread(server, { archived: true });
    expect((await startTurn(server, { threadId: archived, prompt: 'x' })).code).toBe('THREAD_ARCHIVED');
  });

  it('20 concurrent startTurn calls with REJECT yield exactly one turn', async () => {
    const threadId = await createThread(server);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => startTurn(server, { threadId, prompt: `prompt ${i}` })));
    const ok = results.filter((r) => r.__typename === 'StartTurnPayload');
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.code === 'TURN_ACTIVE')).toHaveLength(19);
    await waitForTurnEnd(server, defined(ok[0]?.turn, 'the started turn').id);
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
    for (const r of results) engine.release(defined(r.turn, 'a started turn').id);
    expect(results.every((r) => r.__typename === 'StartTurnPayload')).toBe(true);
    const positions = results
      .filter((r) => r.queued)
      .map((r) => r.queued!.position)
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    const byPosition = [...results].sort((a, b) => (a.queued?.position ?? 0) - (b.queued?.position ?? 0));

    const turns = await waitFor(
      async () => {
        const r = await server.gql(
          `query($id: ID!) { thread(id: $id) { status queuedTurns { id } turns(first: 100) { nodes { id status startedAt endedAt prompt } } } }`,
          { id: threadId },
        );
        const t = r.data.thread;
        return t.turns.nodes.every((n: any) => n.status === 'COMPLETED') && t.queuedTurns.length === 0 ? t.turns.nodes : null;
      },
      20_000,
      'all queued turns to complete',
    );
    expect(turns).toHaveLength(20);
    // They ran in queue order, one at a time.
    const runOrder = [...turns].sort((a: any, b: any) => a.startedAt.localeCompare(b.startedAt)).map((t: any) => t.id);
    expect(runOrder).toEqual(byPosition.map((r) => r.turn!.id));
    for (let i = 1; i < runOrder.length; i++) {
      const prev = turns.find((t: any) => t.id === runOrder[i - 1]);
      const next = turns.find((t: any) => t.id === runOrder[i]);
      expect(next.startedAt >= prev.endedAt).toBe(true);
    }
  }

  it('queuedTurns lists queued turns in run order and cancelQueuedTurn cancels one', async () => {
    const threadId = await createThread(server);
    const active = await startTurn(server, { threadId, prompt: 'a long prompt '.repeat(60) });
    const q1 = await startTurn(server, { threadId, prompt: 'q1', delivery: 'QUEUE' });
    const q2 = await startTurn(server, { threadId, prompt: 'q2', delivery: 'QUEUE' });
    expect([q1.queued!.position, q2.queued!.position]).toEqual([1, 2]);
    const listed = await server.gql(`query($id: ID!) { thread(id: $id) { queuedTurns { id status } } }`, { id: threadId });
    expect(listed.data.thread.queuedTurns.map((t: any) => t.id)).toEqual([q1.turn!.id, q2.turn!.id]);

    const cancel = `mutation($id: ID!) { cancelQueuedTurn(input: { turnId: $id }) { __typename ... on CancelQueuedTurnPayload { turn { id status } } ... on UserError { code } } }`;
    const canceled = await server.gql(cancel, { id: q1.turn!.id });
    expect(canceled.data.cancelQueuedTurn.turn).toEqual({ id: q1.turn!.id, status: 'CANCELED' });
    expect((await server.gql(cancel, { id: q1.turn!.id })).data.cancelQueuedTurn.code).toBe('CONFLICT');
    expect((await server.gql(cancel, { id: active.turn!.id })).data.cancelQueuedTurn.code).toBe('CONFLICT');
    expect((await server.gql(cancel, { id: 'turn_01ARZ3NDEKTSV4RRFFQ69G5FAV' })).data.cancelQueuedTurn.code).toBe('NOT_FOUND');

    await waitForTurnEnd(server, active.turn!.id);
    const q2done = await waitForTurnEnd(server, q2.turn!.id);
    expect(q2done.status).toBe('COMPLETED');
    expect((await turnState(server, q1.turn!.id)).status).toBe('CANCELED');
  });

  it('a turn queued on a thread archived meanwhile waits, and runs once the thread is unarchived', async () => {
    const threadId = await createThread(server);
    const active = await startTurn(server, { threadId, prompt: 'word '.repeat(300) });
    const queued = await startTurn(server, { threadId, prompt: 'after the archive', delivery: 'QUEUE' });
    const update = `mutation($id: ID!, $a: Boolean) { updateThread(input: { threadId: $id, archived: $a }) { __typename } }`;
    await server.gql(update, { id: threadId, a: true });
    await waitForTurnEnd(server, active.turn!.id);
    await new Promise((r) => setTimeout(r, 100));
    expect((await turnState(server, queued.turn!.id)).status).toBe('QUEUED');
    await server.gql(update, { id: threadId, a: false });
    expect((await waitForTurnEnd(server, queued.turn!.id)).status).toBe('COMPLETED');
  });

  it('interrupt ends the running turn INTERRUPTED and its open item too; a finished turn cannot be interrupted', async () => {
    const threadId = await createThread(server);
    const started = await startTurn(server, { threadId, prompt: 'word '.repeat(3000) });
    const turnId = started.turn!.id;
    await waitFor(async () => (await turnState(server, turnId)).items.nodes.length === 2, 5000, 'the answer to start');
    const interrupt = `mutation($id: ID!) { interruptTurn(input: { turnId: $id }) { __typename ... on InterruptTurnPayload { turn { id status error } } ... on UserError { code } } }`;
    const r = await server.gql(interrupt, { id: turnId });
    expect(r.data.interruptTurn.turn.status).toBe('INTERRUPTED');
    const turn = await turnState(server, turnId);
    expect(turn.status).toBe('INTERRUPTED');
    expect(turn.items.nodes[1].status).toBe('INTERRUPTED');
    const names = (await threadEvents(server, threadId)).map((e) => e.name);
    expect(names).toContain('turn.interrupt_requested');
    expect(names).toContain('item.interrupted');
    expect((await server.gql(interrupt, { id: turnId })).data.interruptTurn.code).toBe('NO_ACTIVE_TURN');
  });

  it('delivery STEER adds the prompt to the running turn; INTERRUPT replaces it', async () => {
    const threadId = await createThread(server);
    const first = await startTurn(server, { threadId, prompt: 'word '.repeat(300) });
    const steered = await startTurn(server, { threadId, prompt: 'and also this', delivery: 'STEER' });
    expect(steered.turn!.id).toBe(first.turn!.id);
    const done = await waitForTurnEnd(server, first.turn!.id);
    expect(done.steerCount).toBe(1);
    const texts = done.items.nodes.filter((i: any) => i.kind === 'USER_MESSAGE').map((i: any) => i.text);
    expect(texts).toEqual(['word '.repeat(300), 'and also this']);
    // The offline engine answers steered input in a second message.
    expect(done.items.nodes.filter((i: any) => i.kind === 'AGENT_MESSAGE').pop().text).toContain('and also this');

    const long = await startTurn(server, { threadId, prompt: 'word '.repeat(3000) });
    const replacing = await startTurn(server, { threadId, prompt: 'stop that', delivery: 'INTERRUPT' });
    expect(replacing.__typename).toBe('StartTurnPayload');
    expect((await turnState(server, long.turn!.id)).status).toBe('INTERRUPTED');
    expect((await waitForTurnEnd(server, replacing.turn!.id)).status).toBe('COMPLETED');
  });

  it('steerTurn on a finished or unknown turn is NO_ACTIVE_TURN / NOT_FOUND', async () => {
    const threadId = await createThread(server);
    const t = await startTurn(server, { threadId, prompt: 'hi' });
    await waitForTurnEnd(server, t.turn!.id);
    const steer = `mutation($id: ID!, $p: String!) { steerTurn(input: { turnId: $id, prompt: $p }) { __typename ... on SteerTurnPayload { turn { id } } ... on UserError { code } } }`;
    expect((await server.gql(steer, { id: t.turn!.id, p: 'more' })).data.steerTurn.code).toBe('NO_ACTIVE_TURN');
    expect((await server.gql(steer, { id: 'turn_01ARZ3NDEKTSV4RRFFQ69G5FAV', p: 'more' })).data.steerTurn.code).toBe('NOT_FOUND');
    expect((await server.gql(steer, { id: t.turn!.id, p: ' ' })).data.steerTurn.code).toBe('VALIDATION');
  });

  it('editLastTurn replaces the last prompt; the old turn stays as history', async () => {
    const threadId = await createThread(server);
    const edit = `mutation($t: ID!, $c: String!) { editLastTurn(input: { threadId: $t, content: $c }) { __typename ... on EditLastTurnPayload { turn { id status prompt } } ... on UserError { code } } }`;
    expect((await server.gql(edit, { t: threadId, c: 'x' })).data.editLastTurn.code).toBe('CONFLICT');
    const first = await startTurn(server, { threadId, prompt: 'original question' });
    expect((await server.gql(edit, { t: threadId, c: 'while running' })).data.editLastTurn.code).toBe('TURN_ACTIVE');
    await waitForTurnEnd(server, first.turn!.id);
    const edited = await server.gql(edit, { t: threadId, c: 'better question' });
    const newTurn = edited.data.editLastTurn.turn;
    expect(newTurn.prompt).toBe('better question');
    const done = await waitForTurnEnd(server, newTurn.id);
    // The model saw one user message, not two: the replaced turn left the conversation.
    expect(done.items.nodes[1].text).toContain('1 user message');
    const old = await server.gql(`query($id: ID!) { turn(id: $id) { status supersededBy { id } } }`, { id: first.turn!.id });
    expect(old.data.turn).toEqual({ status: 'COMPLETED', supersededBy: { id: newTurn.id } });
  });

  it('forkThread copies turns and items, or stops before the Nth-from-last user turn', async () => {
    const threadId = await createThread(server, { title: 'source' });
    const prompts = ['one', 'two', 'three'];
    for (const prompt of prompts) {
      const t = await startTurn(server, { threadId, prompt });
      await waitForTurnEnd(server, t.turn!.id);
    }
    const fork = `mutation($t: ID!, $d: Int) { forkThread(input: { threadId: $t, depthFromTail: $d }) { __typename
      ... on ForkThreadPayload { originalUserText thread { id title forkedFrom { threadId turnId depthFromTail thread { id } }
        turns(first: 10) { totalCount nodes { prompt items { nodes { kind summary } } } } } }
      ... on UserError { code message } } }`;
    const all = (await server.gql(fork, { t: threadId })).data.forkThread;
    expect(all.originalUserText).toBeNull();
    expect(all.thread.turns.nodes.map((t: any) => t.prompt)).toEqual(prompts);
    expect(all.thread.turns.nodes[0].items.nodes.map((i: any) => i.kind)).toEqual(['USER_MESSAGE', 'AGENT_MESSAGE']);
    expect(all.thread.forkedFrom).toMatchObject({ threadId, turnId: null, thread: { id: threadId } });

    const dropNewest = (await server.gql(fork, { t: threadId, d: 0 })).data.forkThread;
    expect(dropNewest.originalUserText).toBe('three');
    expect(dropNewest.thread.turns.nodes.map((t: any) => t.prompt)).toEqual(['one', 'two']);
    expect(dropNewest.thread.forkedFrom.depthFromTail).toBe(0);

    const dropTwo = (await server.gql(fork, { t: threadId, d: 1 })).data.forkThread;
    expect(dropTwo.originalUserText).toBe('two');
    expect(dropTwo.thread.turns.totalCount).toBe(1);

    expect((await server.gql(fork, { t: threadId, d: 3 })).data.forkThread.code).toBe('OUT_OF_RANGE');
    expect((await server.gql(fork, { t: threadId, d: -1 })).data.forkThread.code).toBe('VALIDATION');
    expect((await server.gql(fork, { t: 'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV' })).data.forkThread.code).toBe('NOT_FOUND');

    const forkedEvents = await threadEvents(server, dropNewest.thread.id);
    const forked = forkedEvents.find((e) => e.name === 'thread.forked')!;
    expect(forked.payload).toMatchObject({ sourceThreadId: threadId, depthFromTail: 0 });
    expect(forked.payload.droppedTurnId).toBeTruthy();

    // The fork is a conversation of its own: a new turn there sees the copied history.
    const next = await startTurn(server, { threadId: dropNewest.thread.id, prompt: 'four' });
    expect((await waitForTurnEnd(server, next.turn!.id)).items.nodes[1].text).toContain('3 user messages');
  });

  it('compactThread summarises the conversation and later turns send the summary instead', async () => {
    const threadId = await createThread(server);
    for (const prompt of ['alpha question', 'beta question']) {
      const t = await startTurn(server, { threadId, prompt });
      await waitForTurnEnd(server, t.turn!.id);
    }
    const compact = `mutation($t: ID!) { compactThread(input: { threadId: $t, reason: "too long" }) { __typename ... on CompactThreadPayload { turn { id } } ... on UserError { code } } }`;
    const c = (await server.gql(compact, { t: threadId })).data.compactThread;
    const done = await waitForTurnEnd(server, c.turn.id);
    expect(done.items.nodes.map((i: any) => i.kind)).toEqual(['CONTEXT_COMPACTION']);
    expect(done.items.nodes[0].reason).toBe('too long');
    expect(done.items.nodes[0].text).toContain('alpha question');
    expect((await threadEvents(server, threadId)).map((e) => e.name)).toContain('thread.compacted');

    const after = await startTurn(server, { threadId, prompt: 'gamma' });
    // Summary (one user message) + the new prompt: the two earlier prompts are no longer sent.
    expect((await waitForTurnEnd(server, after.turn!.id)).items.nodes[1].text).toContain('2 user messages');

    const running = await startTurn(server, { threadId, prompt: 'word '.repeat(500) });
    expect((await server.gql(compact, { t: threadId })).data.compactThread.code).toBe('TURN_ACTIVE');
    await waitForTurnEnd(server, running.turn!.id);
  });

  it('turnEvents streams one turn from its first event and completes after turn.completed', async () => {
    const threadId = await createThread(server);
    const t = await startTurn(server, { threadId, prompt: 'follow me' });
    const sub = subscribe(server.ws(), `subscription($id: ID!) { turnEvents(turnId: $id) { seq name turnId } }`, { id: t.turn!.id });
    const events = (await sub.done).map((v: any) => v.turnEvents);
    expect(events[0].name).toBe('turn.started');
    expect(events[events.length - 1].name).toBe('turn.completed');
    expect(events.every((e: any) => e.turnId === t.turn!.id)).toBe(true);
  });
});
