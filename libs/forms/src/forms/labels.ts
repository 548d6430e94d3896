import type { SourceRef } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { ref } from '../tables/indicator-table';
import { compact, type Row } from '../tables/row';
import type { FormContext } from './context';

export interface Found {
  text: string;
  source: SourceRef;
}

/** Short cells of the form, by their text without spaces or a trailing colon: built once per form. */
const indexes = new WeakMap<FormContext, Map<string, { row: number; cell: number }>>();

function labelIndex(ctx: FormContext): Map<string, { row: number; cell: number }> {
  let index = indexes.get(ctx);
  if (index) return index;
  index = new Map();
  for (let i = ctx.start; i < ctx.end; i++) {
    const cells = ctx.rows[i]!.cells;
    if (cells.length < 2) continue;
    for (let c = 0; c < cells.length - 1; c++) {
      if (cells[c]!.length === 0 || cells[c]!.length > 16) continue;
      const key = compact(cells[c]).replace(/[::]$/, '');
      if (!index.has(key)) index.set(key, { row: i, cell: c });
    }
  }
  indexes.set(ctx, index);
  return index;
}

/** The first non-empty cell after a label cell ("项目名称 | 电子政务各项专项经费"), for the first label found. */
export function labelValue(ctx: FormContext, labels: readonly string[]): Found | undefined {
  const index = labelIndex(ctx);
  const hits = labels
    .map((l) => index.get(l))
    .filter((h): h is { row: number; cell: number } => h !== undefined)
    .sort((a, b) => a.row - b.row || a.cell - b.cell);
  for (const hit of hits) {
    const row = ctx.rows[hit.row]!;
    for (let d = hit.cell + 1; d < row.cells.length; d++) {
      const v = row.cells[d]!;
      if (v !== '') return { text: v, source: ref(row, d, row.cells[hit.cell]) };
    }
  }
  return undefined;
}

const YEAR_DECLARED = /((?:19|20)\d{2})\s?年度/;
const YEAR_LOOSE = /((?:19|20)\d{2})\s?年/;

/** "(2022年度)" / "2021 年度" within the form, else the first year written in the document. */
export function findYear(rows: Row[], start: number, end: number): { year: number; line: number } | undefined {
  for (const re of [YEAR_DECLARED, YEAR_LOOSE]) {
    for (const [s, e] of [
      [start, end],
      [0, rows.length],
    ] as const) {
      for (let i = s; i < e; i++) {
        for (const cell of rows[i]!.cells) {
          const m = re.exec(cell);
          if (m && Number(m[1]) >= 1990 && Number(m[1]) <= 2100) return { year: Number(m[1]), line: rows[i]!.line };
        }
      }
    }
  }
  return undefined;
}

/** Strip an organisation code in front of a name: "021-霍邱县人民政府办公室" → "霍邱县人民政府办公室". */
export function stripCode(name: string): string {
  return name.replace(/^\d{2,}\s?[-—]\s?/, '').trim();
}
