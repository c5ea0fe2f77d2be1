/**
 * Event subscriptions that select only the event's scalars are served from frames serialized once per event and
 * selection; every other selection is executed per subscriber. Both give the same events, live and replayed.
 */
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { framePlan } from '../src/server/eventFrames.js';
import { startTestServer, subscribe, type TestServer } from './support/harness.js';
import { createThread, mutate, narrow, startTurn, threadEvents, waitForTurnEnd } from './support/ops.js';
import { EventsDocument, UpdateThreadDocument } from '../sdk/generated/graphql.js';

// The subscriptions here are written out on purpose: their selection decides the path (shared frames or executed).

const plan = (query: string) => framePlan(schema, parse(query), undefined);

describe('which subscriptions are served from shared frames', () => {
  it('only an event subscription selecting scalars of the event, without directives or fragments', () => {
    expect(plan(`subscription { threadEvents(threadId: "x") { seq name payload __typename } }`)).not.toBeNull();
    expect(plan(`subscription { e: runtimeEvents { s: seq, n: name } }`)).toMatchObject({ rootKey: 'e' });
    expect(plan(`subscription { threadEvents(threadId: "x") { seq thread { id } } }`)).toBeNull();
    expect(plan(`subscription { threadEvents(threadId: "x") { seq name @include(if: true) } }`)).toBeNull();
    expect(plan(`subscription { threadEvents(threadId: "x") { ... on RuntimeEvent { seq } } }`)).toBeNull();
    expect(plan(`subscription { threadEvents(threadId: "x") @skip(if: false) { seq } }`)).toBeNull();
    expect(plan(`query { events(threadId: "x") { seq } }`)).toBeNull();
    expect(plan(`subscription A { threadEvents(threadId: "x") { seq } } subscription B { runtimeEvents { seq } }`)).toBeNull();
  });
});

describe('shared frames and executed subscriptions side by side', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('give every subscriber the same events in order, live equal to replay, aliases and __typename included', async () => {
    const threadId = await createThread(server);
    const ended = (v: any) => (v.e ?? v.threadEvents).name === 'turn.completed' || (v.e ?? v.threadEvents).n === 'turn.completed';
    const PURE = `subscription($t: ID!) { e: threadEvents(threadId: $t, sinceSeq: 0) { s: seq, n: name, __typename, itemId, payload } }`;
    const NESTED = `subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq name thread { id } } }`;
    const pure = [1, 2, 3].map(() => subscribe(server.ws(), PURE, { t: threadId }, ended));
    const nested = subscribe(server.ws(), NESTED, { t: threadId }, ended);
    const turn = await startTurn(server, { threadId, prompt: 'word '.repeat(300) });
    await waitForTurnEnd(server, narrow(turn, 'StartTurnPayload').turn.id);
    const log = await threadEvents(server, threadId);
    const expected = log.map((e: any) => ({ s: e.seq, n: e.name, __typename: 'RuntimeEvent', itemId: e.itemId, payload: e.payload }));
    for (const sub of pure) expect((await sub.done).map((v: any) => v.e)).toEqual(expected);
    expect((await nested.done).map((v: any) => v.threadEvents)).toEqual(
      log.map((e: any) => ({ seq: e.seq, name: e.name, thread: { id: threadId } })),
    );

    // Replayed afterwards through the same path: the same events.
    const replay = subscribe(server.ws(), PURE, { t: threadId }, ended);
    expect((await replay.done).map((v: any) => v.e)).toEqual(expected);
  });

  it('a bad argument is answered with an error as before, a client complete ends only its own operation', async () => {
    const bad = subscribe(server.ws(), `subscription { threadEvents(threadId: "nope") { seq } }`, {});
    await expect(bad.done).rejects.toThrow(/threadId/);
    const threadId = await createThread(server);
    const client = server.ws();
    const first = subscribe(client, `subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq name } }`, { t: threadId }, () => true);
    const second = subscribe(
      client,
      `subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq name } }`,
      { t: threadId },
      (_v, all) => all.length >= 2,
    );
    expect(await first.done).toHaveLength(1);
    expect((await mutate(server, UpdateThreadDocument, { threadId, title: 'renamed' })).__typename).toBe('UpdateThreadPayload');
    const got = await second.done;
    expect(got.map((v: any) => v.threadEvents.name)).toEqual(['thread.started', 'thread.updated']);
  });
});

describe('replay in the stored layout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const STORED = 'seq timestamp name threadId turnId itemId payload';

  it('passes the stored events through: the same events as the events query, filters and pages (over 500) included', async () => {
    const threadId = await createThread(server);
    // How many delta events a turn produces depends on how the deltas coalesce (timing), so turns run until the
    // log is past one replay page.
    let turnId = '';
    // The SDK's EventFields are the stored layout's fields.
    const readLog = async () => (await server.sdk.request(EventsDocument, { threadId, limit: 5000 })).events;
    let log: any[] = [];
    for (let n = 0; n < 40 && log.length <= 500; n++) {
      const turn = await startTurn(server, { threadId, prompt: 'word '.repeat(400) });
      turnId = narrow(turn, 'StartTurnPayload').turn.id;
      await waitForTurnEnd(server, turnId);
      log = await readLog();
    }
    expect(log.length).toBeGreaterThan(500);
    const last = log[log.length - 1]!.seq;
    const upToLast = (key: string) => (v: any) => v[key].seq >= last;

    const all = subscribe(
      server.ws(),
      `subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { ${STORED} } }`,
      { t: threadId },
      upToLast('threadEvents'),
    );
    expect((await all.done).map((v: any) => v.threadEvents)).toEqual(log);

    const after = log[100]!.seq;
    const named = subscribe(
      server.ws(),
      `subscription($t: ID!, $s: SafeInt) { threadEvents(threadId: $t, sinceSeq: $s, names: ["turn.", "item.completed"]) { ${STORED} } }`,
      { t: threadId, s: after },
      (v: any) => v.threadEvents.name === 'turn.completed' && v.threadEvents.turnId === turnId,
    );
    const wanted = log.filter((e: any) => e.seq > after && (e.name.startsWith('turn.') || e.name === 'item.completed'));
    expect((await named.done).map((v: any) => v.threadEvents)).toEqual(wanted);

    const byThread = subscribe(
      server.ws(),
      `subscription($t: ID!) { runtimeEvents(sinceSeq: 0, threadIds: [$t]) { ${STORED} } }`,
      { t: threadId },
      upToLast('runtimeEvents'),
    );
    expect((await byThread.done).map((v: any) => v.runtimeEvents)).toEqual(log);

    const ofTurn = subscribe(server.ws(), `subscription($u: ID!) { turnEvents(turnId: $u) { ${STORED} } }`, { u: turnId });
    expect((await ofTurn.done).map((v: any) => v.turnEvents)).toEqual(log.filter((e: any) => e.turnId === turnId));
  });
});
