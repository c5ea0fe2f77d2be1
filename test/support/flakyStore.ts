/**
 * A store whose disk can refuse writes on demand: a MemoryLevel whose private write methods fail while
 * `failWrites` is set, served by the real app (Runtime + buildApp) on 127.0.0.1.
 */
import type { AbstractBatchOperation } from 'abstract-level';
import { MemoryLevel } from 'memory-level';
import pino from 'pino';
import WebSocket from 'ws';
import { createZagensClient, type ZagensClient } from '../../sdk/client.js';
import { OfflineEngine } from '../../src/engine/offlineEngine.js';
import type { Engine } from '../../src/engine/types.js';
import { RUNTIME_DEFAULTS, type RuntimeConfig } from '../../src/runtime/config.js';
import { recover } from '../../src/runtime/recovery.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { buildApp, type App } from '../../src/server/app.js';
import { Store } from '../../src/store/store.js';

export class DiskFullError extends Error {
  readonly code = 'ENOSPC';
  constructor() {
    super('ENOSPC: no space left on device (simulated)');
  }
}

/** MemoryLevel with writes that fail while `failWrites` is true (reads keep working). */
export class FlakyLevel extends MemoryLevel<string, unknown> {
  failWrites = false;
  /** Refuse this many more writes, then work again (a transient failure). */
  failNext = 0;
  /** Writes refused so far. */
  refused = 0;
  private lateRefusal: { reached: () => void; released: Promise<void> } | null = null;

  /**
   * The next write waits until `release` is called, then is refused: a write the disk refuses late, while
   * later writes queue behind it. `reached` resolves when that write has arrived.
   */
  refuseNextLate(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const reached = new Promise<void>((resolve) => (this.lateRefusal = { reached: resolve, released }));
    return { reached, release };
  }

  private async waitForLateRefusal(): Promise<void> {
    const late = this.lateRefusal;
    if (!late) return;
    this.lateRefusal = null;
    late.reached();
    await late.released;
    this.failNext++;
  }

  private check(): void {
    if (this.failNext > 0) {
      this.failNext--;
      this.refused++;
      throw new DiskFullError();
    }
    if (this.failWrites) {
      this.refused++;
      throw new DiskFullError();
    }
  }

  // The private API of abstract-level 3 (promises). Declared loosely: memory-level's types do not list them.

  async _batch(operations: AbstractBatchOperation<any, any, any>[], options: unknown): Promise<void> {
    await this.waitForLateRefusal();
    this.check();

    return (MemoryLevel.prototype as any)._batch.call(this, operations, options);
  }

  async _put(key: unknown, value: unknown, options: unknown): Promise<void> {
    this.check();

    return (MemoryLevel.prototype as any)._put.call(this, key, value, options);
  }

  async _del(key: unknown, options: unknown): Promise<void> {
    this.check();

    return (MemoryLevel.prototype as any)._del.call(this, key, options);
  }
}

export interface FlakyServer {
  db: FlakyLevel;
  store: Store;
  runtime: Runtime;
  app: App;
  url: string;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] } }>;
  /** The project's typed SDK client on this server (closed by stop). */
  sdk: ZagensClient;
  health(): Promise<number>;
  /** Stops the app and the runtime; the db stays open (a "restart" builds a new server on it). */
  stop(): Promise<void>;
}

export interface FlakyServerOptions {
  engine?: Engine;
  workspace: string;
  runtime?: Partial<RuntimeConfig>;
  /** Reuse a db (simulates a restart on the same disk). */
  db?: FlakyLevel;
  logger?: pino.Logger;
}

export async function startFlakyServer(options: FlakyServerOptions): Promise<FlakyServer> {
  const db = options.db ?? new FlakyLevel();
  // Store.attach opens the db when it is not open; a reused db stays open.

  const store = await Store.attach(db as any);
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG ?? 'silent' });
  const runtime = await Runtime.create(store, {
    ...RUNTIME_DEFAULTS,
    engine: options.engine ?? new OfflineEngine(1),
    defaultWorkspace: options.workspace,
    deltaFlushMs: 5,
    logger,
    ...options.runtime,
  });
  await recover(runtime);
  const app = buildApp({ runtime, logger });
  const { url } = await app.start(0);
  const sdk = createZagensClient({ url, webSocketImpl: WebSocket });
  return {
    db,
    store,
    runtime,
    app,
    url,
    sdk,
    async gql(query, variables) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async health() {
      const res = await fetch(url.replace('/graphql', '/health'));
      await res.text();
      return res.status;
    },
    async stop() {
      await sdk.dispose();
      await app.stop();
      await runtime.stop();
    },
  };
}
