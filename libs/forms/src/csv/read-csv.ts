import type { DiagnosticSink } from '../diagnostics';
import { DocumentRejectedError } from '../errors';
import type { Limits } from '../limits';
import { cleanCell } from '../tables/split-rows';
import type { Row } from '../tables/row';

/** RFC 4180 CSV → rows (quoted cells may hold commas, quotes doubled, line breaks). One pass, no backtracking. */
export function readCsv(text: string, limits: Limits, sink: DiagnosticSink): Row[] {
  const rows: Row[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let cut = false;
  const pushCell = () => {
    if (cell.length > limits.maxCellLength) {
      if (!cut)
        sink.warn(
          rowLine,
          `cell longer than ${limits.maxCellLength} characters cut`,
          `单元格超过 ${limits.maxCellLength} 个字符，超出部分未读取`,
        );
      cut = true;
      cell = cell.slice(0, limits.maxCellLength);
    }
    if (cells.length < limits.maxCellsPerRow) cells.push(cleanCell(cell));
    cell = '';
  };
  const pushRow = () => {
    pushCell();
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    rows.push({ line: rowLine, cells, sep: 'comma', closed: true });
    if (rows.length > limits.maxRows)
      throw new DocumentRejectedError(
        `too many rows (limit ${limits.maxRows})`,
        `行数过多（上限 ${limits.maxRows} 行）`,
      );
    cells = [];
    rowLine = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') pushCell();
    else if (ch === '\n') {
      line++;
      pushRow();
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || cells.length > 0) pushRow();
  return rows;
}
