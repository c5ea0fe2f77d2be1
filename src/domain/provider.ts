/** Which provider serves a model, decided by the model name's prefix. */

export interface ProviderRule {
  /** Matched case-insensitively against the start of the model name. */
  prefix: string;
  provider: string;
}

export const UNKNOWN_PROVIDER = 'unknown';

/** Order matters (first match wins): `deepseek-ai/` must come before `deepseek-`. */
export const DEFAULT_PROVIDER_RULES: readonly ProviderRule[] = [
  { prefix: 'deepseek-ai/', provider: 'nvidia-nim' },
  { prefix: 'deepseek-', provider: 'deepseek' },
  { prefix: 'openai/', provider: 'openrouter' },
  { prefix: 'anthropic/', provider: 'openrouter' },
];

/**
 * The provider of `model`: the first rule whose prefix starts the name, else `unknown`.
 * `rules` replaces the defaults when given (e.g. `PricingTable.providers`).
 */
export function providerOf(model: string, rules: readonly ProviderRule[] = DEFAULT_PROVIDER_RULES): string {
  const name = model.trim().toLowerCase();
  for (const rule of rules) {
    if (name.startsWith(rule.prefix.toLowerCase())) return rule.provider;
  }
  return UNKNOWN_PROVIDER;
}
