import type { CanonicalEvaluation } from '@jixiao/contracts';
import type { FormRules } from '../rule-set/rule-set.schema';
import type { ExecutionOutcome } from './execution';
import type { EvaluationFigures } from './finding-context';
import { clean } from './rounding';
import type { Facts } from './rule-requests';
import { normalizeLevel1, normalizeText } from './values/normalize-text';
import { memoize } from './values/memo';
import { parseValue } from './values/parse-value';

const gradeText = memoize((g: string) => normalizeText(g).replace(/^(等级|等次)?[:：]?/, '').replace(/(等次|等级)$/, ''));

/** "97%" → 0.97; "0.97" → 0.97; unreadable → null. */
export function parseRate(text: string | null | undefined): number | null {
  return text == null ? null : rateOf(text);
}

const rateOf = memoize((text: string): number | null => {
  const v = parseValue(text, []);
  if (v.kind !== 'number') return null;
  if (v.unit === '%') return v.value / 100;
  return v.unit === null && v.value > 1.5 ? v.value / 100 : v.unit === null ? v.value : null;
});
const level1Of = memoize(normalizeLevel1);
const labelPrefix = memoize((label: string) => normalizeText(label).slice(0, 4));

/** The execution row of a summary table ("预算执行 | 10 | 9"), when the funds block gives no score. */
function declaredExecutionScore(ev: CanonicalEvaluation, label: string): number | null {
  const l = labelPrefix(label);
  for (const s of ev.reported?.sections ?? []) if (level1Of(s.name).startsWith(l)) return s.score ?? null;
  return null;
}

export interface EvaluationTotals {
  hasIndicators: boolean;
  computedTotal: number | null;
  reportedScoreSum: number | null;
  weightSum: number | null;
  reportedGrade: string | null;
  gradeForReportedTotal: string | null;
}

const NOTHING_MISSING: string[] = Object.freeze([]) as unknown as string[];

/** How the reader and this module name a form's funds when they are missing. */
const FUNDS_PARTS = ['资金情况', '项目资金', '预算情况', '部门合计', '项目名称和项目资金'];

/** The parts of the form that are missing (a shared frozen empty list when none is). */
export function missingParts(ev: CanonicalEvaluation, hasIndicators: boolean): string[] {
  if (hasIndicators && ev.funds && !ev.incomplete?.missing?.length) return NOTHING_MISSING;
  const missing = [...(ev.incomplete?.missing ?? [])];
  // the reader names what it missed more exactly (绩效指标表（…表头）, 项目资金（年度资金总额行）): not said twice
  if (!hasIndicators && !missing.some((m) => m.startsWith('绩效指标表'))) missing.push('绩效指标表');
  if (!ev.funds && !missing.some((m) => FUNDS_PARTS.some((p) => m.startsWith(p)))) missing.push('资金情况');
  return missing;
}

/** The evaluation-level figures and the facts the `evaluation` checks see (FACTS.check.evaluation). */
export function evaluationFigures(
  ev: CanonicalEvaluation,
  form: FormRules,
  ex: ExecutionOutcome,
  t: EvaluationTotals,
  tolerance: number,
): { figures: EvaluationFigures; facts: Facts } {
  const funds = ev.funds;
  const reportedTotal = ev.reported?.total ?? null;
  const reportedExecutionScore = funds?.reportedScore ?? declaredExecutionScore(ev, form.execution.label);
  const rowScoreSum =
    t.hasIndicators && t.reportedScoreSum != null ? clean(t.reportedScoreSum + (reportedExecutionScore ?? 0)) : null;
  const reportedRate = parseRate(funds?.reportedRate);
  const sections = ev.reported?.sections ?? [];
  let sw = 0;
  let ss = 0;
  for (const s of sections) {
    sw += s.weight ?? 0;
    ss += s.score ?? 0;
  }
  const sectionsSum = { weight: clean(sw), score: clean(ss) };
  const st = ev.reported?.sectionsTotal ?? null;
  const stTotal = st ? { weight: st.weight ?? null, score: st.score ?? null } : null;
  const projects = ev.projects ?? [];
  let pe: number | null = null;
  let pb: number | null = null;
  if (projects.length > 0) {
    pe = 0;
    pb = 0;
    for (const p of projects) {
      pe += p.executed ?? 0;
      pb += p.budget ?? 0;
    }
    pe = clean(pe);
    pb = clean(pb);
  }
  const projectsExecutedTotal = ev.reported?.projectsExecutedTotal ?? null;
  const missing = missingParts(ev, t.hasIndicators);
  const figures: EvaluationFigures = {
    reportedTotal,
    computedTotal: t.computedTotal,
    rowScoreSum,
    weightSum: t.weightSum,
    reportedGrade: t.reportedGrade,
    gradeForReportedTotal: t.gradeForReportedTotal,
    execution: ex,
    executionLabel: form.execution.label,
    reportedRate,
    reportedRateText: funds?.reportedRate ?? null,
    reportedExecutionScore,
    sectionsTotal: stTotal,
    sectionsSum,
    projectsExecutedTotal,
    projectsExecutedSum: pe,
    projectsBudgetSum: pb,
    missing,
    tolerance,
  };
  const diff = (a: number | null, b: number | null) => (a == null || b == null ? null : clean(Math.abs(a - b)));
  let sectionsTotalDifference: number | null = null;
  if (stTotal) {
    const d1 = diff(stTotal.score, sectionsSum.score);
    const d2 = diff(stTotal.weight, sectionsSum.weight);
    sectionsTotalDifference = d1 == null ? d2 : d2 == null ? d1 : Math.max(d1, d2);
  }
  const facts: Facts = {
    formType: ev.formType,
    hasIndicators: t.hasIndicators,
    incomplete: missing.length > 0,
    reportedTotal,
    computedTotal: t.computedTotal,
    rowScoreSum,
    totalDifference: diff(reportedTotal, rowScoreSum),
    computedTotalDifference: diff(reportedTotal, t.computedTotal),
    weightSum: t.weightSum,
    reportedGrade: t.reportedGrade,
    gradeForReportedTotal: t.gradeForReportedTotal,
    gradeMatches:
      t.reportedGrade != null && t.gradeForReportedTotal != null ? gradesAgree(t.reportedGrade, t.gradeForReportedTotal) : null,
    executionRate: ex.rate,
    reportedRate,
    rateDifference: ex.rate != null && reportedRate != null ? clean(Math.abs(ex.rate - reportedRate) * 100) : null,
    executionScoreDifference: diff(reportedExecutionScore, ex.score),
    reportedExecutionScore,
    computedExecutionScore: ex.score,
    executedExceedsBudget: ex.executed != null && ex.budget != null ? ex.executed > ex.budget + tolerance : null,
    sectionsTotalDifference,
    projectsExecutedDifference: diff(projectsExecutedTotal, pe),
    projectsBudgetDifference: pb == null ? null : diff(ex.budget, pb),
  };
  return { figures, facts };
}

/** "优秀" agrees with a band labelled "优" and vice versa; "良" does not agree with "优". */
export function gradesAgree(reported: string, band: string): boolean {
  const r = gradeText(reported);
  return r !== '' && (r === band || r.startsWith(band) || band.startsWith(r));
}
