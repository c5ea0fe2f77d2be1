import type { TokenUsage } from '../domain/records.js';

/** The usage object of a chat completion, with the cache fields of both DeepSeek and OpenAI. */
interface ProviderUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  /** DeepSeek */
  prompt_cache_hit_tokens?: number;
  /** DeepSeek */
  prompt_cache_miss_tokens?: number;
  /** OpenAI */
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

/** Usage of one model call; `undefined` (no usage chunk) counts as zero with no cache report. */
export function toTokenUsage(raw: unknown): TokenUsage {
  const usage = (raw ?? {}) as ProviderUsage;
  const inputTokens = usage.prompt_tokens ?? 0;
  const outputTokens = usage.completion_tokens ?? 0;
  const hit = usage.prompt_cache_hit_tokens ?? undefined;
  const miss = usage.prompt_cache_miss_tokens ?? undefined;
  const openaiCached = usage.prompt_tokens_details?.cached_tokens ?? undefined;
  const cachedTokens = hit ?? openaiCached ?? 0;
  return {
    inputTokens,
    outputTokens,
    cachedTokens,
    missTokens: miss ?? Math.max(0, inputTokens - cachedTokens),
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    cacheReported: hit !== undefined || miss !== undefined || openaiCached !== undefined,
  };
}
