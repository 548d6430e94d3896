import { z } from 'zod';
import { FindingCodeSchema, FindingSeveritySchema } from '../../evaluation/score-result.schema';
import { ActorSchema, IsoTimestampSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/** A finding of the returned version's score the reviewer named as something the unit must correct. */
export const FlaggedFindingSchema = z.object({
  /** `CODE` or `CODE|subject`: what a later version's findings are matched by. */
  key: z.string().min(1),
  code: FindingCodeSchema,
  severity: FindingSeveritySchema,
  subject: z.string().nullable(),
  message: z.string(),
});
export type FlaggedFinding = z.infer<typeof FlaggedFindingSchema>;

/**
 * A reviewer returned an evaluation version to its unit, with a reason and the findings of its score the reviewer
 * named (`findings`, optional: none named, or an event from before they could be); the unit may submit a corrected
 * version.
 */
export const EvaluationReturnedV1Schema = z.object({
  evaluationId: z.string().min(1),
  submissionId: z.string().min(1),
  submissionVersion: z.number().int().min(1),
  reason: z.string().min(1),
  findings: z.array(FlaggedFindingSchema).optional(),
  actor: ActorSchema,
  returnedAt: IsoTimestampSchema,
});

export const EvaluationReturnedV1 = defineEvent('review.evaluation.returned.v1', EvaluationReturnedV1Schema, {
  evaluationId: 'ev_03',
  submissionId: 'sub_03',
  submissionVersion: 1,
  reason: '执行率与预算执行数不一致，请核实后重新提交',
  findings: [
    {
      key: 'EXECUTION_RATE_MISMATCH',
      code: 'EXECUTION_RATE_MISMATCH',
      severity: 'error',
      subject: null,
      message: '填报执行率 97% 与按金额计算的 97.09%（545.06 / 561.41）不一致',
    },
  ],
  actor: { user: 'reviewer-130126', role: 'reviewer' },
  returnedAt: '2024-03-02T09:30:00.000Z',
});
