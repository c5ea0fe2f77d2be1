import { ConflictError, RequestKeyTakenError } from '../domain/errors.js';
import { checkClientRequestId, inputHash, type IdempotencyRecord, type IdempotentResult } from '../domain/idempotency.js';
import type { UnitOfWork } from '../store/contract.js';
import type { Runtime } from './runtime.js';

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** Handed to a command: it adds the key's record to the batch that makes the effect (one atomic write). */
export interface RequestClaim {
  record(batch: UnitOfWork, result: IdempotentResult): void;
}

/** For a command sent without a key. */
export const NO_CLAIM: RequestClaim = { record: () => undefined };

export interface IdempotentRequest {
  operation: string;
  clientRequestId?: string | null;
  input: Record<string, unknown>;
}

/**
 * Runs a mutation once per client request key (docs/DESIGN.md "Idempotency keys"). The key's record is written
 * with the effect; a repeat (also after a restart) gets `replay` of the stored result, the same key with another
 * input a CONFLICT. Duplicates racing in this process wait for the first: exactly one runs; on a shared store a
 * duplicate racing on another node is refused at commit (RequestKeyTakenError) and answers as a repeat. A request that
 * failed stores nothing (it had no effect), so its repeat runs again.
 */
export async function idempotent<R>(
  rt: Runtime,
  request: IdempotentRequest,
  run: (claim: RequestClaim) => Promise<R>,
  replay: (result: IdempotentResult, key: string) => Promise<R>,
): Promise<R> {
  if (request.clientRequestId == null) return run(NO_CLAIM);
  const key = checkClientRequestId(request.clientRequestId);
  const hash = inputHash(request.operation, request.input);
  for (;;) {
    const first = rt.requestsInFlight.running(key);
    if (first) {
      await first.catch(() => undefined); // its failure is its own caller's; this one only waits for it to settle
      continue;
    }
    const attempt = runOnce(rt, key, request.operation, hash, run).finally(() => rt.requestsInFlight.end(key));
    rt.requestsInFlight.start(key, attempt);
    let outcome: Awaited<typeof attempt>;
    try {
      outcome = await attempt;
    } catch (error) {
      // A duplicate on another node recorded the key first: this one changed nothing; answer with that one's result.
      if (error instanceof RequestKeyTakenError && error.key === key) continue;
      throw error;
    }
    return 'stored' in outcome ? replay(outcome.stored, key) : outcome.value;
  }
}

async function runOnce<R>(
  rt: Runtime,
  key: string,
  operation: string,
  hash: string,
  run: (claim: RequestClaim) => Promise<R>,
): Promise<{ stored: IdempotentResult } | { value: R }> {
  const stored = await rt.store.getIdempotency(key);
  if (stored && Date.parse(stored.expiresAt) > rt.clock()) {
    if (stored.operation !== operation || stored.inputHash !== hash) {
      throw new ConflictError(
        `clientRequestId ${key} was already used for ${stored.operation === operation ? 'another input' : stored.operation} (at ${stored.createdAt}); use a new id for a new request`,
      );
    }
    return { stored: stored.result };
  }
  const now = rt.clock();
  const claim: RequestClaim = {
    record: (batch, result) => {
      const record: IdempotencyRecord = {
        key,
        operation,
        inputHash: hash,
        result,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + (rt.config.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS)).toISOString(),
      };
      batch.putIdempotency(record);
    },
  };
  return { value: await run(claim) };
}

/** A repeat whose record has since been deleted (a purged thread) cannot be answered with it. */
export function goneOnReplay(kind: string, id: string, key: string): never {
  throw new ConflictError(`the ${kind} ${id} that clientRequestId ${key} made no longer exists`);
}

/** Forgets expired keys, at most `limit` per call; returns how many were purged (retention sweep). */
export async function purgeExpiredRequestKeys(rt: Runtime, limit = 500): Promise<number> {
  const due = (await rt.store.listExpiredIdempotency(rt.now(), limit)).filter((d) => !rt.requestsInFlight.isRunning(d.key));
  if (due.length === 0) return 0;
  // Held like requests in flight: a request with one of these keys waits until the purge is written.
  let release = () => {};
  const hold = new Promise<void>((resolve) => (release = resolve));
  for (const { key } of due) rt.requestsInFlight.start(key, hold);
  try {
    const batch = rt.store.batch();
    let purged = 0;
    const now = rt.clock();
    for (const { key, expiresAt } of due) {
      const record = await rt.store.getIdempotency(key);
      // The key may have been used again since (a new record with a later expiry): keep that one.
      const expired = record !== null && record.expiresAt === expiresAt && Date.parse(expiresAt) <= now;
      batch.deleteIdempotency(key, expiresAt, expired);
      if (expired) purged++;
    }
    await rt.commit(batch, []);
    return purged;
  } finally {
    for (const { key } of due) rt.requestsInFlight.end(key);
    release();
  }
}
