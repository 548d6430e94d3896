import type { CanonicalEvaluation, Finding, IndicatorResult, ScoreResult } from '@jixiao/contracts';
import { evaluationFigures, parseRate } from './evaluation-facts';
import { scoreExecution } from './execution';
import { evaluationFindings, indicatorFindings, projectFindings, sectionFindings } from './findings';
import { assessIndicator } from './indicator';
import type { IndicatorOutcome } from './indicator-outcome';
import type { PreparedRuleSet } from './prepared-rule-set';
import type { Rounding } from '../rule-set/rule-set.schema';
import { finishQualitative } from './qualitative';
import { clean, roundTo } from './rounding';
import type { Facts, RuleEvent, RuleRequest } from './rule-requests';
import { routingDecision, routingFacts } from './routing';
import type { ScoreContext } from './score-context';
import { attachDeclared, finishTally, newTallies, sectionIndex } from './sections';

export interface ScoreOptions {
  /** Build the Chinese explanations (default true); bulk re-scoring turns them off. */
  explain?: boolean;
}

type Severity = Finding['severity'];

function firstParam(events: RuleEvent[], key: string): string | null {
  return events.length > 0 ? ((events[0].params?.[key] as string | undefined) ?? null) : null;
}

/**
 * The whole scoring of one evaluation, written once. It yields a RuleRequest wherever the rule set's
 * json-rules-engine rules decide (tiers, grades, checks, routing) and receives the fired events.
 */
export function* scoreFlow(
  ev: CanonicalEvaluation,
  prep: PreparedRuleSet,
  options: ScoreOptions = {},
): Generator<RuleRequest, ScoreResult, RuleEvent[]> {
  const rs = prep.ruleSet;
  const form = rs.forms[ev.formType];
  const ctx: ScoreContext = {
    rs,
    prep,
    fiscalYear: ev.fiscalYear ?? rs.years.from ?? 2000,
    explain: options.explain !== false,
    precision: Math.max(2, rs.rounding.precision),
    partRounding: partRounding(rs.rounding),
  };
  const tol = rs.tolerance;
  const indicators = ev.indicators ?? [];
  const n = indicators.length;
  const hasIndicators = n > 0;
  const execution = scoreExecution(ev.funds, form, ctx);

  // ---- indicators and sections
  const tallies = newTallies(form);
  const outcomes: IndicatorOutcome[] = new Array(n);
  const sectionOf: number[] = new Array(n);
  let sum = execution.score ?? 0;
  let naWeight = 0;
  let weightSum = execution.weight > 0 ? (ev.funds?.weight ?? execution.weight) : 0;
  let reportedSum = 0;
  let anyReported = false;
  let prevSection = -1;
  for (let i = 0; i < n; i++) {
    const ind = indicators[i];
    const step = assessIndicator(ind, ctx);
    const o = step.kind === 'done' ? step.outcome : finishQualitative(step.pending, yield { kind: 'tier', facts: step.facts }, ctx);
    outcomes[i] = o;
    let si = sectionIndex(form, ind.level1);
    if (si < 0 && !ind.level1) si = prevSection; // merged 一级指标 cells leave the following rows empty
    prevSection = si;
    sectionOf[i] = si;
    const w = ind.weight ?? 0;
    weightSum += w;
    if (ind.reportedScore != null) {
      reportedSum += ind.reportedScore;
      anyReported = true;
    }
    if (o.method === 'not-applicable') naWeight += w;
    if (o.score !== null) sum += o.score;
    if (si >= 0) {
      const t = tallies[si];
      t.rowWeight += w;
      if (o.score !== null) t.score += o.score;
      if (ind.reportedScore != null) {
        t.reportedScore += ind.reportedScore;
        t.hasReported = true;
      }
    }
  }
  for (const t of tallies) finishTally(t);
  attachDeclared(tallies, form, ev);

  let total: number | null = null;
  if (hasIndicators) {
    const rescale = rs.notApplicable.mode === 'rescale' && naWeight > 0 && naWeight < 100 ? 100 / (100 - naWeight) : 1;
    total = roundTo(clean(sum) * rescale, rs.rounding);
  }

  // ---- grades (from the ROUNDED total, so the published total and grade always agree)
  const grade = total === null ? null : firstParam(yield { kind: 'grade', facts: { total } }, 'grade');
  const reportedTotal = ev.reported?.total ?? null;
  const gradeForReportedTotal =
    reportedTotal === null ? null : reportedTotal === total ? grade : firstParam(yield { kind: 'grade', facts: { total: reportedTotal } }, 'grade');

  // ---- checks
  const findings: Finding[] = [];
  const { figures, facts: evFacts } = evaluationFigures(
    ev,
    form,
    execution,
    {
      hasIndicators,
      computedTotal: total,
      reportedScoreSum: anyReported ? clean(reportedSum) : null,
      weightSum: hasIndicators ? clean(weightSum) : null,
      reportedGrade: ev.reported?.grade ?? null,
      gradeForReportedTotal,
    },
    tol,
  );
  if (prep.compiled.evaluation.size > 0) {
    for (const e of yield { kind: 'evaluation', facts: evFacts }) {
      const p = e.params as { code: string; severity: Severity };
      pushAll(findings, evaluationFindings(p.code, p.severity, ctx.explain, figures));
    }
  }
  if (prep.compiled.indicator.size > 0) {
    const facts: Facts = {};
    for (let i = 0; i < n; i++) {
      const ind = indicators[i];
      const o = outcomes[i];
      // one facts object, refilled per row: every runner reads (or copies) it before the flow resumes
      indicatorFacts(facts, ind.weight ?? null, ind.reportedScore ?? null, !!ind.deviationReason?.trim(), o, tol);
      const events = yield { kind: 'indicator', facts };
      for (const e of events) {
        const p = e.params as { code: string; severity: Severity };
        pushAll(findings, indicatorFindings(p.code, p.severity, ctx.explain, { indicator: ind, outcome: o }));
      }
    }
  }
  if (prep.compiled.section.size > 0) {
    for (const t of tallies) {
      const facts: Facts = {
        declaredWeight: t.declaredWeight,
        ruleWeight: t.section.weight,
        rowWeight: t.rowWeight,
        weightDifference: t.declaredWeight === null ? null : clean(Math.abs(t.declaredWeight - t.rowWeight)),
        declaredScore: t.declaredScore,
        rowScore: t.hasReported ? t.reportedScore : null,
      };
      for (const e of yield { kind: 'section', facts }) {
        const p = e.params as { code: string; severity: Severity };
        pushAll(findings, sectionFindings(p.code, p.severity, ctx.explain, t));
      }
    }
  }
  if (prep.compiled.project.size > 0) {
    for (const project of ev.projects ?? []) {
      const b = project.budget ?? null;
      const x = project.executed ?? null;
      const rate = b != null && x != null && b > 0 ? x / b : null;
      const reportedRate = parseRate(project.reportedRate);
      const facts: Facts = {
        budget: b,
        executed: x,
        rate,
        reportedRate,
        rateDifference: rate != null && reportedRate != null ? clean(Math.abs(rate - reportedRate) * 100) : null,
        executedExceedsBudget: b != null && x != null ? x > b + tol : null,
        reportedScore: project.reportedScore ?? null,
      };
      for (const e of yield { kind: 'project', facts }) {
        const p = e.params as { code: string; severity: Severity };
        pushAll(findings, projectFindings(p.code, p.severity, ctx.explain, { project, rate, reportedRate }));
      }
    }
  }
  const unique = prep.repeatsCodes ? dedupe(findings) : findings;

  // ---- routing
  const routing = routingDecision(yield { kind: 'routing', facts: routingFacts(unique, grade, total, ev.formType, figures.missing.length > 0) });

  // ---- result
  const results: IndicatorResult[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ind = indicators[i];
    const o = outcomes[i];
    const si = sectionOf[i];
    const r: IndicatorResult = {
      name: ind.name,
      level1: ind.level1 ?? null,
      level2: ind.level2 ?? null,
      section: si >= 0 ? form.sections[si].key : null,
      weight: ind.weight ?? null,
      reportedScore: ind.reportedScore ?? null,
      score: o.score,
      method: o.method,
      parsed: { comparator: o.comparator, target: o.target, actual: o.actual, unit: o.unit, tier: o.tier },
    };
    if (o.explanation !== undefined) r.explanation = o.explanation;
    results[i] = r;
  }
  const code = ev.region ?? rs.region.code;
  const exec: ScoreResult['computed']['execution'] = {
    rate: execution.rate === null ? null : Math.round(execution.rate * 10000) / 10000,
    score: execution.score,
    weight: execution.weight,
    method: execution.method,
  };
  if (execution.explanation !== undefined) exec.explanation = execution.explanation;
  return {
    projectName: ev.projectName ?? null,
    unitName: ev.unitName ?? null,
    formType: ev.formType,
    region: { code, name: code === rs.region.code ? rs.region.name : code },
    fiscalYear: ev.fiscalYear ?? null,
    ruleSet: { id: rs.id, version: rs.version, hash: rs.hash },
    reported: { total: reportedTotal, grade: ev.reported?.grade ?? null, executionScore: figures.reportedExecutionScore },
    computed: {
      total,
      grade,
      execution: exec,
      sections: tallies.map((t) => ({ key: t.section.key, label: t.section.label, weight: t.section.weight, rowWeight: t.rowWeight, score: t.score })),
      indicators: results,
    },
    findings: unique,
    routing,
  };
}

/** FACTS.check.indicator, written into `f`. */
function indicatorFacts(f: Facts, w: number | null, rep: number | null, hasReason: boolean, o: IndicatorOutcome, tol: number): void {
  f.method = o.method;
  f.weight = w;
  f.reportedScore = rep;
  f.computedScore = o.score;
  f.scoreDifference = rep !== null && o.score !== null ? clean(Math.abs(rep - o.score)) : null;
  f.exceedsWeight = rep !== null && w !== null ? rep > w + tol : null;
  f.met = o.met;
  f.shortfall = o.met === false || (rep !== null && w !== null && rep < w - tol);
  f.hasDeviationReason = hasReason;
  f.tier = o.tier;
  f.insideTier = o.insideTier;
  f.nonNumericActual = o.nonNumericActual;
  f.actualIsThreshold = o.actualIsThreshold;
  f.unitMismatch = o.unitMismatch;
  f.notScorable = o.notScorable;
}

const partRoundings = new WeakMap<Rounding, Rounding>();

function partRounding(r: Rounding): Rounding {
  let p = partRoundings.get(r);
  if (!p) partRoundings.set(r, (p = r.precision >= 2 ? r : { precision: 2, mode: r.mode }));
  return p;
}

function pushAll(into: Finding[], items: Finding[]): void {
  for (let i = 0; i < items.length; i++) into.push(items[i]);
}

/** Two rules may raise the same finding; keep one (compared field by field, no key strings on the hot path). */
function dedupe(findings: Finding[]): Finding[] {
  const n = findings.length;
  if (n < 2) return findings;
  const out: Finding[] = [];
  outer: for (let i = 0; i < n; i++) {
    const f = findings[i];
    for (let j = 0; j < out.length; j++) {
      const g = out[j];
      if (g.code === f.code && g.subject === f.subject && g.expected === f.expected && g.reported === f.reported) continue outer;
    }
    out.push(f);
  }
  return out;
}
