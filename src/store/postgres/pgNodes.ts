import type pg from 'pg';

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

  /** Registers this node, claims the nodes already dead, and starts the heartbeat. */
  async join(): Promise<void> {
    await this.pool.query('INSERT INTO nodes (id, started_at, heartbeat_at) VALUES ($1, now(), now())', [this.options.nodeId]);
    this.beatingSince = Date.now();
    const every = this.options.heartbeatMs ?? Math.max(100, Math.floor(this.options.leaseMs / 3));
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = null));
    }, every);
    this.timer.unref();
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
        await this.pool.query('INSERT INTO nodes (id, started_at, heartbeat_at) VALUES ($1, now(), now()) ON CONFLICT (id) DO NOTHING', [
          this.options.nodeId,
        ]);
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
