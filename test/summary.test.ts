import { describe, expect, it } from 'vitest';
import { summarize } from '../src/domain/summary.js';

describe('summarize (prompt and item summaries)', () => {
  it('keeps short text, trimmed', () => {
    expect(summarize('  hello world \n')).toBe('hello world');
    expect(summarize('a'.repeat(280))).toBe('a'.repeat(280));
  });

  it('cuts past 280 characters with "..." appended, 280 in all', () => {
    const s = summarize('a'.repeat(281));
    expect(s).toBe('a'.repeat(277) + '...');
    expect(Array.from(s)).toHaveLength(280);
  });

  it('drops control characters other than newline and tab', () => {
    expect(summarize('a\u0000b\u0007c\td\ne\u009f')).toBe('abc\td\ne');
  });

  it('never splits a character made of two UTF-16 units', () => {
    const s = summarize('😀'.repeat(300));
    expect(Array.from(s)).toHaveLength(280);
    expect(s.endsWith('😀...')).toBe(true);
    expect(s.includes('\ud83d...')).toBe(false);
  });

  it('counts what is left after control characters are dropped, however many there are', () => {
    expect(summarize('\u0001'.repeat(5000) + 'b'.repeat(10))).toBe('b'.repeat(10));
    expect(summarize('\u0001'.repeat(5000) + 'b'.repeat(300))).toBe('b'.repeat(277) + '...');
  });

  it('does not cut for trailing white space alone', () => {
    expect(summarize('a'.repeat(280) + ' '.repeat(5000))).toBe('a'.repeat(280));
  });

  it('reads only the head of a long text', () => {
    const huge = 'word '.repeat(2_000_000);
    expect(summarize(huge)).toBe('word '.repeat(56).slice(0, 277).trimEnd() + '...');
  });
});
