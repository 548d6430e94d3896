import { z } from 'zod';
import { IsoTimestampSchema, RegionCodeSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/** A disclosure of an evaluation was published (revision 1) or revised after a re-scoring (revision > 1). */
export const EvaluationPublishedV1Schema = z.object({
  evaluationId: z.string().min(1),
  submissionVersion: z.number().int().min(1),
  disclosureId: z.string().min(1),
  revision: z.number().int().min(1),
  region: RegionCodeSchema,
  fiscalYear: z.number().int().nullable(),
  /** Path of the public page, e.g. `/public/evaluations/ev_01`. */
  path: z.string().min(1),
  publishedAt: IsoTimestampSchema,
});

export const EvaluationPublishedV1 = defineEvent('publication.evaluation.published.v1', EvaluationPublishedV1Schema, {
  evaluationId: 'ev_01',
  submissionVersion: 1,
  disclosureId: 'disc_01',
  revision: 1,
  region: '341522',
  fiscalYear: 2023,
  path: '/public/evaluations/ev_01',
  publishedAt: '2024-03-01T08:00:03.000Z',
});
