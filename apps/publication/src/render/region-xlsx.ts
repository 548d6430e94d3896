import ExcelJS from 'exceljs';
import { FORM_TYPE_LABELS, statusLabel } from '../domain/disclosure-view';
import { formatTime } from '@jixiao/runtime/html';
import { CSV_HEADER, distributionOf, type RegionYear } from './region-data';

/** Column widths in characters (a Chinese character counts two), in CSV_HEADER's order. */
const WIDTHS = [38, 30, 36, 10, 9, 7, 10, 12, 9, 20, 30];

/**
 * The region's results for the year as an Excel workbook, the same cells as the CSV: totals and execution rates as
 * numbers (formatted 0.00 and 0.00%), so a bureau can sort and sum them; a header row that stays in view and filters;
 * and the grade distribution on a second sheet. Every text from documents is written as a string cell (exceljs makes a
 * formula only of a `{ formula }` value), so one that starts with `=` stays text.
 */
export async function regionYearXlsx(view: RegionYear): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Jixiao';
  const title = `${view.regionName ?? view.region} ${view.fiscalYear} 年度绩效自评结果`;
  const sheet = book.addWorksheet('评价结果', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = CSV_HEADER.map((header, i) => ({ header, width: WIDTHS[i] }));
  for (const r of view.rows) {
    sheet.addRow([
      r.evaluationId,
      r.unitName,
      r.projectName,
      FORM_TYPE_LABELS[r.formType],
      r.total,
      r.grade,
      r.executionRate,
      statusLabel(r),
      r.revision - 1,
      formatTime(r.publishedAt),
      r.retractionReason,
    ]);
  }
  sheet.getColumn(5).numFmt = '0.00';
  sheet.getColumn(7).numFmt = '0.00%';
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: CSV_HEADER.length } };
  sheet.headerFooter.oddHeader = `&C${title.replace(/&/g, '&&')}`;

  const grades = book.addWorksheet('等级分布');
  grades.columns = [
    { header: '等级', width: 10 },
    { header: '份数', width: 8 },
  ];
  for (const g of distributionOf(view)) grades.addRow([g.grade, g.count]);
  grades.getRow(1).font = { bold: true };
  grades.addRow([]);
  grades.addRow(['已撤回的评价不计入等级分布。']);

  return Buffer.from(await book.xlsx.writeBuffer());
}
