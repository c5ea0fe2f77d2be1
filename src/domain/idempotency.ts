import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { ValidationError } from './errors.js';

/**
 * What a mutation sent with a `clientRequestId` produced, by reference: a repeat answers with the current state
 * of these records (the same turn, thread or approval), never with a second effect.
 */
export interface IdempotentResult {
  threadId?: string;
  turnId?: string;
  approvalId?: string;
  /** startTurn with QUEUE: the position the turn was queued at. */
  queuedPosition?: number | null;
  /** forkThread: the prompt of the dropped turn. */
  originalUserText?: string | null;
}

/** One stored request key, written in the same atomic batch as the effect it made (docs/DESIGN.md "Idempotency keys"). */
export interface IdempotencyRecord {
  key: string;
  /** The mutation, e.g. `startTurn`: one key belongs to one mutation. */
  operation: string;
  /** sha256 of the input's canonical JSON (without the key): the same key with another input is a CONFLICT. */
  inputHash: string;
  result: IdempotentResult;
  createdAt: string;
  /** After this the key is forgotten (purged by the retention sweep) and may be used again. */
  expiresAt: string;
}

export const CLIENT_REQUEST_ID_MAX = 200;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** A client request id as given, or a VALIDATION error: 1 to 200 visible ASCII characters (a UUID, a ULID...). */
export function checkClientRequestId(key: string): string {
  if (key.length === 0 || key.length > CLIENT_REQUEST_ID_MAX || !VISIBLE_ASCII.test(key)) {
    throw new ValidationError(`clientRequestId: 1 to ${CLIENT_REQUEST_ID_MAX} visible ASCII characters (no spaces), e.g. a UUID`, 'clientRequestId');
  }
  return key;
}

/** The input's fingerprint: null and absent fields count as the same, key order does not matter. */
export function inputHash(operation: string, input: Record<string, unknown>): string {
  const given = Object.fromEntries(Object.entries(input).filter(([name, value]) => name !== 'clientRequestId' && value != null));
  return createHash('sha256')
    .update(stringify({ operation, input: given }) ?? '')
    .digest('hex');
}
