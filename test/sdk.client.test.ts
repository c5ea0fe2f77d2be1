/**
 * The typed client of sdk/ (`createZagensClient`) against a real server: typed requests and errors, following a
 * thread's stream, resuming after a dropped connection and after a server restart without gap or duplicate, and
 * the SDK built as a package that plain Node imports as `@zagens/sdk`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as sdk from '../sdk/index.js';
import {
  CreateThreadDocument,
  createZagensClient,
  EventsDocument,
  expectPayload,
  RuntimeInfoDocument,
  StartTurnDocument,
  textDelta,
  ThreadDocument,
  TurnDocument,
  TurnEventsDocument,
  ZagensGraphQLError,
  ZagensUserError,
  type ReconnectInfo,
  type ZagensClient,
  type ZagensEvent,
} from '../sdk/index.js';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { startTestServer, waitFor, type TestServer } from './support/harness.js';
import { defined } from '../src/domain/defined.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let server: TestServer;
let client: ZagensClient;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(5) });
  client = createZagensClient({ url: server.url });
});
afterAll(async () => {
  await client?.dispose();
  await server?.close();
});

async function newThread(c: ZagensClient, title = 'sdk client') {
  const { createThread } = await c.request(CreateThreadDocument, { input: { title } });
  return expectPayload(createThread, 'CreateThreadPayload').thread;
}

async function startTurn(c: ZagensClient, threadId: string, prompt: string) {
  const { startTurn } = await c.request(StartTurnDocument, { input: { threadId, prompt } });
  return expectPayload(startTurn, 'StartTurnPayload').turn;
}

/** The agent's final text of a turn, read back with the Turn query. */
async function agentText(c: ZagensClient, turnId: string): Promise<string> {
  const { turn } = await c.request(TurnDocument, { id: turnId });
  const agent = turn!.items.nodes.find((item) => item.kind === 'AGENT_MESSAGE');
  if (!agent || !('text' in agent)) throw new Error('no agent message');
  return agent.text;
}

function textOf(events: ZagensEvent[], turnId: string): string {
  return events
    .filter((e) => e.turnId === turnId)
    .map(textDelta)
    .filter((d) => d !== null)
    .join('');
}

/** Tracks the server's WebSocket connections so that a test can cut them as a network failure would. */
function trackSockets(s: TestServer) {
  const sockets = new Set<Duplex>();
  s.app.server.on('upgrade', (_req, socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    get count() {
      return sockets.size;
    },
    drop: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

describe('request', () => {
  it('runs typed queries and mutations', async () => {
    const { runtimeInfo } = await client.request(RuntimeInfoDocument);
    expect(runtimeInfo.engine).toBe('offline');
    expectTypeOf(runtimeInfo.latestSeq).toEqualTypeOf<number>();

    const thread = await newThread(client, 'typed');
    expect(thread).toMatchObject({ title: 'typed', status: 'IDLE', latestSeq: expect.any(Number) });
    expectTypeOf(thread.status).toEqualTypeOf<'IDLE' | 'RUNNING'>();

    const { thread: read } = await client.request(ThreadDocument, { id: thread.id });
    expect(read?.id).toBe(thread.id);
    // Variables are required exactly when the operation has required variables.
    // @ts-expect-error ThreadDocument needs { id }
    await expect(client.request(ThreadDocument)).rejects.toThrow(ZagensGraphQLError);
  });

  it('throws a ZagensGraphQLError naming the operation and the code on GraphQL errors', async () => {
    const error = await client.request(EventsDocument, { threadId: 'not-a-thread' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZagensGraphQLError);
    const gqlError = error as ZagensGraphQLError;
    expect(gqlError.operationName).toBe('Events');
    expect(gqlError.code).toBe('VALIDATION');
    expect(gqlError.message).toMatch(/^Events failed: threadId: not a thread id at events \[VALIDATION\]/);
    expect(gqlError.errors[0]?.path).toEqual(['events']);
  });

  it('throws on HTTP failures and unreachable servers with a clear message', async () => {
    const wrongPath = createZagensClient({ url: server.url.replace('/graphql', '/nope') });
    const notFound = (await wrongPath.request(RuntimeInfoDocument).catch((e: unknown) => e)) as ZagensGraphQLError;
    expect(notFound).toBeInstanceOf(ZagensGraphQLError);
    expect(notFound.status).toBe(404);
    expect(notFound.message).toMatch(/^RuntimeInfo failed: HTTP 404/);

    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const unreachable = createZagensClient({ url });
    await expect(unreachable.request(RuntimeInfoDocument)).rejects.toThrow(
      /^RuntimeInfo failed: cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql: ECONNREFUSED/,
    );
  });

  it('expectPayload narrows result unions and throws ZagensUserError for typed errors', async () => {
    const { createThread } = await client.request(CreateThreadDocument, { input: { workspace: '/no/such/dir' } });
    expect(() => expectPayload(createThread, 'CreateThreadPayload')).toThrow(ZagensUserError);
    try {
      expectPayload(createThread, 'CreateThreadPayload');
    } catch (error) {
      expect(error).toMatchObject({ typename: 'WorkspaceInvalidError', code: 'WORKSPACE_INVALID' });
      expect((error as Error).message).toMatch(/^WorkspaceInvalidError \(WORKSPACE_INVALID\): /);
    }
    const ok = await client.request(CreateThreadDocument, { input: {} });
    const payload = expectPayload(ok.createThread, 'CreateThreadPayload');
    expectTypeOf(payload.thread.id).toEqualTypeOf<string>();
  });

  it('with --auth-token: sends the token over HTTP and WebSocket, and fails clearly without it', async () => {
    const secured = await startTestServer({ config: { authToken: 's3cret' } });
    const headers: (string | null)[] = [];
    const authed = createZagensClient({
      url: secured.url,
      authToken: 's3cret',
      fetch: (input, init) => {
        headers.push(new Headers(init?.headers).get('authorization'));
        return fetch(input, init);
      },
    });
    // A WebSocket class given by the app (as in a browser): the token goes in connection_init only.
    const paramsOnly = createZagensClient({ url: secured.url, authToken: 's3cret', webSocketImpl: WebSocket });
    const anonymous = createZagensClient({ url: secured.url });
    try {
      const thread = await newThread(authed);
      expect(headers).toEqual(['Bearer s3cret']);
      for (const c of [authed, paramsOnly]) {
        const first = await c.threadEvents({ threadId: thread.id }).next();
        expect(first.value).toMatchObject({ name: 'thread.started', threadId: thread.id });
      }

      const refused = (await anonymous.request(RuntimeInfoDocument).catch((e: unknown) => e)) as ZagensGraphQLError;
      expect(refused).toBeInstanceOf(ZagensGraphQLError);
      expect(refused).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      const reconnects: ReconnectInfo[] = [];
      const follow = anonymous.followThread({ threadId: thread.id, onEvent: () => {}, onReconnect: (i) => reconnects.push(i) });
      await expect(follow.done).rejects.toThrow(/^ThreadEvents failed: WebSocket closed: 4403 Forbidden/);
      expect(reconnects).toEqual([]); // refused is final: no retry loop
    } finally {
      await Promise.all([authed.dispose(), paramsOnly.dispose(), anonymous.dispose()]);
      await secured.close();
    }
  });
});

describe('subscriptions', () => {
  it('followThread receives the whole streamed answer, in seq order, as a replay would return it', async () => {
    const thread = await newThread(client);
    const turn = await startTurn(client, thread.id, 'Follow me');
    const events: ZagensEvent[] = [];
    const follower = client.followThread({
      threadId: thread.id,
      onEvent: (e) => void events.push(e),
      until: (e) => e.name === 'turn.completed' && e.turnId === turn.id,
    });
    const lastSeq = await follower.done;
    expect(lastSeq).toBe(events.at(-1)!.seq);
    expect(follower.lastSeq).toBe(lastSeq);
    expect(events[0]).toMatchObject({ name: 'thread.started', seq: thread.latestSeq });
    expect(events.at(-1)).toMatchObject({ name: 'turn.completed', payload: { status: 'COMPLETED' } });

    const answer = await agentText(client, turn.id);
    expect(answer).toContain('(offline engine) You said: "Follow me"');
    expect(textOf(events, turn.id)).toBe(answer);
    const { events: replay } = await client.request(EventsDocument, { threadId: thread.id });
    expect(events).toEqual(replay);
  });

  it('threadEvents is an async iterator that starts after sinceSeq and stops with break or an abort signal', async () => {
    const thread = await newThread(client);
    const turn = await startTurn(client, thread.id, 'Iterate me');
    const names: string[] = [];
    for await (const event of client.threadEvents({ threadId: thread.id, sinceSeq: thread.latestSeq })) {
      names.push(event.name);
      if (event.name === 'turn.completed') break;
    }
    expect(names[0]).toBe('turn.started');
    expect(names).toContain('item.delta');

    // An abort ends the iteration without an error, also while it waits for a live event.
    const controller = new AbortController();
    const seen: number[] = [];
    const pending = (async () => {
      for await (const event of client.threadEvents({ threadId: thread.id, signal: controller.signal })) seen.push(event.seq);
    })();
    await waitFor(() => seen.length === names.length + 1, 5000, 'the whole replay');
    controller.abort();
    await pending;
    expect(seen).toEqual(seen.map((_, i) => thread.latestSeq + i));
    expect(turn.id).toMatch(/^turn_/);
  });

  it('subscribe runs any typed subscription (TurnEvents completes when its turn ends)', async () => {
    const thread = await newThread(client);
    const turn = await startTurn(client, thread.id, 'Turn events');
    const events = [];
    for await (const data of client.subscribe(TurnEventsDocument, { turnId: turn.id })) {
      expectTypeOf(data.turnEvents.seq).toEqualTypeOf<number>();
      events.push(data.turnEvents);
    }
    expect(events[0]?.name).toBe('turn.started');
    expect(events.at(-1)).toMatchObject({ name: 'turn.completed', turnId: turn.id });
  });

  it('a subscription refused by the server fails at once with its GraphQL error (no retry loop)', async () => {
    const reconnects: ReconnectInfo[] = [];
    const iterate = async () => {
      for await (const _ of client.threadEvents({ threadId: 'thr_nope', onReconnect: (i) => reconnects.push(i) })) void _;
    };
    const error = (await iterate().catch((e: unknown) => e)) as ZagensGraphQLError;
    expect(error).toBeInstanceOf(ZagensGraphQLError);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/^ThreadEvents failed: /);
    expect(reconnects).toEqual([]);
  });
});

describe('resume', () => {
  it('resubscribes after the connection drops mid-turn, from the last seq: no gap, no duplicate', async () => {
    const local = await startTestServer({ engine: new OfflineEngine(40) });
    const sockets = trackSockets(local);
    const c = createZagensClient({ url: local.url, retryWait: () => 30 });
    try {
      const thread = await newThread(c);
      const turn = await startTurn(c, thread.id, 'Please survive two dropped connections while you answer');
      const events: ZagensEvent[] = [];
      const reconnects: ReconnectInfo[] = [];
      const dropAtDelta = new Set([1, 5]);
      for await (const event of c.threadEvents({
        threadId: thread.id,
        until: (e) => e.name === 'turn.completed' && e.turnId === turn.id,
        onReconnect: (info) => reconnects.push(info),
      })) {
        events.push(event);
        const deltas = events.filter((e) => textDelta(e) !== null).length;
        if (textDelta(event) !== null && dropAtDelta.delete(deltas)) {
          expect(sockets.count).toBe(1);
          sockets.drop();
        }
      }
      expect(reconnects).toHaveLength(2);
      expect(reconnects.every((r) => r.attempt === 1)).toBe(true);
      expect(defined(reconnects[0], 'the first reconnect').sinceSeq).toBeLessThan(defined(reconnects[1], 'the second reconnect').sinceSeq);
      // The turn was still running after both drops: the answer arrived partly live after each resume.
      const completedSeq = events.at(-1)!.seq;
      expect(reconnects[1]?.sinceSeq).toBeLessThan(completedSeq - 2);

      const { events: replay } = await c.request(EventsDocument, { threadId: thread.id });
      expect(events.map((e) => e.seq)).toEqual(replay.map((e) => e.seq));
      expect(events).toEqual(replay);
      expect(textOf(events, turn.id)).toBe(await agentText(c, turn.id));
    } finally {
      await c.dispose();
      await local.close();
    }
  });

  it('keeps following across a server restart on the same port and data directory', async () => {
    let local = await startTestServer({ engine: new OfflineEngine(40) });
    const { port, dataDir, workspace } = local;
    const c = createZagensClient({ url: local.url, retryWait: () => 100 });
    let restart = null as Promise<string> | null;
    let secondTurnId: string | undefined;
    try {
      const thread = await newThread(c);
      const first = await startTurn(c, thread.id, 'This turn is cut by a restart');
      const events: ZagensEvent[] = [];
      const reconnects: ReconnectInfo[] = [];
      const follower = c.followThread({
        threadId: thread.id,
        onReconnect: (info) => reconnects.push(info),
        until: (e) => e.name === 'turn.completed' && e.turnId === secondTurnId,
        onEvent: (event) => {
          events.push(event);
          if (!restart && textDelta(event) !== null) {
            restart = (async () => {
              await local.close();
              local = await startTestServer({ engine: new OfflineEngine(5), dataDir, workspace, config: { port } });
              const second = await startTurn(c, thread.id, 'And this one runs after it');
              secondTurnId = second.id;
              return second.id;
            })();
          }
        },
      });
      await follower.done;
      const secondId = await restart!;
      expect(reconnects.length).toBeGreaterThanOrEqual(1);
      expect(events.find((e) => e.name === 'turn.completed' && e.turnId === first.id)?.payload).toMatchObject({ status: 'INTERRUPTED' });
      expect(events.at(-1)).toMatchObject({ name: 'turn.completed', turnId: secondId, payload: { status: 'COMPLETED' } });

      const { events: replay } = await c.request(EventsDocument, { threadId: thread.id });
      expect(events.map((e) => e.seq)).toEqual(replay.map((e) => e.seq));
      expect(events).toEqual(replay);
      expect(textOf(events, secondId)).toBe(await agentText(c, secondId));
    } finally {
      await c.dispose();
      await restart?.catch(() => undefined);
      await local.close();
    }
  });
});

describe('the SDK as a package', () => {
  // The operations of API.md: each must have a typed document in sdk/operations.
  const API = {
    query: ['node', 'nodes', 'thread', 'turn', 'item', 'threads', 'events', 'usage', 'routingRules', 'pendingApprovals', 'runtimeInfo'],
    mutation: [
      'createThread',
      'updateThread',
      'deleteThread',
      'startTurn',
      'steerTurn',
      'interruptTurn',
      'cancelQueuedTurn',
      'editLastTurn',
      'forkThread',
      'compactThread',
      'resolveApproval',
      'setRoutingRules',
    ],
    subscription: ['threadEvents', 'turnEvents', 'runtimeEvents'],
  };

  it('has a typed document for every query, mutation and subscription of API.md', () => {
    const covered = { query: new Set<string>(), mutation: new Set<string>(), subscription: new Set<string>() };
    for (const [name, value] of Object.entries(sdk)) {
      if (!name.endsWith('Document')) continue;
      for (const definition of (value as DocumentNode).definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const type = definition.operation as `${OperationTypeNode}`;
        for (const selection of definition.selectionSet.selections) if (selection.kind === Kind.FIELD) covered[type].add(selection.name.value);
      }
    }
    for (const type of ['query', 'mutation', 'subscription'] as const) {
      expect(
        API[type].filter((field) => !covered[type].has(field)),
        `${type} fields without a document`,
      ).toEqual([]);
    }
  });

  it('is usable from another project straight after npm ci: sdk/ as installed (built by prepare), no build step', { timeout: 60_000 }, async () => {
    // What `npm install /path/to/repo/sdk` gives another project: node_modules/@zagens/sdk linked to sdk/.
    expect(existsSync(path.join(ROOT, 'sdk/dist/index.js')), 'npm ci builds sdk/dist (prepare)').toBe(true);
    expect(existsSync(path.join(ROOT, 'sdk/dist/index.d.ts'))).toBe(true);
    const app = await mkdtemp(path.join(tmpdir(), 'zagens-sdk-user-'));
    try {
      await mkdir(path.join(app, 'node_modules', '@zagens'), { recursive: true });
      await symlink(path.join(ROOT, 'sdk'), path.join(app, 'node_modules', '@zagens', 'sdk'), 'dir');
      await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'user-app', type: 'module', private: true }));
      await writeFile(
        path.join(app, 'main.js'),
        `import { createZagensClient, RuntimeInfoDocument } from '@zagens/sdk';
const client = createZagensClient({ url: process.argv[2] });
console.log(JSON.stringify(await client.request(RuntimeInfoDocument, {})));
await client.dispose();
`,
      );
      const { stdout } = await run(process.execPath, ['main.js', server.url], { cwd: app });
      expect(JSON.parse(stdout)).toMatchObject({ runtimeInfo: { version: expect.any(String) } });
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  });

  it('builds with tsc and is imported as @zagens/sdk by a plain Node app', { timeout: 60_000 }, async () => {
    // Inside node_modules so that the package's own imports (graphql, graphql-ws, ws) resolve from the repo's.
    const work = path.join(ROOT, 'node_modules', '.cache', `zagens-sdk-test-${process.pid}`);
    const pkg = path.join(work, 'sdk');
    const app = path.join(work, 'app');
    await rm(work, { recursive: true, force: true });
    try {
      await mkdir(path.join(app, 'node_modules', '@zagens'), { recursive: true });
      await run(
        process.execPath,
        [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'sdk/tsconfig.build.json', '--outDir', path.join(pkg, 'dist')],
        { cwd: ROOT },
      );
      await copyFile(path.join(ROOT, 'sdk/package.json'), path.join(pkg, 'package.json'));
      await symlink(pkg, path.join(app, 'node_modules', '@zagens', 'sdk'), 'dir');
      await writeFile(
        path.join(app, 'main.mjs'),
        `import { createZagensClient, CreateThreadDocument, StartTurnDocument, expectPayload, textDelta } from '@zagens/sdk';
const client = createZagensClient({ url: process.argv[2] });
const { thread } = expectPayload((await client.request(CreateThreadDocument, { input: {} })).createThread, 'CreateThreadPayload');
const { turn } = expectPayload((await client.request(StartTurnDocument, { input: { threadId: thread.id, prompt: 'From a package' } })).startTurn, 'StartTurnPayload');
let text = '';
for await (const e of client.threadEvents({ threadId: thread.id, until: (e) => e.name === 'turn.completed' && e.turnId === turn.id })) text += textDelta(e) ?? '';
await client.dispose();
console.log(text);
`,
      );
      const { stdout } = await run(process.execPath, ['main.mjs', server.url], { cwd: app });
      expect(stdout).toContain('(offline engine) You said: "From a package"');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
