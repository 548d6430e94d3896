import { z } from 'zod';
import { defineEvent } from '../define-event';
import { EvaluationScoredV1, EvaluationScoredV1Schema } from '../scoring/evaluation-scored.event';

/**
 * Evaluations review had approved or published that a chunk of a re-scoring run changed (total, grade or routing),
 * sent back to a reviewer: each with its new score, and `result` (the breakdown with explanations) when review could
 * recompute it from the evaluation and the rules the score cites. Publication revises what it published of them
 * (marked under review) and ignores the rest; the reviewer's next approval publishes as any approval does.
 *
 * Review sends it, not scoring, because review knows which evaluations were approved and sends its approvals and
 * these through the same outbox in the order it decided them: an approval in flight when a run changes its score
 * reaches publication before the revision does.
 */
export const EvaluationsReopenedV1Schema = z.object({
  runId: z.string().min(1),
  /** The chunk of the run that changed them (a run's chunk is recorded once, so this identifies the event). */
  chunk: z.number().int().min(0),
  /** The rule-set version whose activation started the run. */
  activated: z.object({ ruleSetId: z.string(), version: z.number().int().min(1) }),
  items: z.array(EvaluationScoredV1Schema).min(1),
});

export const EvaluationsReopenedV1 = defineEvent('review.evaluations.reopened.v1', EvaluationsReopenedV1Schema, {
  runId: 'run_01',
  chunk: 0,
  activated: { ruleSetId: '130126', version: 2 },
  items: [
    {
      ...EvaluationScoredV1.example,
      region: '130126',
      ruleSet: { id: '130126', version: 2, hash: `sha256:${'b'.repeat(64)}` },
      total: 87,
      grade: '良好',
      scoredAt: '2024-04-01T00:00:05.000Z',
      rescoringRunId: 'run_01',
    },
  ],
});
