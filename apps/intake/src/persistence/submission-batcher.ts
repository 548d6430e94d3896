import type { DataSource } from 'typeorm';
import { withTransaction } from '@jixiao/persistence';
import { writeSubmissionPlans, type PlanPart } from './submission-store';

interface Pending {
  part: PlanPart;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Evaluations written per transaction at most (set-based inserts stay far below the bind-parameter limits). */
const MAX_EVALUATIONS_PER_TRANSACTION = 2_000;

/**
 * Group commit for new submissions. Every transaction appends to the audit chain, whose head row stays locked
 * until COMMIT, so transactions of separate requests run one after another; instead, requests that arrive while a
 * transaction is in flight wait and are written together in the next one (no timer: a lone request goes at once).
 * Each request still gets its own outcome: if a shared transaction fails, its requests are retried one by one.
 */
export class SubmissionBatcher {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  write(part: PlanPart): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ part, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves when every request handed over so far is written (or failed): call before closing the database. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.take();
      try {
        await withTransaction(this.dataSource, (m) =>
          writeSubmissionPlans(
            m,
            batch.map((p) => p.part),
          ),
        );
        batch.forEach((p) => p.resolve());
      } catch (err) {
        if (batch.length === 1) batch[0].reject(err);
        else await this.oneByOne(batch);
      }
    }
    // synchronously with seeing the queue empty: a request arriving after this starts a new drain
    this.running = null;
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let evaluations = 0;
    while (this.queue.length > 0) {
      const size = this.queue[0].part.plan.versions.length;
      if (batch.length > 0 && evaluations + size > MAX_EVALUATIONS_PER_TRANSACTION) break;
      batch.push(this.queue.shift()!);
      evaluations += size;
    }
    return batch;
  }

  private async oneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) {
      try {
        await withTransaction(this.dataSource, (m) => writeSubmissionPlans(m, [p.part]));
        p.resolve();
      } catch (err) {
        p.reject(err);
      }
    }
  }
}
