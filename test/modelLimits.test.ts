import { describe, expect, it } from 'vitest';
import { limitsOf, parseModelLimits } from '../src/domain/modelLimits.js';
import { ValidationError } from '../src/domain/errors.js';

describe('model limits', () => {
  it('knows common context windows and compacts at 80 % of them by default', () => {
    expect(limitsOf('deepseek-chat')).toEqual({ contextWindow: 131072, compactAtTokens: Math.floor(131072 * 0.8) });
    expect(limitsOf('GPT-4o-mini')).toEqual({ contextWindow: 128000, compactAtTokens: 102400 });
    expect(limitsOf('my-local-model')).toEqual({ contextWindow: null, compactAtTokens: null });
  });

  it('a configured entry wins: exact over prefix, a longer prefix over a shorter one', () => {
    const configured = parseModelLimits({
      models: [
        { pattern: 'deepseek-', match: 'prefix', compactAtRatio: 0.5 },
        { pattern: 'deepseek-chat', contextWindow: 64000, compactAtTokens: 1000 },
        { pattern: 'my-', match: 'prefix', contextWindow: 10000 },
      ],
    });
    expect(limitsOf('deepseek-chat', configured)).toEqual({ contextWindow: 64000, compactAtTokens: 1000 });
    // A ratio alone applies to the known window.
    expect(limitsOf('deepseek-reasoner', configured)).toEqual({ contextWindow: 131072, compactAtTokens: 65536 });
    expect(() => parseModelLimits({ models: [{ pattern: 'x' }] })).toThrow(ValidationError);
    expect(limitsOf('my-model', configured)).toEqual({ contextWindow: 10000, compactAtTokens: 8000 });
  });

  it('a bad file names the field', () => {
    expect(() => parseModelLimits({ models: [{ pattern: '', contextWindow: 1 }] })).toThrow(/models\.0\.pattern/);
    expect(() => parseModelLimits({ models: [{ pattern: 'a', contextWindow: -1 }] })).toThrow(/models\.0\.contextWindow/);
    expect(() => parseModelLimits({ nope: [] })).toThrow(ValidationError);
  });
});
