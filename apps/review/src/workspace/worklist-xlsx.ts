import ExcelJS from 'exceljs';
import { FORM_TYPE_LABELS, formatTime } from '@jixiao/runtime/html';
import { REVIEW_STATE_LABELS, type ReviewState } from '../domain/review-state';
import type { EvaluationSummary } from '../queries/evaluation.views';

const COLUMNS: Array<{ header: string; width: number }> = [
  { header: '评价编号', width: 38 },
  { header: '地区', width: 9 },
  { header: '年度', width: 7 },
  { header: '单位', width: 30 },
  { header: '项目', width: 36 },
  { header: '表类型', width: 10 },
  { header: '状态', width: 9 },
  { header: '复核总分', width: 10 },
  { header: '等级', width: 7 },
  { header: '预算执行率', width: 11 },
  { header: '错误', width: 6 },
  { header: '警告', width: 6 },
  { header: '提示', width: 6 },
  { header: '转人工原因', width: 50 },
  { header: '版本', width: 6 },
  { header: '提交时间', width: 20 },
];

/**
 * The worklist as the reviewer filtered it, as an Excel workbook for the bureau's own summaries: totals and rates as
 * numbers (0.00, 0.00%), counts as numbers, a header that stays in view and filters. Text from documents is written
 * as string cells (exceljs makes a formula only of a `{ formula }` value), so one starting with `=` stays text.
 */
export async function worklistXlsx(
  items: readonly EvaluationSummary[],
  title: string,
  truncated: boolean,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Jixiao';
  const sheet = book.addWorksheet('自评表', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS;
  for (const e of items) {
    sheet.addRow([
      e.evaluationId,
      e.region,
      e.fiscalYear,
      e.unitName,
      e.projectName,
      FORM_TYPE_LABELS[e.formType as 'project'] ?? e.formType,
      REVIEW_STATE_LABELS[e.state as ReviewState] ?? e.state,
      e.total,
      e.grade,
      e.executionRate,
      e.findingCounts?.error ?? null,
      e.findingCounts?.warning ?? null,
      e.findingCounts?.info ?? null,
      e.routing?.decision === 'manual-review' ? e.routing.reasons.join('；') : null,
      e.version,
      formatTime(e.createdAt),
    ]);
  }
  sheet.getColumn(8).numFmt = '0.00';
  sheet.getColumn(10).numFmt = '0.00%';
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  sheet.headerFooter.oddHeader = `&C${title.replace(/&/g, '&&')}`;
  if (truncated) sheet.addRow([`只导出了前 ${items.length} 份；请缩小筛选范围。`]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
