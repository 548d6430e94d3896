import type {
  CanonicalEvaluation,
  ProjectLine,
  SourceRef,
} from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import type { DiagnosticSink } from '../diagnostics';
import type { Row } from '../tables/row';
import { findYear } from './labels';

const NUM = '(\\d{1,9}(?:\\.\\d{1,8})?)';
const ITEM_START = /^(\d{1,3})\s?(?:、|\.(?!\d))\s?/;
const BUDGET = new RegExp(`${NUM}\\s?万元`);
const SPENT = new RegExp(`实际支出\\s?${NUM}\\s?万元`);
const RATE = new RegExp(`执行率\\s?(?:为|达到?)?\\s?${NUM}\\s?%`);
const SCORE = new RegExp(`自评得分\\s?(?:为)?\\s?${NUM}\\s?分`);
const GRADE = /(?:评价为|等级为|等次为|评定为)\s?["“]?(优秀|良好|一般|较差|优|良|中|差)/;

interface Paragraph {
  n: number;
  text: string;
  line: number;
}

/**
 * Numbered paragraphs that describe one project each: "N、名称项目经费 X 万元 … 实际支出 Y 万元，执行率 Z%，…
 * 自评得分 S 分". A paragraph broken by a page break is joined with the lines that follow until its 自评得分.
 */
function paragraphs(rows: Row[]): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | undefined;
  for (const row of rows) {
    if (row.cells.length === 0) continue;
    const text = row.cells.join(' ');
    const m = ITEM_START.exec(text);
    if (m) {
      if (cur) out.push(cur);
      cur = { n: Number(m[1]), text, line: row.line };
      continue;
    }
    if (cur && !SCORE.test(cur.text) && cur.text.length < 4000 && !/^#/.test(text)) {
      cur.text += text;
      continue;
    }
    if (cur) out.push(cur);
    cur = undefined;
  }
  if (cur) out.push(cur);
  return out.filter((p) => SPENT.test(p.text) && BUDGET.test(p.text));
}

function projectOf(p: Paragraph): ProjectLine {
  const body = p.text.replace(ITEM_START, '');
  const b = BUDGET.exec(body)!;
  const name = body
    .slice(0, b.index)
    .trim()
    .replace(/(项目经费|项目|经费)$/, '')
    .trim();
  const sources: Record<string, SourceRef> = { budget: { line: p.line, text: b[0] } };
  const spent = SPENT.exec(body);
  const rate = RATE.exec(body);
  const score = SCORE.exec(body);
  if (spent) sources.executed = { line: p.line, text: spent[0] };
  if (rate) sources.reportedRate = { line: p.line, text: rate[0] };
  if (score) sources.reportedScore = { line: p.line, text: score[0] };
  return {
    name,
    budget: Number(b[1]),
    executed: spent ? Number(spent[1]) : null,
    reportedRate: rate ? `${rate[1]}%` : null,
    reportedScore: score ? Number(score[1]) : null,
    sources,
  };
}

/** A department narrative report (the 灵寿 layout); undefined when the text has no project paragraphs. */
export function readNarrativeReport(rows: Row[], sink: DiagnosticSink): CanonicalEvaluation | undefined {
  const paras = paragraphs(rows);
  if (paras.length === 0) return undefined;
  const evaluation: CanonicalEvaluation = { formType: 'department' };
  evaluation.projects = paras.map(projectOf);
  paras.forEach((p, k) => {
    if (k > 0 && p.n !== paras[k - 1]!.n + 1)
      sink.warn(
        p.line,
        `project paragraph ${p.n} follows ${paras[k - 1]!.n}: numbering has a gap`,
        `项目段落 ${p.n} 紧接在 ${paras[k - 1]!.n} 之后：编号不连续`,
      );
  });
  const year = findYear(rows, 0, Math.min(rows.length, 40));
  if (year) evaluation.fiscalYear = year.year;
  const reported: NonNullable<CanonicalEvaluation['reported']> = {};
  const rs: Record<string, SourceRef> = {};
  const missing: string[] = [];
  for (const row of rows) {
    const text = row.cells.join(' ');
    if (!evaluation.unitName) {
      const t = /^#*\s?(.{2,40}?)(?:部门)?\s?\d{4}\s?年度?.{0,12}(?:自评报告|评价报告)/.exec(text);
      if (t) evaluation.unitName = t[1]!.replace(/部门$/, '').trim();
    }
    const involved = new RegExp(`(?:本次评价的\\s?(\\d{1,3})\\s?个项目.{0,6})?涉及资金\\s?${NUM}\\s?万元`).exec(text);
    if (involved && reported.projectsExecutedTotal === undefined) {
      reported.projectsExecutedTotal = Number(involved[2]);
      rs.projectsExecutedTotal = { line: row.line, text: involved[0] };
      if (involved[1] && Number(involved[1]) !== paras.length) {
        const declared = Number(involved[1]);
        sink.warn(
          row.line,
          `the report names ${declared} projects; ${paras.length} project paragraphs were read`,
          `报告称涉及 ${declared} 个项目，但只读到 ${paras.length} 个项目段落`,
        );
        if (declared > paras.length) missing.push(`${declared} 个项目中 ${declared - paras.length} 个项目的段落`);
      }
    }
    const adj = new RegExp(`调整预算数?\\s?${NUM}\\s?万元`).exec(text);
    const score = SCORE.exec(text);
    if (adj && score && !evaluation.funds) {
      const spent = new RegExp(`(?:支出|执行数|执行金额)\\s?${NUM}\\s?万元`).exec(
        text.slice(adj.index + adj[0].length),
      );
      const rate = RATE.exec(text);
      const sources: Record<string, SourceRef> = { adjustedBudget: { line: row.line, text: adj[0] } };
      if (spent) sources.executed = { line: row.line, text: spent[0] };
      if (rate) sources.reportedRate = { line: row.line, text: rate[0] };
      evaluation.funds = {
        initialBudget: null,
        adjustedBudget: Number(adj[1]),
        executed: spent ? Number(spent[1]) : null,
        unit: '万元',
        reportedRate: rate ? `${rate[1]}%` : null,
        sources,
      };
      reported.total = Number(score[1]);
      rs.total = { line: row.line, text: score[0] };
      const g = GRADE.exec(text);
      if (g) {
        reported.grade = g[1]!;
        rs.grade = { line: row.line, text: g[0] };
      }
    }
  }
  if (!evaluation.funds) missing.push('部门合计（调整预算数…支出…执行率…自评得分）');
  if (reported.total === undefined) missing.push('自评得分');
  if (Object.keys(reported).length > 0) evaluation.reported = { ...reported, sources: rs };
  if (missing.length > 0) evaluation.incomplete = { missing };
  return evaluation;
}
