import { Worker } from 'bullmq';
import { isDatabaseUnavailable } from '@jixiao/persistence';
import { errorMessage, type MessagingLogger } from '../logger';

export interface DatabaseHoldBackOptions {
  /** How the log names the queue (`inbox scoring-inbox`). */
  label: string;
  /** How long the queue is held back before its jobs are tried again. */
  retryMs: number;
  logger: MessagingLogger;
  /** Holds the whole queue back for that long (BullMQ's `Queue.rateLimit`), for every worker that consumes it. */
  rateLimit(ms: number): Promise<void>;
}

/**
 * A BullMQ processor's guard against an outage of its database: a job whose work failed because the database did not
 * answer goes back to waiting with the attempts it had (BullMQ's manual rate limit: `RateLimitError`), and the queue
 * is held back for `retryMs` before the next try. An outage of any length therefore spends none of a job's retries,
 * which are for failures of the work itself. The outage is logged once when it starts and once when it ends.
 */
export class DatabaseHoldBack {
  private since: number | null = null;

  constructor(private readonly options: DatabaseHoldBackOptions) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      if (this.since === null) {
        this.since = Date.now();
        this.options.logger.warn(
          `${this.options.label}: the database does not answer (${errorMessage(err)}); its jobs wait and are tried again every ${this.options.retryMs} ms`,
        );
      }
      // with Redis away too the job cannot move anyway; BullMQ's worker reports that
      await this.options.rateLimit(this.options.retryMs).catch(() => undefined);
      throw Worker.RateLimitError();
    }
    if (this.since !== null) {
      const seconds = Math.round((Date.now() - this.since) / 1000);
      this.since = null;
      this.options.logger.log(`${this.options.label}: the database answers again after ${seconds} s; its jobs go on`);
    }
    return result;
  }
}
