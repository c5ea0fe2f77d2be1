import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { NodeUnreachableError } from '../../domain/errors.js';
import { PgListener } from './pgListener.js';

/** The NOTIFY channel of node commands; the payload is `<node the row is for> <command id>`. */
export const COMMANDS_CHANNEL = 'zagens_commands';

export interface PgNodeCommandsOptions {
  /** Database URL of the LISTEN connection (one per node, outside the pool). */
  url: string;
  nodeId: string;
  /** A node whose heartbeat is older than this is dead (ms). */
  leaseMs: number;
  /** Runs a command another node sent here; its answer (JSON) goes back to the sender. Must not throw. */
  execute: (command: unknown) => Promise<unknown>;
  /** How often rows are looked for without a notification (a lost one delays by at most this). */
  pollMs?: number;
  /** A command the owner has not taken within this is withdrawn and the sender told NodeUnreachableError. */
  takeTimeoutMs?: number;
  /** A command taken but not answered within this: the sender is told NodeUnreachableError. */
  answerTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

/** The node that runs a turn, and whether its heartbeat is fresh. */
export interface TurnOwner {
  node: string;
  live: boolean;
}

/** What a command sent to another node came back with. */
export type SendOutcome = { answered: true; answer: unknown } | { answered: false; reason: 'dead' };

const CLEANUP_EVERY_MS = 60_000;

/**
 * Commands between the server nodes of one database (docs/DESIGN.md "Commands across nodes"). A command for a
 * turn another node runs is a row of `node_commands` for that node plus `NOTIFY zagens_commands`; the owner
 * takes the row (one UPDATE, so a row is taken once), runs the command and writes the answer into it, with a
 * notification to the sender, which reads and deletes the row. Every node LISTENs; a poll covers a lost
 * notification or a dropped LISTEN connection. A sender never waits forever: an owner that does not take the
 * row in time (the row is withdrawn, nothing ran) or does not answer in time gives NodeUnreachableError, an owner
 * whose heartbeat stopped gives `dead` (its turns are the takeover's).
 */
export class PgNodeCommands {
  private readonly listener: PgListener;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;
  private taking: Promise<void> | null = null;
  private takeAgain = false;
  private lastCleanup = 0;
  private readonly running = new Set<Promise<void>>();
  /** Senders waiting here for an answer, by command id: called to look at the row now. */
  private readonly waiting = new Map<string, () => void>();
  /** Commands sent from here that are not answered yet, and those of them notified between two looks. */
  private readonly sent = new Set<string>();
  private readonly notified = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PgNodeCommandsOptions,
  ) {
    this.listener = new PgListener({
      url: options.url,
      channel: COMMANDS_CHANNEL,
      onNotification: (payload) => {
        const [node, id] = (payload ?? '').split(' ');
        if (node !== this.options.nodeId || !id) return;
        if (!this.sent.has(id)) return this.take();
        const wake = this.waiting.get(id);
        if (wake) wake();
        else this.notified.add(id);
      },
      onError: options.onError,
    });
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 500;
  }

  async start(): Promise<void> {
    await this.listener.ensure();
    this.poll = setInterval(() => void this.tick(), this.pollMs);
    this.poll.unref();
    this.take();
  }

  /** Stops taking commands and waits for the ones running here to answer. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.taking;
    await Promise.all(this.running);
    await this.listener.stop();
    for (const wake of this.waiting.values()) wake();
  }

  /** The node running this turn, when it is IN_PROGRESS. */
  async ownerOfTurn(turnId: string): Promise<TurnOwner | null> {
    return this.owner('t.id = $1', turnId);
  }

  /** The node running this thread's turn, when one is IN_PROGRESS. */
  async ownerOfThread(threadId: string): Promise<TurnOwner | null> {
    return this.owner('t.thread_id = $1', threadId);
  }

  /** The other live nodes that run a turn. */
  async nodesRunningTurns(): Promise<string[]> {
    const result = await this.pool.query<{ node: string }>(
      `SELECT DISTINCT t.node_id AS node FROM turns t JOIN nodes n ON n.id = t.node_id
        WHERE t.status = 'IN_PROGRESS' AND t.node_id <> $1 AND n.heartbeat_at > now() - make_interval(secs => $2::float8 / 1000)
        ORDER BY node`,
      [this.options.nodeId, this.options.leaseMs],
    );
    return result.rows.map((row) => row.node);
  }

  private async owner(where: string, id: string): Promise<TurnOwner | null> {
    const result = await this.pool.query<{ node: string | null; live: boolean }>(
      `SELECT t.node_id AS node, EXISTS (SELECT 1 FROM nodes n WHERE n.id = t.node_id
         AND n.heartbeat_at > now() - make_interval(secs => $2::float8 / 1000)) AS live
       FROM turns t WHERE ${where} AND t.status = 'IN_PROGRESS'`,
      [id, this.options.leaseMs],
    );
    const row = result.rows[0];
    return row?.node ? { node: row.node, live: row.live } : null;
  }

  /** Sends `command` to `node` and waits for its answer (see the class comment for the bounds). */
  async send(node: string, command: unknown): Promise<SendOutcome> {
    const id = randomUUID();
    this.sent.add(id);
    const takeTimeout = this.options.takeTimeoutMs ?? 5000;
    const answerTimeout = this.options.answerTimeoutMs ?? 30_000;
    try {
      await this.pool.query(
        `WITH c AS (INSERT INTO node_commands (id, target_node, sender_node, command, created_at) VALUES ($1, $2, $3, $4, now()) RETURNING id)
         SELECT pg_notify($5, $2::text || ' ' || $1::text) FROM c`,
        [id, node, this.options.nodeId, JSON.stringify(command), COMMANDS_CHANNEL],
      );
      const sentAt = Date.now();
      for (;;) {
        await this.nextLook(id);
        const rows = await this.pool.query<{ taken: boolean; answered: boolean; live: boolean }>(
          `SELECT taken_at IS NOT NULL AS taken, result IS NOT NULL AS answered, EXISTS (SELECT 1 FROM nodes n WHERE n.id = $2
             AND n.heartbeat_at > now() - make_interval(secs => $3::float8 / 1000)) AS live
           FROM node_commands WHERE id = $1`,
          [id, node, this.options.leaseMs],
        );
        const row = rows.rows[0];
        if (row?.answered) {
          const answer = await this.pool.query<{ result: unknown }>('DELETE FROM node_commands WHERE id = $1 RETURNING result', [id]);
          return { answered: true, answer: answer.rows[0]?.result };
        }
        const waited = Date.now() - sentAt;
        if (!row || !row.live) {
          // Not taken: withdrawn, nothing ran. Taken: the owner died while running it, and the takeover ends its turns.
          await this.pool.query('DELETE FROM node_commands WHERE id = $1', [id]);
          return { answered: false, reason: 'dead' };
        }
        if (!row.taken && waited >= takeTimeout) {
          const withdrawn = await this.pool.query('DELETE FROM node_commands WHERE id = $1 AND taken_at IS NULL', [id]);
          if (withdrawn.rowCount) throw new NodeUnreachableError(node, waited, false);
        }
        if (row.taken && waited >= answerTimeout) {
          await this.pool.query('DELETE FROM node_commands WHERE id = $1', [id]);
          throw new NodeUnreachableError(node, waited, true);
        }
        if (this.stopped) throw new NodeUnreachableError(node, waited, row.taken);
      }
    } finally {
      this.waiting.delete(id);
      this.sent.delete(id);
      this.notified.delete(id);
    }
  }

  /** Resolves when a notification names this command, or after a poll interval. */
  private nextLook(id: string): Promise<void> {
    if (this.notified.delete(id)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(wake, this.pollMs);
      const waiting = this.waiting;
      function wake() {
        clearTimeout(timer);
        waiting.delete(id);
        resolve();
      }
      this.waiting.set(id, wake);
    });
  }

  /** The poll: reconnects a lost LISTEN connection, takes rows a lost notification left, drops abandoned rows. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      // Rows a lost connection's notifications would have announced are taken below all the same.
      await this.listener.ensure();
      this.take();
      if (Date.now() - this.lastCleanup >= CLEANUP_EVERY_MS) {
        this.lastCleanup = Date.now();
        // Rows whose sender stopped waiting long ago (it died, or its node stopped).
        await this.pool.query("DELETE FROM node_commands WHERE created_at < now() - interval '10 minutes'");
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Takes every row waiting for this node (once: one take runs at a time, a request meanwhile runs another). */
  private take(): void {
    if (this.stopped) return;
    if (this.taking) {
      this.takeAgain = true;
      return;
    }
    this.taking = this.takeWaiting().finally(() => {
      this.taking = null;
      if (this.takeAgain) {
        this.takeAgain = false;
        this.take();
      }
    });
  }

  private async takeWaiting(): Promise<void> {
    let taken: { id: string; sender_node: string; command: unknown }[];
    try {
      const result = await this.pool.query<{ id: string; sender_node: string; command: unknown }>(
        'UPDATE node_commands SET taken_at = now() WHERE target_node = $1 AND taken_at IS NULL RETURNING id, sender_node, command',
        [this.options.nodeId],
      );
      taken = result.rows;
    } catch (error) {
      this.options.onError?.(error); // the next poll tries again
      return;
    }
    for (const row of taken) {
      const run = this.answer(row.id, row.sender_node, row.command);
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }
  }

  private async answer(id: string, sender: string, command: unknown): Promise<void> {
    const answer = await this.options.execute(command);
    try {
      await this.pool.query(
        `WITH c AS (UPDATE node_commands SET result = $2 WHERE id = $1 RETURNING id) SELECT pg_notify($4, $3::text || ' ' || $1::text) FROM c`,
        [id, JSON.stringify(answer ?? null), sender, COMMANDS_CHANNEL],
      );
    } catch (error) {
      // The sender sees no answer and gives up after its timeout.
      this.options.onError?.(error);
    }
  }
}
