import { z } from 'zod';

/**
 * The canonical evaluation: what intake sends to scoring. Field names are fixed by the scoring-core issue;
 * every field but `formType` may be missing because real forms are incomplete. `target` and `actual` keep
 * the strings people wrote: interpreting them is the scoring engine's job, by the region's rules.
 */

/** Where an extracted figure came from, so a reviewer can be shown its source. */
export const SourceRefSchema = z.object({
  line: z.number().int().min(1),
  cell: z.number().int().min(0).optional(),
  column: z.string().optional(),
  sheet: z.string().optional(),
  text: z.string().optional(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

const amount = z.number().finite().nullable().optional();
const text = z.string().nullable().optional();
const sources = z.record(z.string(), SourceRefSchema).optional();

export const FundsSchema = z.object({
  initialBudget: amount,
  adjustedBudget: amount,
  executed: amount,
  unit: z.string().optional(),
  weight: amount,
  reportedRate: text,
  reportedScore: amount,
  sources,
});
export type Funds = z.infer<typeof FundsSchema>;

export const IndicatorSchema = z.object({
  level1: text,
  level2: text,
  name: z.string(),
  target: text,
  actual: text,
  /** 度量单位 column when the form has one (may be 定性指标). */
  unit: text,
  weight: amount,
  reportedScore: amount,
  deviationReason: text,
  sources,
});
export type Indicator = z.infer<typeof IndicatorSchema>;

/** A project line of a department narrative report (the 灵寿 layout). */
export const ProjectLineSchema = z.object({
  name: z.string(),
  budget: amount,
  executed: amount,
  reportedRate: text,
  reportedScore: amount,
  sources,
});
export type ProjectLine = z.infer<typeof ProjectLineSchema>;

/** A first-level section as the form itself declares it: "产出指标 (50分)" or a row of a summary table. */
export const ReportedSectionSchema = z.object({
  name: z.string(),
  weight: amount,
  score: amount,
});

export const ReportedSchema = z.object({
  total: amount,
  grade: text,
  /** Declared section weights/scores (headers like "产出指标 (50分)", or the 金水 summary table). */
  sections: z.array(ReportedSectionSchema).optional(),
  /** The summary table's 合计 row, when the form has one. */
  sectionsTotal: z.object({ weight: amount, score: amount }).optional(),
  /** Department narrative: the stated total spending of all projects ("涉及资金 583.79577 万元"). */
  projectsExecutedTotal: amount,
  sources,
});

export const CanonicalEvaluationSchema = z.object({
  formType: z.enum(['project', 'department']),
  region: z
    .string()
    .regex(/^(CN|\d{6})$/, 'region must be a 6-digit administrative division code or CN')
    .nullable()
    .optional(),
  fiscalYear: z.number().int().min(1990).max(2100).nullable().optional(),
  projectName: text,
  unitName: text,
  /** 主管部门 */
  department: text,
  goals: z.object({ expected: text, achieved: text }).optional(),
  funds: FundsSchema.optional(),
  indicators: z.array(IndicatorSchema).optional(),
  projects: z.array(ProjectLineSchema).optional(),
  reported: ReportedSchema.optional(),
  /**
   * Set by a document parser when the source was cut off or parts could not be read: the engine turns
   * it into an INCOMPLETE_FORM finding naming what is missing.
   */
  incomplete: z.object({ missing: z.array(z.string()).min(1) }).optional(),
  /** Where the evaluation came from (file name, format, which form of the document). */
  source: z
    .object({ document: z.string().optional(), format: z.string().optional(), formIndex: z.number().int().optional() })
    .optional(),
});
export type CanonicalEvaluation = z.infer<typeof CanonicalEvaluationSchema>;

/** A file holds one evaluation or `{ "evaluations": [ … ] }`. */
export const EvaluationFileSchema = z.union([
  z.object({ evaluations: z.array(CanonicalEvaluationSchema).min(1) }),
  CanonicalEvaluationSchema,
]);
