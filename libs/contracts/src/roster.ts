/**
 * How a roster of budget units is written (the units a finance bureau expects self-evaluations from): the names as
 * pasted from a spreadsheet column or read from a file, and what two spellings of one name share. The review
 * service stores and matches rosters with these; the CLI reads a roster file with them.
 */

/**
 * What two spellings of one unit's name share: Unicode compatibility form (full-width letters and digits, ideographic
 * spaces), no whitespace, Chinese and ASCII brackets alike. `灵寿县 人民政府办公室` and `灵寿县人民政府办公室` match;
 * anything else must be written as the unit writes it.
 */
export function unitKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').replace(/[（]/g, '(').replace(/[）]/g, ')');
}

/** Header cells a pasted or uploaded list may start with (not units). */
const HEADERS = new Set([
  '单位',
  '单位名称',
  '预算单位',
  '预算单位名称',
  '部门',
  '部门名称',
  '部门(单位)名称',
  '名称',
  '序号',
  'unit',
  'unitname',
  'name',
]);
const isOrdinal = (cell: string) => /^\d+[.、]?$/.test(cell);

/**
 * The unit names in a pasted column or an uploaded text / CSV file: a line each, the first cell that is not a
 * running number (a `序号` column pasted with the names), blank lines and a header line before the first unit left
 * out.
 */
export function unitsFromText(text: string): string[] {
  const units: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const cells = line
      .split(/\t|,|，/)
      .map((c) =>
        c
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .trim(),
      )
      .filter((c) => c !== '');
    const name = cells.find((c) => !isOrdinal(c));
    if (!name) continue;
    // a header line (序号 | 单位名称) before the first unit
    if (units.length === 0 && cells.some((c) => HEADERS.has(unitKey(c).toLowerCase()))) continue;
    units.push(name);
  }
  return units;
}
