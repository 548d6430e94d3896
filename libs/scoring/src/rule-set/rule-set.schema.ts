import { z } from 'zod';

/**
 * The schema of a rule-set file under `rules/` (one region, a range of fiscal years).
 *
 * Formulas are parameters; grade bands, qualitative tiers, checks and review routing are json-rules-engine
 * rules (conditions on facts). A child rule set states only what differs from its parent (`extends`):
 * plain objects merge key by key, arrays replace wholesale, except `checks` and `routing`, which merge by
 * rule `name` (a child rule with a parent's name replaces it; `"disabled": true` removes it).
 *
 * `rules/schema.json` is generated from this file (a test fails when it is stale).
 */

// ---------------------------------------------------------------------------------------------------------
// json-rules-engine rules (the documented rule format: conditions all/any/not, fact/operator/value, event)

export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  // custom operators registered by Jixiao on every engine (and understood by the compiled evaluator):
  'containsAny', // fact is a string containing any of the strings in value
  'startsWithAny', // fact is a string starting with any of the strings in value
  'matches', // fact is a string matching the regular expression in value
] as const;
export const OperatorSchema = z.enum(OPERATORS);

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { fact: string; operator: (typeof OPERATORS)[number]; value: unknown; path?: string };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema) }),
    z.strictObject({ any: z.array(ConditionSchema) }),
    z.strictObject({ not: ConditionSchema }),
    z.strictObject({
      fact: z.string().min(1),
      operator: OperatorSchema,
      value: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]),
      /** Only the dotted form `$.a.b` (what the compiled evaluator supports). */
      path: z
        .string()
        .regex(/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a dotted path such as $.a.b')
        .optional()
        .describe('A property inside an object fact, dotted form: $.a.b'),
    }),
  ]),
);

/** json-rules-engine requires the top-level condition to be all/any/not. */
export const TopConditionSchema = z.union([
  z.strictObject({ all: z.array(ConditionSchema) }),
  z.strictObject({ any: z.array(ConditionSchema) }),
  z.strictObject({ not: ConditionSchema }),
]);

const ruleBase = {
  name: z.string().min(1).describe('Rule name; checks and routing rules merge with a parent rule of the same name'),
  /** json-rules-engine priority: higher runs first; for grades and tiers the first match wins. */
  priority: z.number().int().min(1).optional().describe('json-rules-engine priority: higher runs first (default 1)'),
  conditions: TopConditionSchema.describe('json-rules-engine conditions: all / any / not of {fact, operator, value}'),
};

/** Facts: `total` (the rounded total). Event: the grade label. */
export const GradeRuleSchema = z.strictObject({
  ...ruleBase,
  event: z.strictObject({ type: z.literal('grade'), params: z.strictObject({ grade: z.string().min(1) }) }),
});
export type GradeRule = z.infer<typeof GradeRuleSchema>;

const Fraction = z.number().min(0).max(1);

/**
 * A qualitative tier. Facts: `actual`, `target` (normalised text), `actualEqualsTarget` (boolean),
 * `reportedRatio` (reported score / weight, or null). `min`/`max` are fractions of the weight; `min` is
 * inclusive unless `minExclusive`, `max` is inclusive unless `maxExclusive` (national: 达成 [0.8, 1],
 * 部分达成 [0.6, 0.8) and 未达成 [0, 0.6): "80%(含)" belongs to the upper tier). `default` is the fraction used
 * when the form gives no score of its own (or when `qualitative.score` is `tier-default`).
 */
export const TierRuleSchema = z.strictObject({
  ...ruleBase,
  event: z.strictObject({
    type: z.literal('tier'),
    params: z.strictObject({
      tier: z.string().min(1),
      label: z.string().min(1),
      min: Fraction.describe('Lowest score of the tier, as a fraction of the weight (inclusive unless minExclusive)'),
      max: Fraction.describe('Highest score of the tier, as a fraction of the weight (inclusive unless maxExclusive)'),
      minExclusive: z.boolean().optional(),
      maxExclusive: z.boolean().optional(),
      default: Fraction.describe('Fraction of the weight given when the form has no score of its own'),
    }),
  }),
});
export type TierRule = z.infer<typeof TierRuleSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);

/**
 * A check produces a finding when its conditions hold. `scope` says what the facts describe (see FACTS).
 * The message is the engine's (Chinese, with the numbers); the rule decides whether and how severe.
 */
export const CheckRuleSchema = z.strictObject({
  ...ruleBase,
  disabled: z.boolean().optional(),
  scope: z
    .enum(['evaluation', 'indicator', 'section', 'project'])
    .describe('What the facts describe: the whole evaluation, one indicator row, one section or one project'),
  event: z.strictObject({
    type: z.literal('finding'),
    params: z.strictObject({ code: z.string().min(1), severity: SeveritySchema }),
  }),
});
export type CheckRule = z.infer<typeof CheckRuleSchema>;

/** Facts: see FACTS.routing. When no routing rule fires, the evaluation is auto-approved. */
export const RoutingRuleSchema = z.strictObject({
  ...ruleBase,
  disabled: z.boolean().optional(),
  event: z.strictObject({
    type: z.literal('route'),
    params: z.strictObject({ decision: z.enum(['manual-review', 'auto-approve']), reason: z.string().min(1) }),
  }),
});
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

/** The facts each kind of rule may refer to; loading refuses a rule naming any other fact. */
export const FACTS = {
  grade: ['total'],
  tier: ['actual', 'target', 'actualEqualsTarget', 'reportedRatio'],
  check: {
    evaluation: [
      'formType',
      'hasIndicators',
      'incomplete',
      'reportedTotal',
      'computedTotal',
      'rowScoreSum', // sum of reported row scores (+ reported execution score)
      'totalDifference', // |reported total − sum of reported scores|
      'computedTotalDifference', // |reported total − computed total|
      'weightSum', // sum of row weights (+ execution weight)
      'reportedGrade',
      'gradeForReportedTotal', // the grade the bands give to the reported total
      'gradeMatches',
      'executionRate',
      'reportedRate',
      'rateDifference', // |reported rate − computed rate| in percentage points
      'executionScoreDifference',
      'reportedExecutionScore',
      'computedExecutionScore',
      'executedExceedsBudget',
      'sectionsTotalDifference', // summary table 合计 vs sum of its rows
      'projectsExecutedDifference', // stated project spending total vs sum of projects
      'projectsBudgetDifference',
    ],
    indicator: [
      'method',
      'weight',
      'reportedScore',
      'computedScore',
      'scoreDifference', // |reported − computed|, null when either is missing
      'exceedsWeight', // reported score > weight
      'met', // the target was met (quantitative), or tier is the top tier
      'shortfall', // not met, or reported below weight
      'hasDeviationReason',
      'tier',
      'insideTier', // reported score lies inside the tier's range
      'nonNumericActual',
      'actualIsThreshold',
      'unitMismatch',
      'notScorable',
    ],
    section: ['declaredWeight', 'ruleWeight', 'rowWeight', 'weightDifference', 'declaredScore', 'rowScore'],
    project: ['budget', 'executed', 'rate', 'reportedRate', 'rateDifference', 'executedExceedsBudget', 'reportedScore'],
  },
  routing: [
    'errorCount',
    'warningCount',
    'infoCount',
    'findingCodes', // array of finding codes (use `contains`)
    'grade',
    'total',
    'incomplete',
    'formType',
  ],
} as const;

// ---------------------------------------------------------------------------------------------------------
// Formula parameters

export const RoundingSchema = z.strictObject({
  precision: z.number().int().min(0).max(4).describe('Decimals kept in scores and totals'),
  mode: z.enum(['half-up', 'half-even', 'floor', 'ceil', 'truncate']).describe('How scores and totals are rounded'),
});
export type Rounding = z.infer<typeof RoundingSchema>;

export const ExecutionFormulaSchema = z.discriminatedUnion('kind', [
  /** rate × weight, capped at the weight (national); Hubei template: weight 20. */
  z
    .strictObject({ kind: z.literal('linear'), cap: z.boolean().default(true) })
    .describe('rate × weight, capped at the weight (national); Hubei template: weight 20.'),
  /** Hunan department templates: minus `points` for every `step` (fraction) below 100%, not below 0. */
  z.strictObject({
    kind: z.literal('deduction'),
    step: z.number().positive().max(1),
    points: z.number().positive(),
    /** partial steps count as whole steps (ceil) or not (floor) */
    partialStep: z
      .enum(['ceil', 'floor'])
      .default('ceil')
      .describe('partial steps count as whole steps (ceil) or not (floor)'),
  }),
  /** Stepped scores by rate: the first step whose `minRate` the rate reaches gives `score`. */
  z.strictObject({
    kind: z.literal('steps'),
    steps: z.array(z.strictObject({ minRate: z.number().min(0), score: z.number().min(0) })).min(1),
  }),
  /** Execution is not scored (e.g. Ningxia subsidy forms); weight must be 0. */
  z
    .strictObject({ kind: z.literal('none') })
    .describe('Execution is not scored (e.g. Ningxia subsidy forms); weight must be 0.'),
]);
export type ExecutionFormula = z.infer<typeof ExecutionFormulaSchema>;

export const ExecutionSchema = z.strictObject({
  label: z.string().default('预算执行率'),
  weight: z.number().min(0).max(100),
  /** 全年预算数/调整后预算数 (adjusted, national) or 年初预算数 (initial). */
  denominator: z
    .enum(['adjusted', 'initial'])
    .describe('全年预算数/调整后预算数 (adjusted, national) or 年初预算数 (initial).'),
  formula: ExecutionFormulaSchema,
});
export type Execution = z.infer<typeof ExecutionSchema>;

export const SectionSchema = z.strictObject({
  key: z.string().min(1),
  label: z.string().min(1),
  weight: z.number().min(0).max(100),
  /** 一级指标 texts that belong to this section (matched after normalisation, by prefix). */
  match: z
    .array(z.string().min(1))
    .min(1)
    .describe('一级指标 texts that belong to this section (matched after normalisation, by prefix).'),
});
export type Section = z.infer<typeof SectionSchema>;

export const FormRulesSchema = z.strictObject({
  execution: ExecutionSchema,
  /** First-level sections other than execution; execution.weight + Σ weights must be 100. */
  sections: z
    .array(SectionSchema)
    .min(1)
    .describe('First-level sections other than execution; execution.weight + Σ weights must be 100.'),
});
export type FormRules = z.infer<typeof FormRulesSchema>;

export const QuantitativeSchema = z.strictObject({
  /** ≥, >: B ≥ A → full; else B/A × w. */
  positive: z.strictObject({ formula: z.enum(['ratio']) }).describe('≥, >: B ≥ A → full; else B/A × w.'),
  /** ≤, <: B ≤ A → full; else A/B × w (ratio) or w × (2 − B/A), reaching 0 at B = 2A (linear-to-zero-at-double). */
  reverse: z
    .strictObject({ formula: z.enum(['ratio', 'linear-to-zero-at-double']) })
    .describe(
      '≤, <: B ≤ A → full; else A/B × w (ratio) or w × (2 − B/A), reaching 0 at B = 2A (linear-to-zero-at-double).',
    ),
  /** "=" targets: treated as positive (national), or full only when B equals A. */
  equals: z
    .enum(['positive', 'exact'])
    .describe('"=" targets: treated as positive (national), or full only when B equals A.'),
  /** A = 0: positive always met; reverse met only when B ≤ 0, else 0. */
  zeroTarget: z
    .enum(['met-if-not-worse', 'not-scorable'])
    .describe('A = 0: positive always met; reverse met only when B ≤ 0, else 0.'),
  /** Date targets ("2022年12月31日前"): met when the actual date is on or before it. */
  dates: z
    .enum(['deadline', 'not-scorable'])
    .describe('Date targets ("2022年12月31日前"): met when the actual date is on or before it.'),
  /** A threshold written in the actual column ("≥90%"): met when it satisfies the target, or not scorable. */
  thresholdAsActual: z
    .enum(['met-if-satisfies', 'not-scorable'])
    .describe('A threshold written in the actual column ("≥90%"): met when it satisfies the target, or not scorable.'),
  /** A non-numeric actual ("完成") against a numeric target: score by qualitative tier, or not scorable. */
  nonNumericActual: z
    .enum(['qualitative', 'not-scorable'])
    .describe('A non-numeric actual ("完成") against a numeric target: score by qualitative tier, or not scorable.'),
  /** Target and actual in different units (个 vs 万元): not scorable, or compare the numbers anyway. */
  unitMismatch: z
    .enum(['not-scorable', 'ignore-unit'])
    .describe('Target and actual in different units (个 vs 万元): not scorable, or compare the numbers anyway.'),
  /** Over-achievement scores full marks (every form seen). */
  overAchievement: z.enum(['full']).describe('Over-achievement scores full marks (every form seen).'),
});
export type Quantitative = z.infer<typeof QuantitativeSchema>;

export const QualitativeSchema = z.strictObject({
  /**
   * reported-within-tier: the unit's own score stands when it lies inside the tier (the scorer chooses a point
   * inside the tier), otherwise the tier's default; tier-default: always the tier's default fraction.
   */
  score: z.enum(['reported-within-tier', 'tier-default']),
  tiers: z.array(TierRuleSchema).min(1),
});

export const NotApplicableSchema = z.strictObject({
  /** Cell texts that mark a row as not applicable. */
  markers: z.array(z.string()).min(1).describe('Cell texts that mark a row as not applicable.'),
  /** ignore: the row scores nothing and counts nothing; rescale: the remaining total is rescaled to 100. */
  mode: z
    .enum(['ignore', 'rescale'])
    .describe('ignore: the row scores nothing and counts nothing; rescale: the remaining total is rescaled to 100.'),
});

export const RegionSchema = z.strictObject({
  code: z.string().regex(/^(CN|\d{6})$/, 'a 6-digit administrative division code or CN'),
  /** Names used to recognise the region in documents; the first is the display name. */
  names: z
    .array(z.string().min(1))
    .min(1)
    .describe('Names used to recognise the region in documents; the first is the display name.'),
  level: z.enum(['national', 'province', 'city', 'county']),
});

export const SourceSchema = z.strictObject({
  title: z.string().min(1),
  documentNo: z.string().optional(),
  issuer: z.string().optional(),
  url: z.string().optional(),
  note: z.string().optional(),
});

/** A form type's rules in a file: a child may restate only the execution weight, say. */
const PartialFormRulesSchema = z.strictObject({
  execution: ExecutionSchema.partial().optional(),
  sections: FormRulesSchema.shape.sections.optional(),
});

/** The parts a child may override (all optional in a file; complete after resolution). */
export const RuleBodySchema = z.strictObject({
  forms: z
    .strictObject({ project: PartialFormRulesSchema.optional(), department: PartialFormRulesSchema.optional() })
    .optional()
    .describe('First-level sections and execution scoring per form type (项目 / 部门整体)'),
  quantitative: QuantitativeSchema.partial().optional(),
  qualitative: QualitativeSchema.partial().optional(),
  notApplicable: NotApplicableSchema.partial().optional(),
  rounding: RoundingSchema.partial().optional(),
  /** No indicator may score above its weight (national rule). */
  cap: z
    .strictObject({ indicator: z.boolean() })
    .optional()
    .describe('No indicator may score above its weight (national rule).'),
  /** Absolute tolerance when comparing reported and computed scores/totals (e.g. 0.01). */
  tolerance: z
    .number()
    .min(0)
    .optional()
    .describe('Absolute tolerance when comparing reported and computed scores/totals (e.g. 0.01).'),
  grades: z
    .array(GradeRuleSchema)
    .min(1)
    .optional()
    .describe("Grade bands as json-rules-engine rules on fact `total`; replaces the parent's bands wholesale"),
  checks: z
    .array(CheckRuleSchema)
    .optional()
    .describe('Checks producing findings; merged with the parent\'s by rule name ("disabled": true removes one)'),
  routing: z
    .array(RoutingRuleSchema)
    .optional()
    .describe('Review routing; merged with the parent\'s by rule name ("disabled": true removes one)'),
});
export type RuleBody = z.infer<typeof RuleBodySchema>;

export const RuleSetFileSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Unique id of the file: the region code, or `<code>@<fromYear>` when a region has several year ranges. */
  id: z
    .string()
    .regex(/^(CN|\d{6})(@\d{4})?$/, 'the region code, or <code>@<fromYear>')
    .describe('The region code (CN or 6 digits), or <code>@<fromYear> for a later year range; the file is <id>.json'),
  region: RegionSchema,
  /** The parent rule set id (county → city → province → CN); null only for CN. */
  extends: z.string().nullable().describe('Parent rule set id (county → city → province → CN); null only for CN'),
  years: z
    .strictObject({ from: z.number().int().min(1990).nullable(), to: z.number().int().max(2100).nullable() })
    .describe('Fiscal years this file applies to, both ends inclusive; null = open'),
  version: z.number().int().min(1).describe('Raise on every change: results cite id, version and hash'),
  source: SourceSchema.describe('The policy document these rules come from'),
  ...RuleBodySchema.shape,
});
export type RuleSetFile = z.infer<typeof RuleSetFileSchema>;

/** The effective rule set after inheritance: every parameter present. */
export interface ResolvedRuleSet {
  id: string;
  version: number;
  /** sha256 of the canonical JSON of the effective rules (changes when any ancestor changes). */
  hash: string;
  region: { code: string; name: string; names: string[]; level: string };
  years: { from: number | null; to: number | null };
  /** ids and versions from this rule set up to CN. */
  chain: { id: string; version: number }[];
  source: z.infer<typeof SourceSchema>;
  forms: { project: FormRules; department: FormRules };
  quantitative: Quantitative;
  qualitative: z.infer<typeof QualitativeSchema>;
  notApplicable: z.infer<typeof NotApplicableSchema>;
  rounding: Rounding;
  cap: { indicator: boolean };
  tolerance: number;
  grades: GradeRule[];
  checks: CheckRule[];
  routing: RoutingRule[];
  /**
   * How this set was found for a request (not part of the hash): the region and year asked for, and why a
   * parent level answered when it did (no file for the region, or its files do not cover the year).
   */
  resolvedFor?: { region: string; fiscalYear: number | null; fallback: string | null };
}
