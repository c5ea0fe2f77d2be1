/**
 * SIGTERM to a real server process under load: turns running on every thread, startTurn calls still arriving
 * during the shutdown, live subscribers over graphql-ws and SSE. Shutdown admits nothing new, ends every turn
 * before the store closes, delivers every stored event to every live subscriber (up to the final
 * turn.completed), closes their streams cleanly, and exits 0.
 */
import path from 'node:path';
import { createParser } from 'eventsource-parser';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { removeDir, tempDir, waitFor } from './support/harness.js';
import { spawnServer, type ServerProcess } from './support/process.js';
import { defined } from '../src/domain/defined.js';
import { codeOf, createThread, startTurn } from './support/ops.js';
import { createZagensClient, ZagensGraphQLError } from '../sdk/client.js';
import type { StartTurnInput } from '../sdk/generated/graphql.js';

const THREADS = 6;
const EVENTS = 'subscription($t: ID!) { threadEvents(threadId: $t, sinceSeq: 0) { seq name turnId } }';
// The offline engine echoes the prompt a few words per delta: a long prompt is a turn that runs for a while.
const LONG = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');

interface Seen {
  seqs: number[];
  names: string[];
  completed: boolean;
  closed: Promise<string>;
}

let dataDir: string;
let server: ServerProcess;
beforeAll(async () => {
  dataDir = await tempDir();
  server = await spawnServer(['--data-dir', dataDir, '--workspace', dataDir]);
});
afterAll(async () => {
  await server?.kill();
  await removeDir(dataDir);
});

describe('SIGTERM under load', () => {
  it(
    'ends every turn before the store closes; live subscribers get every stored event, then a clean close; exit 0',
    { timeout: 120_000 },
    async () => {
      const threadIds: string[] = [];
      for (let i = 0; i < THREADS; i++) {
        threadIds.push(await createThread(server));
      }
      const ws = threadIds.map((t) => followOverWebSocket(server.url, t));
      const sse = threadIds.map((t) => followOverSse(server.url, t));
      await Promise.all([...ws, ...sse].map((s) => s.ready));

      const queued = (threadId: string, prompt: string): StartTurnInput => ({ threadId, prompt, delivery: 'QUEUE' });
      for (const t of threadIds) expect((await startTurn(server, queued(t, LONG))).__typename).toBe('StartTurnPayload');
      // Every thread streams its answer now.
      await waitFor(() => ws.every((s) => s.seen.names.includes('item.delta')), 30_000, 'every turn to stream');

      // Load that goes on through the shutdown: more turns, as fast as the server answers.
      let loading = true;
      const answers: string[] = [];
      // Every answer as it came: no retry of a refused request.
      const loader = { sdk: createZagensClient({ url: server.url, maxOverloadRetries: 0 }) };
      const load = (async () => {
        for (let i = 0; loading; i++) {
          const answer = await startTurn(loader, queued(defined(threadIds[i % THREADS], 'a thread'), `more ${i} ${LONG}`)).then(
            (r) => codeOf(r) ?? r.__typename ?? 'no typename',
            (error: unknown) => {
              if (!(error instanceof ZagensGraphQLError)) throw error;
              return error.status === undefined ? 'no answer' : (error.code ?? error.message);
            },
          );
          answers.push(answer);
          if (answer === 'no answer') await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })().finally(() => loader.sdk.dispose());
      await waitFor(() => answers.length >= 5, 10_000, 'some load');

      const code = await server.kill('SIGTERM');
      loading = false;
      await load;
      expect(code, server.stderr()).toBe(0);
      expect(server.stderr()).not.toMatch(/not open|could not record|Error/);
      // Refused while shutting down: either typed (CONFLICT) or not accepted at all (503 / connection refused).
      expect(
        answers.every((a) => ['StartTurnPayload', 'CONFLICT', 'no answer'].includes(a) || a.includes('SHUTTING_DOWN')),
        answers.join(', '),
      ).toBe(true);

      // The store: no turn left running, each started turn has its turn.completed.
      const store = await Store.open(path.join(dataDir, 'runtime'));
      const stored = new Map<string, number[]>();
      try {
        for (const t of threadIds) {
          const turns = await store.getTurns(await store.listTurnIds(t));
          expect(turns.filter((turn) => turn!.status === 'IN_PROGRESS').map((turn) => turn!.id)).toEqual([]);
          expect(turns.some((turn) => turn!.status === 'INTERRUPTED' && turn!.error === 'Interrupted by server shutdown')).toBe(true);
          const events = await store.readEvents(t, 0, 100_000);
          const started = events.filter((e) => e.name === 'turn.started').map((e) => e.turnId);
          const completed = events.filter((e) => e.name === 'turn.completed').map((e) => e.turnId);
          expect(completed.sort()).toEqual(started.sort());
          stored.set(
            t,
            events.map((e) => e.seq),
          );
        }
      } finally {
        await store.close();
      }

      // Every live subscriber got every stored event of its thread, in order, then the end of its stream.
      for (const [i, t] of threadIds.entries()) {
        for (const [transport, follower] of [
          ['ws', ws[i]],
          ['sse', sse[i]],
        ] as const) {
          expect(follower?.seen.seqs, `${transport} ${t}`).toEqual(stored.get(t));
          expect(
            follower?.seen.names.at(-1) === 'turn.completed' || follower?.seen.names.at(-1)?.startsWith('turn.'),
            `${transport} last: ${follower?.seen.names.at(-1)}`,
          ).toBe(true);
          expect(follower?.seen.completed, `${transport} ${t} got its complete`).toBe(true);
        }
        expect(await ws[i]?.seen.closed).toBe('1001');
        expect(await sse[i]?.seen.closed).toBe('ended');
      }
    },
  );
});

/** A raw graphql-transport-ws client: what it received, whether `complete` came, and the close code. */
function followOverWebSocket(url: string, threadId: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const seen: Seen = {
    seqs: [],
    names: [],
    completed: false,
    closed: new Promise((resolve) => socket.once('close', (code) => resolve(String(code)))),
  };
  const ready = new Promise<void>((resolve) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: 'follow', type: 'subscribe', payload: { query: EVENTS, variables: { t: threadId } } }));
        resolve();
      } else if (message.type === 'next') {
        seen.seqs.push(message.payload.data.threadEvents.seq);
        seen.names.push(message.payload.data.threadEvents.name);
      } else if (message.type === 'complete') {
        seen.completed = true;
      }
    });
  });
  return { seen, ready };
}

/** Yoga's SSE (the "distinct connections" mode): each event, the final `complete`, and how the response ended. */
function followOverSse(url: string, threadId: string) {
  const seen: Seen = { seqs: [], names: [], completed: false, closed: Promise.resolve('') };
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  seen.closed = (async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: EVENTS, variables: { t: threadId } }),
    });
    resolveReady();
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'complete') seen.completed = true;
        else if (event.event === 'next' || !event.event) {
          const { data } = JSON.parse(event.data);
          if (data?.threadEvents) {
            seen.seqs.push(data.threadEvents.seq);
            seen.names.push(data.threadEvents.name);
          }
        }
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) parser.feed(decoder.decode(chunk, { stream: true }));
      return 'ended';
    } catch (error) {
      return `cut: ${(error as Error).message}`;
    }
  })();
  return { seen, ready };
}
