import type pg from 'pg';
import { PgListener } from './pgListener.js';

export const PRESENCE_CHANNEL = 'zagens_presence';

export interface PgPresenceOptions {
  /** Database URL of the LISTEN connection (one per node, outside the pool). */
  url: string;
  nodeId: string;
  /** A node whose heartbeat is older than this is dead: its followers no longer count (ms). */
  leaseMs: number;
  /** This node's own count of a thread now. */
  localCount: (threadId: string) => number;
  /** A thread's count may have changed on some node: its watchers here re-read it. */
  onChange: (threadId: string) => void;
  /** Threads watched here (told to re-read after the LISTEN connection was lost: notifications may be missed). */
  watched: () => string[];
  onError?: (error: unknown) => void;
}

const RETRY_MS = 1000;

/**
 * Presence across the nodes of one database (docs/DESIGN.md "Presence"): each node keeps its per-thread count in
 * `presence` (node_id, thread_id) and sends NOTIFY with the thread id on a change; a thread's count is this node's
 * own plus those of the other nodes with a fresh heartbeat, so a dead node's followers stop counting at its lease
 * and its rows are removed at takeover (`dropNodes`).
 */
export class PgPresence {
  private readonly dirty = new Set<string>();
  private flushing: Promise<void> | null = null;
  private readonly listener: PgListener;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PgPresenceOptions,
  ) {
    this.listener = new PgListener({
      url: options.url,
      channel: PRESENCE_CHANNEL,
      onNotification: (payload) => {
        if (payload) this.options.onChange(payload);
      },
      onError: options.onError,
    });
  }

  async start(): Promise<void> {
    await this.listener.ensure();
    this.poll = setInterval(() => void this.relisten(), RETRY_MS);
    this.poll.unref();
  }

  /** This node's count of `threadId` changed: written (with the counts of that moment), then every node is told. */
  changed(threadId: string): void {
    if (this.stopped) return;
    this.dirty.add(threadId);
    this.flushing ??= this.flush().finally(() => (this.flushing = null));
  }

  /** Followers of `threadId` on every live node. */
  async count(threadId: string): Promise<number> {
    try {
      const result = await this.pool.query<{ n: number }>(
        `SELECT coalesce(sum(p.count), 0)::int AS n FROM presence p JOIN nodes n ON n.id = p.node_id
         WHERE p.thread_id = $1 AND p.node_id <> $2 AND n.heartbeat_at > now() - make_interval(secs => $3::float8 / 1000)`,
        [threadId, this.options.nodeId, this.options.leaseMs],
      );
      return this.options.localCount(threadId) + (result.rows[0]?.n ?? 0);
    } catch (error) {
      this.options.onError?.(error);
      throw error;
    }
  }

  /** Removes the rows of nodes taken over (dead) and tells the watchers of their threads. */
  async dropNodes(nodeIds: readonly string[]): Promise<void> {
    await this.pool.query(
      `WITH gone AS (DELETE FROM presence WHERE node_id = ANY($1::text[]) RETURNING thread_id)
       SELECT pg_notify($2, thread_id) FROM (SELECT DISTINCT thread_id FROM gone) g`,
      [nodeIds, PRESENCE_CHANNEL],
    );
  }

  /** Every thread followed here is written again (another node removed this node's rows: it missed its heartbeats). */
  rewrite(threadIds: readonly string[]): void {
    for (const id of threadIds) this.changed(id);
  }

  /** Stops sharing and removes this node's rows (its streams have ended by then). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.flushing;
    await this.dropNodes([this.options.nodeId]).catch((error) => this.options.onError?.(error));
    await this.listener.stop();
  }

  private async flush(): Promise<void> {
    while (this.dirty.size > 0 && !this.stopped) {
      const ids = [...this.dirty];
      this.dirty.clear();
      const counts = ids.map((id) => this.options.localCount(id));
      try {
        await this.pool.query(
          `WITH input AS (SELECT * FROM unnest($2::text[], $3::int[]) AS t(thread_id, count)),
           removed AS (DELETE FROM presence p USING input i WHERE p.node_id = $1 AND p.thread_id = i.thread_id AND i.count = 0),
           kept AS (INSERT INTO presence (node_id, thread_id, count) SELECT $1, thread_id, count FROM input WHERE count > 0
                    ON CONFLICT (node_id, thread_id) DO UPDATE SET count = excluded.count)
           SELECT pg_notify($4, thread_id) FROM input`,
          [this.options.nodeId, ids, counts, PRESENCE_CHANNEL],
        );
      } catch (error) {
        this.options.onError?.(error);
        for (const id of ids) this.dirty.add(id);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  /** Reconnects a lost LISTEN connection; watchers re-read, as notifications may have been missed meanwhile. */
  private async relisten(): Promise<void> {
    try {
      if (await this.listener.ensure()) for (const id of this.options.watched()) this.options.onChange(id);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
