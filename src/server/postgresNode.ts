import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PricingTable } from '../domain/pricing.js';
import type { EventRecord, RoutingRule } from '../domain/records.js';
import { publishEvent, type EventBus } from '../runtime/eventBus.js';
import type { EventLog, RuntimePubSub } from '../runtime/eventLog.js';
import { runForwarded } from '../runtime/forwardedCommands.js';
import { takeOver } from '../runtime/recovery.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ForwardedCommand } from '../runtime/turnOwners.js';
import { PgEventFeed } from '../store/postgres/pgEventFeed.js';
import { PgNodeCommands } from '../store/postgres/pgNodeCommands.js';
import { IncompatibleNodeError, PgNodes } from '../store/postgres/pgNodes.js';
import { PgPresence } from '../store/postgres/pgPresence.js';
import type { Presence } from '../runtime/presence.js';
import { PgStore } from '../store/postgres/pgStore.js';
import type { Logger } from './logger.js';
import { StartupError } from './startup.js';

const SETTINGS_POLL_MS = 1000;

/**
 * One server node on a shared PostgreSQL database (docs/DESIGN.md "Many nodes"): the store, this node's view of
 * the event log (the feed delivers every node's events to this node's subscribers) and its membership
 * (heartbeat, takeover of dead nodes' turns), and the commands it sends to and runs for the other nodes (a
 * command for a turn goes to the node that runs it).
 */
export class PostgresNode implements EventBus {
  private nodes: PgNodes | null = null;
  private feed: PgEventFeed | null = null;
  private presence: PgPresence | null = null;
  private settings: NodeJS.Timeout | null = null;
  private commands: PgNodeCommands | null = null;
  /** Takeovers run one at a time (the heartbeat's and a command's for a dead owner). */
  private takeovers: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly store: PgStore,
    private readonly url: string,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  static async open(url: string, leaseMs: number, logger: Logger): Promise<PostgresNode> {
    const nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const store = await PgStore.open(url, { nodeId, leaseMs });
    return new PostgresNode(store, url, leaseMs, logger);
  }

  get nodeId(): string {
    return this.store.options.nodeId;
  }

  /** This node's commits reach its subscribers through the feed, in seq order with every other node's. */
  committed(events: readonly EventRecord[]): void {
    this.feed?.committed(events);
  }

  /**
   * Joins the cluster and starts delivering the log past its end into `pubsub` (and telling `log` how far it
   * reached, so runtimeInfo.latestSeq and a subscription's default start count every node's commits); call
   * before recovery.
   */
  async start(pubsub: RuntimePubSub, log: EventLog, presence: Presence): Promise<void> {
    // First: a node that cannot coordinate with a live one stops here, having joined and written nothing.
    const nodes = new PgNodes(this.store.pool, {
      nodeId: this.nodeId,
      leaseMs: this.leaseMs,
      onLostMembership: () => {
        this.logger.error({ node: this.nodeId }, 'this node missed its heartbeats; other nodes may have taken over its turns');
        // The node that claimed this one removed its presence rows: they are written again.
        this.presence?.rewrite(presence.followedThreads());
      },
      onError: (error) => this.logger.warn({ err: error }, 'node heartbeat failed, retrying'),
    });
    await nodes.join().catch((error: unknown) => {
      throw error instanceof IncompatibleNodeError ? new StartupError(error.message) : error;
    });
    this.nodes = nodes;
    this.feed = new PgEventFeed(this.store, {
      url: this.url,
      after: log.latestSeq,
      publish: (event) => {
        publishEvent(pubsub, event);
        log.observed(event.seq);
      },
      onError: (error) => this.logger.warn({ err: error }, 'event feed: PostgreSQL unreachable, retrying'),
    });
    await this.feed.start();
    const shared = new PgPresence(this.store.pool, {
      url: this.url,
      nodeId: this.nodeId,
      leaseMs: this.leaseMs,
      localCount: (threadId) => presence.localCount(threadId),
      onChange: (threadId) => presence.changed(threadId),
      watched: () => presence.watchedThreads(),
      onError: (error) => this.logger.warn({ err: error }, 'presence: PostgreSQL unreachable, retrying'),
    });
    await shared.start();
    this.presence = shared;
    presence.share(shared);
  }

  /**
   * From now on: takes over the turns of nodes that stop heartbeating, keeps the settings another node
   * changes (pricing, routing rules: rows of the shared store) in force here within a second, and runs the
   * commands other nodes send for this node's turns (and sends this node's commands for theirs).
   */
  async watch(runtime: Runtime): Promise<void> {
    const nodes = this.nodes;
    if (!nodes) return;
    this.settings = setInterval(() => void this.reloadSettings(runtime), SETTINGS_POLL_MS);
    this.settings.unref();
    const takeOverFrom = (ids: string[]) => {
      const run = this.takeovers.then(async () => {
        const reason = `Interrupted: the node running it (${ids.join(', ')}) stopped (no heartbeat for ${this.leaseMs / 1000} s)`;
        await this.presence
          ?.dropNodes(ids)
          .catch((error) =>
            this.logger.warn({ err: error }, 'presence: could not remove the rows of dead nodes (they no longer count all the same)'),
          );
        const taken = await takeOver(runtime, reason);
        this.logger.warn({ deadNodes: ids, ...taken }, 'took over the turns of nodes that stopped');
      });
      this.takeovers = run.catch(() => {});
      return run;
    };
    nodes.onDeadNodes = takeOverFrom;
    const commands = new PgNodeCommands(this.store.pool, {
      url: this.url,
      nodeId: this.nodeId,
      leaseMs: this.leaseMs,
      execute: (command) => runForwarded(runtime, command as ForwardedCommand),
      onError: (error) => this.logger.warn({ err: error }, 'node commands: PostgreSQL unreachable, retrying'),
    });
    await commands.start();
    this.commands = commands;
    runtime.attachTurnOwners({
      nodeId: this.nodeId,
      ownerOfTurn: (turnId) => commands.ownerOfTurn(turnId),
      ownerOfThread: (threadId) => commands.ownerOfThread(threadId),
      nodesRunningTurns: () => commands.nodesRunningTurns(),
      send: (node, command) => commands.send(node, command),
      // The owner's lease expired: claim it (unless another node did) and end its turns now.
      takeOver: async (node) => {
        const claimed = await nodes.claimDead();
        await takeOverFrom(claimed.length ? claimed : [node]);
      },
    });
  }

  /** Every event up to `seq` delivered to this node's subscribers. */
  reached(seq: number): Promise<void> {
    return this.feed?.reached(seq) ?? Promise.resolve();
  }

  private async reloadSettings(runtime: Runtime): Promise<void> {
    try {
      const [pricing, rules] = await Promise.all([this.store.getMeta<PricingTable>('pricing'), this.store.getMeta<RoutingRule[]>('routing_rules')]);
      runtime.usePricing(pricing ?? null);
      runtime.useRoutingRules(rules ?? []);
    } catch (error) {
      this.logger.warn({ err: error }, 'settings: PostgreSQL unreachable, retrying');
    }
  }

  async close(): Promise<void> {
    if (this.settings) clearInterval(this.settings);
    await this.presence?.stop();
    await this.commands?.stop();
    await this.nodes?.leave();
    await this.feed?.stop();
    await this.store.close();
  }
}
