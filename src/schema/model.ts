import { findPrice, type PriceEntry } from '../domain/pricing.js';
import { providerOf, DEFAULT_PROVIDER_RULES } from '../domain/provider.js';
import { limitsOf } from '../domain/modelLimits.js';
import type { ProviderModel } from '../engine/types.js';
import type { ModelListing } from '../runtime/modelCatalog.js';
import { builder } from './builder.js';
import { PriceEntryRef } from './usage.js';

interface ModelRow extends ProviderModel {
  price: PriceEntry | null;
  provider: string;
  contextWindow: number | null;
  compactAtTokens: number | null;
}

const ModelInfoRef = builder.objectRef<ModelRow>('ModelInfo').implement({
  description: 'A model the engine can run, with our price and the context window we know for it.',
  fields: (t) => ({
    model: t.string({ description: "The model name, as `model` takes it (the provider's model id).", resolve: (m) => m.id }),
    ownedBy: t.exposeString('ownedBy', { nullable: true, description: "The provider's owned_by, when it says." }),
    created: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the provider says the model was created.',
      resolve: (m) => (m.created === null ? null : new Date(m.created * 1000)),
    }),
    provider: t.exposeString('provider', { description: 'The provider label of the model (per the pricing rules).' }),
    price: t.field({ type: PriceEntryRef, nullable: true, description: 'The price entry in force now (null: not priced).', resolve: (m) => m.price }),
    contextWindow: t.exposeInt('contextWindow', { nullable: true, description: 'Tokens the model takes in one request (null: unknown).' }),
    compactAtTokens: t.exposeInt('compactAtTokens', {
      nullable: true,
      description: 'The conversation is compacted automatically before a model call at this many tokens (null: never).',
    }),
  }),
});

const ModelListRef = builder.objectRef<ModelListing & { rows: ModelRow[] }>('ModelList').implement({
  description: "The engine's models (the provider's /models for the openai engine), kept for a while and fetched again on refresh.",
  fields: (t) => ({
    models: t.field({ type: [ModelInfoRef], description: 'In the order the provider lists them.', resolve: (l) => l.rows }),
    fetchedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the list was fetched (null: never successfully).',
      resolve: (l) => l.fetchedAt,
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why the last fetch failed; the list is then the one fetched before (or empty).',
    }),
  }),
});

builder.queryField('models', (t) =>
  t.field({
    type: ModelListRef,
    description: 'The models the configured engine lists, joined with our prices and known context windows.',
    args: { refresh: t.arg.boolean({ required: false, defaultValue: false, description: 'Fetch the list again instead of the kept one.' }) },
    resolve: async (_, { refresh }, ctx) => {
      const listing = await ctx.rt.models.list(refresh ?? false);
      const now = new Date(ctx.rt.clock());
      const rules = ctx.rt.pricing.providers ?? DEFAULT_PROVIDER_RULES;
      const rows = listing.models.map((m) => ({
        ...m,
        price: findPrice(ctx.rt.pricing, m.id, now),
        provider: providerOf(m.id, rules),
        ...limitsOf(m.id, ctx.rt.config.modelLimits),
      }));
      return { ...listing, rows };
    },
  }),
);
