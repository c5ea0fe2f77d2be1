import type { ErrorCode } from '../domain/errorCodes.js';

/**
 * The store refused a write or could not be reached (disk full, I/O error, closed, database down): nothing of
 * that change was written. Clients see it as STORAGE_UNAVAILABLE.
 */
export class StorageError extends Error {
  /** Shown to clients as is (not masked): it is the store's state, not a bug. */
  readonly extensions: { code: ErrorCode } = { code: 'STORAGE_UNAVAILABLE' };

  constructor(cause: unknown, what = 'the store refused the write, nothing was changed') {
    super(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
