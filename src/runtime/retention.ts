import type { PurgeReason } from '../domain/records.js';
import { purgeThread } from './purge.js';
import type { Runtime } from './runtime.js';
import { purgeExpiredRequestKeys } from './idempotency.js';

const DAY_MS = 86_400_000;
/** The runtime's retentionSweepMs when left out. */
export const DEFAULT_RETENTION_SWEEP_MS = 60_000;

/**
 * Purges, on a schedule, threads past their `expiresAt` and (with `retainArchivedDays`) archived threads not
 * updated for that many days. Each purge is a `thread.deleted` event with reason EXPIRED or RETENTION. Expired
 * client request keys are forgotten in the same pass (no event: they are no part of any thread).
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly rt: Runtime) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep().catch((err) => {
        this.rt.config.logger?.error({ err }, 'retention sweep failed');
        return 0;
      });
      void this.running.finally(() => this.schedule(this.rt.config.retentionSweepMs ?? DEFAULT_RETENTION_SWEEP_MS));
    }, delay);
    this.timer.unref();
  }

  /** One pass; returns how many threads it purged (expired clientRequestIds go too). */
  async sweep(): Promise<number> {
    while (!this.stopped && !this.rt.isStopping && (await purgeExpiredRequestKeys(this.rt)) > 0);
    const now = this.rt.clock();
    const due: [string, PurgeReason][] = (await this.rt.store.listExpiredThreadIds(new Date(now).toISOString())).map((id) => [id, 'EXPIRED']);
    const days = this.rt.config.retainArchivedDays;
    if (days != null) {
      const cutoff = new Date(now - days * DAY_MS).toISOString();
      for (const id of await this.rt.store.listArchivedThreadIdsBefore(cutoff)) due.push([id, 'RETENTION']);
    }
    let purged = 0;
    for (const [id, reason] of due) {
      if (this.stopped || this.rt.isStopping) break;
      const done = await this.rt.commands.run({ thread: id }, async () => {
        const thread = await this.rt.threadForWrite(id);
        // Checked again under the lock: it may have been updated or deleted since it was listed.
        if (!thread) return false;
        const expired =
          reason === 'EXPIRED'
            ? !!thread.expiresAt && Date.parse(thread.expiresAt) <= now
            : thread.archived && Date.parse(thread.updatedAt) < now - days! * DAY_MS;
        if (!expired) return false;
        await purgeThread(this.rt, thread, reason);
        return true;
      });
      if (done) purged++;
    }
    return purged;
  }
}
