/**
 * Property-based tests over the mutation inputs (issue #6), one suite for every store (issue #14): random
 * strings, unicode, lone surrogates, huge numbers, nulls and wrong types in every field, and well-formed
 * sequences of starts (REJECT, QUEUE, STEER, INTERRUPT), steers, interrupts, cancels, edits, forks and
 * compactions, sent as GraphQL variables over real HTTP, a few at once, spread over the suite's nodes (one
 * LevelDB server, or one or two servers on one PostgreSQL database). Every request gets data with a typed
 * result (the payload or a UserError with a known code) or a GraphQL error with a clear message: never HTTP
 * 5xx, never "Unexpected error." (a masked internal crash). After every run, once nothing runs, the store is
 * consistent (support/invariants.ts, on PostgreSQL also support/pgInvariants.ts).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import type { TestServer } from './harness.js';
import { createThread, waitForTurnEnd } from './ops.js';
import { defined } from '../../src/domain/defined.js';

type Json = any;

const KNOWN_CODES = new Set([
  'NOT_FOUND',
  'VALIDATION',
  'TURN_ACTIVE',
  'NO_ACTIVE_TURN',
  'THREAD_ARCHIVED',
  'WORKSPACE_INVALID',
  'CONFLICT',
  'OUT_OF_RANGE',
]);

let servers: TestServer[] = [];
const threadPool: string[] = [];
const turnPool: string[] = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

// ---------- values ----------

const huge = fc.constantFrom(2 ** 60, -(2 ** 60), 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 5e-324, -0, 1e21);
const longStrings = fc.constantFrom(
  'x'.repeat(300_000),
  'é'.repeat(140_000),
  '😀'.repeat(70_000),
  ' '.repeat(10_000),
  'a'.repeat(4097),
  'b'.repeat(501),
  'c'.repeat(65 * 1024),
);
const special = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\n\t',
  '..',
  '../..',
  '/',
  '/dev/null',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\u202E',
  '\uFEFF',
  'thr_',
  'turn_00000000000000000000000000',
  'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV!x',
  'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV~',
  '<script>',
  '${x}',
  "'; DROP TABLE",
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '!',
  '~',
  'NaN',
);
/** Anything a client could put in a JSON variable. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.string(), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 2 }, // lone surrogates included
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: huge, weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: special, weight: 3 },
  { arbitrary: longStrings, weight: 1 },
  { arbitrary: fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }), weight: 1 },
);

/** Strings a client may send where a String or an ID is expected. */
const hostileString: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.string(), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 2 },
  { arbitrary: special, weight: 4 },
  { arbitrary: longStrings, weight: 1 },
  { arbitrary: fc.constant(null), weight: 2 },
);
const hostileFloat: fc.Arbitrary<unknown> = fc.oneof(fc.double(), huge, fc.integer(), fc.constant(null));
const hostileInt: fc.Arbitrary<unknown> = fc.oneof(fc.integer(), fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 0, -1), fc.constant(null));
const hostileId: fc.Arbitrary<unknown> = fc.oneof(hostileString, fc.integer(), fc.constantFrom(2 ** 53 - 1, 0));

/** Mostly plausible values (so that commands get far and write), often hostile ones of the right type, now and then anything. */
const field = (plausible: fc.Arbitrary<unknown>, typed: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: plausible, weight: 16 }, { arbitrary: typed, weight: 4 }, { arbitrary: hostile, weight: 1 });

const fromPool = (pool: string[], fallback: () => string) => fc.nat().map((i) => (pool.length ? pool[i % pool.length] : fallback()));
const freshId = (kind: 'thread' | 'turn') => fc.constant(null).map(() => newId(kind));
const threadId = field(
  fc.oneof(
    { arbitrary: fromPool(threadPool, () => newId('thread')), weight: 8 },
    { arbitrary: freshId('thread'), weight: 1 },
    { arbitrary: fromPool(turnPool, () => newId('turn')), weight: 1 },
  ),
  hostileId,
);
const turnId = field(
  fc.oneof(
    { arbitrary: fromPool(turnPool, () => newId('turn')), weight: 8 },
    { arbitrary: freshId('turn'), weight: 1 },
    { arbitrary: fromPool(threadPool, () => newId('thread')), weight: 1 },
  ),
  hostileId,
);
const text = field(fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('hello', 'say something', ' padded ')), hostileString);
const bool = field(fc.boolean(), fc.constant(null));
const model = field(fc.constantFrom('deepseek-chat', 'gpt-4o', ' spaced ', 'm'), hostileString);
const mode = field(fc.constantFrom('agent', 'chat', 'plan'), hostileString);
const workspaceArb = field(fc.constantFrom('.', 'sub', 'missing', '/etc/passwd', '/'), hostileString);
const delivery = field(fc.constantFrom('REJECT', 'QUEUE', 'STEER', 'INTERRUPT'), fc.constant(null));
const temperature = field(fc.double({ min: 0, max: 2, noNaN: true }), hostileFloat);
const topP = field(fc.double({ min: 0, max: 1, noNaN: true }), hostileFloat);
const maxTokens = field(fc.integer({ min: 1, max: 4000 }), hostileInt);
const depth = field(fc.integer({ min: 0, max: 3 }), hostileInt);

const turnSettings = { model, mode, allowShell: bool, trustMode: bool, autoApprove: bool, routeIntent: text, temperature, topP, maxTokens };
const threadSettings = {
  title: text,
  model,
  mode,
  workspace: workspaceArb,
  systemPrompt: text,
  allowShell: bool,
  trustMode: bool,
  autoApprove: bool,
  archived: bool,
};

/** The input object: the required fields (usually) and any subset of the others; now and then not an object at all. */
const input = (required: Record<string, fc.Arbitrary<unknown>>, optional: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    {
      arbitrary: fc
        .tuple(
          fc.record(required),
          fc.record(optional, { requiredKeys: [] }),
          fc.boolean().map((b) => b || Math.random() < 0.9),
        )
        .map(([req, opt, keepRequired]) => ({ ...(keepRequired ? req : {}), ...opt })),
      weight: 20,
    },
    { arbitrary: hostile, weight: 1 },
  );

// ---------- commands ----------

interface Command {
  field: string;
  payload: string;
  query: string;
  variables: Record<string, unknown>;
}

const mutation = (field: string, inputType: string, payload: string, selection: string) => (variables: { input: unknown }) =>
  ({
    field,
    payload,
    query: `mutation($input: ${inputType}!) { ${field}(input: $input) { __typename ... on ${payload} { ${selection} } ... on UserError { code message } } }`,
    variables,
  }) satisfies Command;

/** Well-formed starts and updates on known threads: they get far, so they race each other and running turns. */
const poolThread = fromPool(threadPool, () => newId('thread'));
const plainPrompt = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }).filter((p) => p.trim() !== ''),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter((p) => p.trim() !== ''),
);
const plainStart = fc
  .record({ threadId: poolThread, prompt: plainPrompt, delivery: fc.constantFrom('REJECT', 'QUEUE', 'STEER', 'INTERRUPT') })
  .map((i) => mutation('startTurn', 'StartTurnInput', 'StartTurnPayload', 'turn { id status } queued { position }')({ input: i }));
const plainUpdate = fc
  .record(
    {
      id: poolThread,
      title: fc.option(fc.string({ unit: 'grapheme', maxLength: 20 })),
      archived: fc.constantFrom(undefined, undefined, undefined, false, true),
      allowShell: fc.option(fc.boolean()),
    },
    { requiredKeys: ['id'] },
  )
  .map((i) => mutation('updateThread', 'UpdateThreadInput', 'UpdateThreadPayload', 'thread { id title archived updatedAt }')({ input: i }));
const plainSteer = fc
  .record({ turnId: fromPool(turnPool, () => newId('turn')), prompt: plainPrompt })
  .map((i) => mutation('steerTurn', 'SteerTurnInput', 'SteerTurnPayload', 'turn { id steerCount }')({ input: i }));
const plainFork = fc
  .record({ threadId: poolThread, depthFromTail: fc.option(fc.nat(3)) })
  .map((i) => mutation('forkThread', 'ForkThreadInput', 'ForkThreadPayload', 'thread { id turns { totalCount } } originalUserText')({ input: i }));

const plainTurnCommand = (field: string, payload: string) =>
  fc
    .record({ turnId: fromPool(turnPool, () => newId('turn')) })
    .map((i) => mutation(field, `${payload.replace(/Payload$/, '')}Input`, payload, 'turn { id status }')({ input: i }));
const plainInterrupt = plainTurnCommand('interruptTurn', 'InterruptTurnPayload');
const plainCancel = plainTurnCommand('cancelQueuedTurn', 'CancelQueuedTurnPayload');
const plainCompact = fc
  .record({ threadId: poolThread, reason: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }) })
  .map((i) => mutation('compactThread', 'CompactThreadInput', 'CompactThreadPayload', 'turn { id status }')({ input: i }));
const plainEdit = fc
  .record({ threadId: poolThread, content: plainPrompt })
  .map((i) => mutation('editLastTurn', 'EditLastTurnInput', 'EditLastTurnPayload', 'turn { id status }')({ input: i }));

const command: fc.Arbitrary<Command> = fc.oneof(
  plainStart,
  plainStart,
  plainInterrupt,
  plainCancel,
  plainCompact,
  plainEdit,
  plainUpdate,
  plainSteer,
  plainFork,
  input({}, { ...threadSettings, taskId: text, taskType: field(fc.constantFrom('AUTO', 'CODE', 'OFFICE'), fc.constant(null)) }).map((i) =>
    mutation('createThread', 'CreateThreadInput', 'CreateThreadPayload', 'thread { id title workspace }')({ input: i }),
  ),
  input({ id: threadId }, { ...threadSettings, scratchpadRunId: text }).map((i) =>
    mutation('updateThread', 'UpdateThreadInput', 'UpdateThreadPayload', 'thread { id title archived updatedAt }')({ input: i }),
  ),
  input({ threadId, prompt: text }, { inputSummary: text, delivery, ...turnSettings }).map((i) =>
    mutation('startTurn', 'StartTurnInput', 'StartTurnPayload', 'turn { id status } queued { position }')({ input: i }),
  ),
  input({ turnId, prompt: text }, {}).map((i) => mutation('steerTurn', 'SteerTurnInput', 'SteerTurnPayload', 'turn { id steerCount }')({ input: i })),
  input({ threadId }, { depthFromTail: depth }).map((i) =>
    mutation('forkThread', 'ForkThreadInput', 'ForkThreadPayload', 'thread { id turns { totalCount } } originalUserText')({ input: i }),
  ),
  input({ threadId, content: text }, turnSettings).map((i) =>
    mutation('editLastTurn', 'EditLastTurnInput', 'EditLastTurnPayload', 'turn { id status }')({ input: i }),
  ),
  input(
    {
      rules: field(
        fc.array(fc.record({ intent: field(fc.constantFrom('code', 'chat', ' Code ', 'x', ''), hostileString), model }), { maxLength: 4 }),
        fc.array(fc.record({ intent: hostileString, model: hostileString }, { requiredKeys: [] }), { maxLength: 3 }),
      ),
    },
    {},
  ).map((i) => mutation('setRoutingRules', 'SetRoutingRulesInput', 'SetRoutingRulesPayload', 'rules { intent model }')({ input: i })),
);

// ---------- checks ----------

interface Answer {
  status: number;
  body: Json;
}

async function send(cmd: Command, server: TestServer): Promise<Answer> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: cmd.query, variables: cmd.variables }),
  });
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${cmd.field}: HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

/** Data with a typed result, or GraphQL errors with clear messages; collects new ids into the pools. */
function checkAnswer(cmd: Command, { status, body }: Answer): void {
  const shown = () => `${cmd.field} ${JSON.stringify(cmd.variables).slice(0, 300)} → HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`;
  expect(status, shown()).toBeLessThan(500);
  const result = body.data?.[cmd.field];
  if (!result) {
    expect(Array.isArray(body.errors) && body.errors.length > 0, shown()).toBe(true);
  }
  for (const error of body.errors ?? []) {
    expect(typeof error.message, shown()).toBe('string');
    expect(error.message.trim().length, shown()).toBeGreaterThan(0);
    expect(error.message, shown()).not.toBe('Unexpected error.');
    expect(error.extensions?.code, shown()).not.toBe('INTERNAL_SERVER_ERROR');
  }
  if (!result) return;
  if (result.__typename === cmd.payload) {
    const thread = result.thread?.id;
    const turn = result.turn?.id;
    // The newest ids: running turns to steer, fresh threads and forks to act on.
    if (thread && !threadPool.includes(thread)) {
      threadPool.push(thread);
      if (threadPool.length > 40) threadPool.splice(2, 1); // keeps the two seeded threads
    }
    if (turn && !turnPool.includes(turn)) {
      turnPool.push(turn);
      if (turnPool.length > 20) turnPool.shift();
    }
    return;
  }
  expect(KNOWN_CODES.has(result.code), shown()).toBe(true);
  expect(result.__typename, shown()).toMatch(/Error$/);
  expect(typeof result.message === 'string' && result.message.length > 0, shown()).toBe(true);
}

/**
 * Waits until no turn runs on any node and every write is durable, for a few checks in a row: a turn's end is
 * followed (a moment later, under the thread's lock) by the start of the next queued turn.
 */
async function settle(runtimes: Runtime[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  const running = () => runtimes.reduce((n, rt) => n + rt.active.size, 0);
  for (let calm = 0; calm < 3;) {
    if (Date.now() > deadline) throw new Error(`the nodes did not settle: ${running()} turns running`);
    for (const rt of runtimes) {
      await rt.commands.idle();
      await rt.log.drain();
    }
    calm = running() === 0 ? calm + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface PropertyStore {
  /** Starts the nodes (one server, or several on one database), sharing `clock` and one workspace. */
  start(clock: () => number): Promise<TestServer[]>;
  /** The store's problems, read while nothing runs. */
  problems(servers: TestServer[]): Promise<string[]>;
  /** Time for the random runs (fast-check's interruptAfterTimeLimit). */
  timeLimitMs: number;
}

/** The suite on one store: call at the top of a test file (or inside a describe). */
export function mutationProperties(name: string, store: PropertyStore): void {
  const runtimes = () => servers.map((s) => s.runtime);
  /** The store's problems while nothing runs (and whether something started running meanwhile). */
  async function problemsAtRest(): Promise<string[]> {
    const problems = await store.problems(servers);
    const running = runtimes().reduce((n, rt) => n + rt.active.size, 0);
    return running === 0 ? problems : [...problems, `(${running} turns started while the store was read)`];
  }

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    threadPool.length = 0;
    turnPool.length = 0;
    // Each reading of the clock is a later millisecond (as on a busy server), so two writers of one thread never
    // share an updatedAt and a lost update shows as a second index row.
    let now = Date.now();
    servers = await store.start(() => (now += 1));
    const first = defined(servers[0], 'a node');
    await mkdir(path.join(first.workspace, 'sub'));
    const a = await createThread(first, { title: 'seed a' });
    const b = await createThread(first, { title: 'seed b' });
    const started = await first.gql(
      `mutation($t: ID!) { startTurn(input: { threadId: $t, prompt: "seed prompt" }) { ... on StartTurnPayload { turn { id } } } }`,
      { t: a },
    );
    await waitForTurnEnd(first, started.data.startTurn.turn.id);
    threadPool.push(a, b);
    turnPool.push(started.data.startTurn.turn.id);
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    process.off('unhandledRejection', onRejection);
  });

  describe(`mutations under random input (${name})`, () => {
    it(
      'answer every request with data or a typed error, and keep the store consistent',
      async () => {
        const sent = fc.tuple(command, fc.nat());
        await fc.assert(
          fc.asyncProperty(fc.array(sent, { minLength: 1, maxLength: 4 }), fc.boolean(), async (commands, settleAfter) => {
            // Sent together, each to one of the nodes: commands on one thread race as real clients' would.
            const answers = await Promise.all(commands.map(([cmd, node]) => send(cmd, defined(servers[node % servers.length], 'a node'))));
            commands.forEach(([cmd], i) => checkAnswer(cmd, defined(answers[i], `the answer to command ${i}`)));
            // Now and then turns keep running into the next run (steer, queue, interrupt, updates during a turn).
            if (!settleAfter) return;
            await settle(runtimes());
            expect(await problemsAtRest()).toEqual([]);
          }),
          {
            numRuns: Number(process.env.PROPERTY_RUNS ?? 100),
            interruptAfterTimeLimit: Number(process.env.PROPERTY_TIME_LIMIT_MS ?? store.timeLimitMs),
          },
        );
        // Still serving, and after a restart of every node the store opens consistent with the same data.
        await settle(runtimes());
        expect(await problemsAtRest()).toEqual([]);
        const totals = `{ threads(filter: { archived: INCLUDE_ARCHIVED }) { totalCount } runtimeInfo { latestSeq } }`;
        const before = (await defined(servers[0], 'a node').gql(totals)).data;
        const restarted: TestServer[] = [];
        for (const server of servers) restarted.push(await server.restart());
        servers = restarted;
        await settle(runtimes());
        for (const server of servers) {
          const after = (await server.gql(totals)).data;
          expect(after.threads.totalCount).toBe(before.threads.totalCount);
          expect(after.runtimeInfo.latestSeq).toBeGreaterThanOrEqual(before.runtimeInfo.latestSeq);
        }
        expect(await problemsAtRest()).toEqual([]);
        expect(rejections).toEqual([]);
      },
      Number(process.env.PROPERTY_TEST_TIMEOUT ?? 35_000 + store.timeLimitMs),
    );
  });
}
