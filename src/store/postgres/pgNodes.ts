import type pg from 'pg';

/**
 * The version of how nodes coordinate through the database (event feed, node commands, presence, leases;
 * docs/DESIGN.md "Many nodes"). Raise it when a change makes a node unable to work beside one of the version
 * before: a node does not join while a node of another protocol is live.
 */
export const NODE_PROTOCOL = 1;

/** A node's heartbeat older than this and its turns are taken over (the server's --node-lease). */
export const DEFAULT_NODE_LEASE_MS = 10_000;

/**
 * A live node on the database cannot coordinate with this one (another protocol, or another lease: it would be
 * judged dead while it runs its turns, or judge this one so). This node did not join and wrote nothing.
 */
export class IncompatibleNodeError extends Error {}

interface NodeRow {
  id: string;
  protocol: number | null;
  lease_ms: number | null;
}

/** This node's row: its protocol and lease, for the nodes that join after it (join, and re-joining after a missed heartbeat). */
const INSERT_NODE = 'INSERT INTO nodes (id, started_at, heartbeat_at, protocol, lease_ms) VALUES ($1, now(), now(), $2, $3)';

export interface PgNodesOptions {
  nodeId: string;
  /** A node whose heartbeat is older than this is dead: its turns are taken over (ms). */
  leaseMs: number;
  /** How often this node's heartbeat is written (default a third of the lease). */
  heartbeatMs?: number;
  /** This node's own row was gone at a heartbeat (another node declared it dead): its turns are no longer its own. */
  onLostMembership: () => void;
  onError?: (error: unknown) => void;
}

/**
 * Membership of the server nodes sharing one database (docs/DESIGN.md "Many nodes"). Each node has a row in
 * `nodes` and renews its heartbeat; the turns it runs are its own as long as the heartbeat is fresher than the
 * lease. At every heartbeat each node also looks for nodes whose heartbeat is older than the lease and deletes
 * their rows: the DELETE decides which node claimed each dead one, and that node takes over its turns.
 */
export class PgNodes {
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private stopped = false;
  /**
   * Since when (ms) this node's heartbeats have succeeded without a miss; null after a failed one. A node judges
   * others dead only after a whole lease of its own heartbeats: when it could not reach the database (a
   * PostgreSQL restart), the others likely could not either, and their heartbeats are as old as the outage.
   */
  private beatingSince: number | null = null;
  /** Dead nodes this node claimed whose takeover has not finished. */
  private readonly unfinished: string[] = [];
  private takingOver: Promise<void> | null = null;
  /** Dead nodes this node claimed (each claimed by exactly one node): interrupt their turns, run the queues. */
  onDeadNodes: (nodeIds: string[]) => Promise<void> = async () => {};

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PgNodesOptions,
  ) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Ids of the other nodes with a fresh heartbeat. */
  async liveOthers(): Promise<string[]> {
    const result = await this.pool.query<{ id: string }>(
      'SELECT id FROM nodes WHERE id <> $1 AND heartbeat_at > now() - make_interval(secs => $2::float8 / 1000) ORDER BY id',
      [this.options.nodeId, this.options.leaseMs],
    );
    return result.rows.map((row) => row.id);
  }

  /**
   * Registers this node and starts the heartbeat; refuses with IncompatibleNodeError, registering nothing, while
   * a live node (by its own lease) speaks another protocol or uses another lease.
   */
  async join(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One joining node at a time: two that would refuse each other cannot both get in.
      await client.query('LOCK TABLE nodes IN SHARE ROW EXCLUSIVE MODE');
      const live = await client.query<NodeRow>(
        `SELECT id, protocol, lease_ms FROM nodes
          WHERE heartbeat_at > now() - make_interval(secs => coalesce(lease_ms, $1)::float8 / 1000) ORDER BY started_at, id`,
        [this.options.leaseMs],
      );
      const conflict = live.rows.map((row) => this.conflictWith(row)).find((reason) => reason !== null);
      if (conflict) throw new IncompatibleNodeError(conflict);
      await client.query(INSERT_NODE, [this.options.nodeId, NODE_PROTOCOL, this.options.leaseMs]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    this.beatingSince = Date.now();
    const every = this.options.heartbeatMs ?? Math.max(100, Math.floor(this.options.leaseMs / 3));
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = null));
    }, every);
    this.timer.unref();
  }

  /** Why this node cannot run beside the live node `row`, or null when it can. */
  private conflictWith(row: NodeRow): string | null {
    const lease = (ms: number) => `--node-lease ${ms / 1000}`;
    if (row.protocol !== NODE_PROTOCOL) {
      const theirs = row.protocol === null ? 'an earlier version that does not say how it coordinates' : `node protocol ${row.protocol}`;
      return (
        `a live node on this database (${row.id}) coordinates differently (${theirs}; this one speaks node protocol ${NODE_PROTOCOL}): ` +
        `the two would run turns of the same threads without a shared bus; stop or upgrade that node first`
      );
    }
    if (row.lease_ms !== this.options.leaseMs) {
      return (
        `a live node on this database (${row.id}) uses ${lease(row.lease_ms ?? 0)}, this one ${lease(this.options.leaseMs)}: every node of ` +
        `one database must use the same lease (a node with a shorter one would take over turns the other still runs); ` +
        `start this one with ${lease(row.lease_ms ?? 0)}`
      );
    }
    return null;
  }

  /** Stops the heartbeat and removes this node's row (its turns have ended by then). */
  async leave(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    await this.takingOver;
    await this.pool.query('DELETE FROM nodes WHERE id = $1', [this.options.nodeId]).catch((error) => this.options.onError?.(error));
  }

  /** Claims every node whose heartbeat is older than the lease (none when another node claimed them first). */
  async claimDead(): Promise<string[]> {
    const result = await this.pool.query<{ id: string }>(
      'DELETE FROM nodes WHERE id <> $1 AND heartbeat_at <= now() - make_interval(secs => $2::float8 / 1000) RETURNING id',
      [this.options.nodeId, this.options.leaseMs],
    );
    return result.rows.map((row) => row.id);
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    try {
      const renewed = await this.pool.query('UPDATE nodes SET heartbeat_at = now() WHERE id = $1', [this.options.nodeId]);
      if (renewed.rowCount === 0) {
        this.options.onLostMembership();
        await this.pool.query(`${INSERT_NODE} ON CONFLICT (id) DO NOTHING`, [this.options.nodeId, NODE_PROTOCOL, this.options.leaseMs]);
      }
      this.beatingSince ??= Date.now();
      if (Date.now() - this.beatingSince < this.options.leaseMs) return;
      this.unfinished.push(...(await this.claimDead()));
    } catch (error) {
      this.beatingSince = null;
      this.options.onError?.(error);
    }
    // Beside the heartbeat, not inside it: a takeover can take longer than the lease (it ends turns and starts
    // queued ones), and a node whose heartbeat waited for it would look dead to the others.
    if (this.unfinished.length > 0 && !this.stopped) this.takingOver ??= this.takeOver().finally(() => (this.takingOver = null));
  }

  /**
   * Takes over the claimed nodes. Their rows are gone, so a takeover that fails (the database went away
   * meanwhile) is tried again after the next heartbeat, or nobody would.
   */
  private async takeOver(): Promise<void> {
    const dead = this.unfinished.splice(0);
    try {
      await this.onDeadNodes(dead);
    } catch (error) {
      this.unfinished.unshift(...dead);
      this.options.onError?.(error);
    }
  }
}
