import type { CanonicalEvaluation, SourceRef } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { parseNumberCell } from '../text/numbers';
import { parseFundsBlock, readFundsHeader } from '../tables/funds-block';
import { parseIndicatorTable, readIndicatorHeader, ref, type IndicatorTable } from '../tables/indicator-table';
import { STANDARD_SECTIONS } from '../tables/levels';
import { compact } from '../tables/row';
import type { FormContext } from './context';
import { findYear, labelValue } from './labels';
import { readGoals } from './goals';

export interface TableFormParts {
  evaluation: CanonicalEvaluation;
  table?: IndicatorTable;
}

/** The parts project and department forms share: names, year, funds, goals, indicator table, total, grade. */
export function readTableForm(ctx: FormContext, formType: 'project' | 'department'): TableFormParts {
  const { rows, start, end, sink } = ctx;
  const evaluation: CanonicalEvaluation = { formType };
  const reportedSources: Record<string, SourceRef> = {};
  const name = labelValue(ctx, ['项目名称']);
  if (name) evaluation.projectName = name.text;
  const dept = labelValue(ctx, ['主管部门', '主管部门及代码', '主管单位']);
  if (dept) evaluation.department = dept.text;
  const unit = labelValue(ctx, ['实施单位', '项目实施单位', '部门(单位)名称', '部门名称', '单位名称']);
  if (unit) evaluation.unitName = unit.text;
  const year = findYear(rows, start, end);
  if (year) evaluation.fiscalYear = year.year;

  let table: IndicatorTable | undefined;
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    if (!evaluation.funds) {
      const fh = readFundsHeader(row, i);
      if (fh) {
        const funds = parseFundsBlock(rows, fh, end, sink);
        if (funds) evaluation.funds = funds;
        continue;
      }
    }
    if (!evaluation.goals && /^年度总体目标|^年度总体/.test(compact(row.cells.find((c) => c !== '')))) {
      const goals = readGoals(rows, i, end);
      if (goals) evaluation.goals = goals;
    }
    if (!table) {
      const ih = readIndicatorHeader(row, i);
      if (ih) {
        table = parseIndicatorTable(rows, ih, end, sink, ctx.ocrEvidence);
        i = table.end - 1;
      }
    }
  }
  if (table) evaluation.indicators = table.indicators;
  if (evaluation.funds && !evaluation.funds.unit) {
    const unitLine = rows
      .slice(start, end)
      .find((r) => r.cells.length === 1 && /^单位[::]\s?(万元|元)$/.test(r.cells[0]!));
    if (unitLine) evaluation.funds.unit = /万元/.test(unitLine.cells[0]!) ? '万元' : '元';
  }

  const reported: NonNullable<CanonicalEvaluation['reported']> = {};
  if (table?.total) {
    reported.total = table.total.score;
    reportedSources.total = table.total.source;
  }
  const selfScore = labelValue(ctx, ['自评得分', '自评总分', '自评总分(分)', '综合得分']);
  if (selfScore && typeof parseNumberCell(selfScore.text) === 'number') {
    reported.total = parseNumberCell(selfScore.text) as number;
    reportedSources.total = selfScore.source;
  }
  const grade = labelValue(ctx, ['自评结果', '自评等级', '评价等级', '绩效等级', '评价结果', '等级']);
  if (grade && /^(优秀?|良好?|中|一般|差|较差)$/.test(compact(grade.text))) {
    reported.grade = compact(grade.text);
    reportedSources.grade = grade.source;
  }
  const declared = (table?.sections ?? []).filter((s) => s.weight !== null);
  if (declared.length > 0) {
    reported.sections = declared.map((s) => ({ name: s.name, weight: s.weight, score: null }));
  }
  if (Object.keys(reported).length > 0) {
    reported.sources = reportedSources;
    evaluation.reported = reported;
  }
  evaluation.incomplete = missingParts(ctx, evaluation, table, formType);
  if (!evaluation.incomplete) delete evaluation.incomplete;
  return { evaluation, table };
}

function missingParts(
  ctx: FormContext,
  evaluation: CanonicalEvaluation,
  table: IndicatorTable | undefined,
  formType: 'project' | 'department',
): { missing: string[] } | undefined {
  const missing: string[] = [];
  // in the words of the form: these end up in the INCOMPLETE_FORM finding a reviewer (and the public page) reads
  if (ctx.fragment) missing.push('项目名称和项目资金（文件从一张表的中间开始）');
  if (!table) {
    missing.push('绩效指标表（一级指标、二级指标、三级指标表头）');
  } else if (formType === 'project' && !table.total) {
    const present = new Set(
      (evaluation.indicators ?? []).map((i) => STANDARD_SECTIONS.find((s) => (i.level1 ?? '').includes(s.key))?.key),
    );
    for (const s of STANDARD_SECTIONS) if (!present.has(s.key)) missing.push(s.label);
    if (table.cutRow) missing.push(cutOff(table.cutRow));
    missing.push('总分');
  } else if (table.cutRow) {
    missing.push(cutOff(table.cutRow));
  }
  if (!evaluation.funds && !ctx.fragment)
    missing.push(formType === 'project' ? '项目资金（年度资金总额行）' : '预算情况（部门预算总额行）');
  return missing.length > 0 ? { missing } : undefined;
}

/** A row the document ends inside: named, so the unit knows where the form was cut off. */
const cutOff = (name: string) => `“${name}”一行（文件在此中断）`;

export { ref };
