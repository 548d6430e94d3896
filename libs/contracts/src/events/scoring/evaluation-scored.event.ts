import { z } from 'zod';
import { FindingCodeSchema, RuleSetRefSchema, ScoreResultSchema } from '../../evaluation/score-result.schema';
import { FormTypeSchema, IsoTimestampSchema, RegionCodeSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/**
 * An evaluation version was scored (on submission, or by a bulk re-scoring run). Carries what review needs to route
 * and list; the full per-indicator breakdown is recomputable from the evaluation and the effective rules it cites.
 */
export const EvaluationScoredV1Schema = z.object({
  evaluationId: z.string().min(1),
  submissionId: z.string().min(1),
  submissionVersion: z.number().int().min(1),
  region: RegionCodeSchema,
  fiscalYear: z.number().int().nullable(),
  formType: FormTypeSchema,
  resultId: z.string().min(1),
  ruleSet: RuleSetRefSchema,
  total: z.number().nullable(),
  grade: z.string().nullable(),
  execution: z.object({ rate: z.number().nullable(), score: z.number().nullable() }),
  findingCounts: z.object({
    error: z.number().int().min(0),
    warning: z.number().int().min(0),
    info: z.number().int().min(0),
  }),
  findingCodes: z.array(FindingCodeSchema),
  routing: z.object({ decision: z.enum(['auto-approve', 'manual-review']), reasons: z.array(z.string()) }),
  scoredAt: IsoTimestampSchema,
  /** Set when the score comes from a bulk re-scoring run, null for a score on submission. */
  rescoringRunId: z.string().nullable(),
  /**
   * The full result (per-indicator scores with explanations, findings). Scoring leaves it out (it was ~6 KB of every
   * event, ~10 KB of a re-scoring item): the consumer recomputes it from the evaluation and the rules `ruleSet` cites,
   * which scoring sends beforehand as `scoring.ruleset.snapshot.v1`. Review fills it in where it passes scores on
   * (`review.evaluations.reopened.v1`).
   */
  result: ScoreResultSchema.optional(),
});

export const EvaluationScoredV1 = defineEvent('scoring.evaluation.scored.v1', EvaluationScoredV1Schema, {
  evaluationId: 'ev_01',
  submissionId: 'sub_01',
  submissionVersion: 1,
  region: '341522',
  fiscalYear: 2023,
  formType: 'project',
  resultId: 'res_01',
  ruleSet: { id: 'CN', version: 1, hash: `sha256:${'a'.repeat(64)}` },
  total: 92.5,
  grade: '优',
  execution: { rate: 0.98, score: 9.8 },
  findingCounts: { error: 0, warning: 1, info: 0 },
  findingCodes: ['MISSING_DEVIATION_REASON'],
  routing: { decision: 'auto-approve', reasons: [] },
  scoredAt: '2024-03-01T08:00:01.000Z',
  rescoringRunId: null,
});
