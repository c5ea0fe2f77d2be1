import { randomBytes } from 'node:crypto';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { PURGED_EVENT, type EventRecord } from '../domain/records.js';
import { parseInput } from '../domain/validation.js';
import {
  deleteWebhookSchema,
  retryDelayMs,
  signatureHeader,
  urlAllowed,
  webhookWants,
  type DeliveryRecord,
  type WebhookRecord,
} from '../domain/webhooks.js';
import type { Runtime } from './runtime.js';

export interface RegisterWebhookInput {
  url: string;
  events: string[];
  secret?: string | null;
  description?: string | null;
}

const CURSOR_KEY = 'webhook_cursor';
const MAX_EVENTS = 100;

/** The RuntimeConfig webhook options left out: webhookTimeoutMs, webhookRetryBaseMs, webhookMaxAttempts, webhookPollMs. */
export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, retryBaseMs: 1000, maxAttempts: 10, pollMs: 1000 } as const;

/** Registers a webhook for events from now on; returns it with its secret (generated when not given). */
export async function registerWebhook(rt: Runtime, input: RegisterWebhookInput): Promise<{ webhook: WebhookRecord; secret: string }> {
  const allow = rt.config.webhookAllow ?? [];
  if (allow.length === 0) throw new ValidationError('url: webhooks are off on this server; the operator allows URLs with --webhook-allow', 'url');
  if (input.url.length > 2000 || !urlAllowed(input.url, allow)) {
    throw new ValidationError(
      `url: ${JSON.stringify(input.url.slice(0, 200))} is not allowed (http or https, no credentials, matching one of the server's --webhook-allow patterns)`,
      'url',
    );
  }
  const events = [...new Set(input.events.map((e) => e.trim()))];
  if (events.length === 0 || events.length > MAX_EVENTS || events.some((e) => !/^(\*|[a-z_]+(\.[a-z_]+)+)$/.test(e))) {
    throw new ValidationError(`events: 1 to ${MAX_EVENTS} dotted event names such as "turn.completed", or "*" for all`, 'events');
  }
  if (input.secret != null && (input.secret.length < 16 || input.secret.length > 512))
    throw new ValidationError('secret: 16 to 512 characters', 'secret');
  if (input.description != null && input.description.length > 500) throw new ValidationError('description: at most 500 characters', 'description');
  const secret = input.secret ?? randomBytes(32).toString('hex');
  const webhook: WebhookRecord = {
    id: newId('webhook'),
    url: new URL(input.url).href,
    events,
    secret,
    description: input.description ?? null,
    createdAt: rt.now(),
    afterSeq: rt.log.latestSeq,
  };
  await rt.commands.run('runtime', () => rt.commit(rt.store.batch().putWebhook(webhook), []));
  rt.webhookRegistered();
  return { webhook, secret };
}

/** Removes a webhook; its pending deliveries are canceled when their turn comes. */
export async function deleteWebhook(rt: Runtime, webhookId: string): Promise<string> {
  parseInput(deleteWebhookSchema, { webhookId });
  return rt.commands.run('runtime', async () => {
    const [existing] = await rt.store.getWebhooks([webhookId]);
    if (!existing) throw new NotFoundError('webhook', webhookId);
    await rt.commit(rt.store.batch().deleteWebhook(webhookId), []);
    return webhookId;
  });
}

/**
 * The durable outbox. The event log is its source: a cursor (in the store) says up to which seq events were
 * turned into delivery rows, and moves in the same batch as the rows it adds, so after a crash the events past
 * it are fanned out again and none is skipped. Pending deliveries are sent with a signature, retried with
 * growing pauses until they succeed or run out of attempts: at least once, with the event's seq as the
 * idempotency key.
 */
export class WebhookDispatcher {
  private cursor = 0;
  private stopped = false;
  private pass: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<string>();
  private readonly aborts = new AbortController();
  private unsubscribe: (() => void) | null = null;
  /** Without any webhook (the usual case) a pass touches nothing, not even the store. */
  private hasWebhooks = false;

  constructor(private readonly rt: Runtime) {
    rt.onPurge((threadId) => this.cancelThread(threadId));
  }

  /** A purged thread's events are tombstones now: its pending deliveries end CANCELED. */
  private async cancelThread(threadId: string): Promise<void> {
    const pending = await this.rt.store.getDeliveries(await this.rt.store.listPendingDeliveryIds(100_000));
    const batch = this.rt.store.batch();
    for (const d of pending)
      if (d?.threadId === threadId) batch.putDelivery({ ...d, status: 'CANCELED', nextAttemptAt: null, lastError: 'the event was purged' });
    if (batch.size) await this.rt.commit(batch, []);
  }

  async start(): Promise<void> {
    const stored = await this.rt.store.getMeta<number>(CURSOR_KEY);
    const hooks = await this.rt.store.listWebhooks();
    this.cursor = stored ?? Math.min(this.rt.log.latestSeq, ...hooks.map((h) => h.afterSeq));
    this.hasWebhooks = hooks.length > 0;
    this.wake();
  }

  /** A webhook now exists: start listening for events. */
  webhookRegistered(): void {
    this.hasWebhooks = true;
    this.wake();
  }

  /** Once there is a webhook, every published event wakes the outbox (without one, nothing listens). */
  private listen(): void {
    if (this.unsubscribe || this.stopped) return;
    const iterator = this.rt.pubsub.subscribe('events')[Symbol.asyncIterator]();
    this.unsubscribe = () => void iterator.return?.();
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done || this.stopped) return;
        this.wake();
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.aborts.abort();
    await this.pass;
  }

  /** Something may be due: run a pass now (or right after the running one). */
  wake(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pass = this.runPass()
      .catch((err) => this.rt.config.logger?.error({ err }, 'webhook outbox pass failed'))
      .finally(() => {
        this.pass = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.rt.config.webhookPollMs ?? WEBHOOK_DEFAULTS.pollMs);
          this.timer.unref();
        }
      });
  }

  private async runPass(): Promise<void> {
    if (!this.hasWebhooks) return;
    this.listen();
    await this.fanOut();
    await this.sendDue();
  }

  /** Turns new events into delivery rows for the webhooks that want them. */
  private async fanOut(): Promise<void> {
    while (!this.stopped && this.cursor < this.rt.log.latestSeq) {
      const hooks = await this.rt.store.listWebhooks();
      if (hooks.length === 0) {
        this.cursor = this.rt.log.latestSeq;
        await this.rt.commit(this.rt.store.batch().putMeta(CURSOR_KEY, this.cursor), []);
        return;
      }
      const events = await this.rt.store.readEvents(null, this.cursor, 500);
      if (events.length === 0) return;
      const batch = this.rt.store.batch();
      const now = this.rt.now();
      for (const event of events) {
        if (event.name === PURGED_EVENT) continue;
        for (const hook of hooks) {
          if (event.seq <= hook.afterSeq || !webhookWants(hook, event.name)) continue;
          batch.putDelivery({
            id: newId('delivery'),
            webhookId: hook.id,
            seq: event.seq,
            eventName: event.name,
            threadId: event.threadId,
            status: 'PENDING',
            attempts: 0,
            createdAt: now,
            nextAttemptAt: now,
            deliveredAt: null,
            lastStatusCode: null,
            lastError: null,
          });
        }
      }
      const cursor = events.at(-1)?.seq;
      if (cursor === undefined) return;
      await this.rt.commit(batch.putMeta(CURSOR_KEY, cursor), []);
      this.cursor = cursor;
    }
  }

  /** Sends the pending deliveries that are due, a few at a time. */
  private async sendDue(): Promise<void> {
    const ids = (await this.rt.store.listPendingDeliveryIds(1000)).filter((id) => !this.inFlight.has(id));
    const now = this.rt.clock();
    const due = (await this.rt.store.getDeliveries(ids)).filter(
      (d): d is DeliveryRecord => d !== null && d.status === 'PENDING' && (!d.nextAttemptAt || Date.parse(d.nextAttemptAt) <= now),
    );
    const queue = [...due];
    const worker = async () => {
      for (let d = queue.shift(); d && !this.stopped; d = queue.shift()) await this.attempt(d);
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }

  private async attempt(delivery: DeliveryRecord): Promise<void> {
    this.inFlight.add(delivery.id);
    try {
      const next = await this.send(delivery);
      if (this.stopped && next.status === 'PENDING' && next.lastError === 'server stopping') return;
      await this.rt.commit(this.rt.store.batch().putDelivery(next), []);
    } finally {
      this.inFlight.delete(delivery.id);
    }
  }

  /** One attempt; returns the delivery as it stands after it. */
  private async send(delivery: DeliveryRecord): Promise<DeliveryRecord> {
    const cfg = this.rt.config;
    const [hook] = await this.rt.store.getWebhooks([delivery.webhookId]);
    if (!hook) return { ...delivery, status: 'CANCELED', nextAttemptAt: null, lastError: 'the webhook was deleted' };
    const [event] = await this.rt.store.readEvents(null, delivery.seq - 1, 1);
    if (!event || event.seq !== delivery.seq || event.name === PURGED_EVENT) {
      return { ...delivery, status: 'CANCELED', nextAttemptAt: null, lastError: 'the event was purged' };
    }
    const attempts = delivery.attempts + 1;
    const timeoutMs = cfg.webhookTimeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs;
    const failed = (statusCode: number | null, error: string): DeliveryRecord => {
      const last = attempts >= (cfg.webhookMaxAttempts ?? WEBHOOK_DEFAULTS.maxAttempts);
      return {
        ...delivery,
        attempts,
        status: last ? 'FAILED' : 'PENDING',
        nextAttemptAt: last
          ? null
          : new Date(this.rt.clock() + retryDelayMs(attempts, cfg.webhookRetryBaseMs ?? WEBHOOK_DEFAULTS.retryBaseMs)).toISOString(),
        lastStatusCode: statusCode,
        lastError: error,
      };
    };
    // Checked again at each attempt: the operator may have narrowed the allow-list since.
    if (!urlAllowed(hook.url, cfg.webhookAllow ?? []))
      return { ...failed(null, 'the URL is no longer on the --webhook-allow list'), status: 'FAILED', nextAttemptAt: null };
    const body = JSON.stringify(eventBody(event));
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.aborts.signal]),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'zagens-runtime-webhooks',
          'idempotency-key': String(event.seq),
          'x-zagens-seq': String(event.seq),
          'x-zagens-event': event.name,
          'x-zagens-delivery': delivery.id,
          'x-zagens-webhook': hook.id,
          'x-zagens-signature': signatureHeader(hook.secret, body, Math.floor(this.rt.clock() / 1000)),
        },
        body,
      });
      await response.body?.cancel().catch(() => {}); // only frees the connection: the status decides the attempt
      if (response.status >= 200 && response.status < 300) {
        return {
          ...delivery,
          attempts,
          status: 'DELIVERED',
          nextAttemptAt: null,
          deliveredAt: this.rt.now(),
          lastStatusCode: response.status,
          lastError: null,
        };
      }
      return failed(response.status, `the receiver answered HTTP ${response.status}`);
    } catch (error) {
      if (this.stopped) return { ...delivery, lastError: 'server stopping' };
      const e = error as Error & { cause?: { code?: string; message?: string } };
      const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
      return failed(null, reason);
    }
  }
}

/** What a receiver gets: the event as stored (the same body at every attempt). */
function eventBody(event: EventRecord) {
  return {
    seq: event.seq,
    timestamp: event.timestamp,
    name: event.name,
    threadId: event.threadId,
    turnId: event.turnId,
    itemId: event.itemId,
    payload: event.payload,
  };
}
