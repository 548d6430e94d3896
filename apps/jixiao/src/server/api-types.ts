import { z } from 'zod';
import { CHANGE_KINDS } from '@jixiao/scoring';

/**
 * The answers of the scoring service's rule-set and re-scoring endpoints, as the CLI reads them. Objects are not
 * strict: a member the server adds later does not break an older CLI.
 */

const YearsSchema = z.object({ from: z.number().int().nullable(), to: z.number().int().nullable() });
export type Years = z.infer<typeof YearsSchema>;

export const RuleVersionSchema = z.object({
  version: z.number().int(),
  status: z.enum(['draft', 'active', 'retired']),
  hash: z.string(),
  origin: z.enum(['file', 'api']),
  activeYears: YearsSchema.nullable(),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  activatedAt: z.string().nullable(),
  activatedBy: z.string().nullable(),
  reason: z.string().nullable(),
});
export type RuleVersion = z.infer<typeof RuleVersionSchema>;

export const RuleSetChangeSchema = z.object({
  kind: z.enum(CHANGE_KINDS),
  path: z.string(),
  summary: z.string(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});

export const DiffSchema = z.object({
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  changes: z.array(RuleSetChangeSchema),
  text: z.string(),
  affected: z.array(z.object({ id: z.string(), changes: z.array(RuleSetChangeSchema) })),
});
export type DiffAnswer = z.infer<typeof DiffSchema>;

export const UploadedSchema = z.object({ version: z.number().int(), status: z.literal('draft'), hash: z.string() });
export const RunStartedSchema = z.object({ runId: z.string() });
export const ActivationSchema = z.object({ version: z.number().int(), runId: z.string() });

const num = z.number().nullable();

export const ImpactReportSchema = z.object({
  rescored: z.number(),
  unchanged: z.number(),
  transitions: z.array(z.object({ from: z.string().nullable(), to: z.string().nullable(), count: z.number() })),
  totalDelta: z.object({
    min: num,
    max: num,
    mean: num,
    buckets: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
  }),
  changed: z.array(
    z.object({
      evaluationId: z.string(),
      region: z.string(),
      fiscalYear: z.number().nullable(),
      unit: z.string().nullable(),
      project: z.string().nullable(),
      oldTotal: num,
      newTotal: num,
      oldGrade: z.string().nullable(),
      newGrade: z.string().nullable(),
      oldRouting: z.string().nullable(),
      newRouting: z.string().nullable(),
    }),
  ),
  changedTruncated: z.boolean(),
});
export type ImpactReport = z.infer<typeof ImpactReportSchema>;

export const RUN_STATUSES = ['planning', 'running', 'cancelled', 'completed', 'failed'] as const;
export const FINISHED: readonly string[] = ['cancelled', 'completed', 'failed'];

export const RunSchema = z.object({
  id: z.string(),
  kind: z.enum(['activation', 'impact']),
  ruleSet: z.object({ id: z.string(), version: z.number().int() }),
  status: z.enum(RUN_STATUSES),
  total: num,
  done: z.number(),
  rescored: z.number(),
  changed: z.number(),
  chunks: z.object({ total: num, done: z.number() }),
  ratePerSecond: num,
  etaSeconds: num,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  report: ImpactReportSchema.nullable(),
});
export type Run = z.infer<typeof RunSchema>;

export const RunListSchema = z.object({ items: z.array(RunSchema) });

/** A 422's issues: where in the uploaded text, as the loader names them. */
export const IssueSchema = z.object({
  file: z.string(),
  path: z.string(),
  line: z.number().optional(),
  column: z.number().optional(),
  message: z.string(),
});
export type ApiIssue = z.infer<typeof IssueSchema>;
