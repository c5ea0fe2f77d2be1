import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Encoding = 'br' | 'gzip' | 'identity';

/**
 * GraphiQL's page (several MB: its scripts are inlined) sent compressed as the browser accepts it and with an
 * ETag, so a reload costs a 304. The page is what Yoga renders, fetched from it once; each encoding is made once.
 */
export function graphiqlPageServer(render: () => Promise<Response>) {
  let page: Promise<{ etag: string; bodies: Map<Encoding, Promise<Buffer>> }> | null = null;
  const load = () =>
    (page ??= render().then(async (response) => {
      const html = Buffer.from(await response.arrayBuffer());
      const bodies = new Map<Encoding, Promise<Buffer>>([['identity', Promise.resolve(html)]]);
      return { etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`, bodies };
    }));

  const body = (entry: Awaited<ReturnType<typeof load>>, encoding: Encoding): Promise<Buffer> => {
    let made = entry.bodies.get(encoding);
    if (!made) {
      const html = entry.bodies.get('identity')!;
      // Brotli's default quality (11) takes seconds on a 9 MB page; 4 is fast and still far smaller than gzip.
      made = html.then((b) => (encoding === 'br' ? brotli(b, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }) : gzipAsync(b)));
      entry.bodies.set(encoding, made);
    }
    return made;
  };

  return async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry = await load();
    const headers = { 'content-type': 'text/html; charset=utf-8', etag: entry.etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
    if (ifNoneMatch(req.headers['if-none-match'], entry.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const encoding = pickEncoding(req.headers['accept-encoding']);
    const bytes = await body(entry, encoding);
    res.writeHead(200, { ...headers, 'content-length': bytes.length, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }) });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  };
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  return !!header && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

/** br if accepted, else gzip, else none (an encoding with q=0 is not accepted). */
export function pickEncoding(header: string | string[] | undefined): Encoding {
  const accepted = new Set(
    String(header ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
      .map(([name = '']) => name.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return 'identity';
}
