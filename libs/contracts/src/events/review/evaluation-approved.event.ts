import { z } from 'zod';
import { CanonicalEvaluationSchema } from '../../evaluation/canonical-evaluation.schema';
import { FindingCodeSchema, RuleSetRefSchema, ScoreResultSchema } from '../../evaluation/score-result.schema';
import { ActorSchema, FormTypeSchema, IsoTimestampSchema, RegionCodeSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/**
 * An evaluation version was approved (by a reviewer, or automatically). Carries what a disclosure shows, so
 * publication never reads another service's tables.
 */
export const EvaluationApprovedV1Schema = z.object({
  evaluationId: z.string().min(1),
  submissionId: z.string().min(1),
  submissionVersion: z.number().int().min(1),
  region: RegionCodeSchema,
  fiscalYear: z.number().int().nullable(),
  formType: FormTypeSchema,
  unitName: z.string().nullable(),
  projectName: z.string().nullable(),
  score: z.object({
    resultId: z.string().min(1),
    ruleSet: RuleSetRefSchema,
    total: z.number().nullable(),
    grade: z.string().nullable(),
    executionRate: z.number().nullable(),
    /**
     * When scoring produced this result (optional: events written before it was added lack it). Publication keeps
     * it with the revision, so a re-scoring result older than the one published — chunks of two runs delivered out
     * of order — is recognised and left alone.
     */
    scoredAt: IsoTimestampSchema.optional(),
  }),
  automatic: z.boolean(),
  actor: ActorSchema,
  approvedAt: IsoTimestampSchema,
  /** The reviewer's comment on a manual approval. */
  comment: z.string().nullable().optional(),
  /** The version this one corrects (a resubmission after a return), so a disclosure can link its versions. */
  previousVersionId: z.string().nullable().optional(),
  /** Finding summary of the approved score (the table columns of a disclosure). */
  findings: z
    .object({
      counts: z.object({
        error: z.number().int().min(0),
        warning: z.number().int().min(0),
        info: z.number().int().min(0),
      }),
      codes: z.array(FindingCodeSchema),
    })
    .optional(),
  /** The full score result (per-indicator scores and explanations, findings) when review holds it: the breakdown to publish. */
  result: ScoreResultSchema.optional(),
  /** The canonical evaluation as submitted, when review holds it (absent if the score overtook the submission). */
  evaluation: CanonicalEvaluationSchema.optional(),
});

export const EvaluationApprovedV1 = defineEvent('review.evaluation.approved.v1', EvaluationApprovedV1Schema, {
  evaluationId: 'ev_01',
  submissionId: 'sub_01',
  submissionVersion: 1,
  region: '341522',
  fiscalYear: 2023,
  formType: 'project',
  unitName: '霍邱县农业农村局',
  projectName: '高标准农田建设项目',
  score: {
    resultId: 'res_01',
    ruleSet: { id: 'CN', version: 1, hash: `sha256:${'a'.repeat(64)}` },
    total: 92.5,
    grade: '优',
    executionRate: 0.98,
  },
  automatic: true,
  actor: { user: 'system', role: 'system' },
  approvedAt: '2024-03-01T08:00:02.000Z',
});
