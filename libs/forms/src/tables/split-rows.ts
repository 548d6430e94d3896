import type { DiagnosticSink } from '../diagnostics';
import type { Limits } from '../limits';
import { DocumentRejectedError } from '../errors';
import type { Row } from './row';

/** Strip inline markup that PDF/HTML extraction leaves in cells (<b>, **), trim, fold runs of spaces. */
export function cleanCell(cell: string): string {
  if (!/[<*\t]|  |^[≥≤=<>] /.test(cell)) return cell.trim();
  return cell
    .replace(/<\/?[a-zA-Z]{1,10}\s?\/?>/g, '')
    .replace(/\*\*/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^([≥≤=<>]) (?=\d)/, '$1')
    .trim();
}

function isPipeLine(line: string): boolean {
  if (!line.includes('|')) return false;
  const t = line.trim();
  return t.startsWith('|') || t.endsWith('|') || line.includes(' | ') || line.includes('||');
}

/**
 * Lines → rows of cells. Tabs or ` | ` separate cells; a line with neither is one cell. A pipe line that ends
 * with `|` followed by a line that starts with `|` is one row broken by the extractor, and is joined.
 */
export function splitRows(text: string, limits: Limits, sink: DiagnosticSink): Row[] {
  const lines = text.split('\n');
  if (lines.length > limits.maxRows) {
    throw new DocumentRejectedError(
      `too many lines: ${lines.length} (limit ${limits.maxRows})`,
      `行数过多：${lines.length} 行（上限 ${limits.maxRows} 行）`,
    );
  }
  const rows: Row[] = [];
  let cutCells = 0;
  const cell = (c: string, line: number): string => {
    if (c.length <= limits.maxCellLength) return cleanCell(c);
    if (cutCells++ === 0)
      sink.warn(
        line,
        `cell longer than ${limits.maxCellLength} characters cut`,
        `单元格超过 ${limits.maxCellLength} 个字符，超出部分未读取`,
      );
    return cleanCell(c.slice(0, limits.maxCellLength));
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    let row: Row;
    if (raw.includes('\t')) {
      row = { line: lineNo, cells: raw.split('\t').map((c) => cell(c, lineNo)), sep: 'tab', closed: endsWithTab(raw) };
    } else if (isPipeLine(raw)) {
      let t = raw.trim();
      const closed = t.endsWith('|');
      if (t.startsWith('|')) t = t.slice(1);
      if (t.endsWith('|')) t = t.slice(0, -1);
      row = { line: lineNo, cells: t.split('|').map((c) => cell(c, lineNo)), sep: 'pipe', closed };
      const prev = rows[rows.length - 1];
      // Join only what is clearly one row: a lone label cell ("年度资金总额 |") and the figures on the next line.
      const lone = (r: string[]) => r.filter((c) => c !== '').length <= 1;
      if (
        prev &&
        prev.sep === 'pipe' &&
        prev.closed &&
        raw.trim().startsWith('|') &&
        prev.line === lineNo - 1 &&
        (lone(prev.cells) || (lone(row.cells) && row.cells.every((c) => c === '')))
      ) {
        prev.cells.push(...row.cells);
        prev.closed = closed;
        continue;
      }
    } else {
      const c = cell(raw, lineNo);
      row = { line: lineNo, cells: c === '' ? [] : [c], sep: 'none', closed: false };
    }
    if (row.cells.length > limits.maxCellsPerRow) {
      sink.warn(
        lineNo,
        `row with ${row.cells.length} cells cut to ${limits.maxCellsPerRow}`,
        `此行有 ${row.cells.length} 个单元格，只读取前 ${limits.maxCellsPerRow} 个`,
      );
      row.cells.length = limits.maxCellsPerRow;
    }
    while (row.cells.length > 0 && row.cells[row.cells.length - 1] === '') row.cells.pop();
    rows.push(row);
  }
  return rows;
}

/** Linear on purpose: a regex like /\t\s*$/ is quadratic on a line of many tabs. */
function endsWithTab(raw: string): boolean {
  let k = raw.length - 1;
  while (k >= 0 && (raw[k] === ' ' || raw[k] === '\r')) k--;
  return raw[k] === '\t';
}
