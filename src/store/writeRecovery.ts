import { readdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';

/** Room LevelDB needs beyond its logs to reopen: a new log, a manifest, a table header. */
const REOPEN_MARGIN_BYTES = 1 << 20;
const RETRY_MS = 1000;

export interface WriteRecoveryTarget {
  /** Makes the database take writes again (LevelDB: close and reopen, which clears its sticky background error). */
  restore(): Promise<void>;
  /** The directory of the database, to see whether the disk has room again; null for one in memory. */
  directory: string | null;
}

/**
 * After a write fails (disk full, I/O error), LevelDB keeps refusing writes (its background error is sticky,
 * and a log write cut off midway leaves the log misaligned), so no more writes go to it until it is reopened.
 * This holds that state: writes wait for a recovery attempt, which first checks that the disk has room to
 * reopen (replaying the logs writes them out as a table); while it does not, writes are refused at once. A
 * timer keeps trying, so readiness (`/health`) comes back without a write.
 */
export class WriteRecovery {
  private failure: unknown = null;
  private attempt: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly target: WriteRecoveryTarget) {}

  /** The error that stopped writes, or null when the store takes writes. */
  get error(): unknown {
    return this.failure;
  }

  failed(error: unknown): void {
    this.failure ??= error;
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => void this.recover(), RETRY_MS);
    this.timer.unref();
  }

  /** Resolves true when writes may go on (they never stopped, or recovery worked now). */
  recover(): Promise<boolean> {
    if (this.failure === null) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return (this.attempt ??= this.tryRecover().finally(() => (this.attempt = null)));
  }

  /** No more recovery (the store is closing); waits for an attempt in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.attempt;
  }

  private async tryRecover(): Promise<boolean> {
    if (this.target.directory && !(await hasRoomToReopen(this.target.directory))) return false;
    try {
      await this.target.restore();
    } catch (error) {
      this.failure = error;
      return false;
    }
    this.failure = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return true;
  }
}

/** Whether the disk holding `directory` has room for the tables that reopening writes from its logs. */
async function hasRoomToReopen(directory: string): Promise<boolean> {
  try {
    const [fs, names] = await Promise.all([statfs(directory), readdir(directory)]);
    const sizes = await Promise.all(
      names
        .filter((n) => n.endsWith('.log'))
        .map((n) =>
          stat(path.join(directory, n)).then(
            (s) => s.size,
            () => 0,
          ),
        ),
    );
    const logBytes = sizes.reduce((a, b) => a + b, 0);
    return fs.bavail * fs.bsize >= logBytes + REOPEN_MARGIN_BYTES;
  } catch {
    return true; // cannot tell: try
  }
}
