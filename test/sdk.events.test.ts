/**
 * The event table as clients see it through the SDK: `event.payload` narrows by `event.name` with no cast, every
 * name a real server sends is in the table, and turn.completed has one shape, whether the turn ran or was
 * canceled while queued.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  CancelQueuedTurnDocument,
  CreateThreadDocument,
  createZagensClient,
  EVENT_NAMES,
  EventsDocument,
  expectPayload,
  InterruptTurnDocument,
  StartTurnDocument,
  type TokenUsage,
  type TurnCompletedPayload,
  type ZagensClient,
  type ZagensEvent,
} from '../sdk/index.js';
import { EVENT_NAMES as SERVER_EVENT_NAMES, type EventPayloads as ServerEventPayloads } from '../src/domain/events.js';
import type { EventPayloads } from '../sdk/index.js';
import { OfflineEngine } from '../src/engine/offlineEngine.js';
import { startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
let client: ZagensClient;
beforeAll(async () => {
  server = await startTestServer({ engine: new OfflineEngine(20) });
  client = createZagensClient({ url: server.url });
});
afterAll(async () => {
  await client?.dispose();
  await server?.close();
});

async function newThread() {
  const { createThread } = await client.request(CreateThreadDocument, { input: { title: 'typed events' } });
  return expectPayload(createThread, 'CreateThreadPayload').thread;
}

async function startTurn(threadId: string, prompt: string, delivery?: 'QUEUE') {
  const { startTurn } = await client.request(StartTurnDocument, { input: { threadId, prompt, delivery } });
  return expectPayload(startTurn, 'StartTurnPayload').turn;
}

async function eventsOf(threadId: string): Promise<ZagensEvent[]> {
  const { events } = await client.request(EventsDocument, { threadId, sinceSeq: 0, limit: 5000 });
  return events as ZagensEvent[];
}

describe('typed events in the SDK', () => {
  it('narrows the payload by name, with no cast', () => {
    expectTypeOf<EventPayloads>().toEqualTypeOf<ServerEventPayloads>();
    expectTypeOf(EVENT_NAMES).toEqualTypeOf(SERVER_EVENT_NAMES);
    const handle = (e: ZagensEvent) => {
      switch (e.name) {
        case 'turn.completed':
          expectTypeOf(e.payload).toEqualTypeOf<TurnCompletedPayload>();
          expectTypeOf(e.payload.usage).toEqualTypeOf<TokenUsage | null>();
          return e.payload.status;
        case 'item.delta':
          expectTypeOf(e.payload.delta).toBeString();
          return e.payload.kind;
        case 'approval.required':
          expectTypeOf(e.payload.approvalId).toBeString();
          return e.payload.toolName;
        default:
          return null;
      }
    };
    expect(handle).toBeTypeOf('function');
  });

  it('delivers only names of the table, and turn.completed with the same fields for a run and a canceled turn', async () => {
    const thread = await newThread();
    const running = await startTurn(thread.id, 'a long answer '.repeat(40));
    const queued = await startTurn(thread.id, 'never runs', 'QUEUE');
    const canceled = expectPayload(
      (await client.request(CancelQueuedTurnDocument, { input: { turnId: queued.id } })).cancelQueuedTurn,
      'CancelQueuedTurnPayload',
    ).turn;
    expect(canceled.status).toBe('CANCELED');
    expectPayload((await client.request(InterruptTurnDocument, { input: { turnId: running.id } })).interruptTurn, 'InterruptTurnPayload');

    const completed = new Map<string, TurnCompletedPayload>();
    for (let i = 0; i < 100 && completed.size < 2; i++) {
      completed.clear();
      for (const e of await eventsOf(thread.id)) {
        expect(EVENT_NAMES).toContain(e.name);
        if (e.name === 'turn.completed' && e.turnId) completed.set(e.turnId, e.payload);
      }
      if (completed.size < 2) await new Promise((r) => setTimeout(r, 50));
    }
    const ran = completed.get(running.id);
    const dropped = completed.get(queued.id);
    expect(ran?.status).toBe('INTERRUPTED');
    expect(dropped).toEqual({ status: 'CANCELED', error: null, durationMs: null, usage: null, costUsd: null });
    expect(Object.keys(ran ?? {}).sort()).toEqual(Object.keys(dropped ?? {}).sort());
  });
});
