/**
 * Failures that mean "the database cannot be reached right now" rather than "this statement is wrong": the
 * connection was refused, reset or terminated (a PostgreSQL restart or failover), or the server is starting or
 * stopping. The store answers them as STORAGE_UNAVAILABLE and keeps retrying; anything else is a bug.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function isDatabaseUnreachable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // SQLSTATE class 08 (connection exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now),
  // 53300 (too many connections).
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  if (NETWORK_CODES.has(code)) return true;
  // node-postgres' own errors for a connection that ended under a query have no code.
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i.test(message);
}
