import { DELIVERY_STATUSES } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { isIdOf } from '../domain/ids.js';
import { deleteWebhookSchema, type DeliveryRecord, type WebhookRecord } from '../domain/webhooks.js';
import { zodInputFields } from './zodFields.js';
import { deleteWebhook, registerWebhook } from '../runtime/webhooks.js';
import { builder } from './builder.js';
import { NodeRef } from './refs.js';
import { codedError } from './codedError.js';

const MAX_DELIVERIES = 1000;

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where one delivery of an event to a webhook stands.',
  values: enumValues(DELIVERY_STATUSES, {
    PENDING: 'Not delivered yet: the first attempt or a retry is due at nextAttemptAt.',
    DELIVERED: 'The receiver answered with a 2xx status.',
    FAILED: 'Every attempt failed (or the URL left the allow-list); lastError says why. Not retried.',
    CANCELED: 'Not sent: the webhook was deleted or the event was purged.',
  }),
});

const WebhookRef = builder.objectRef<WebhookRecord>('Webhook');
const DeliveryRef = builder.objectRef<DeliveryRecord>('WebhookDelivery');

function checkLimit(limit: number | null | undefined): number {
  const n = limit ?? 100;
  if (n < 1 || n > MAX_DELIVERIES) throw codedError('OUT_OF_RANGE', `limit must be between 1 and ${MAX_DELIVERIES}`);
  return n;
}

WebhookRef.implement({
  interfaces: [NodeRef],
  isTypeOf: (v) => isIdOf('webhook', (v as WebhookRecord).id),
  description:
    'A URL the server POSTs events to: JSON body (the event as stored), header X-Zagens-Signature `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`, Idempotency-Key = the event seq (a retry repeats it).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The webhook id (`whk_…`).' }),
    url: t.exposeString('url', { description: "Where events are POSTed (on the operator's --webhook-allow list)." }),
    events: t.exposeStringList('events', { description: 'Event names delivered; "*" means every event.' }),
    description: t.exposeString('description', { nullable: true, description: 'Your note about this webhook.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered; events from then on are delivered.' }),
    deliveries: t.field({
      type: [DeliveryRef],
      description: 'Deliveries of this webhook, newest first.',
      args: {
        status: t.arg({ type: DeliveryStatusEnum, required: false, description: 'Only deliveries in this status.' }),
        limit: t.arg.int({ required: false, defaultValue: 100, description: `Newest first, at most this many (1 to ${MAX_DELIVERIES}).` }),
      },
      resolve: (hook, args, ctx) => ctx.rt.store.listDeliveries({ webhookId: hook.id, status: args.status }, checkLimit(args.limit)),
    }),
  }),
});

DeliveryRef.implement({
  interfaces: [NodeRef],
  isTypeOf: (v) => isIdOf('delivery', (v as DeliveryRecord).id),
  description: 'One event sent (or to be sent) to one webhook, with the outcome of its attempts.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The delivery id (`whd_…`), also sent as X-Zagens-Delivery.' }),
    webhookId: t.exposeID('webhookId', { description: 'The webhook it goes to.' }),
    seq: t.expose('seq', { type: 'SafeInt', description: 'Seq of the event: the idempotency key the receiver gets.' }),
    eventName: t.exposeString('eventName', { description: 'Name of the event, e.g. "turn.completed".' }),
    threadId: t.exposeID('threadId', { description: 'The thread of the event.' }),
    status: t.field({ type: DeliveryStatusEnum, description: 'Where the delivery stands.', resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts', { description: 'Requests made so far.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the event was put in the outbox.' }),
    nextAttemptAt: t.expose('nextAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due (null once it is settled).',
    }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true, description: 'When the receiver accepted it.' }),
    lastStatusCode: t.exposeInt('lastStatusCode', {
      nullable: true,
      description: 'HTTP status of the last answer (null: none, e.g. timeout or refused connection).',
    }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed.' }),
  }),
});

builder.queryFields((t) => ({
  webhooks: t.field({
    type: [WebhookRef],
    description: 'Every registered webhook (secrets are never returned).',
    resolve: (_, __, ctx) => ctx.rt.store.listWebhooks(),
  }),
  webhookDeliveries: t.field({
    type: [DeliveryRef],
    description: 'Webhook deliveries, newest first: all of them, or of one webhook, or in one status (e.g. FAILED).',
    args: {
      webhookId: t.arg.id({ required: false, description: 'Only deliveries of this webhook.' }),
      status: t.arg({ type: DeliveryStatusEnum, required: false, description: 'Only deliveries in this status.' }),
      limit: t.arg.int({ required: false, defaultValue: 100, description: `At most this many (1 to ${MAX_DELIVERIES}).` }),
    },
    resolve: (_, args, ctx) => {
      if (args.webhookId != null && !isIdOf('webhook', String(args.webhookId))) throw codedError('VALIDATION', 'webhookId: not a webhook id');
      return ctx.rt.store.listDeliveries(
        { webhookId: args.webhookId == null ? null : String(args.webhookId), status: args.status },
        checkLimit(args.limit),
      );
    },
  }),
}));

const RegisterWebhookInput = builder.inputType('RegisterWebhookInput', {
  description: 'A URL to POST events to, which events, and the signing secret.',
  fields: (t) => ({
    url: t.string({ required: true, description: "http or https URL matching one of the server's --webhook-allow patterns." }),
    events: t.stringList({ required: true, description: 'Event names to deliver (e.g. "turn.completed"), or ["*"] for all; 1 to 100.' }),
    secret: t.string({ required: false, description: 'HMAC-SHA256 key, 16 to 512 characters; omitted: the server makes one and returns it once.' }),
    description: t.string({ required: false, description: 'A note for you, at most 500 characters.' }),
  }),
});

builder.mutationFields((t) => ({
  registerWebhook: t.field({
    description:
      'Registers a webhook; every matching event from now on is delivered at least once through the durable outbox. Errors: VALIDATION (URL not allowed, bad event names or secret).',
    type: builder.objectRef<{ webhook: WebhookRecord; secret: string }>('RegisterWebhookPayload').implement({
      description: 'The webhook was registered.',
      fields: (f) => ({
        webhook: f.field({ type: WebhookRef, description: 'The new webhook.', resolve: (p) => p.webhook }),
        secret: f.exposeString('secret', { description: 'The signing secret (the one given, or the generated one); shown only here.' }),
      }),
    }),
    errors: { types: [ValidationError], union: { name: 'RegisterWebhookResult', description: 'RegisterWebhookPayload, or ValidationError.' } },
    args: { input: t.arg({ type: RegisterWebhookInput, required: true, description: 'The webhook to register.' }) },
    resolve: (_, { input }, ctx) => registerWebhook(ctx.rt, input),
  }),
  deleteWebhook: t.field({
    description: 'Removes a webhook; its pending deliveries are canceled. Errors: NOT_FOUND, VALIDATION.',
    type: builder.objectRef<{ deletedWebhookId: string }>('DeleteWebhookPayload').implement({
      description: 'The webhook is gone.',
      fields: (f) => ({ deletedWebhookId: f.exposeID('deletedWebhookId', { description: 'Id of the removed webhook.' }) }),
    }),
    errors: {
      types: [NotFoundError, ValidationError],
      union: { name: 'DeleteWebhookResult', description: 'DeleteWebhookPayload, or NotFoundError / ValidationError.' },
    },
    args: {
      input: t.arg({
        type: builder.inputType('DeleteWebhookInput', {
          description: 'The webhook to remove.',
          fields: (f) => zodInputFields(f, deleteWebhookSchema),
        }),
        required: true,
        description: 'The webhook to remove.',
      }),
    },
    resolve: async (_, { input }, ctx) => ({ deletedWebhookId: await deleteWebhook(ctx.rt, String(input.webhookId)) }),
  }),
}));
