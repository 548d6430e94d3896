import { z } from 'zod';
import { ActorSchema, IsoTimestampSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/** A published disclosure was retracted; its history stays visible. */
export const EvaluationRetractedV1Schema = z.object({
  evaluationId: z.string().min(1),
  disclosureId: z.string().min(1),
  reason: z.string().min(1),
  actor: ActorSchema,
  retractedAt: IsoTimestampSchema,
});

export const EvaluationRetractedV1 = defineEvent('publication.evaluation.retracted.v1', EvaluationRetractedV1Schema, {
  evaluationId: 'ev_01',
  disclosureId: 'disc_01',
  reason: '重新评分后等级变化，待复核',
  actor: { user: 'system', role: 'system' },
  retractedAt: '2024-04-01T00:05:00.000Z',
});
