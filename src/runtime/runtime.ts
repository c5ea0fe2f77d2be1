import { LocalEventBus, type EventBus } from './eventBus.js';
import { DEFAULT_PRICING, type PricingTable } from '../domain/pricing.js';
import type { EventDraft, EventRecord, ItemRecord, RoutingRule, ThreadRecord, TurnRecord } from '../domain/records.js';
import type { RecordStore, UnitOfWork } from '../store/contract.js';
import { ActiveTurns } from './activeTurns.js';
import { RUNTIME_DEFAULTS, type RuntimeConfig } from './config.js';
import { ConversationCache } from './conversationLoader.js';
import { createRuntimePubSub, EventLog, type CommitOptions, type RuntimePubSub } from './eventLog.js';
import { eventStream, type EventStreamOptions } from './eventStream.js';
import { LocalCommandQueue, type CommandQueue } from './commandQueue.js';
import type { PurgeListener } from './purge.js';
import { sleep } from '../engine/sleep.js';
import { ModelCatalog } from './modelCatalog.js';
import { DEFAULT_SNAPSHOT_MAX_FILE_BYTES, WorkspaceSnapshots } from '../engine/workspaceSnapshots.js';
import { TurnSlots } from './turnSlots.js';
import { Presence } from './presence.js';
import { startNextQueuedLater } from './turnCommands.js';
import { LiveItems } from './liveItems.js';
import { PendingThreads } from './pendingThreads.js';
import { RequestsInFlight } from './requestsInFlight.js';

/** The webhook outbox as the runtime sees it: woken when a webhook is registered (src/runtime/webhooks.ts). */
export interface WebhookOutbox {
  webhookRegistered(): void;
}
import type { TurnOwners } from './turnOwners.js';

/**
 * The orchestrator's shared state: the store, the event log, the command queue, the turns running now, and the
 * newest version of every record that has a write in flight. Commands live in threadCommands.ts and
 * turnCommands.ts; they all write through `commit`.
 */
export class Runtime {
  /** Runs every command serialised within its declared scope (commandQueue.ts; docs/DESIGN.md "Turns and locking"). */
  readonly commands: CommandQueue;
  readonly active = new ActiveTurns();
  readonly log: EventLog;
  /** Items streaming now, newer than their stored record (text arrives as deltas; records are written at the end). */
  readonly liveItems = new LiveItems();
  readonly conversations: ConversationCache;
  /** The engine's model list, kept for a while. */
  readonly models: ModelCatalog;
  /** Workspace snapshots around turns (null: not configured). */
  readonly snapshots: WorkspaceSnapshots | null;
  /** Mutations with a client request key running now, by key (duplicates wait for them; see idempotency.ts). */
  readonly requestsInFlight = new RequestsInFlight();
  /** The bound on turns running at once; a freed slot starts the queued turn of the thread that waited longest. */
  readonly slots: TurnSlots;
  /** The client connections following each thread live now (presence.ts). */
  readonly presence: Presence;
  private readonly pendingThreads = new PendingThreads();
  #pricing: PricingTable;
  #routingRules: RoutingRule[];
  readonly #purgeListeners: PurgeListener[] = [];
  #webhooks: WebhookOutbox | null = null;
  /**
   * Threads with a running turn, as this process committed them last: the newest version while this process is
   * the store's only writer, so the turn's end reads no record (docs/DESIGN.md "Turns and locking").
   */
  private readonly runningThreads = new Map<string, ThreadRecord>();
  /** This process is the only writer of its store (the events it commits are all there are: LocalEventBus). */
  private readonly onlyWriter: boolean;
  #turnOwners: TurnOwners | null = null;
  private stopping = false;
  private readonly stopSignal = new AbortController();
  private readonly background = new Set<Promise<void>>();
  /** Aborted once every event is durable and published at shutdown: open event streams then finish. */
  private readonly streamsEnd = new AbortController();
  private readonly openStreams = new Set<AsyncGenerator<EventRecord>>();
  private streamsClosed: (() => void) | null = null;

  private constructor(
    readonly store: RecordStore,
    readonly config: RuntimeConfig,
    readonly pubsub: RuntimePubSub,
    latestSeq: number,
    pricing: PricingTable,
    routingRules: RoutingRule[],
    bus: EventBus,
  ) {
    this.commands = config.commandQueue ?? new LocalCommandQueue();
    this.onlyWriter = bus instanceof LocalEventBus;
    this.log = new EventLog(store, bus, latestSeq, () => this.clock());
    this.conversations = new ConversationCache(config.maxActiveThreads, (id) => this.active.get(id) !== undefined);
    this.models = new ModelCatalog(config.engine, config.modelListTtlMs, () => this.clock());
    this.#pricing = pricing;
    this.#routingRules = routingRules;
    // Snapshot git work is local to this process's files: serialised here, never across nodes.
    const snapshotWork = new LocalCommandQueue();
    const snapshots = config.snapshotDir
      ? new WorkspaceSnapshots({
          root: config.snapshotDir,
          maxFileBytes: config.snapshotMaxFileBytes ?? DEFAULT_SNAPSHOT_MAX_FILE_BYTES,
          exclude: config.snapshotExclude ?? [],
          serialize: (threadId, work) => snapshotWork.run({ thread: threadId }, work),
        })
      : null;
    this.snapshots = snapshots;
    this.presence = new Presence(config.presenceIntervalMs ?? RUNTIME_DEFAULTS.presenceIntervalMs);
    this.slots = new TurnSlots(config.maxRunningTurns ?? Number.POSITIVE_INFINITY, (threadId) => {
      startNextQueuedLater(this, threadId, true);
    });
    if (snapshots) this.onPurge((threadId) => snapshots.remove(threadId));
  }

  /** `bus` delivers committed events to `pubsub` (LocalEventBus: this process is the only writer). */
  static async create(
    store: RecordStore,
    config: RuntimeConfig,
    pubsub: RuntimePubSub = createRuntimePubSub(),
    bus: EventBus = new LocalEventBus(pubsub),
  ): Promise<Runtime> {
    const pricing = (await store.getMeta<PricingTable>('pricing')) ?? config.pricing ?? DEFAULT_PRICING;
    const rules = (await store.getMeta<RoutingRule[]>('routing_rules')) ?? [];
    return new Runtime(store, config, pubsub, (await store.nextSeq()) - 1, pricing, rules, bus);
  }

  /** The runtime's clock (epoch ms): settable in the config so tests can end turns at a chosen instant. */
  clock(): number {
    return this.config.clock?.() ?? Date.now();
  }

  now(): string {
    return new Date(this.clock()).toISOString();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Prices in force: set by setPricing (kept in the store), else the pricing file, else the defaults. */
  get pricing(): PricingTable {
    return this.#pricing;
  }

  /** Makes `table` the prices in force (null: the pricing file's, else the defaults); the caller stored it. */
  usePricing(table: PricingTable | null): PricingTable {
    this.#pricing = table ?? this.config.pricing ?? DEFAULT_PRICING;
    return this.#pricing;
  }

  get routingRules(): readonly RoutingRule[] {
    return this.#routingRules;
  }

  /** Makes `rules` the routing rules in force; the caller validated and stored them. */
  useRoutingRules(rules: RoutingRule[]): void {
    this.#routingRules = rules;
  }

  /** Runs `listener` after each thread purge (snapshots and webhooks remove their part). */
  onPurge(listener: PurgeListener): void {
    this.#purgeListeners.push(listener);
  }

  /** Tells every purge listener, in order, that a thread's rows are gone from the store. */
  async threadPurged(threadId: string): Promise<void> {
    for (const listener of this.#purgeListeners) await listener(threadId);
  }

  /** The webhook outbox the server runs (none: webhooks are stored but nothing delivers them). */
  attachWebhookOutbox(outbox: WebhookOutbox): void {
    this.#webhooks = outbox;
  }

  /** With a shared database: the other nodes, to which commands for the turns they run are forwarded (turnOwners.ts). */
  attachTurnOwners(owners: TurnOwners): void {
    this.#turnOwners = owners;
  }

  /** The other nodes sharing the store, which run turns of their own (null: this process is the only one). */
  get turnOwners(): TurnOwners | null {
    return this.#turnOwners;
  }

  /** Wakes the webhook outbox, if one runs, after a webhook was registered. */
  webhookRegistered(): void {
    this.#webhooks?.webhookRegistered();
  }

  /**
   * Writes `batch` with `events` in one atomic batch and resolves when it is durable (events published).
   * `threads` are the thread records the batch puts: until the write settles they are what writers read.
   */
  async commit(batch: UnitOfWork, events: EventDraft[], threads: ThreadRecord[] = [], options?: CommitOptions): Promise<EventRecord[]> {
    this.pendingThreads.begin(threads);
    try {
      const committed = await this.log.commit(batch, events, options);
      for (const t of threads) if (this.runningThreads.has(t.id)) this.runningThreads.set(t.id, t);
      return committed;
    } catch (error) {
      this.pendingThreads.forget(threads);
      for (const t of threads) this.runningThreads.delete(t.id);
      throw error;
    } finally {
      this.pendingThreads.end(threads);
    }
  }

  /** The newest version of a thread for a writer: one with a write in flight, else a running turn's, else the stored one. */
  async threadForWrite(id: string): Promise<ThreadRecord | null> {
    const known = this.pendingThreads.get(id) ?? this.runningThreads.get(id);
    if (known) return { ...known };
    return this.store.getThread(id);
  }

  /**
   * A turn of this thread runs from now on, and `committed` is the thread as its start wrote it (durable): until
   * `threadIdle`, writers take the thread from memory. Only when this process is the store's only writer; a
   * refused thread write forgets it (the next writer reads the store).
   */
  threadRunning(committed: ThreadRecord): void {
    if (this.onlyWriter) this.runningThreads.set(committed.id, committed);
  }

  threadIdle(id: string): void {
    this.runningThreads.delete(id);
  }

  /** Runs `change` with the newest thread record, alone among this thread's record writers. */
  writeThread<T>(id: string, change: (thread: ThreadRecord | null) => Promise<T>): Promise<T> {
    return this.commands.run({ threadRecord: id }, async () => change(await this.threadForWrite(id)));
  }

  /** An item as a reader should see it: the live version while it streams. */
  overlayItem(item: ItemRecord | null): ItemRecord | null {
    if (!item) return item;
    return this.liveItems.get(item.id) ?? item;
  }

  /** A turn as a reader should see it: the running version while it runs. */
  overlayTurn(turn: TurnRecord | null): TurnRecord | null {
    if (!turn) return turn;
    const running = this.active.byTurnId(turn.id);
    return running ? running.turn : turn;
  }

  /**
   * An event stream. `follows`: the threads it counts as following live (presence), for `connection` (the
   * client's WebSocket or HTTP request; default: the stream itself), until it closes.
   */
  events({
    follows = [],
    connection,
    ...options
  }: Omit<EventStreamOptions, 'threadId' | 'end' | 'onClose'> & {
    threadId: string | null;
    follows?: readonly string[];
    connection?: object;
  }): AsyncGenerator<EventRecord> {
    let leave = () => {};
    const stream = eventStream(this.store, this.pubsub, {
      maxPending: this.config.subscriberMaxPending,
      mergeFrom: this.config.subscriberMergeFrom,
      ...options,
      end: this.streamsEnd.signal,
      onClose: () => {
        leave();
        this.openStreams.delete(stream);
        if (this.openStreams.size === 0) this.streamsClosed?.();
      },
    });
    this.openStreams.add(stream);
    if (follows.length) leave = this.presence.join(follows, connection ?? stream);
    return stream;
  }

  /**
   * Retries `attempt` with growing pauses (up to 5 s) until it succeeds or the runtime stops; for writes the store
   * refused that must still happen (a turn's end).
   */
  retryInBackground(attempt: () => Promise<boolean>): void {
    const run = (async () => {
      for (let delay = 250; !this.stopping; delay = Math.min(delay * 2, 5000)) {
        await sleep(delay, this.stopSignal.signal);
        if (this.stopping || (await attempt())) return;
      }
    })();
    this.background.add(run);
    void run.finally(() => this.background.delete(run));
  }

  /**
   * Stops taking new turns, ends every running one (also those a command in flight started meanwhile), waits
   * until every write is durable, then lets every open event stream deliver the rest of the log and finish
   * (streams that cannot, e.g. a client that stopped reading, are ended after `streamsGraceMs`).
   */
  async stop(streamsGraceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    await Promise.all(this.background);
    // A command that passed its isStopping check before we set it can still start a turn: loop until none runs.
    while (this.active.size > 0 || !this.commands.isIdle) {
      await Promise.all(this.active.all().map((run) => run.interrupt('Interrupted by server shutdown')));
      await this.commands.idle();
    }
    await this.log.drain();
    await this.endStreams(streamsGraceMs);
  }

  private async endStreams(graceMs: number): Promise<void> {
    this.streamsEnd.abort();
    this.presence.close();
    if (this.openStreams.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.streamsClosed = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    await Promise.all([...this.openStreams].map((stream) => stream.return(undefined)));
  }
}
