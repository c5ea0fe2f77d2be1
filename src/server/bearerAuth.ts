import type { Plugin } from 'graphql-yoga';
import { errorBody } from '../domain/errorCodes.js';
import { bearerToken, tokenMatches } from './security.js';

/** Whether an `Authorization` header carries the token; with no token configured (null) every request does. */
export function authorizes(token: string | null, header: string | null | undefined): boolean {
  return token === null || tokenMatches(token, bearerToken(header));
}

/**
 * `--auth-token` over HTTP: every request needs `Authorization: Bearer <token>` (401 otherwise) but CORS
 * preflights and a browser's page loads (GraphiQL's page holds no data). /health is answered by an earlier
 * plugin. graphql-ws connections are checked in wsOptions.ts with `authorizes`.
 */
export function useBearerAuth(token: string | null): Plugin {
  return {
    onRequest: ({ request, endResponse, fetchAPI }) => {
      if (token === null || request.method === 'OPTIONS') return;
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return;
      if (authorizes(token, request.headers.get('authorization'))) return;
      endResponse(
        new fetchAPI.Response(errorBody('UNAUTHENTICATED', 'missing or wrong bearer token'), {
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
        }),
      );
    },
  };
}
