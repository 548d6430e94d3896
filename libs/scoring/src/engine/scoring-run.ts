import type { CanonicalEvaluation, Finding, IndicatorResult, ScoreResult } from '@jixiao/contracts';
import type { FormRules, ResolvedRuleSet } from '../rule-set/rule-set.schema';
import { evaluationFigures, parseRate } from './evaluation-facts';
import { scoreExecution, type ExecutionOutcome } from './execution';
import type { EvaluationFigures } from './finding-context';
import { evaluationFindings, indicatorFindings, projectFindings, sectionFindings } from './findings';
import { assessIndicator, cachedInput, type PendingQualitative } from './indicator';
import type { IndicatorInput } from './indicator-input';
import type { IndicatorOutcome } from './indicator-outcome';
import { recallOutcome, rememberOutcome } from './outcome-memo';
import type { PreparedRuleSet } from './prepared-rule-set';
import { finishQualitative } from './qualitative';
import { clean, roundTo } from './rounding';
import type { Facts, RuleEvent } from './rule-requests';
import { routingDecision, routingFacts } from './routing';
import type { ScoreContext } from './score-context';
import type { ScoreOptions } from './score-options';
import { attachDeclared, finishTally, newTallies, sectionIndex, sectionMemo, type SectionTally } from './sections';

type Severity = Finding['severity'];

const NO_REQUESTS: (Facts | null)[] = Object.freeze([]) as unknown as (Facts | null)[];

/**
 * The check requests of one evaluation; a `null` (or missing: the array may be shorter than the rows) indicator
 * entry is already answered (remembered events).
 */
export interface CheckRequests {
  evaluation: Facts | null;
  indicator: (Facts | null)[];
  section: Facts[];
  project: Facts[];
}

export interface CheckAnswers {
  evaluation: RuleEvent[];
  indicator: (RuleEvent[] | undefined)[];
  section: RuleEvent[][];
  project: RuleEvent[][];
}

function firstParam(events: RuleEvent[], key: string): string | null {
  return events.length > 0 ? ((events[0].params?.[key] as string | undefined) ?? null) : null;
}

/**
 * The scoring of one evaluation in phases. Between phases the rule set's json-rules-engine rules decide
 * (tiers, then grades, then checks, then routing); each phase hands out the facts it needs judged and takes the
 * fired events back. The drivers in score.ts answer them with the compiled evaluator or with json-rules-engine.
 */
export class ScoringRun {
  // `declare` fields, all assigned in the constructor: a class-field initialiser is emitted (by SWC, for the
  // decorator-metadata build) as an Object.defineProperty call per field per run, a measurable cost here.
  private declare readonly ev: CanonicalEvaluation;
  private declare readonly prep: PreparedRuleSet;
  /** remember row outcomes and their check events (only when the answers come from the compiled evaluator) */
  private declare readonly memo: boolean;
  private declare readonly rs: ResolvedRuleSet;
  private declare readonly form: FormRules;
  private declare readonly ctx: ScoreContext;
  private declare readonly indicators: NonNullable<CanonicalEvaluation['indicators']>;
  private declare readonly execution: ExecutionOutcome;
  private declare readonly outcomes: IndicatorOutcome[];
  private declare readonly pending: { index: number; step: PendingQualitative; facts: Facts }[];
  private declare readonly tallies: SectionTally[];
  private declare readonly sectionOf: number[];
  /** 1 when the row gives a deviation reason (IndicatorOutcome.eventsWithReason applies), else 0 */
  private declare readonly reasonOf: number[];
  private declare total: number | null;
  private declare grade: string | null;
  private declare gradeForReportedTotal: string | null;
  private declare figures: EvaluationFigures;
  private declare readonly findings: Finding[];
  private declare routing: ScoreResult['routing'];

  constructor(ev: CanonicalEvaluation, prep: PreparedRuleSet, options: ScoreOptions = {}, memo = false) {
    this.ev = ev;
    this.prep = prep;
    this.memo = memo;
    this.pending = [];
    this.total = null;
    this.grade = null;
    this.gradeForReportedTotal = null;
    this.findings = [];
    this.routing = { decision: 'auto-approve', reasons: [] };
    const rs = (this.rs = prep.ruleSet);
    this.form = rs.forms[ev.formType];
    this.ctx = {
      rs,
      prep,
      fiscalYear: ev.fiscalYear ?? rs.years.from ?? 2000,
      explain: options.explain !== false,
      memo,
      precision: prep.precision,
      partRounding: prep.partRounding,
    };
    this.indicators = ev.indicators ?? [];
    const n = this.indicators.length;
    this.execution = scoreExecution(ev.funds, this.form, this.ctx);
    this.outcomes = new Array(n);
    this.sectionOf = new Array(n);
    this.reasonOf = new Array(n);
    this.tallies = newTallies(this.form);
    const ctx = this.ctx;
    const explain = ctx.explain;
    const year = ctx.fiscalYear;
    for (let i = 0; i < n; i++) {
      const ind = this.indicators[i];
      this.reasonOf[i] = ind.deviationReason?.trim() ? 1 : 0;
      const input = cachedInput(ind, ctx);
      const o = memo ? recallOutcome(input, ind.weight ?? null, ind.reportedScore ?? null, explain, year) : undefined;
      if (o !== undefined) {
        this.outcomes[i] = o;
        continue;
      }
      const step = assessIndicator(ind, input, ctx);
      if (step.kind === 'done') this.keep(i, input, step.outcome);
      else this.pending.push({ index: i, step: step.pending, facts: step.facts });
    }
  }

  private keep(i: number, input: IndicatorInput, o: IndicatorOutcome): void {
    this.outcomes[i] = o;
    if (this.memo) {
      const ind = this.indicators[i];
      rememberOutcome(input, ind.weight ?? null, ind.reportedScore ?? null, this.ctx.explain, this.ctx.fiscalYear, o);
    }
  }

  // ---- phase 1: qualitative tiers

  tierRequests(): Facts[] {
    const ps = this.pending;
    const out: Facts[] = new Array(ps.length);
    for (let k = 0; k < ps.length; k++) out[k] = ps[k].facts;
    return out;
  }

  applyTiers(events: RuleEvent[][]): void {
    const ps = this.pending;
    for (let k = 0; k < ps.length; k++) this.keep(ps[k].index, ps[k].step.input, finishQualitative(ps[k].step, events[k], this.ctx));
    this.tally();
  }

  private tally(): void {
    const { indicators, outcomes, tallies, form, rs } = this;
    let sum = this.execution.score ?? 0;
    let naWeight = 0;
    let prevSection = -1;
    const memo = sectionMemo(form);
    // rows of one section follow each other: the same 一级指标 text as the row before needs no lookup
    let lastLevel1: string | null | undefined = null;
    let lastIndex = -2;
    for (let i = 0; i < indicators.length; i++) {
      const ind = indicators[i];
      const o = outcomes[i];
      const level1 = ind.level1;
      let si = lastIndex !== -2 && level1 === lastLevel1 ? lastIndex : sectionIndex(memo, form, level1);
      lastLevel1 = level1;
      lastIndex = si;
      if (si < 0 && !ind.level1) si = prevSection; // merged 一级指标 cells leave the following rows empty
      prevSection = si;
      this.sectionOf[i] = si;
      const w = ind.weight ?? 0;
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
    attachDeclared(tallies, form, this.ev);
    if (indicators.length > 0) {
      const rescale = rs.notApplicable.mode === 'rescale' && naWeight > 0 && naWeight < 100 ? 100 / (100 - naWeight) : 1;
      this.total = roundTo(clean(sum) * rescale, rs.rounding);
    }
  }

  // ---- phase 2: grades (from the ROUNDED total, so the published total and grade always agree)

  gradeRequests(): Facts[] {
    const out: Facts[] = [];
    if (this.total !== null) out.push({ total: this.total });
    const rt = this.ev.reported?.total ?? null;
    if (rt !== null && rt !== this.total) out.push({ total: rt });
    return out;
  }

  applyGrades(events: RuleEvent[][]): void {
    let k = 0;
    if (this.total !== null) this.grade = firstParam(events[k++], 'grade');
    const rt = this.ev.reported?.total ?? null;
    if (rt !== null) this.gradeForReportedTotal = rt === this.total ? this.grade : firstParam(events[k], 'grade');
  }

  // ---- phase 3: checks

  checkRequests(): CheckRequests {
    const { ev, indicators, outcomes, prep, rs } = this;
    const tol = rs.tolerance;
    let weightSum = this.execution.weight > 0 ? (ev.funds?.weight ?? this.execution.weight) : 0;
    let reportedSum = 0;
    let anyReported = false;
    for (let i = 0; i < indicators.length; i++) {
      const ind = indicators[i];
      weightSum += ind.weight ?? 0;
      if (ind.reportedScore != null) {
        reportedSum += ind.reportedScore;
        anyReported = true;
      }
    }
    const hasIndicators = indicators.length > 0;
    const { figures, facts } = evaluationFigures(
      ev,
      this.form,
      this.execution,
      {
        hasIndicators,
        computedTotal: this.total,
        reportedScoreSum: anyReported ? clean(reportedSum) : null,
        weightSum: hasIndicators ? clean(weightSum) : null,
        reportedGrade: ev.reported?.grade ?? null,
        gradeForReportedTotal: this.gradeForReportedTotal,
      },
      tol,
    );
    this.figures = figures;
    // allocated only when some row needs judging (in bulk re-scoring every row's events are usually remembered);
    // a missing entry reads as undefined, i.e. remembered
    let indicator: (Facts | null)[] = NO_REQUESTS;
    if (prep.compiled.indicator.size > 0) {
      for (let i = 0; i < indicators.length; i++) {
        const ind = indicators[i];
        const o = outcomes[i];
        const r = this.reasonOf[i];
        // the facts follow from the outcome (which fixes weight and reported score) and the reason
        if (this.memo && (r === 1 ? o.eventsWithReason : o.eventsWithoutReason) !== undefined) continue;
        if (indicator === NO_REQUESTS) indicator = new Array(indicators.length).fill(null);
        indicator[i] = indicatorFacts(ind.weight ?? null, ind.reportedScore ?? null, r === 1, o, tol);
      }
    }
    const section: Facts[] = prep.compiled.section.size === 0 ? [] : this.tallies.map(sectionFacts);
    const project: Facts[] =
      prep.compiled.project.size === 0 ? [] : (ev.projects ?? []).map((p) => projectFacts(p.budget ?? null, p.executed ?? null, p.reportedRate, p.reportedScore ?? null, tol));
    return { evaluation: prep.compiled.evaluation.size > 0 ? facts : null, indicator, section, project };
  }

  applyChecks(a: CheckAnswers): void {
    const { findings, ctx, indicators, outcomes } = this;
    const ex = ctx.explain;
    for (let k = 0; k < a.evaluation.length; k++) {
      const p = a.evaluation[k].params as { code: string; severity: Severity };
      evaluationFindings(findings, p.code, p.severity, ex, this.figures);
    }
    for (let i = 0; i < indicators.length; i++) {
      const ind = indicators[i];
      const o = outcomes[i];
      const r = this.reasonOf[i];
      let events = i < a.indicator.length ? a.indicator[i] : undefined;
      if (events === undefined) events = !this.memo ? undefined : r === 1 ? o.eventsWithReason : o.eventsWithoutReason;
      else if (this.memo) {
        if (r === 1) o.eventsWithReason = events;
        else o.eventsWithoutReason = events;
      }
      if (events === undefined) continue;
      for (let k = 0; k < events.length; k++) {
        const p = events[k].params as { code: string; severity: Severity };
        indicatorFindings(findings, p.code, p.severity, ex, ind, o);
      }
    }
    for (let k = 0; k < a.section.length; k++) {
      const events = a.section[k];
      for (let j = 0; j < events.length; j++) {
        const p = events[j].params as { code: string; severity: Severity };
        sectionFindings(findings, p.code, p.severity, ex, this.tallies[k]);
      }
    }
    const projects = this.ev.projects ?? [];
    for (let k = 0; k < a.project.length; k++) {
      const events = a.project[k];
      const project = projects[k];
      for (let j = 0; j < events.length; j++) {
        const p = events[j].params as { code: string; severity: Severity };
        const b = project.budget ?? null;
        const x = project.executed ?? null;
        const rate = b != null && x != null && b > 0 ? x / b : null;
        projectFindings(findings, p.code, p.severity, ex, { project, rate, reportedRate: parseRate(project.reportedRate) });
      }
    }
    if (this.prep.repeatsCodes) {
      const unique = dedupe(findings);
      findings.length = 0;
      pushAll(findings, unique);
    }
  }

  // ---- phase 4: routing

  routingRequest(): Facts {
    return routingFacts(this.findings, this.grade, this.total, this.ev.formType, this.figures.missing.length > 0);
  }

  applyRouting(events: RuleEvent[]): void {
    this.routing = routingDecision(events);
  }

  // ---- the result

  private sectionResults(): ScoreResult['computed']['sections'] {
    const ts = this.tallies;
    const out: ScoreResult['computed']['sections'] = new Array(ts.length);
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k];
      out[k] = { key: t.section.key, label: t.section.label, weight: t.section.weight, rowWeight: t.rowWeight, score: t.score };
    }
    return out;
  }

  result(): ScoreResult {
    const { ev, rs, indicators, outcomes, form, execution } = this;
    const n = indicators.length;
    const results: IndicatorResult[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const ind = indicators[i];
      const o = outcomes[i];
      const si = this.sectionOf[i];
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
      reported: { total: ev.reported?.total ?? null, grade: ev.reported?.grade ?? null, executionScore: this.figures.reportedExecutionScore },
      computed: {
        total: this.total,
        grade: this.grade,
        execution: exec,
        sections: this.sectionResults(),
        indicators: results,
      },
      findings: this.findings,
      routing: this.routing,
    };
  }
}

/** FACTS.check.indicator */
function indicatorFacts(w: number | null, rep: number | null, hasReason: boolean, o: IndicatorOutcome, tol: number): Facts {
  return {
    method: o.method,
    weight: w,
    reportedScore: rep,
    computedScore: o.score,
    scoreDifference: rep !== null && o.score !== null ? clean(Math.abs(rep - o.score)) : null,
    exceedsWeight: rep !== null && w !== null ? rep > w + tol : null,
    met: o.met,
    shortfall: o.met === false || (rep !== null && w !== null && rep < w - tol),
    hasDeviationReason: hasReason,
    tier: o.tier,
    insideTier: o.insideTier,
    nonNumericActual: o.nonNumericActual,
    actualIsThreshold: o.actualIsThreshold,
    unitMismatch: o.unitMismatch,
    notScorable: o.notScorable,
  };
}

/** FACTS.check.section */
function sectionFacts(t: SectionTally): Facts {
  return {
    declaredWeight: t.declaredWeight,
    ruleWeight: t.section.weight,
    rowWeight: t.rowWeight,
    weightDifference: t.declaredWeight === null ? null : clean(Math.abs(t.declaredWeight - t.rowWeight)),
    declaredScore: t.declaredScore,
    rowScore: t.hasReported ? t.reportedScore : null,
  };
}

/** FACTS.check.project */
function projectFacts(b: number | null, x: number | null, reportedRateText: string | null | undefined, reportedScore: number | null, tol: number): Facts {
  const rate = b != null && x != null && b > 0 ? x / b : null;
  const reportedRate = parseRate(reportedRateText);
  return {
    budget: b,
    executed: x,
    rate,
    reportedRate,
    rateDifference: rate != null && reportedRate != null ? clean(Math.abs(rate - reportedRate) * 100) : null,
    executedExceedsBudget: b != null && x != null ? x > b + tol : null,
    reportedScore,
  };
}

function pushAll(into: Finding[], items: Finding[]): void {
  for (let i = 0; i < items.length; i++) into.push(items[i]);
}

/** Two rules may raise the same finding; keep one (compared field by field). */
function dedupe(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  outer: for (const f of findings) {
    for (const g of out) {
      if (g.code === f.code && g.subject === f.subject && g.expected === f.expected && g.reported === f.reported) continue outer;
    }
    out.push(f);
  }
  return out;
}
