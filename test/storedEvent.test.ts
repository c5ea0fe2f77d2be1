/** StoredEvent: a stored row's text passed through when it is in the stored layout, laid out again when not. */
import { describe, expect, it } from 'vitest';
import { eventJson, StoredEvent } from '../src/domain/storedEvent.js';
import type { EventRecord } from '../src/domain/events.js';

const event = {
  seq: 7,
  timestamp: '2026-12-03T14:00:00.000Z',
  name: 'item.delta',
  threadId: 'thr_01JXYZ',
  turnId: 'turn_01JXYZ',
  itemId: 'item_01JXYZ',
  payload: { kind: 'AGENT_MESSAGE', delta: 'a "quoted" text' },
} as unknown as EventRecord;

describe('StoredEvent', () => {
  it('keeps the text of a row in the stored layout as it is and reads its head without parsing', () => {
    const text = JSON.stringify(event);
    const stored = StoredEvent.fromText(text);
    expect(stored.json).toBe(text);
    expect(stored).toMatchObject({ seq: 7, name: 'item.delta', threadId: event.threadId, turnId: event.turnId, itemId: event.itemId });
    expect([stored.timestamp, stored.payload]).toEqual([event.timestamp, event.payload]);
  });

  it('lays out again a row written in another key order or another timestamp form, with null turn and item', () => {
    const other = {
      payload: { n: 1 },
      name: 'thread.updated',
      seq: 3,
      threadId: 'thr_01JXYZ',
      turnId: null,
      itemId: null,
      timestamp: '2026-12-03T14:00:00Z',
    };
    const stored = StoredEvent.fromText(JSON.stringify(other));
    expect(stored.json).toBe(eventJson(other as unknown as EventRecord));
    expect(Object.keys(JSON.parse(stored.json))).toEqual(['seq', 'timestamp', 'name', 'threadId', 'turnId', 'itemId', 'payload']);
    expect(stored).toMatchObject({ seq: 3, turnId: null, itemId: null });
    expect(StoredEvent.fromText(JSON.stringify({ ...event, timestamp: '2026-12-03T14:00:00Z' })).json).not.toContain('14:00:00Z"');
  });
});
