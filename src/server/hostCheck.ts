import { isIP } from 'node:net';
import { isLoopbackHost } from './security.js';
import { errorBody } from '../domain/errorCodes.js';

/**
 * DNS rebinding guard. A page on evil.example whose name is made to resolve to 127.0.0.1 reaches a loopback
 * server as the same origin (its requests carry `Host: evil.example:PORT` and `Origin: http://evil.example:PORT`).
 * So on a loopback bind only loopback names are served (`localhost`, `*.localhost`, 127.0.0.0/8, [::1]) plus the
 * operator's `--allowed-host` names; on any other bind every Host is served unless names are configured (a
 * token is required there anyway).
 */
export interface HostPolicy {
  /** Whether a request with this Host header is served. */
  allows(hostHeader: string | undefined): boolean;
  /** Whether this Host names the server itself, so that `Origin` = it is the same origin (never true for an attacker's name). */
  isOwnName(hostHeader: string | undefined): boolean;
}

/** The name of a Host header without its port (`[::1]:80` → `::1`), lower-cased; null when it is malformed. */
export function hostName(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::\d{1,5})?$/i.exec(hostHeader.trim());
  const name = match?.[1] ?? match?.[2];
  if (name === undefined) return null;
  return name.toLowerCase().replace(/\.$/, '');
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackHost(name);
}

/** `example.com` matches itself; `.example.com` matches it and its subdomains. */
function matchesAllowed(name: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern.startsWith('.')) return name === pattern.slice(1) || name.endsWith(pattern);
    return name === (hostName(pattern) ?? pattern);
  });
}

export function hostPolicy(bindHost: string, allowedHosts: readonly string[]): HostPolicy {
  const loopbackBind = isLoopbackHost(bindHost);
  const bindName = hostName(bindHost) ?? bindHost;
  // A specific bind address is the server's own name; 0.0.0.0 / :: is not (it names no host).
  const bindIsOwnName = isIP(bindName) !== 0 && bindName !== '0.0.0.0' && bindName !== '::';
  const isOwnName = (hostHeader: string | undefined) => {
    const name = hostName(hostHeader);
    if (name === null) return false;
    return isLoopbackName(name) || matchesAllowed(name, allowedHosts) || (bindIsOwnName && name === bindName);
  };
  return {
    allows: (hostHeader) => (loopbackBind || allowedHosts.length > 0 ? isOwnName(hostHeader) : true),
    isOwnName,
  };
}

/** The refusal of a request whose Host is not served, as JSON. */
export function hostRefusal(hostHeader: string | undefined): { status: number; body: string } {
  const message = `the Host ${JSON.stringify(hostHeader ?? '')} is not served here (DNS rebinding guard); start the server with --allowed-host NAME to serve a name`;
  return { status: 403, body: errorBody('HOST_NOT_ALLOWED', message) };
}
