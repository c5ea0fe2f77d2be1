import { ValidationError } from '../domain/errors.js';
import type { RoutingRule } from '../domain/records.js';
import { setRoutingRules } from '../runtime/routing.js';
import { builder } from './builder.js';

const RoutingRuleRef = builder.objectRef<RoutingRule>('RoutingRule').implement({
  description: 'startTurn(routeIntent:) uses the model of the first rule whose intent matches (trimmed, case-insensitive).',
  fields: (t) => ({ intent: t.exposeString('intent'), model: t.exposeString('model') }),
});

const RoutingRuleInput = builder.inputType('RoutingRuleInput', {
  fields: (t) => ({ intent: t.string({ required: true }), model: t.string({ required: true }) }),
});

builder.queryField('routingRules', (t) => t.field({ type: [RoutingRuleRef], resolve: (_, __, ctx) => ctx.rt.routingRules }));

builder.mutationField('setRoutingRules', (t) =>
  t.field({
    type: builder.objectRef<{ rules: RoutingRule[] }>('SetRoutingRulesPayload').implement({
      fields: (f) => ({ rules: f.field({ type: [RoutingRuleRef], resolve: (p) => p.rules }) }),
    }),
    errors: { types: [ValidationError], union: { name: 'SetRoutingRulesResult' } },
    description: 'Replaces the rules, in order. Invalid rules (empty, duplicate intents) leave the old ones.',
    args: {
      input: t.arg({
        type: builder.inputType('SetRoutingRulesInput', { fields: (f) => ({ rules: f.field({ type: [RoutingRuleInput], required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_, { input }, ctx) => ({ rules: await setRoutingRules(ctx.rt, input.rules) }),
  }),
);
