import { createHmac } from 'node:crypto';
import type { DeliveryStatus } from './enums.js';
import { z } from 'zod';
import { idOf } from './validation.js';

export interface WebhookRecord {
  id: string;
  url: string;
  /** Event names to deliver; `*` for every event. */
  events: string[];
  /** Key of the HMAC-SHA256 signature (never returned by queries). */
  secret: string;
  description: string | null;
  createdAt: string;
  /** Events up to this seq happened before the webhook existed and are not delivered. */
  afterSeq: number;
}

export type { DeliveryStatus };

/** The webhook deleteWebhook removes (GraphQL DeleteWebhookInput). */
export const deleteWebhookSchema = z.object({ webhookId: idOf('webhook').describe('A webhook id (`whk_…`).') });

/** One event to one webhook. Holds no event content: the body is built from the log when it is sent. */
export interface DeliveryRecord {
  id: string;
  webhookId: string;
  seq: number;
  eventName: string;
  threadId: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

export function webhookWants(webhook: WebhookRecord, eventName: string): boolean {
  return webhook.events.includes('*') || webhook.events.includes(eventName);
}

/**
 * Whether `url` matches one of the operator's patterns. A pattern is a URL prefix in which `*` stands for any
 * run of characters within one part (host label run, port, path segment: never `/`, `?`, `#` or `@`); the match
 * must end at a part boundary, so `http://127.0.0.1` does not allow `http://127.0.0.1.evil.example/`.
 */
export function urlAllowed(url: string, patterns: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.username || parsed.password) return false;
  const href = parsed.href;
  return patterns.some((pattern) => {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/?#@]*');
    const match = new RegExp(`^${source}`).exec(href);
    if (!match) return false;
    const rest = href.slice(match[0].length);
    return pattern.endsWith('/') || rest === '' || /^[/?#]/.test(rest);
  });
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (what a receiver recomputes to verify). */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Pause before attempt `attempts + 1`: base × 2^(attempts−1), at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
