/**
 * The editable queue (issue 15): editQueuedTurn changes a QUEUED prompt, moveQueuedTurn changes its place; each is
 * an event; both race the queue's own progress (a turn ending starts the next) and either land before the start or
 * are refused with CONFLICT, never half. seenSeq on startTurn and steerTurn records what the user had seen.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GateEngine } from './support/gateEngine.js';
import { closeAndRemove, removeDir, startTestServer, waitFor, type TestServer } from './support/harness.js';
import {
  codeOf,
  createThread,
  eventsNamed,
  narrow,
  startTurn,
  startedTurn,
  threadEvents,
  threadState,
  turnState,
  waitForTurnEnd,
} from './support/ops.js';
import { EditQueuedTurnDocument, MoveQueuedTurnDocument, SteerTurnDocument, type EditQueuedTurnInput } from '../sdk/generated/graphql.js';

/** Queue edits through the SDK: the mutation's result union. */
const editQueued = async (server: TestServer, input: EditQueuedTurnInput) =>
  (await server.sdk.request(EditQueuedTurnDocument, { input })).editQueuedTurn;
const moveQueued = async (server: TestServer, turnId: string, position: number) =>
  (await server.sdk.request(MoveQueuedTurnDocument, { input: { turnId, position } })).moveQueuedTurn;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the editable queue', () => {
  let server: TestServer;
  const engine = new GateEngine();

  const edit = (input: EditQueuedTurnInput) => editQueued(server, input);
  const move = (turnId: string, position: number) => moveQueued(server, turnId, position);
  const queueOf = async (threadId: string): Promise<string[]> => (await threadState(server, threadId)).queuedTurns.map((t) => t.id);
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
    const edited = await edit({ turnId: queue[0]!, prompt: 'second draft, much better' });
    expect(edited).toMatchObject({
      __typename: 'EditQueuedTurnPayload',
      turn: { id: queue[0], status: 'QUEUED', prompt: 'second draft, much better', inputSummary: 'second draft, much better' },
      queued: { position: 1 },
    });
    expect(narrow(await edit({ turnId: queue[1]!, prompt: 'x', inputSummary: 'short line' }), 'EditQueuedTurnPayload').turn.inputSummary).toBe(
      'short line',
    );
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
    expect(narrow(await move(a, 3), 'MoveQueuedTurnPayload').queued.position).toBe(3);
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
    expect(await edit({ turnId: queue[0]!, prompt: '   ' })).toMatchObject({ code: 'VALIDATION' });
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

  it('an edit sent as the turn before ends lands before the start or is refused; the turn runs what was acknowledged', async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const threadId = await createThread(server);
      const running = narrow(await startTurn(server, { threadId, prompt: 'running' }), 'StartTurnPayload').turn.id;
      const queued = narrow(await startTurn(server, { threadId, prompt: 'original', delivery: 'QUEUE' }), 'StartTurnPayload').turn.id;
      await waitFor(() => engine.held.includes(running), 5000, 'the running turn to wait');
      const editFirst = i % 2 === 0;
      const delay = Math.floor(i / 2) % 3;
      let reply: Awaited<ReturnType<typeof editQueued>>;
      if (editFirst) {
        const sent = editQueued(server, { turnId: queued, prompt: 'edited' });
        await sleep(delay);
        engine.release(running);
        reply = await sent;
      } else {
        engine.release(running);
        await sleep(delay);
        reply = await editQueued(server, { turnId: queued, prompt: 'edited' });
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
        expect(codeOf(reply), `iteration ${i}`).toBe('CONFLICT');
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
      const sent = moveQueued(server, b, 1);
      await sleep(i % 3);
      engine.release(running);
      const reply = await sent;
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
    const started = { turn: await startedTurn(server, { threadId, prompt: 'hi', seenSeq: seen }) };
    expect(started.turn.seenSeq).toBe(seen);
    const steered = (await server.sdk.request(SteerTurnDocument, { input: { turnId: started.turn.id, prompt: 'and more', seenSeq: seen + 2 } }))
      .steerTurn;
    expect(steered.__typename, JSON.stringify(steered)).toBe('SteerTurnPayload');
    const queued = { turn: await startedTurn(server, { threadId, prompt: 'later', delivery: 'QUEUE', seenSeq: seen + 3 }) };
    expect(queued.turn).toMatchObject({ status: 'QUEUED', seenSeq: seen + 3 });

    const events = await threadEvents(server, threadId);
    expect(eventsNamed(events, 'turn.started').find((e) => e.turnId === started.turn.id)?.payload.seenSeq).toBe(seen);
    expect(eventsNamed(events, 'turn.steered')[0]?.payload.seenSeq).toBe(seen + 2);
    expect(eventsNamed(events, 'turn.queued')[0]?.payload.seenSeq).toBe(seen + 3);
    const steerItem = (await turnState(server, started.turn.id)).items.nodes.filter((n) => n.kind === 'USER_MESSAGE')[1];
    expect(steerItem?.metadata).toEqual({ steer: true, seenSeq: seen + 2 });

    engine.release(started.turn.id);
    await waitFor(async () => (await turnState(server, queued.turn.id)).status === 'IN_PROGRESS', 5000, 'the queued turn to start');
    expect((await turnState(server, queued.turn.id)).seenSeq).toBe(seen + 3);
    engine.release(queued.turn.id);
  });

  it('a seenSeq past the newest seq, or negative, is a VALIDATION error on seenSeq', async () => {
    const threadId = await createThread(server);
    for (const seenSeq of [-1, server.runtime.log.latestSeq + 1000]) {
      const r = await startTurn(server, { threadId, prompt: 'hi', seenSeq });
      expect(r).toMatchObject({ code: 'VALIDATION', field: 'seenSeq' });
    }
  });
});
