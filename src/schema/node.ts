import { kindOfId } from '../domain/ids.js';
import { builder } from './builder.js';
import type { SchemaContext } from './context.js';
import type { ItemRecord } from '../domain/records.js';
import { ApprovalRef, ITEM_TYPE_OF_KIND, NodeRef, ThreadRef, TurnRef, type NodeShape } from './refs.js';
import { codedError } from './codedError.js';

NodeRef.implement({
  description: 'A record with a globally unique id. The id is the record id (thr_…, turn_…, item_…, appr_…).',
  fields: (t) => ({ id: t.exposeID('id', { description: 'The record id, with its type prefix; stable, URL-safe, sorting by creation time.' }) }),
  resolveType: (node) => {
    switch (kindOfId(node.id)) {
      case 'thread':
        return ThreadRef.name;
      case 'turn':
        return TurnRef.name;
      case 'approval':
        return ApprovalRef.name;
      case 'webhook':
        return 'Webhook';
      case 'delivery':
        return 'WebhookDelivery';
      default:
        return ITEM_TYPE_OF_KIND[(node as ItemRecord).kind];
    }
  },
});

const MAX_NODES = 500;

/** The record an id names, or null (unknown id, id of an unknown type). */
export async function loadNode(ctx: SchemaContext, id: string): Promise<NodeShape | null> {
  switch (kindOfId(id)) {
    case 'thread':
      return ctx.loaders.thread.load(id);
    case 'turn':
      return ctx.loaders.turn.load(id);
    case 'item':
      return ctx.loaders.item.load(id);
    case 'approval':
      return ctx.loaders.approval.load(id);
    case 'webhook':
      return (await ctx.rt.store.getWebhooks([id]))[0] ?? null;
    case 'delivery':
      return (await ctx.rt.store.getDeliveries([id]))[0] ?? null;
    default:
      return null;
  }
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    description: 'Any record by id; null when no record has it.',
    args: { id: t.arg.id({ required: true, description: 'A record id (`thr_…`, `turn_…`, `item_…`, `appr_…`), e.g. from an event.' }) },
    resolve: (_, { id }, ctx) => loadNode(ctx, String(id)),
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    description: `Records by id, in the order asked (null for unknown ids); at most ${MAX_NODES}.`,
    args: { ids: t.arg.idList({ required: true, description: `Record ids, at most ${MAX_NODES} (else code OUT_OF_RANGE).` }) },
    resolve: (_, { ids }, ctx) => {
      if (ids.length > MAX_NODES) throw codedError('OUT_OF_RANGE', `at most ${MAX_NODES} ids`);
      return Promise.all(ids.map((id) => loadNode(ctx, String(id))));
    },
  }),
}));
