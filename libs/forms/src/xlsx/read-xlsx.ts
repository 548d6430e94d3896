import ExcelJS from 'exceljs';
import type { DiagnosticSink } from '../diagnostics';
import { DocumentRejectedError } from '../errors';
import type { Limits } from '../limits';
import type { Row } from '../tables/row';
import { mergeBrokenHeaders } from '../tables/broken-headers';
import { splitRows } from '../tables/split-rows';
import { normalizeText } from '../text/normalize';
import { checkZip } from './zip-guard';

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (typeof v === 'number' && /%/.test(cell.numFmt ?? '')) return `${Number((v * 100).toFixed(6))}%`;
  if (v && typeof v === 'object' && 'result' in v && typeof v.result === 'number' && /%/.test(cell.numFmt ?? '')) {
    return `${Number((v.result * 100).toFixed(6))}%`;
  }
  return (cell.text ?? '').replace(/[\t\r\n]+/g, ' ');
}

/** Each sheet's cells as tab-separated text, a line per row (row number = line number), before normalisation. */
async function sheetTexts(
  buf: Buffer,
  fileName: string,
  limits: Limits,
): Promise<Array<{ name: string; tsv: string }>> {
  checkZip(buf, fileName, limits);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new DocumentRejectedError(
      `${fileName}: not a readable .xlsx (${(err as Error).message})`,
      `${fileName}：不是可以读取的 .xlsx 文件（${(err as Error).message}）`,
    );
  }
  return wb.worksheets.map((ws) => {
    if (ws.rowCount > limits.maxRows)
      throw new DocumentRejectedError(
        `${fileName}: sheet ${ws.name} has ${ws.rowCount} rows (limit ${limits.maxRows})`,
        `${fileName}：工作表“${ws.name}”有 ${ws.rowCount} 行（上限 ${limits.maxRows} 行）`,
      );
    const lines: string[] = [];
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: string[] = [];
      const count = Math.min(row.cellCount, limits.maxCellsPerRow);
      for (let c = 1; c <= count; c++) cells.push(cellText(row.getCell(c)));
      lines[number - 1] = cells.join('\t');
    });
    return { name: ws.name, tsv: Array.from(lines, (l) => l ?? '').join('\n') };
  });
}

/**
 * Each sheet becomes rows as if it were a tab-separated text (row number = line number), so spreadsheets go
 * through the same normalisation and form readers as text documents.
 */
export async function readXlsxRows(
  buf: Buffer,
  fileName: string,
  limits: Limits,
  sink: DiagnosticSink,
): Promise<{ rows: Row[]; text: string }> {
  const rows: Row[] = [];
  const texts: string[] = [];
  for (const sheet of await sheetTexts(buf, fileName, limits)) {
    const { text, notes } = normalizeText(sheet.tsv);
    for (const n of notes) sink.info(0, `${sheet.name}: ${n.message}`, `工作表“${sheet.name}”：${n.messageZh}`);
    for (const r of mergeBrokenHeaders(splitRows(text, limits, sink))) {
      rows.push({
        ...r,
        sep: r.sep === 'none' && r.cells.length <= 1 ? 'none' : 'sheet',
        sheet: sheet.name,
        closed: true,
      });
    }
    texts.push(text);
  }
  return { rows, text: texts.join('\n') };
}

/**
 * A workbook's first sheet as tab-separated text, a line per row (for a list kept in a spreadsheet, such as a roster
 * of units: a workbook exported with more sheets — notes, other lists — gives only its first). Refused as documents
 * are: not an .xlsx, a zip bomb, a sheet over the row limit.
 */
export async function readSpreadsheetText(buf: Buffer, fileName: string, limits: Limits): Promise<string> {
  const [first] = await sheetTexts(buf, fileName, limits);
  return first?.tsv ?? '';
}
