import { z } from 'zod';
import { IsoTimestampSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/** Review decided, from a score, whether the evaluation is auto-approved or held for a reviewer. */
export const EvaluationRoutedV1Schema = z.object({
  evaluationId: z.string().min(1),
  submissionVersion: z.number().int().min(1),
  decision: z.enum(['auto-approved', 'in-review']),
  reasons: z.array(z.string()),
  /** The scoring result that triggered the routing. */
  resultId: z.string().min(1),
  routedAt: IsoTimestampSchema,
});

export const EvaluationRoutedV1 = defineEvent('review.evaluation.routed.v1', EvaluationRoutedV1Schema, {
  evaluationId: 'ev_02',
  submissionVersion: 1,
  decision: 'in-review',
  reasons: ['EXECUTION_RATE_MISMATCH: 执行率与填报不一致'],
  resultId: 'res_02',
  routedAt: '2024-03-01T08:00:02.000Z',
});
