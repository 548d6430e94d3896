import { z } from 'zod';

/** What the scoring engine returns for one evaluation (and what the scoring service stores and emits). */

export const FindingSeveritySchema = z.enum(['error', 'warning', 'info']);

export const FindingCodeSchema = z.enum([
  'REPORTED_TOTAL_MISMATCH',
  'SCORE_DIFFERS_FROM_RULE',
  'SCORE_EXCEEDS_WEIGHT',
  'SCORE_OUTSIDE_TIER',
  'WEIGHTS_NOT_100',
  'SECTION_WEIGHT_MISMATCH',
  'EXECUTION_RATE_MISMATCH',
  'EXECUTED_EXCEEDS_BUDGET',
  'SUM_MISMATCH',
  'MISSING_DEVIATION_REASON',
  'GRADE_MISMATCH',
  'UNIT_MISMATCH',
  'NON_NUMERIC_ACTUAL',
  'ACTUAL_IS_THRESHOLD',
  'INCOMPLETE_FORM',
  'NOT_SCORABLE',
]);
export type FindingCode = z.infer<typeof FindingCodeSchema>;

export const FindingSchema = z.object({
  code: FindingCodeSchema,
  severity: FindingSeveritySchema,
  subject: z.string().nullable(),
  expected: z.union([z.number(), z.string()]).nullable().optional(),
  reported: z.union([z.number(), z.string()]).nullable().optional(),
  message: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const RuleSetRefSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
});
export type RuleSetRef = z.infer<typeof RuleSetRefSchema>;

export const IndicatorResultSchema = z.object({
  name: z.string(),
  level1: z.string().nullable(),
  level2: z.string().nullable(),
  section: z.string().nullable(),
  weight: z.number().nullable(),
  reportedScore: z.number().nullable(),
  /** null when the row could not be scored (see findings) or is not applicable. */
  score: z.number().nullable(),
  /** e.g. quantitative-positive, quantitative-reverse, qualitative, date, not-applicable, not-scorable */
  method: z.string(),
  parsed: z
    .object({
      comparator: z.string().nullable(),
      target: z.number().nullable(),
      actual: z.number().nullable(),
      unit: z.string().nullable(),
      tier: z.string().nullable().optional(),
    })
    .optional(),
  /** Chinese, with the numbers. Omitted when explanations are turned off (bulk re-scoring). */
  explanation: z.string().optional(),
});
export type IndicatorResult = z.infer<typeof IndicatorResultSchema>;

export const ScoreResultSchema = z.object({
  projectName: z.string().nullable(),
  unitName: z.string().nullable(),
  formType: z.enum(['project', 'department']),
  region: z.object({ code: z.string(), name: z.string() }),
  fiscalYear: z.number().int().nullable(),
  ruleSet: RuleSetRefSchema,
  reported: z.object({ total: z.number().nullable(), grade: z.string().nullable(), executionScore: z.number().nullable() }),
  computed: z.object({
    total: z.number().nullable(),
    grade: z.string().nullable(),
    execution: z.object({
      rate: z.number().nullable(),
      score: z.number().nullable(),
      weight: z.number(),
      method: z.string(),
      explanation: z.string().optional(),
    }),
    sections: z.array(
      z.object({ key: z.string(), label: z.string(), weight: z.number(), rowWeight: z.number(), score: z.number() }),
    ),
    indicators: z.array(IndicatorResultSchema),
  }),
  findings: z.array(FindingSchema),
  routing: z.object({ decision: z.enum(['auto-approve', 'manual-review']), reasons: z.array(z.string()) }),
});
export type ScoreResult = z.infer<typeof ScoreResultSchema>;
