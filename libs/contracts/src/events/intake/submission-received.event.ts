import { z } from 'zod';
import { CanonicalEvaluationSchema } from '../../evaluation/canonical-evaluation.schema';
import { ActorSchema, FormTypeSchema, IsoTimestampSchema, RegionCodeSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/** A unit submitted an evaluation (a first version, or a corrected version of a returned one). */
export const SubmissionReceivedV1Schema = z.object({
  submissionId: z.string().min(1),
  evaluationId: z.string().min(1),
  version: z.number().int().min(1),
  previousVersionId: z.string().nullable(),
  region: RegionCodeSchema,
  fiscalYear: z.number().int().nullable(),
  formType: FormTypeSchema,
  unitName: z.string().nullable(),
  projectName: z.string().nullable(),
  evaluation: CanonicalEvaluationSchema,
  actor: ActorSchema,
  receivedAt: IsoTimestampSchema,
});

export const SubmissionReceivedV1 = defineEvent('intake.submission.received.v1', SubmissionReceivedV1Schema, {
  submissionId: 'sub_01',
  evaluationId: 'ev_01',
  version: 1,
  previousVersionId: null,
  region: '341522',
  fiscalYear: 2023,
  formType: 'project',
  unitName: '霍邱县农业农村局',
  projectName: '高标准农田建设项目',
  evaluation: {
    formType: 'project',
    region: '341522',
    fiscalYear: 2023,
    projectName: '高标准农田建设项目',
    unitName: '霍邱县农业农村局',
    funds: { initialBudget: 100, adjustedBudget: 100, executed: 98, unit: '万元' },
    indicators: [
      { level1: '产出指标', level2: '数量指标', name: '建设面积', target: '≥1万亩', actual: '1.02万亩', weight: 10 },
    ],
  },
  actor: { user: 'u-huoqiu-1', role: 'submitter' },
  receivedAt: '2024-03-01T08:00:00.000Z',
});
