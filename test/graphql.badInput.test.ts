/**
 * Bad requests against the real server: each one gets a clear error (or a null / typed error where the contract
 * says so) and leaves the store exactly as it was.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from './support/harness.js';

type Json = any;

let server: TestServer;
let threadId: string;
let turnId: string;
let itemId: string;

interface RawResponse {
  status: number;
  contentType: string;
  body: Json;
}

/** POSTs a raw body (a string is sent as is) and parses the JSON answer. */
async function post(body: string | Record<string, unknown>, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: JSON.parse(text) };
}

/** What a rejected request must not change. */
async function snapshot() {
  const { data } = await server.gql(`{ threads(filter: { archived: INCLUDE_ARCHIVED }) { totalCount } runtimeInfo { latestSeq } }`);
  return { threads: data.threads.totalCount as number, latestSeq: data.runtimeInfo.latestSeq as number };
}

/** The first error of a response that has errors (and no data for them). */
function firstError(body: Json): { message: string; extensions?: Record<string, unknown> } {
  expect(body.errors, JSON.stringify(body)).toBeInstanceOf(Array);
  expect(body.errors.length).toBeGreaterThan(0);
  expect(typeof body.errors[0].message, JSON.stringify(body)).toBe('string');
  return body.errors[0];
}

const CREATE_THREAD = `mutation($input: CreateThreadInput!) {
  createThread(input: $input) { __typename ... on UserError { code message } ... on ValidationError { field } }
}`;

beforeAll(async () => {
  server = await startTestServer();
  const created = await server.gql(`mutation { createThread(input: { title: "seed" }) { ... on CreateThreadPayload { thread { id } } } }`);
  threadId = created.data.createThread.thread.id;
  const started = await server.gql(
    `mutation($id: ID!) { startTurn(input: { threadId: $id, prompt: "seed prompt" }) { ... on StartTurnPayload { turn { id } } } }`,
    {
      id: threadId,
    },
  );
  turnId = started.data.startTurn.turn.id;
  await waitFor(async () => (await server.gql(`query($id: ID!) { thread(id: $id) { status } }`, { id: threadId })).data.thread.status === 'IDLE');
  const items = await server.gql(`query($id: ID!) { turn(id: $id) { items { nodes { id } } } }`, { id: turnId });
  itemId = items.data.turn.items.nodes[0].id;
});
afterAll(async () => {
  await server?.close();
});

describe('bad input leaves the store unchanged', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeEach(async () => {
    before = await snapshot();
  });
  afterEach(async () => {
    expect(await snapshot()).toEqual(before);
  });

  it('malformed JSON body → HTTP 400 with a JSON error body', async () => {
    for (const body of ['{"query": ', 'not json at all', '{"query": "{ runtimeInfo { latestSeq } }",}']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      expect(res.contentType).toMatch(/json/);
      expect(firstError(res.body).message).toMatch(/JSON/i);
    }
  });

  it('a body without a query → HTTP 400', async () => {
    for (const body of [{}, { query: 42 }, { variables: {} }]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(firstError(res.body).message).toMatch(/query/i);
    }
  });

  it('a query that does not parse → HTTP 400 with the syntax error', async () => {
    const res = await post({ query: 'mutation { createThread(input: {}) { __typename ' });
    expect(res.status).toBe(400);
    expect(firstError(res.body).message).toMatch(/Syntax Error/);
  });

  it('missing required variables → an error naming the variable', async () => {
    const res = await post({ query: CREATE_THREAD, variables: {} });
    expect(res.status).toBe(400);
    expect(firstError(res.body).message).toContain('$input');

    const nested = await post({
      query: `mutation($input: StartTurnInput!) { startTurn(input: $input) { __typename } }`,
      variables: { input: { threadId } }, // prompt is required
    });
    expect(firstError(nested.body).message).toMatch(/\$input.*prompt/s);
  });

  it('wrong variable types → an error naming the variable', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [`query($first: Int) { threads(first: $first) { totalCount } }`, { first: 'ten' }, /\$first/],
      [`query($first: Int) { threads(first: $first) { totalCount } }`, { first: 2 ** 31 }, /\$first/],
      [`query($since: SafeInt) { events(threadId: "${'thr_01ARZ3NDEKTSV4RRFFQ69G5FAV'}", sinceSeq: $since) { seq } }`, { since: 1.5 }, /\$since/],
      [CREATE_THREAD, { input: { allowShell: 'yes' } }, /\$input.*allowShell/s],
      [CREATE_THREAD, { input: { taskType: 'SPREADSHEET' } }, /\$input.*taskType/s],
      [CREATE_THREAD, { input: 'not an object' }, /\$input/],
    ];
    for (const [query, variables, mention] of cases) {
      const res = await post({ query, variables });
      const error = firstError(res.body);
      expect(error.message, JSON.stringify(variables)).toMatch(mention);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.data).toBeUndefined();
    }
  });

  it('a 1 MB body is refused with 413 before it is parsed', async () => {
    const res = await post({ query: CREATE_THREAD, variables: { input: { title: 'x'.repeat(1 << 20) } } });
    expect(res.status).toBe(413);
    expect(JSON.stringify(res.body)).toMatch(/too large|exceeds/i);
  });

  it('a title over 500 characters → VALIDATION naming the field', async () => {
    const title = 'x'.repeat(100_000);
    const res = await post({ query: CREATE_THREAD, variables: { input: { title } } });
    expect(res.status).toBe(200);
    expect(res.body.data.createThread).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'title' });
    expect(res.body.data.createThread.message).toMatch(/title: at most 500 characters/);

    // The same title written into the query text, and on updateThread.
    const inline = await post({
      query: `mutation { createThread(input: { title: ${JSON.stringify(title)} }) { __typename ... on UserError { code } } }`,
    });
    expect(inline.body.data.createThread).toEqual({ __typename: 'ValidationError', code: 'VALIDATION' });
    const update = await post({
      query: `mutation($input: UpdateThreadInput!) { updateThread(input: $input) { __typename ... on UserError { code } } }`,
      variables: { input: { threadId, title } },
    });
    expect(update.body.data.updateThread).toEqual({ __typename: 'ValidationError', code: 'VALIDATION' });
    const { data } = await server.gql(`query($id: ID!) { thread(id: $id) { title } }`, { id: threadId });
    expect(data.thread.title).toBe('seed');
  });

  it('oversized or empty prompts → VALIDATION', async () => {
    const START = `mutation($input: StartTurnInput!) { startTurn(input: $input) { __typename ... on UserError { code message } } }`;
    // 300 KB fits in a request (1 MiB) but not in a prompt (256 KiB).
    for (const prompt of ['x'.repeat(300 * 1024), '', '   \n\t ']) {
      const res = await post({ query: START, variables: { input: { threadId, prompt } } });
      expect(res.body.data.startTurn, JSON.stringify(prompt.slice(0, 10))).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    }
  });

  it('ids of the wrong type → null from thread, turn, item and node', async () => {
    const { body } = await post({
      query: `query($thread: ID!, $turn: ID!, $item: ID!) {
        t1: thread(id: $turn) { id }  t2: thread(id: $item) { id }  t3: thread(id: "abc") { id }  t4: thread(id: 42) { id }
        u1: turn(id: $thread) { id }  u2: turn(id: $item) { id }    u3: turn(id: "") { id }     u4: turn(id: 7) { id }
        i1: item(id: $thread) { id }  i2: item(id: $turn) { id }    i3: item(id: "item_") { id } i4: item(id: -1) { id }
        n1: node(id: "thr_x") { id }  n2: node(id: 0) { id }
      }`,
      variables: { thread: threadId, turn: turnId, item: itemId },
    });
    expect(body.errors).toBeUndefined();
    for (const [alias, value] of Object.entries(body.data)) expect(value, alias).toBeNull();
  });

  it('ids of the wrong type to mutations → VALIDATION, not NOT_FOUND', async () => {
    const { body } = await post({
      query: `mutation($turn: ID!, $thread: ID!) {
        updateThread(input: { threadId: $turn, title: "x" }) { __typename ... on UserError { code } }
        deleteThread(input: { threadId: $turn }) { __typename ... on UserError { code } }
        startTurn(input: { threadId: $turn, prompt: "hi" }) { __typename ... on UserError { code } }
        interruptTurn(input: { turnId: $thread }) { __typename ... on UserError { code } }
      }`,
      variables: { turn: turnId, thread: threadId },
    });
    expect(body.errors).toBeUndefined();
    for (const [field, value] of Object.entries(body.data)) expect(value, field).toEqual({ __typename: 'ValidationError', code: 'VALIDATION' });
  });

  it('events of a malformed thread id → a VALIDATION error', async () => {
    const { body } = await post({ query: `{ events(threadId: "turn_01ARZ3NDEKTSV4RRFFQ69G5FAV") { seq } }` });
    expect(firstError(body).extensions?.code).toBe('VALIDATION');
  });

  it('unknown input fields → a validation error naming the field', async () => {
    const inline = await post({ query: `mutation { createThread(input: { title: "x", colour: "red" }) { __typename } }` });
    expect(inline.status).toBe(400);
    expect(firstError(inline.body)).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(firstError(inline.body).message).toMatch(/"colour" is not defined by type "CreateThreadInput"/);

    const viaVariables = await post({ query: CREATE_THREAD, variables: { input: { title: 'x', colour: 'red' } } });
    expect(viaVariables.status).toBe(400);
    expect(firstError(viaVariables.body).message).toMatch(/\$input.*colour/s);
  });

  it('an unknown field or argument → a validation error', async () => {
    for (const query of [
      '{ runtimeInfo { latestSeq colour } }',
      '{ bogus }',
      '{ threads(colour: "red") { totalCount } }',
      'mutation { dropEverything }',
    ]) {
      const res = await post({ query });
      expect(res.status, query).toBe(400);
      expect(firstError(res.body).extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('an unexpected failure inside a resolver is masked, with a message and no internals', async () => {
    const store = server.runtime.store;
    const original = store.pageThreads;
    store.pageThreads = async () => {
      throw new TypeError('secret internal detail');
    };
    try {
      const res = await post({ query: '{ threads { totalCount } }' });
      expect(firstError(res.body)).toMatchObject({ message: 'Unexpected error.', path: ['threads'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(res.body)).not.toContain('secret');
    } finally {
      store.pageThreads = original;
    }
  });

  it('a mutation over GET is refused', async () => {
    const url = `${server.url}?query=${encodeURIComponent('mutation { createThread(input: {}) { __typename } }')}`;
    const res = await fetch(url, { headers: { accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1' } });
    expect(res.status).toBe(405);
    expect(firstError(await res.json()).message).toMatch(/mutation/i);
  });
});
