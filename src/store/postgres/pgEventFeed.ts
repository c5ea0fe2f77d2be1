import type { EventRecord } from '../../domain/records.js';
import { PgListener } from './pgListener.js';
import { EVENTS_CHANNEL, type PgStore } from './pgStore.js';

export interface PgEventFeedOptions {
  /** Database URL of the LISTEN connection (one per node, outside the pool). */
  url: string;
  /** Delivers an event to this node's subscribers; called once per seq, in seq order. */
  publish: (event: EventRecord) => void;
  /** Seq of the newest event already delivered (the log's end at start). */
  after: number;
  /** How often the log's end is checked without a notification (a lost one delays by at most this). */
  pollMs?: number;
  /** Reports a failure the feed keeps retrying (lost LISTEN connection, failed read). */
  onError?: (error: unknown) => void;
}

const READ_PAGE = 500;

/**
 * This node's view of the global event log on PostgreSQL (docs/DESIGN.md "Many nodes"). Every commit with
 * events sends NOTIFY with its newest seq; the feed LISTENs, and on a notification (or a poll of the seq
 * counter, in case one is lost or the connection drops) reads the events past the last one it delivered from the
 * store, once, and delivers them in seq order. The store is the truth: a notification only says "there is more
 * up to seq N", so a lost or late one delays delivery and never loses or reorders it. The node's own commits
 * are delivered without a read when they directly follow what was delivered (`committed`).
 */
export class PgEventFeed {
  private delivered: number;
  /** Newest seq known to be committed (from a notification, a poll or a local commit). */
  private known: number;
  private reading: Promise<void> | null = null;
  private readonly listener: PgListener;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly waiters: { seq: number; resolve: () => void }[] = [];

  constructor(
    private readonly store: PgStore,
    private readonly options: PgEventFeedOptions,
  ) {
    this.delivered = options.after;
    this.known = options.after;
    this.listener = new PgListener({
      url: options.url,
      channel: EVENTS_CHANNEL,
      onNotification: (payload) => {
        const seq = Number(payload);
        if (Number.isFinite(seq)) this.advance(seq);
      },
      onError: options.onError,
    });
  }

  /** Seq of the newest event delivered to this node's subscribers. */
  get deliveredSeq(): number {
    return this.delivered;
  }

  async start(): Promise<void> {
    await this.listener.ensure();
    this.poll = setInterval(() => void this.checkEnd(), this.options.pollMs ?? 1000);
    this.poll.unref();
    await this.checkEnd();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.reading;
    await this.listener.stop();
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  /** Events this node just committed: delivered at once when they directly follow, else read in order with the rest. */
  committed(events: readonly EventRecord[]): void {
    const first = events[0];
    const last = events.at(-1);
    if (!first || !last) return;
    if (first.seq === this.delivered + 1 && !this.reading) {
      for (const event of events) this.options.publish(event);
      this.delivered = last.seq;
      this.known = Math.max(this.known, last.seq);
      this.settleWaiters();
      return;
    }
    this.advance(last.seq);
  }

  /** Resolves once every event up to `seq` has been delivered here (or the feed stopped). */
  reached(seq: number): Promise<void> {
    if (this.delivered >= seq || this.stopped) return Promise.resolve();
    this.advance(seq);
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** The poll: reconnects a lost LISTEN connection and reads the log's end from the seq counter. */
  private async checkEnd(): Promise<void> {
    if (this.stopped) return;
    try {
      // What a lost connection missed is read below all the same: the counter says how far the log is committed.
      await this.listener.ensure();
      this.advance((await this.store.nextSeq()) - 1);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private advance(seq: number): void {
    if (seq > this.known) this.known = seq;
    if (this.known > this.delivered && !this.reading && !this.stopped) {
      this.reading = this.readUpTo().finally(() => {
        this.reading = null;
        if (this.known > this.delivered && !this.stopped) this.advance(this.known);
      });
    }
  }

  private async readUpTo(): Promise<void> {
    while (this.delivered < this.known && !this.stopped) {
      let page: EventRecord[];
      try {
        page = await this.store.readEvents(null, this.delivered, READ_PAGE);
      } catch (error) {
        this.options.onError?.(error); // the next poll tries again
        return;
      }
      // Commits are serialised on the seq counter, so what is visible is a gapless prefix; stop at anything else.
      const before = this.delivered;
      for (const event of page) {
        if (event.seq !== this.delivered + 1) break;
        this.options.publish(event);
        this.delivered = event.seq;
      }
      this.settleWaiters();
      if (page.length < READ_PAGE || this.delivered === before) return;
    }
  }

  private settleWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.seq <= this.delivered) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
