/**
 * Items as a union by kind: each kind has exactly its fields, engines can start and end an item only with the
 * fields of its kind (checked by the compiler: the `@ts-expect-error` lines must fail to compile), and streamed
 * text goes only to a field the item's kind has.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { appendStreamed, newItemRecord } from '../src/domain/factories.js';
import type { ItemRecord } from '../src/domain/records.js';
import type { EngineEvent } from '../src/engine/types.js';

const turn = { id: 'turn_01TEST', threadId: 'thr_01TEST' };
const now = '2026-12-03T12:00:00.000Z';

describe('items as a union by kind', () => {
  it('narrows an item to the fields of its kind', () => {
    const item: ItemRecord = newItemRecord(turn, { kind: 'FILE_CHANGE', path: 'a.txt', changeKind: 'ADD', diff: '+a' }, now);
    if (item.kind === 'FILE_CHANGE') expectTypeOf(item.diff).toBeString();
    if (item.kind === 'TOOL_CALL') {
      // @ts-expect-error a TOOL_CALL has no diff
      void item.diff;
    }
    expect(item).toMatchObject({ kind: 'FILE_CHANGE', status: 'IN_PROGRESS', summary: 'ADD a.txt', diff: '+a' });
  });

  it('lets an engine start and end an item only with its kind’s fields', () => {
    const events: EngineEvent[] = [
      { type: 'item.started', key: 'a', kind: 'TOOL_CALL', fields: { toolName: 'read_file', arguments: {} } },
      // @ts-expect-error a TOOL_CALL does not carry a diff
      { type: 'item.started', key: 'b', kind: 'TOOL_CALL', fields: { toolName: 'read_file', diff: '+x' } },
      // @ts-expect-error a TOOL_CALL needs its toolName
      { type: 'item.started', key: 'c', kind: 'TOOL_CALL', fields: {} },
      { type: 'item.completed', key: 'a', kind: 'TOOL_CALL', status: 'COMPLETED', fields: { output: 'ok' } },
      // @ts-expect-error nor does its end
      { type: 'item.completed', key: 'a', kind: 'TOOL_CALL', fields: { diff: '+x' } },
      // @ts-expect-error an end without its kind sets no kind-specific field
      { type: 'item.completed', key: 'a', fields: { output: 'ok' } },
      { type: 'item.completed', key: 'a', status: 'FAILED' },
    ];
    expect(events).toHaveLength(7);
  });

  it('appends streamed text only to a field the kind has', () => {
    const answer = newItemRecord(turn, { kind: 'AGENT_MESSAGE', text: '' }, now);
    expect(appendStreamed(answer, 'text', 'Hel')).toBe(true);
    expect(appendStreamed(answer, 'text', 'lo')).toBe(true);
    expect(appendStreamed(answer, 'reasoning', 'why')).toBe(true);
    expect(appendStreamed(answer, 'output', 'no')).toBe(false);
    expect(answer).toMatchObject({ text: 'Hello', reasoning: 'why' });
    expect(answer).not.toHaveProperty('output');

    const command = newItemRecord(turn, { kind: 'COMMAND_EXECUTION', command: 'ls' }, now);
    expect(appendStreamed(command, 'text', 'no')).toBe(false);
    expect(appendStreamed(command, 'output', 'a\n')).toBe(true);
    expect(command).toMatchObject({ command: 'ls', output: 'a\n' });
    expect(command).not.toHaveProperty('text');
  });
});
