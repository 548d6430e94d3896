/** One table row as read from the source: its cells in order, with where they came from. */
export interface Row {
  /** 1-based line (text) or row number (spreadsheet) of the first cell. */
  line: number;
  cells: string[];
  /** How cells were separated; 'none' means the line is one cell (prose, or one cell per line). */
  sep: 'tab' | 'pipe' | 'comma' | 'sheet' | 'none';
  /** The source line ended with a separator: the row was written to its end. */
  closed: boolean;
  sheet?: string;
}

/** Cell text with spaces removed: "产 出 指 标" and "一级 指标" compare as written without the spaces. */
export function compact(cell: string | undefined): string {
  const c = cell ?? '';
  return /\s/.test(c) ? c.replace(/\s+/g, '') : c;
}

export function nonEmpty(row: Row): string[] {
  return row.cells.filter((c) => c !== '');
}

export function firstNonEmpty(row: Row): { text: string; index: number } | undefined {
  const index = row.cells.findIndex((c) => c !== '');
  return index < 0 ? undefined : { text: row.cells[index]!, index };
}
