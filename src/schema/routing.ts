import { ValidationError } from '../domain/errors.js';
import type { RoutingRule } from '../domain/records.js';
import { setRoutingRules } from '../runtime/routing.js';
import { builder } from './builder.js';

const RoutingRuleRef = builder.objectRef<RoutingRule>('RoutingRule').implement({
  description: 'startTurn(routeIntent:) uses the model of the first rule whose intent matches (trimmed, case-insensitive).',
  fields: (t) => ({
    intent: t.exposeString('intent', { description: 'The intent a turn names with routeIntent, e.g. `code-review`.' }),
    model: t.exposeString('model', { description: 'The model such turns run with.' }),
  }),
});

const RoutingRuleInput = builder.inputType('RoutingRuleInput', {
  description: 'One routing rule.',
  fields: (t) => ({
    intent: t.string({ required: true, description: 'Not blank; unique among the rules (compared trimmed, case-insensitive).' }),
    model: t.string({ required: true, description: 'The model, 1 to 200 characters.' }),
  }),
});

builder.queryField('routingRules', (t) =>
  t.field({
    type: [RoutingRuleRef],
    description: 'The routing rules in order (empty when none were set).',
    resolve: (_, __, ctx) => ctx.rt.routingRules,
  }),
);

builder.mutationField('setRoutingRules', (t) =>
  t.field({
    type: builder.objectRef<{ rules: RoutingRule[] }>('SetRoutingRulesPayload').implement({
      description: 'The routing rules were replaced.',
      fields: (f) => ({ rules: f.field({ type: [RoutingRuleRef], description: 'The rules now in force, in order.', resolve: (p) => p.rules }) }),
    }),
    errors: {
      types: [ValidationError],
      union: { name: 'SetRoutingRulesResult', description: 'SetRoutingRulesPayload, or ValidationError (the old rules stay).' },
    },
    description: 'Replaces the rules, in order. Invalid rules (empty, duplicate intents) leave the old ones.',
    args: {
      input: t.arg({
        type: builder.inputType('SetRoutingRulesInput', {
          description: 'The new rules.',
          fields: (f) => ({
            rules: f.field({ type: [RoutingRuleInput], required: true, description: 'All rules, in order (at most 200); `[]` removes them all.' }),
          }),
        }),
        required: true,
        description: 'The new rules.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({ rules: await setRoutingRules(ctx.rt, input.rules) }),
  }),
);
