import { Worker } from 'bullmq';
import { isDatabaseUnavailable } from '@jixiao/persistence';
import { errorMessage, type MessagingLogger } from '../logger';

export interface DatabaseHoldBackOptions {
  /** How the log names the queue (`inbox scoring-inbox`). */
  label: string;
  /** The longest the queue is held back before its jobs are tried again. */
  retryMs: number;
  logger: MessagingLogger;
  /** Holds the whole queue back for that long (BullMQ's `Queue.rateLimit`), for every worker that consumes it. */
  rateLimit(ms: number): Promise<void>;
}

/**
 * A BullMQ processor's guard against an outage of its database: a job whose work failed because the database did not
 * answer goes back to waiting with the attempts it had (BullMQ's manual rate limit: `RateLimitError`), and the queue
 * is held back before the next try: as long as the outage has lasted so far, from half a second up to `retryMs`, so
 * that a blip (one connection lost) costs a short pause and a long outage a try every `retryMs`. An outage of any
 * length therefore spends none of a job's retries, which are for failures of the work itself. The outage is logged
 * once when it starts and once when it ends.
 */
/** The first hold of an outage (a blip): the longer it lasts, the longer the holds, up to `retryMs`. */
const FIRST_HOLD_MS = 500;

export class DatabaseHoldBack {
  private since: number | null = null;

  constructor(private readonly options: DatabaseHoldBackOptions) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      const now = Date.now();
      if (this.since === null) {
        this.since = now;
        this.options.logger.warn(
          `${this.options.label}: the database does not answer (${errorMessage(err)}); its jobs wait and are tried again, every ${this.options.retryMs} ms at most`,
        );
      }
      const max = this.options.retryMs;
      const wait = Math.min(max, Math.max(Math.min(FIRST_HOLD_MS, max), now - this.since));
      // with Redis away too the job cannot move anyway; BullMQ's worker reports that
      await this.options.rateLimit(wait).catch(() => undefined);
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
