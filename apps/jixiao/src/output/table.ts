import { displayWidth, padEnd, padStart, truncate } from './display-width';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  max?: number;
}

/** A plain-text table that lines up Chinese text (two columns per character). */
export function renderTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((r) => r.map((c, i) => (columns[i].max ? truncate(c, columns[i].max!) : c)));
  const widths = columns.map((col, i) => Math.max(displayWidth(col.header), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const line = (r: string[]) =>
    r.map((c, i) => (columns[i].align === 'right' ? padStart(c, widths[i]) : padEnd(c, widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...cells.map(line)].join('\n');
}
