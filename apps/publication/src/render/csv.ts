/**
 * CSV as Excel and RFC 4180 expect: UTF-8 with a byte-order mark (or Excel shows Chinese as mojibake), CRLF line
 * ends, fields quoted when they hold a comma, quote or line break. Cells starting with = + - @ (or a tab / CR, which
 * Excel also strips before evaluating) are prefixed with ' so a spreadsheet shows them as text instead of running
 * them as formulas (CSV injection).
 */
export const BOM = '\uFEFF';

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}
