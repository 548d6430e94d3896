import type { EntityManager } from 'typeorm';
import type { EventPayload } from '@jixiao/contracts';

export type ReceivedSubmission = EventPayload<'intake.submission.received.v1'>;

/**
 * Score evaluation versions and write results, audit records and scored events with set-based SQL, inside the
 * caller's transaction (the inbox's, so the event is marked processed with the same commit). Built for batches:
 * issue 5's re-scoring chunks use the same command.
 */
export class ScoreEvaluations {
  constructor(
    readonly submissions: readonly ReceivedSubmission[],
    readonly manager: EntityManager,
    readonly options: {
      rescoringRunId?: string | null;
      correlationId?: string | null;
      /** Per evaluation, when the submissions came from events with different correlation ids (an inbox batch). */
      correlationIds?: ReadonlyMap<string, string | null>;
    } = {},
  ) {}
}

export interface ScoreEvaluationsResult {
  /** Results written now (a repeated scoring writes none). */
  written: Array<{ evaluationId: string; resultId: string; total: number | null; grade: string | null }>;
  /** Evaluations that already had a result under the same effective rule set. */
  skipped: string[];
}
