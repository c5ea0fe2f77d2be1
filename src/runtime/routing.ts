import { ValidationError } from '../domain/errors.js';
import type { RoutingRule } from '../domain/records.js';
import { LIMITS } from '../domain/validation.js';
import type { Runtime } from './runtime.js';

/** Model choice: explicit model, else the first rule whose intent matches (trimmed, case-insensitive), else the thread's. */
export function pickModel(
  explicit: string | null | undefined,
  routeIntent: string | null | undefined,
  rules: readonly RoutingRule[],
  threadModel: string,
): string {
  if (explicit) return explicit;
  const intent = routeIntent?.trim().toLowerCase();
  if (intent) {
    const rule = rules.find((r) => r.intent.trim().toLowerCase() === intent);
    if (rule) return rule.model;
  }
  return threadModel;
}

export function validateRules(rules: readonly RoutingRule[]): RoutingRule[] {
  if (rules.length > LIMITS.routingRules) throw new ValidationError(`rules: at most ${LIMITS.routingRules} rules`, 'rules');
  const seen = new Set<string>();
  return rules.map((r, i) => {
    const intent = r.intent.trim();
    const model = r.model.trim();
    if (!intent) throw new ValidationError(`rules.${i}.intent: must not be empty`, `rules.${i}.intent`);
    if (!model) throw new ValidationError(`rules.${i}.model: must not be empty`, `rules.${i}.model`);
    if (intent.length > LIMITS.model || model.length > LIMITS.model)
      throw new ValidationError(`rules.${i}: at most ${LIMITS.model} characters`, `rules.${i}`);
    const key = intent.toLowerCase();
    if (seen.has(key)) throw new ValidationError(`rules.${i}.intent: duplicate intent "${intent}"`, `rules.${i}.intent`);
    seen.add(key);
    return { intent, model };
  });
}

/** Replaces the rules (persisted); invalid rules leave the old ones. */
export async function setRoutingRules(rt: Runtime, rules: readonly RoutingRule[]): Promise<RoutingRule[]> {
  const valid = validateRules(rules);
  // Runtime-wide: the rules in memory are the ones stored last.
  return rt.commands.run('runtime', async () => {
    await rt.log.commit(rt.store.batch().putMeta('routing_rules', valid), []);
    rt.useRoutingRules(valid);
    return valid;
  });
}
