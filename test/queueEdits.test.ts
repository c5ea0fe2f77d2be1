/**
 * The editable queue (issue 15): editQueuedTurn changes a QUEUED prompt, moveQueuedTurn changes its place; each is
 * an event; both race the queue's own progress (a turn ending starts the next) and either land before the start or
 * are refused with CONFLICT, never half. seenSeq on startTurn and steerTurn records what the user had seen.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GateEngine } from './support/gateEngine.js';
import { closeAndRemove, removeDir, startTestServer, waitFor, type TestServer } from './support/harness.js';
import { createThread, eventsNamed, narrow, startTurn, threadEvents, turnState, waitForTurnEnd } from './support/ops.js';

type Json = any;

const EDIT = `mutation($input: EditQueuedTurnInput!) { editQueuedTurn(input: $input) {
  __typename ... on EditQueuedTurnPayload { turn { id status prompt inputSummary } queued { position } } ... on UserError { code message } } }`;
const MOVE = `mutation($input: MoveQueuedTurnInput!) { moveQueuedTurn(input: $input) {
  __typename ... on MoveQueuedTurnPayload { turn { id status } queued { position } } ... on UserError { code message } } }`;
const QUEUE = `query($id: ID!) { thread(id: $id) { queuedTurns { id prompt } } }`;
const STEER = `mutation($input: SteerTurnInput!) { steerTurn(input: $input) {
  __typename ... on SteerTurnPayload { turn { id steerCount } } ... on UserError { code message } ... on ValidationError { field } } }`;
const START = `mutation($input: StartTurnInput!) { startTurn(input: $input) {
  __typename ... on StartTurnPayload { turn { id seenSeq status } } ... on UserError { code message } ... on ValidationError { field } } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the editable queue', () => {
  let server: TestServer;
  const engine = new GateEngine();

  const edit = async (input: Record<string, unknown>) => ((await server.gql(EDIT, { input })) as Json).data.editQueuedTurn;
  const move = async (turnId: string, position: number) => ((await server.gql(MOVE, { input: { turnId, position } })) as Json).data.moveQueuedTurn;
  const queueOf = async (threadId: string): Promise<string[]> =>
    ((await server.gql(QUEUE, { id: threadId })) as Json).data.thread.queuedTurns.map((t: { id: string }) => t.id);
  const userText = async (turnId: string) =>
    narrow(
      (await turnState(server, turnId)).items.nodes.find((i) => i.kind === 'USER_MESSAGE'),
      'UserMessageItem',
    ).text;

  /** A thread whose running turn waits, with queued turns behind it. */
  async function busyThread(queued: string[]): Promise<{ threadId: string; running: string; queue: string[] }> {
    const threadId = await createThread(server);
    const running = narrow(await startTurn(server, { threadId, prompt: 'running' }), 'StartTurnPayload').turn.id;
    const queue = [];
    for (const prompt of queued) queue.push(narrow(await startTurn(server, { threadId, prompt, delivery: 'QUEUE' }), 'StartTurnPayload').turn.id);
    return { threadId, running, queue };
  }

  beforeAll(async () => {
    server = await startTestServer({ engine });
  });
  afterEach(async () => {
    await waitFor(
      () => {
        engine.releaseAll();
        return server.runtime.active.size === 0;
      },
      10_000,
      'every turn to end',
    );
  });
  afterAll(async () => {
    await closeAndRemove(server);
  });

  it('editQueuedTurn changes the prompt the turn then runs with (event turn.queue_edited)', async () => {
    const { threadId, running, queue } = await busyThread(['first draft', 'other']);
    const edited = await edit({ turnId: queue[0], prompt: 'second draft, much better' });
    expect(edited).toMatchObject({
      __typename: 'EditQueuedTurnPayload',
      turn: { id: queue[0], status: 'QUEUED', prompt: 'second draft, much better', inputSummary: 'second draft, much better' },
      queued: { position: 1 },
    });
    expect((await edit({ turnId: queue[1], prompt: 'x', inputSummary: 'short line' })).turn.inputSummary).toBe('short line');
    const event = (await threadEvents(server, threadId)).find((e) => e.name === 'turn.queue_edited');
    expect(event).toMatchObject({ turnId: queue[0], payload: { inputSummary: 'second draft, much better', position: 1 } });
    engine.release(running);
    await waitFor(async () => (await turnState(server, queue[0]!)).status === 'IN_PROGRESS', 5000, 'the edited turn to start');
    expect(await userText(queue[0]!)).toBe('second draft, much better');
  });

  it('moveQueuedTurn reorders the queue, the turns run in the new order (event turn.queue_moved)', async () => {
    const { threadId, running, queue } = await busyThread(['a', 'b', 'c']);
    const [a, b, c] = queue as [string, string, string];
    expect(await move(c, 1)).toMatchObject({ __typename: 'MoveQueuedTurnPayload', turn: { id: c }, queued: { position: 1 } });
    expect(await queueOf(threadId)).toEqual([c, a, b]);
    expect((await move(a, 3)).queued.position).toBe(3);
    expect(await queueOf(threadId)).toEqual([c, b, a]);
    // A prompt queued after the moves goes to the end.
    const d = narrow(await startTurn(server, { threadId, prompt: 'd', delivery: 'QUEUE' }), 'StartTurnPayload').turn.id;
    expect(await queueOf(threadId)).toEqual([c, b, a, d]);
    const moves = (await threadEvents(server, threadId)).filter((e) => e.name === 'turn.queue_moved');
    expect(moves.map((e) => e.payload)).toEqual([
      { position: 1, previousPosition: 3, queue: [c, a, b] },
      { position: 3, previousPosition: 2, queue: [c, b, a] },
    ]);
    const begunBefore = engine.begun.length;
    engine.release(running);
    for (const id of [c, b, a, d]) {
      await waitFor(async () => (await turnState(server, id)).status === 'IN_PROGRESS', 5000, `turn ${id} to start`);
      engine.release(id);
      await waitForTurnEnd(server, id);
    }
    expect(engine.begun.slice(begunBefore)).toEqual([c, b, a, d]);
  });

  it('refuses what cannot be done: not queued (CONFLICT), unknown (NOT_FOUND), bad prompt or position (VALIDATION), past the end (OUT_OF_RANGE)', async () => {
    const { running, queue } = await busyThread(['only']);
    expect(await edit({ turnId: running, prompt: 'too late' })).toMatchObject({ code: 'CONFLICT' });
    expect(await move(running, 1)).toMatchObject({ code: 'CONFLICT' });
    expect(await edit({ turnId: 'turn_01ARZ3NDEKTSV4RRFFQ69G5FAV', prompt: 'x' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await edit({ turnId: queue[0], prompt: '   ' })).toMatchObject({ code: 'VALIDATION' });
    expect(await move(queue[0]!, 0)).toMatchObject({ code: 'VALIDATION' });
    expect(await move(queue[0]!, 2)).toMatchObject({ code: 'OUT_OF_RANGE' });
    expect((await turnState(server, queue[0]!)).status).toBe('QUEUED');
  });

  it('the moved order survives a restart, and the queue runs in it', async () => {
    const { threadId, queue } = await busyThread(['a', 'b', 'c']);
    const [a, b, c] = queue as [string, string, string];
    await move(b, 1);
    server = await server.restart();
    // The running turn was interrupted by the restart; the queue then runs, in the moved order.
    await waitFor(async () => (await turnState(server, b)).status === 'IN_PROGRESS', 5000, 'b to start first');
    expect(await queueOf(threadId)).toEqual([a, c]);
  });
});

describe('queue edits racing the queue itself; seenSeq', () => {
  let server: TestServer;
  const engine = new GateEngine();

  beforeAll(async () => {
    server = await startTestServer({ engine });
  });
  afterAll(async () => {
    engine.releaseAll();
    await closeAndRemove(server);
  });

  const gql = async (query: string, input: Record<string, unknown>) => ((await server.gql(query, { input })) as Json).data;

  it('an edit sent as the turn before ends lands before the start or is refused; the turn runs what was acknowledged', async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const threadId = await createThread(server);
      const running = narrow(await startTurn(server, { threadId, prompt: 'running' }), 'StartTurnPayload').turn.id;
      const queued = narrow(await startTurn(server, { threadId, prompt: 'original', delivery: 'QUEUE' }), 'StartTurnPayload').turn.id;
      await waitFor(() => engine.held.includes(running), 5000, 'the running turn to wait');
      const editFirst = i % 2 === 0;
      const delay = Math.floor(i / 2) % 3;
      let reply: Json;
      if (editFirst) {
        const sent = gql(EDIT, { turnId: queued, prompt: 'edited' });
        await sleep(delay);
        engine.release(running);
        reply = (await sent).editQueuedTurn;
      } else {
        engine.release(running);
        await sleep(delay);
        reply = (await gql(EDIT, { turnId: queued, prompt: 'edited' })).editQueuedTurn;
      }
      await waitFor(async () => (await turnState(server, queued)).status !== 'QUEUED', 5000, 'the queued turn to start');
      const ran = narrow(
        (await turnState(server, queued)).items.nodes.find((n) => n.kind === 'USER_MESSAGE'),
        'UserMessageItem',
      ).text;
      if (reply.__typename === 'EditQueuedTurnPayload') {
        expect(ran, `iteration ${i}`).toBe('edited');
        outcomes.add('edited');
      } else {
        expect(reply.code, `iteration ${i}`).toBe('CONFLICT');
        expect(ran, `iteration ${i}`).toBe('original');
        outcomes.add('refused');
      }
      engine.release(queued);
      await waitForTurnEnd(server, queued);
    }
    // The edit sent first, while the turn before still runs, always lands.
    expect(outcomes.has('edited')).toBe(true);
  }, 60_000);

  it('a move sent as the turn before ends: the next turn to start is the first of the order the move saw', async () => {
    for (let i = 0; i < 12; i++) {
      const threadId = await createThread(server);
      const running = narrow(await startTurn(server, { threadId, prompt: 'running' }), 'StartTurnPayload').turn.id;
      const a = narrow(await startTurn(server, { threadId, prompt: 'a', delivery: 'QUEUE' }), 'StartTurnPayload').turn.id;
      const b = narrow(await startTurn(server, { threadId, prompt: 'b', delivery: 'QUEUE' }), 'StartTurnPayload').turn.id;
      await waitFor(() => engine.held.includes(running), 5000, 'the running turn to wait');
      const begun = engine.begun.length;
      const sent = gql(MOVE, { turnId: b, position: 1 });
      await sleep(i % 3);
      engine.release(running);
      const reply = (await sent).moveQueuedTurn;
      expect(reply.__typename, JSON.stringify(reply)).toBe('MoveQueuedTurnPayload');
      await waitFor(() => engine.begun.length > begun, 5000, 'the next turn to start');
      const moved = (await threadEvents(server, threadId)).find((e) => e.name === 'turn.queue_moved');
      // The move saw both queued (a still waiting): b goes first. It saw only b: a had started already.
      const first = moved!.payload.queue.includes(a) ? b : a;
      expect(engine.begun[begun], `iteration ${i}`).toBe(first);
      for (const id of first === a ? [a, b] : [b, a]) {
        await waitFor(() => engine.begun.includes(id), 5000, `turn ${id} to start`);
        engine.release(id);
        await waitForTurnEnd(server, id);
      }
    }
  }, 60_000);
  it('startTurn and steerTurn keep it on the turn, the steered message and their events; a queued turn keeps it', async () => {
    const threadId = await createThread(server);
    const seen = (await threadEvents(server, threadId)).at(-1)!.seq;
    const started = ((await server.gql(START, { input: { threadId, prompt: 'hi', seenSeq: seen } })) as Json).data.startTurn;
    expect(started.turn.seenSeq).toBe(seen);
    const steered = ((await server.gql(STEER, { input: { turnId: started.turn.id, prompt: 'and more', seenSeq: seen + 2 } })) as Json).data.steerTurn;
    expect(steered.__typename, JSON.stringify(steered)).toBe('SteerTurnPayload');
    const queued = ((await server.gql(START, { input: { threadId, prompt: 'later', delivery: 'QUEUE', seenSeq: seen + 3 } })) as Json).data.startTurn;
    expect(queued.turn).toMatchObject({ status: 'QUEUED', seenSeq: seen + 3 });

    const events = await threadEvents(server, threadId);
    expect(eventsNamed(events, 'turn.started').find((e) => e.turnId === started.turn.id)?.payload.seenSeq).toBe(seen);
    expect(eventsNamed(events, 'turn.steered')[0]?.payload.seenSeq).toBe(seen + 2);
    expect(eventsNamed(events, 'turn.queued')[0]?.payload.seenSeq).toBe(seen + 3);
    const r = await server.gql(`query($id: ID!) { turn(id: $id) { items(first: 10) { nodes { kind metadata } } } }`, { id: started.turn.id });
    const steerItem = (r as Json).data.turn.items.nodes.filter((n: Json) => n.kind === 'USER_MESSAGE')[1];
    expect(steerItem.metadata).toEqual({ steer: true, seenSeq: seen + 2 });

    engine.release(started.turn.id);
    await waitFor(async () => (await turnState(server, queued.turn.id)).status === 'IN_PROGRESS', 5000, 'the queued turn to start');
    const r2 = await server.gql(`query($id: ID!) { turn(id: $id) { seenSeq } }`, { id: queued.turn.id });
    expect((r2 as Json).data.turn.seenSeq).toBe(seen + 3);
    engine.release(queued.turn.id);
  });

  it('a seenSeq past the newest seq, or negative, is a VALIDATION error on seenSeq', async () => {
    const threadId = await createThread(server);
    for (const seenSeq of [-1, server.runtime.log.latestSeq + 1000]) {
      const r = ((await server.gql(START, { input: { threadId, prompt: 'hi', seenSeq } })) as Json).data.startTurn;
      expect(r).toMatchObject({ code: 'VALIDATION', field: 'seenSeq' });
    }
  });
});
