import { z } from 'zod';
import { ActorSchema, IsoTimestampSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/** A reviewer returned an evaluation version to its unit, with a reason; the unit may submit a corrected version. */
export const EvaluationReturnedV1Schema = z.object({
  evaluationId: z.string().min(1),
  submissionId: z.string().min(1),
  submissionVersion: z.number().int().min(1),
  reason: z.string().min(1),
  actor: ActorSchema,
  returnedAt: IsoTimestampSchema,
});

export const EvaluationReturnedV1 = defineEvent('review.evaluation.returned.v1', EvaluationReturnedV1Schema, {
  evaluationId: 'ev_03',
  submissionId: 'sub_03',
  submissionVersion: 1,
  reason: '执行率与预算执行数不一致，请核实后重新提交',
  actor: { user: 'reviewer-130126', role: 'reviewer' },
  returnedAt: '2024-03-02T09:30:00.000Z',
});
