import ExcelJS from 'exceljs';
import type { CanonicalEvaluation } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';

/**
 * The national project-form layout (项目支出绩效自评表, as the 霍邱 form): where each figure goes. Rows and
 * columns are 1-based as in Excel. Indicator rows start at `firstIndicatorRow`; the 总分 row follows them.
 */
export const TEMPLATE_LAYOUT = {
  title: { row: 1, col: 1 },
  year: { row: 2, col: 1 },
  projectName: { row: 3, col: 3 },
  department: { row: 4, col: 3 },
  unitName: { row: 4, col: 7 },
  fundsHeader: 5,
  fundsTotal: 6,
  fundsOfWhich: 7,
  goalsHeader: 10,
  goals: { row: 11, expected: 2, achieved: 6 },
  indicatorHeader: 12,
  firstIndicatorRow: 13,
  indicatorRows: 20,
  /** Columns of the funds rows: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分. */
  fundsCols: { initialBudget: 3, adjustedBudget: 4, executed: 5, weight: 6, rate: 7, score: 8 },
  /** Columns of the indicator rows. */
  indicatorCols: { level1: 2, level2: 3, name: 4, target: 5, actual: 6, weight: 7, score: 8, reason: 9 },
} as const;

/** A workbook in the template layout: blank, or filled with an evaluation (the round trip of `jixiao template`). */
export function buildTemplate(evaluation?: CanonicalEvaluation): ExcelJS.Workbook {
  const L = TEMPLATE_LAYOUT;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('项目支出绩效自评表');
  const set = (r: number, c: number, v: string | number | null | undefined) => {
    if (v !== null && v !== undefined && v !== '') ws.getCell(r, c).value = v;
  };
  set(L.title.row, L.title.col, '项目支出绩效自评表');
  set(L.year.row, L.year.col, evaluation?.fiscalYear ? `(${evaluation.fiscalYear}年度)` : '(    年度)');
  set(L.projectName.row, 1, '项目名称');
  set(L.department.row, 1, '主管部门');
  set(L.unitName.row, L.unitName.col - 1, '实施单位');
  set(L.fundsHeader, 1, '项目资金 (万元)');
  const fc = L.fundsCols;
  ['年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'].forEach((t, k) =>
    set(L.fundsHeader, fc.initialBudget + k, t),
  );
  set(L.fundsTotal, 2, '年度资金总额:');
  set(L.fundsOfWhich, 2, '其中:本年财政拨款');
  set(L.fundsOfWhich + 1, 2, '上年结转资金');
  set(L.fundsOfWhich + 2, 2, '其他资金');
  set(L.goalsHeader, 1, '年度总体目标');
  set(L.goalsHeader, L.goals.expected, '预期目标');
  set(L.goalsHeader, L.goals.achieved, '实际完成情况');
  const ic = L.indicatorCols;
  [
    '绩效指标',
    '一级指标',
    '二级指标',
    '三级指标',
    '年度指标值',
    '实际完成值',
    '分值',
    '得分',
    '偏差原因分析及改进措施',
  ].forEach((t, k) => set(L.indicatorHeader, 1 + k, t));
  const indicators = evaluation?.indicators ?? [];
  const rows = Math.max(L.indicatorRows, indicators.length);
  set(L.firstIndicatorRow + rows, 1, '总分');
  if (!evaluation) return wb;
  set(L.projectName.row, L.projectName.col, evaluation.projectName);
  set(L.department.row, L.department.col, evaluation.department);
  set(L.unitName.row, L.unitName.col, evaluation.unitName);
  const f = evaluation.funds;
  if (f) {
    set(L.fundsTotal, fc.initialBudget, f.initialBudget);
    set(L.fundsTotal, fc.adjustedBudget, f.adjustedBudget);
    set(L.fundsTotal, fc.executed, f.executed);
    set(L.fundsTotal, fc.weight, f.weight);
    set(L.fundsTotal, fc.rate, f.reportedRate);
    set(L.fundsTotal, fc.score, f.reportedScore);
  }
  set(L.goals.row, L.goals.expected, evaluation.goals?.expected);
  set(L.goals.row, L.goals.achieved, evaluation.goals?.achieved);
  let lastLevel1: string | null | undefined;
  const declared = new Map((evaluation.reported?.sections ?? []).map((s) => [s.name, s.weight]));
  indicators.forEach((ind, k) => {
    const r = L.firstIndicatorRow + k;
    if (ind.level1 !== lastLevel1 && ind.level1) {
      const w = declared.get(ind.level1);
      set(r, ic.level1, w != null ? `${ind.level1} (${w}分)` : ind.level1);
    }
    lastLevel1 = ind.level1;
    set(r, ic.level2, ind.level2);
    set(r, ic.name, ind.name);
    set(r, ic.target, ind.target);
    set(r, ic.actual, ind.actual);
    set(r, ic.weight, ind.weight);
    set(r, ic.score, ind.reportedScore);
    set(r, ic.reason, ind.deviationReason);
  });
  const totalWeight = indicators.reduce((s, i) => s + (i.weight ?? 0), 0) + (f?.weight ?? 0);
  set(L.firstIndicatorRow + rows, ic.weight, totalWeight);
  set(L.firstIndicatorRow + rows, ic.score, evaluation.reported?.total);
  return wb;
}

export async function templateBuffer(evaluation?: CanonicalEvaluation): Promise<Buffer> {
  return Buffer.from(await buildTemplate(evaluation).xlsx.writeBuffer());
}
