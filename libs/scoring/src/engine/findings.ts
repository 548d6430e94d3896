import type { Finding, FindingCode } from '@jixiao/contracts';
import type { EvaluationFigures, IndicatorFigures, ProjectFigures, SectionFigures } from './finding-context';
import { num, pct } from './format';

type Severity = Finding['severity'];
type Value = Finding['expected'];

/**
 * One finding. Callers pass `ex ? <message> : ''`: with explanations off (the bulk path) the message is left
 * empty and no strings (nor closures building them) are made.
 */
function f(code: string, severity: Severity, subject: string | null, expected: Value, reported: Value, message: string): Finding {
  return { code: code as FindingCode, severity, subject, expected, reported, message };
}

const money = (x: number | null) => (x === null ? '' : x.toFixed(2));
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Turns a fired evaluation-scope check into findings. The rule decides whether and how severe; the figures
 * decide what the message says (a SUM_MISMATCH names each sum that does not add up).
 */
export function evaluationFindings(out: Finding[], code: string, sev: Severity, ex: boolean, e: EvaluationFigures): void {
  const tol = e.tolerance;
  const exe = e.execution;
  switch (code) {
    case 'REPORTED_TOTAL_MISMATCH': {
      if (e.reportedTotal != null && e.rowScoreSum != null && Math.abs(e.reportedTotal - e.rowScoreSum) > tol) {
        out.push(f(code, sev, null, e.rowScoreSum, e.reportedTotal, ex ? `自评总分 ${num(e.reportedTotal)} 与各项自评得分之和 ${num(e.rowScoreSum)} 不一致` : ''));
        return;
      }
      if (e.reportedTotal != null && e.computedTotal != null) {
        out.push(f(code, sev, null, e.computedTotal, e.reportedTotal, ex ? `自评总分 ${num(e.reportedTotal)} 与按规则重算的总分 ${num(e.computedTotal)} 不一致` : ''));
        return;
      }
      return;
    }
    case 'SUM_MISMATCH': {
      const st = e.sectionsTotal;
      if (st?.score != null && Math.abs(st.score - e.sectionsSum.score) > tol) {
        out.push(f(code, sev, '合计', e.sectionsSum.score, st.score, ex ? `汇总表合计行得分 ${num(st.score)} 与各项得分之和 ${num(e.sectionsSum.score)} 不一致` : ''));
      }
      if (st?.weight != null && Math.abs(st.weight - e.sectionsSum.weight) > tol) {
        out.push(f(code, sev, '合计', e.sectionsSum.weight, st.weight, ex ? `汇总表合计行分值 ${num(st.weight)} 与各项分值之和 ${num(e.sectionsSum.weight)} 不一致` : ''));
      }
      if (e.projectsExecutedTotal != null && e.projectsExecutedSum != null && Math.abs(e.projectsExecutedTotal - e.projectsExecutedSum) > tol) {
        out.push(f(code, sev, '项目支出合计', r2(e.projectsExecutedSum), e.projectsExecutedTotal, ex ? `各项目实际支出之和 ${money(e.projectsExecutedSum)} 与报告所述支出合计 ${money(e.projectsExecutedTotal)} 不一致（相差 ${money(Math.abs(e.projectsExecutedSum! - e.projectsExecutedTotal!))}）` : ''));
      }
      if (exe.budget != null && e.projectsBudgetSum != null && Math.abs(exe.budget - e.projectsBudgetSum) > tol) {
        out.push(f(code, sev, '项目预算合计', r2(e.projectsBudgetSum), exe.budget, ex ? `各项目预算之和 ${money(e.projectsBudgetSum)} 与预算数 ${money(exe.budget)} 不一致` : ''));
      }
      return;
    }
    case 'WEIGHTS_NOT_100':
      if (e.weightSum == null) return;
      out.push(f(code, sev, null, 100, e.weightSum, ex ? `各项分值合计 ${num(e.weightSum)}（含${e.executionLabel} ${num(exe.weight)}），不等于 100` : ''));
      return;
    case 'GRADE_MISMATCH':
      out.push(f(code, sev, null, e.gradeForReportedTotal, e.reportedGrade, ex ? `自评等级“${e.reportedGrade ?? ''}”与自评总分 ${e.reportedTotal == null ? '' : num(e.reportedTotal)} 按等级标准应得的“${e.gradeForReportedTotal ?? ''}”不一致` : ''));
      return;
    case 'EXECUTION_RATE_MISMATCH':
      if (exe.rate == null || e.reportedRate == null) return;
      out.push(f(code, sev, e.executionLabel, r4(exe.rate), e.reportedRateText ?? e.reportedRate, ex ? `填报执行率 ${e.reportedRateText ?? pct(e.reportedRate!)} 与按金额计算的 ${pct(exe.rate!)}（${num(exe.executed!)}/${num(exe.budget!)}）不一致` : ''));
      return;
    case 'SCORE_DIFFERS_FROM_RULE':
      if (exe.score == null || e.reportedExecutionScore == null) return;
      out.push(f(code, sev, e.executionLabel, exe.score, e.reportedExecutionScore, ex ? `${e.executionLabel}自评得分 ${num(e.reportedExecutionScore)}，按规则应为 ${num(exe.score)}（执行率 ${pct(exe.rate!)}，分值 ${num(exe.weight)}）` : ''));
      return;
    case 'EXECUTED_EXCEEDS_BUDGET':
      if (exe.executed == null || exe.budget == null) return;
      out.push(f(code, sev, e.executionLabel, exe.budget, exe.executed, ex ? `全年执行数 ${num(exe.executed)} 超过预算数 ${num(exe.budget)}` : ''));
      return;
    case 'INCOMPLETE_FORM':
      out.push(f(code, sev, null, null, null, ex ? `表格不完整，缺少：${e.missing.length ? e.missing.join('、') : '部分内容'}` : ''));
      return;
    case 'NOT_SCORABLE':
      out.push(f(code, sev, null, null, null, ex ? '无法按规则计算总分' : ''));
      return;
    default:
      out.push(f(code, sev, null, null, null, ex ? `检查规则 ${code} 成立` : ''));
      return;
  }
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** The target as the form shows it, with a number shifted into the unit column put back ("≥ | 99%"). */
function shownTarget(ind: IndicatorFigures['indicator']): string {
  return (ind.target ?? '') + (ind.unit && !/^定性/.test(ind.unit) ? ind.unit : '');
}

export function indicatorFindings(out: Finding[], code: string, sev: Severity, ex: boolean, ind: IndicatorFigures['indicator'], o: IndicatorFigures['outcome']): void {
  const subject = ind.name;
  const w = ind.weight ?? null;
  const rep = ind.reportedScore ?? null;
  const B = ind.actual ?? '';
  switch (code) {
    case 'SCORE_DIFFERS_FROM_RULE':
      out.push(f(code, sev, subject, o.score, rep, ex ? `“${subject}”自评 ${rep == null ? '' : num(rep)} 分，按规则应得 ${o.score == null ? '' : num(o.score)} 分（年度指标值 ${shownTarget(ind)}，实际完成值 ${B}，分值 ${w == null ? '' : num(w)}）` : ''));
      return;
    case 'SCORE_EXCEEDS_WEIGHT':
      out.push(f(code, sev, subject, w, rep, ex ? `“${subject}”自评 ${rep == null ? '' : num(rep)} 分，超过该指标分值 ${w == null ? '' : num(w)}` : ''));
      return;
    case 'SCORE_OUTSIDE_TIER':
      out.push(f(code, sev, subject, o.score, rep, ex ? `“${subject}”实际完成情况“${B}”属“${o.tier ?? ''}”档，自评 ${rep == null ? '' : num(rep)} 分（分值 ${w == null ? '' : num(w)} 的 ${rep != null && w ? num((rep / w) * 100) : ''}%）不在该档区间内` : ''));
      return;
    case 'MISSING_DEVIATION_REASON':
      out.push(f(code, sev, subject, null, null, ex ? `“${subject}”未完成目标或未得满分（自评 ${rep == null ? '—' : num(rep)}/${w == null ? '—' : num(w)}），但未填写偏差原因及改进措施` : ''));
      return;
    case 'UNIT_MISMATCH':
      out.push(f(code, sev, subject, shownTarget(ind), B, ex ? `“${subject}”年度指标值 ${shownTarget(ind)} 与实际完成值 ${B} 的单位不一致` : ''));
      return;
    case 'NON_NUMERIC_ACTUAL':
      out.push(f(code, sev, subject, shownTarget(ind), B, ex ? `“${subject}”年度指标值 ${shownTarget(ind)} 是数量或时间，实际完成值却是文字“${B}”，按定性指标评价` : ''));
      return;
    case 'ACTUAL_IS_THRESHOLD':
      out.push(f(code, sev, subject, shownTarget(ind), B, ex ? `“${subject}”实际完成值写成了标准“${B}”，应填写实际达到的数值` : ''));
      return;
    case 'NOT_SCORABLE':
      out.push(f(code, sev, subject, null, rep, ex ? `“${subject}”无法按规则计分（年度指标值“${shownTarget(ind)}”，实际完成值“${B}”）` : ''));
      return;
    default:
      out.push(f(code, sev, subject, null, null, ex ? `“${subject}”：检查规则 ${code} 成立` : ''));
      return;
  }
}

export function sectionFindings(out: Finding[], code: string, sev: Severity, ex: boolean, s: SectionFigures): void {
  const subject = s.section.label;
  switch (code) {
    case 'SECTION_WEIGHT_MISMATCH':
      out.push(f(code, sev, subject, s.declaredWeight, s.rowWeight, ex ? `“${subject}”声明 ${s.declaredWeight == null ? '' : num(s.declaredWeight)} 分，但其下各指标分值合计 ${num(s.rowWeight)}` : ''));
      return;
    case 'SUM_MISMATCH':
      out.push(f(code, sev, subject, s.reportedScore, s.declaredScore, ex ? `“${subject}”汇总得分 ${s.declaredScore == null ? '' : num(s.declaredScore)} 与其下各指标自评得分之和 ${num(s.reportedScore)} 不一致` : ''));
      return;
    default:
      out.push(f(code, sev, subject, null, null, ex ? `“${subject}”：检查规则 ${code} 成立` : ''));
      return;
  }
}

export function projectFindings(out: Finding[], code: string, sev: Severity, ex: boolean, p: ProjectFigures): void {
  const subject = p.project.name;
  const b = p.project.budget;
  const e = p.project.executed;
  switch (code) {
    case 'EXECUTED_EXCEEDS_BUDGET':
      out.push(f(code, sev, subject, b ?? null, e ?? null, ex ? `项目“${subject}”实际支出 ${e == null ? '' : num(e)} 超过预算 ${b == null ? '' : num(b)}${p.project.reportedRate ? `，却填报执行率 ${p.project.reportedRate}` : ''}` : ''));
      return;
    case 'EXECUTION_RATE_MISMATCH':
      out.push(f(code, sev, subject, p.rate == null ? null : r4(p.rate), p.project.reportedRate ?? null, ex ? `项目“${subject}”填报执行率 ${p.project.reportedRate ?? ''}，按金额计算为 ${p.rate == null ? '' : pct(p.rate)}（${e == null ? '' : num(e)}/${b == null ? '' : num(b)}）` : ''));
      return;
    default:
      out.push(f(code, sev, subject, null, null, ex ? `项目“${subject}”：检查规则 ${code} 成立` : ''));
      return;
  }
}
