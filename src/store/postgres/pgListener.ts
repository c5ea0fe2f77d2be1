import pg from 'pg';

export interface PgListenerOptions {
  /** Database URL of the connection (outside the pool: a pooled client cannot hold a LISTEN). */
  url: string;
  channel: string;
  onNotification: (payload: string | undefined) => void;
  /** A lost connection (reported here; the owner's next `ensure()` opens a new one). */
  onError?: (error: unknown) => void;
}

/**
 * One LISTEN connection to one channel (docs/DESIGN.md "Many nodes"). Its owner calls `ensure()` at start and
 * from its poll: a connection lost to a PostgreSQL restart or a network cut is opened again there, one attempt at
 * a time however slow the connect, and the owner re-reads what it may have missed while none was open.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: PgListenerOptions) {}

  /**
   * Connects and LISTENs unless a connection is open or being opened. True when this call opened it (the
   * owner then re-reads, as notifications may have been missed); throws when it could not.
   */
  async ensure(): Promise<boolean> {
    if (this.stopped || this.client) return false;
    if (this.connecting) {
      await this.connecting;
      return false;
    }
    this.connecting = this.connect().finally(() => (this.connecting = null));
    await this.connecting;
    return this.client !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connecting?.catch(() => {}); // a connect that fails while stopping has nothing to close
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {}); // stopping: a connection that fails to end cleanly is closed all the same
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url });
    client.on('notification', (message) => this.options.onNotification(message.payload));
    // A lost connection ends with 'error', or only with 'end' when it closed cleanly: either way the next
    // ensure() opens a new one.
    const lost = () => {
      if (this.client === client) this.client = null;
    };
    client.on('error', (error) => {
      this.options.onError?.(error);
      lost();
      void client.end().catch(() => {}); // the error was reported above; this only closes what is left
    });
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (error) {
      void client.end().catch(() => {});
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }
}
