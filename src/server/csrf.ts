import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';

/**
 * Yoga's CSRF prevention for requests that can change state, and none for GET (docs/DESIGN.md, "Safe GETs").
 *
 * A GET never changes state here: Yoga refuses a mutation over GET (405), and no query or subscription writes.
 * So a GET that another site makes the browser send (a link, an image, an EventSource) can at most read, and
 * reading its answer needs the CORS allow-list to name that site; with --auth-token it also needs the token,
 * which a browser never adds by itself. That is why urql's GET queries and a browser EventSource work without
 * the CSRF header, while every POST still needs it (or a content type that forces a preflight).
 */
export function useCsrfPreventionForWrites(requestHeaders: string[]): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders }) as Plugin & { onRequestParse: NonNullable<Plugin['onRequestParse']> };
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET') return;
      return csrf.onRequestParse(payload);
    },
  };
}
