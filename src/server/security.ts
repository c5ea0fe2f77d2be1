import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** The interface served unless told otherwise: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';

/** Browser origins allowed by default: local development servers on loopback, any port. */
export const DEFAULT_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Compares in constant time (over digests, so the length of the secret does not leak either). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  return false;
}

/** Whether `origin` matches an allow-list entry (`*` as the port matches any port; `*` alone matches all). */
export function originAllowed(origin: string, allowList: readonly string[]): boolean {
  return allowList.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith(':*')) {
      const base = pattern.slice(0, -2);
      return origin === base || (origin.startsWith(`${base}:`) && /^\d+$/.test(origin.slice(base.length + 1)));
    }
    return origin === pattern;
  });
}

/** Same origin: the Origin header names the host the request was sent to. */
export function isSameOrigin(origin: string, hostHeader: string | undefined): boolean {
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}
