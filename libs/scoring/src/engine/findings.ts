import type { Finding, FindingCode } from '@jixiao/contracts';
import type { EvaluationFigures, IndicatorFigures, ProjectFigures, SectionFigures } from './finding-context';
import { num, pct } from './format';

type Severity = Finding['severity'];
type Draft = Omit<Finding, 'severity' | 'code' | 'message'> & { msg: () => string };

/** With explanations off (the bulk path) the message is left empty: no strings are built. */
function f(code: string, severity: Severity, explain: boolean, d: Draft): Finding {
  return {
    code: code as FindingCode,
    severity,
    subject: d.subject,
    expected: d.expected,
    reported: d.reported,
    message: explain ? d.msg() : '',
  };
}

const money = (x: number | null) => (x === null ? '' : x.toFixed(2));
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Turns a fired evaluation-scope check into findings. The rule decides whether and how severe; the figures
 * decide what the message says (a SUM_MISMATCH names each sum that does not add up).
 */
export function evaluationFindings(code: string, sev: Severity, ex: boolean, e: EvaluationFigures): Finding[] {
  const tol = e.tolerance;
  const exe = e.execution;
  switch (code) {
    case 'REPORTED_TOTAL_MISMATCH': {
      if (e.reportedTotal != null && e.rowScoreSum != null && Math.abs(e.reportedTotal - e.rowScoreSum) > tol) {
        return [f(code, sev, ex, { subject: null, expected: e.rowScoreSum, reported: e.reportedTotal,
          msg: () => `自评总分 ${num(e.reportedTotal)} 与各项自评得分之和 ${num(e.rowScoreSum)} 不一致` })];
      }
      if (e.reportedTotal != null && e.computedTotal != null) {
        return [f(code, sev, ex, { subject: null, expected: e.computedTotal, reported: e.reportedTotal,
          msg: () => `自评总分 ${num(e.reportedTotal)} 与按规则重算的总分 ${num(e.computedTotal)} 不一致` })];
      }
      return [];
    }
    case 'SUM_MISMATCH': {
      const out: Finding[] = [];
      const st = e.sectionsTotal;
      if (st?.score != null && Math.abs(st.score - e.sectionsSum.score) > tol) {
        out.push(f(code, sev, ex, { subject: '合计', expected: e.sectionsSum.score, reported: st.score,
          msg: () => `汇总表合计行得分 ${num(st.score)} 与各项得分之和 ${num(e.sectionsSum.score)} 不一致` }));
      }
      if (st?.weight != null && Math.abs(st.weight - e.sectionsSum.weight) > tol) {
        out.push(f(code, sev, ex, { subject: '合计', expected: e.sectionsSum.weight, reported: st.weight,
          msg: () => `汇总表合计行分值 ${num(st.weight)} 与各项分值之和 ${num(e.sectionsSum.weight)} 不一致` }));
      }
      if (e.projectsExecutedTotal != null && e.projectsExecutedSum != null && Math.abs(e.projectsExecutedTotal - e.projectsExecutedSum) > tol) {
        out.push(f(code, sev, ex, { subject: '项目支出合计', expected: r2(e.projectsExecutedSum), reported: e.projectsExecutedTotal,
          msg: () => `各项目实际支出之和 ${money(e.projectsExecutedSum)} 与报告所述支出合计 ${money(e.projectsExecutedTotal)} 不一致（相差 ${money(Math.abs(e.projectsExecutedSum! - e.projectsExecutedTotal!))}）` }));
      }
      if (exe.budget != null && e.projectsBudgetSum != null && Math.abs(exe.budget - e.projectsBudgetSum) > tol) {
        out.push(f(code, sev, ex, { subject: '项目预算合计', expected: r2(e.projectsBudgetSum), reported: exe.budget,
          msg: () => `各项目预算之和 ${money(e.projectsBudgetSum)} 与预算数 ${money(exe.budget)} 不一致` }));
      }
      return out;
    }
    case 'WEIGHTS_NOT_100':
      if (e.weightSum == null) return [];
      return [f(code, sev, ex, { subject: null, expected: 100, reported: e.weightSum,
        msg: () => `各项分值合计 ${num(e.weightSum)}（含${e.executionLabel} ${num(exe.weight)}），不等于 100` })];
    case 'GRADE_MISMATCH':
      return [f(code, sev, ex, { subject: null, expected: e.gradeForReportedTotal, reported: e.reportedGrade,
        msg: () => `自评等级“${e.reportedGrade ?? ''}”与自评总分 ${e.reportedTotal == null ? '' : num(e.reportedTotal)} 按等级标准应得的“${e.gradeForReportedTotal ?? ''}”不一致` })];
    case 'EXECUTION_RATE_MISMATCH':
      if (exe.rate == null || e.reportedRate == null) return [];
      return [f(code, sev, ex, { subject: e.executionLabel, expected: r4(exe.rate), reported: e.reportedRateText ?? e.reportedRate,
        msg: () => `填报执行率 ${e.reportedRateText ?? pct(e.reportedRate!)} 与按金额计算的 ${pct(exe.rate!)}（${num(exe.executed!)}/${num(exe.budget!)}）不一致` })];
    case 'SCORE_DIFFERS_FROM_RULE':
      if (exe.score == null || e.reportedExecutionScore == null) return [];
      return [f(code, sev, ex, { subject: e.executionLabel, expected: exe.score, reported: e.reportedExecutionScore,
        msg: () => `${e.executionLabel}自评得分 ${num(e.reportedExecutionScore)}，按规则应为 ${num(exe.score)}（执行率 ${pct(exe.rate!)}，分值 ${num(exe.weight)}）` })];
    case 'EXECUTED_EXCEEDS_BUDGET':
      if (exe.executed == null || exe.budget == null) return [];
      return [f(code, sev, ex, { subject: e.executionLabel, expected: exe.budget, reported: exe.executed,
        msg: () => `全年执行数 ${num(exe.executed)} 超过预算数 ${num(exe.budget)}` })];
    case 'INCOMPLETE_FORM':
      return [f(code, sev, ex, { subject: null, expected: null, reported: null,
        msg: () => `表格不完整，缺少：${e.missing.length ? e.missing.join('、') : '部分内容'}` })];
    case 'NOT_SCORABLE':
      return [f(code, sev, ex, { subject: null, expected: null, reported: null, msg: () => '无法按规则计算总分' })];
    default:
      return [f(code, sev, ex, { subject: null, expected: null, reported: null, msg: () => `检查规则 ${code} 成立` })];
  }
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

export function indicatorFindings(code: string, sev: Severity, ex: boolean, x: IndicatorFigures): Finding[] {
  const { indicator: ind, outcome: o } = x;
  const subject = ind.name;
  const w = ind.weight ?? null;
  const rep = ind.reportedScore ?? null;
  // the value as the form shows it, with a number shifted into the unit column put back ("≥ | 99%")
  const A = (ind.target ?? '') + (ind.unit && !/^定性/.test(ind.unit) ? ind.unit : '');
  const B = ind.actual ?? '';
  switch (code) {
    case 'SCORE_DIFFERS_FROM_RULE':
      return [f(code, sev, ex, { subject, expected: o.score, reported: rep,
        msg: () => `“${subject}”自评 ${rep == null ? '' : num(rep)} 分，按规则应得 ${o.score == null ? '' : num(o.score)} 分（年度指标值 ${A}，实际完成值 ${B}，分值 ${w == null ? '' : num(w)}）` })];
    case 'SCORE_EXCEEDS_WEIGHT':
      return [f(code, sev, ex, { subject, expected: w, reported: rep,
        msg: () => `“${subject}”自评 ${rep == null ? '' : num(rep)} 分，超过该指标分值 ${w == null ? '' : num(w)}` })];
    case 'SCORE_OUTSIDE_TIER':
      return [f(code, sev, ex, { subject, expected: o.score, reported: rep,
        msg: () => `“${subject}”实际完成情况“${B}”属“${o.tier ?? ''}”档，自评 ${rep == null ? '' : num(rep)} 分（分值 ${w == null ? '' : num(w)} 的 ${rep != null && w ? num((rep / w) * 100) : ''}%）不在该档区间内` })];
    case 'MISSING_DEVIATION_REASON':
      return [f(code, sev, ex, { subject, expected: null, reported: null,
        msg: () => `“${subject}”未完成目标或未得满分（自评 ${rep == null ? '—' : num(rep)}/${w == null ? '—' : num(w)}），但未填写偏差原因及改进措施` })];
    case 'UNIT_MISMATCH':
      return [f(code, sev, ex, { subject, expected: A, reported: B,
        msg: () => `“${subject}”年度指标值 ${A} 与实际完成值 ${B} 的单位不一致` })];
    case 'NON_NUMERIC_ACTUAL':
      return [f(code, sev, ex, { subject, expected: A, reported: B,
        msg: () => `“${subject}”年度指标值 ${A} 是数量或时间，实际完成值却是文字“${B}”，按定性指标评价` })];
    case 'ACTUAL_IS_THRESHOLD':
      return [f(code, sev, ex, { subject, expected: A, reported: B,
        msg: () => `“${subject}”实际完成值写成了标准“${B}”，应填写实际达到的数值` })];
    case 'NOT_SCORABLE':
      return [f(code, sev, ex, { subject, expected: null, reported: rep,
        msg: () => `“${subject}”无法按规则计分（年度指标值“${A}”，实际完成值“${B}”）` })];
    default:
      return [f(code, sev, ex, { subject, expected: null, reported: null, msg: () => `“${subject}”：检查规则 ${code} 成立` })];
  }
}

export function sectionFindings(code: string, sev: Severity, ex: boolean, s: SectionFigures): Finding[] {
  const subject = s.section.label;
  switch (code) {
    case 'SECTION_WEIGHT_MISMATCH':
      return [f(code, sev, ex, { subject, expected: s.declaredWeight, reported: s.rowWeight,
        msg: () => `“${subject}”声明 ${s.declaredWeight == null ? '' : num(s.declaredWeight)} 分，但其下各指标分值合计 ${num(s.rowWeight)}` })];
    case 'SUM_MISMATCH':
      return [f(code, sev, ex, { subject, expected: s.reportedScore, reported: s.declaredScore,
        msg: () => `“${subject}”汇总得分 ${s.declaredScore == null ? '' : num(s.declaredScore)} 与其下各指标自评得分之和 ${num(s.reportedScore)} 不一致` })];
    default:
      return [f(code, sev, ex, { subject, expected: null, reported: null, msg: () => `“${subject}”：检查规则 ${code} 成立` })];
  }
}

export function projectFindings(code: string, sev: Severity, ex: boolean, p: ProjectFigures): Finding[] {
  const subject = p.project.name;
  const b = p.project.budget;
  const e = p.project.executed;
  switch (code) {
    case 'EXECUTED_EXCEEDS_BUDGET':
      return [f(code, sev, ex, { subject, expected: b ?? null, reported: e ?? null,
        msg: () => `项目“${subject}”实际支出 ${e == null ? '' : num(e)} 超过预算 ${b == null ? '' : num(b)}${p.project.reportedRate ? `，却填报执行率 ${p.project.reportedRate}` : ''}` })];
    case 'EXECUTION_RATE_MISMATCH':
      return [f(code, sev, ex, { subject, expected: p.rate == null ? null : r4(p.rate), reported: p.project.reportedRate ?? null,
        msg: () => `项目“${subject}”填报执行率 ${p.project.reportedRate ?? ''}，按金额计算为 ${p.rate == null ? '' : pct(p.rate)}（${e == null ? '' : num(e)}/${b == null ? '' : num(b)}）` })];
    default:
      return [f(code, sev, ex, { subject, expected: null, reported: null, msg: () => `项目“${subject}”：检查规则 ${code} 成立` })];
  }
}
