import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';

/** A TCP relay to a server on 127.0.0.1, whose connections a test can cut (as a network failure would). */
export interface TcpProxy {
  /** The relay's origin, e.g. `http://127.0.0.1:54321`. */
  origin: string;
  /** Connections relayed so far. */
  readonly accepted: number;
  /** Destroys every open connection on both sides (no HTTP or GraphQL goodbye). */
  cutAll(): void;
  /**
   * The next request whose bytes contain `marker` reaches the server, but its answer does not reach the client:
   * the connection is cut when the server's first byte of answer arrives (the server has processed it). Resolves then.
   */
  loseAnswerTo(marker: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let accepted = 0;
  let losing: { marker: string; lost: () => void } | null = null;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    let lost: (() => void) | null = null;
    client.on('data', (chunk: Buffer) => {
      if (losing && chunk.includes(losing.marker)) {
        lost = losing.lost;
        losing = null;
      }
    });
    const answers = new Transform({
      transform(chunk, _encoding, next) {
        if (!lost) return next(null, chunk);
        lost();
        client.destroy();
        upstream.destroy();
        next();
      },
    });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(answers).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    cutAll: () => {
      for (const socket of open) socket.destroy();
    },
    loseAnswerTo: (marker) => new Promise<void>((lost) => (losing = { marker, lost })),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
