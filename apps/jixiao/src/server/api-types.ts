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

/**
 * The review service's evaluations, as `jixiao review` reads them: the figures it shows are checked, the rest passes
 * through as the server sent it (`--json`).
 */
const FindingCountsSchema = z.object({ error: z.number(), warning: z.number(), info: z.number() });
const RoutingSchema = z.object({ decision: z.string(), reasons: z.array(z.string()) });

export const EvaluationSummarySchema = z
  .object({
    evaluationId: z.string(),
    version: z.number().int(),
    region: z.string(),
    fiscalYear: z.number().int().nullable(),
    formType: z.string(),
    unitName: z.string().nullable(),
    projectName: z.string().nullable(),
    state: z.string(),
    total: z.number().nullable(),
    grade: z.string().nullable(),
    executionRate: z.number().nullable(),
    findingCounts: FindingCountsSchema.nullable(),
    routing: RoutingSchema.nullable(),
    /** Who works on it now (servers before holds send none). */
    hold: z.object({ by: z.string(), until: z.string() }).nullable().optional(),
    updatedAt: z.string().nullable().optional(),
  })
  .loose();
export type EvaluationSummary = z.infer<typeof EvaluationSummarySchema>;

/** `GET /evaluations/progress`: the current versions by state and by grade. */
const FiguresSchema = z.object({
  total: z.number().int(),
  byState: z.record(z.string(), z.number().int()),
  byGrade: z.array(z.object({ grade: z.string().nullable(), count: z.number().int() })),
  averageTotal: z.number().nullable().optional(),
  averageExecutionRate: z.number().nullable().optional(),
});

export const ProgressSchema = FiguresSchema.extend({
  region: z.string().nullable(),
  fiscalYear: z.number().int().nullable(),
  /** With `by=region`: each region's own figures. */
  regions: z.array(FiguresSchema.extend({ region: z.string() })).optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

const UnitStandingSchema = z.object({
  unitName: z.string().nullable(),
  evaluations: z.number().int(),
  byState: z.record(z.string(), z.number().int()),
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
  late: z.boolean(),
});

/** `GET /rosters/:region/:year`: the roster of units expected to submit, who has and who has not. */
export const RosterSchema = z
  .object({
    region: z.string(),
    fiscalYear: z.number().int(),
    setAt: z.string().nullable(),
    setBy: z.string().nullable(),
    expected: z.number().int(),
    submitted: z.number().int(),
    deadline: z.string().nullable(),
    overdue: z.boolean(),
    late: z.number().int(),
    units: z.array(UnitStandingSchema),
    missing: z.array(z.string()),
    unlisted: z.array(UnitStandingSchema),
  })
  .loose();
export type Roster = z.infer<typeof RosterSchema>;

/** `GET /rosters?region=&year=`: the rosters set under a region, a line each. */
export const RosterOverviewSchema = z.object({
  region: z.string(),
  fiscalYear: z.number().int(),
  rosters: z.array(
    z.object({
      region: z.string(),
      deadline: z.string().nullable(),
      overdue: z.boolean(),
      expected: z.number().int(),
      submitted: z.number().int(),
      missing: z.number().int(),
      late: z.number().int(),
    }),
  ),
});
export type RosterOverview = z.infer<typeof RosterOverviewSchema>;

export const EvaluationPageSchema = z.object({
  items: z.array(EvaluationSummarySchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type EvaluationPage = z.infer<typeof EvaluationPageSchema>;

const ScoredIndicatorSchema = z.object({
  name: z.string(),
  weight: z.number().nullable(),
  reportedScore: z.number().nullable(),
  score: z.number().nullable(),
  method: z.string().optional(),
  explanation: z.string().nullable().optional(),
});

const FieldChangeSchema = z.object({
  label: z.string(),
  from: z.union([z.string(), z.number()]).nullable(),
  to: z.union([z.string(), z.number()]).nullable(),
});

/** A corrected version: what it changed against the version it corrects (servers before this field send none). */
const VersionChangesSchema = z.object({
  previousVersionId: z.string(),
  previousVersion: z.number().int(),
  form: z.array(FieldChangeSchema),
  indicators: z.array(
    z.object({ kind: z.enum(['added', 'removed', 'changed']), name: z.string(), changes: z.array(FieldChangeSchema) }),
  ),
  projects: z.array(
    z.object({ kind: z.enum(['added', 'removed', 'changed']), name: z.string(), changes: z.array(FieldChangeSchema) }),
  ),
  score: z.array(FieldChangeSchema),
  otherChanges: z.boolean().optional(),
  unchanged: z.boolean(),
});
export type VersionChanges = z.infer<typeof VersionChangesSchema>;

const FlaggedFindingSchema = z
  .object({ key: z.string(), severity: z.string(), subject: z.string().nullable(), message: z.string() })
  .loose();
const ReturnSchema = z
  .object({
    at: z.string(),
    actor: z.object({ user: z.string() }).loose(),
    reason: z.string().nullable(),
    findings: z.array(FlaggedFindingSchema),
  })
  .loose();

export const EvaluationDetailSchema = EvaluationSummarySchema.extend({
  previousVersionId: z.string().nullable(),
  changesFromPrevious: VersionChangesSchema.nullable().optional(),
  /** The findings the reviewer named with this version's return; servers before them send none. */
  lastReturn: ReturnSchema.nullable().optional(),
  /** A corrected version: the return it answers, each named finding resolved, remaining or unknown. */
  previousReturn: ReturnSchema.extend({
    evaluationId: z.string(),
    findings: z.array(
      FlaggedFindingSchema.extend({ status: z.enum(['resolved', 'remaining', 'unknown']), now: z.string().nullable() }),
    ),
  })
    .nullable()
    .optional(),
  revision: z.number().int(),
  lastReason: z.string().nullable().optional(),
  publicPath: z.string().nullable().optional(),
  score: z
    .object({
      ruleSet: z.object({ id: z.string(), version: z.number().int(), hash: z.string() }),
      total: z.number().nullable(),
      grade: z.string().nullable(),
      breakdown: z
        .object({
          reported: z.object({
            total: z.number().nullable(),
            grade: z.string().nullable(),
            executionScore: z.number().nullable(),
          }),
          execution: z.object({
            rate: z.number().nullable(),
            score: z.number().nullable(),
            weight: z.number().nullable(),
            explanation: z.string().nullable().optional(),
          }),
          indicators: z.array(ScoredIndicatorSchema),
          findings: z.array(
            z.object({
              /** What `review return --finding` names it by (servers before it send none). */
              key: z.string().optional(),
              code: z.string(),
              severity: z.string(),
              subject: z.string().nullable().optional(),
              message: z.string(),
            }),
          ),
        })
        .nullable()
        .optional(),
    })
    .loose()
    .nullable(),
}).loose();
export type EvaluationDetail = z.infer<typeof EvaluationDetailSchema>;

/** `POST /evaluations/next`: the evaluation taken, held for the reviewer, or null when none is left. */
export const TakenSchema = z.object({
  taken: z.object({ evaluationId: z.string(), heldBy: z.string(), heldUntil: z.string() }).nullable(),
});

export const DecisionSchema = z.object({ evaluationId: z.string(), state: z.string(), revision: z.number().int() });
export type Decision = z.infer<typeof DecisionSchema>;

/** Intake's answer to `POST /documents`. */
export const UploadedDocumentSchema = z
  .object({
    evaluationIds: z.array(z.string()),
    submissionIds: z.array(z.string()),
    versions: z.array(
      z
        .object({ evaluationId: z.string(), version: z.number().int(), previousVersionId: z.string().nullable() })
        .loose(),
    ),
    region: z.string().nullable(),
    diagnostics: z.array(
      z.object({ level: z.string(), message: z.string(), line: z.number(), sheet: z.string().optional() }).loose(),
    ),
  })
  .loose();
export type UploadedDocument = z.infer<typeof UploadedDocumentSchema>;

/** Review's `GET /evaluations/:id/history`: the evaluation's trail, oldest first. */
export const EvaluationHistorySchema = z
  .object({
    evaluationId: z.string(),
    state: z.string(),
    items: z.array(
      z
        .object({
          at: z.string(),
          actor: z.object({ user: z.string(), role: z.string() }).loose(),
          action: z.string(),
          fromState: z.string().nullable(),
          toState: z.string().nullable(),
          reason: z.string().nullable(),
          source: z.string().optional(),
        })
        .loose(),
    ),
  })
  .loose();
export type EvaluationHistory = z.infer<typeof EvaluationHistorySchema>;

/** What publication published: a disclosure as `GET /disclosures` lists it. */
export const DisclosureRowSchema = z
  .object({
    evaluationId: z.string(),
    region: z.string(),
    regionName: z.string().nullable(),
    fiscalYear: z.number().int().nullable(),
    unitName: z.string().nullable(),
    projectName: z.string().nullable(),
    revision: z.number().int(),
    status: z.enum(['published', 'retracted']),
    total: z.number().nullable(),
    grade: z.string().nullable(),
    executionRate: z.number().nullable(),
    firstPublishedAt: z.string(),
    publishedAt: z.string(),
    retractedAt: z.string().nullable(),
    retractionReason: z.string().nullable(),
    underReviewRunId: z.string().nullable(),
  })
  .loose();
export type DisclosureRow = z.infer<typeof DisclosureRowSchema>;

export const DisclosureListSchema = z.object({
  items: z.array(DisclosureRowSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  counts: z.object({
    total: z.number().int(),
    published: z.number().int(),
    retracted: z.number().int(),
    revised: z.number().int(),
    underReview: z.number().int(),
  }),
});
export type DisclosureList = z.infer<typeof DisclosureListSchema>;

export const StaffDisclosureSchema = z.object({
  disclosure: DisclosureRowSchema,
  revisions: z.array(
    z
      .object({
        revision: z.number().int(),
        total: z.number().nullable(),
        grade: z.string().nullable(),
        executionRate: z.number().nullable(),
        ruleSet: z.object({ id: z.string(), version: z.number().int() }).loose(),
        reason: z.string().nullable(),
        automatic: z.boolean(),
        publishedAt: z.string(),
        rescoringRunId: z.string().nullable(),
      })
      .loose(),
  ),
  retractedBy: z.string().nullable(),
  replacedBy: z.string().nullable().optional(),
});
export type StaffDisclosure = z.infer<typeof StaffDisclosureSchema>;
