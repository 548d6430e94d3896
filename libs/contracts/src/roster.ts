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

/** A CSV line's cells: commas separate, a quoted cell may hold commas and doubled quotes. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells;
}

/**
 * The unit names in a pasted column or an uploaded file: a line each, the first cell that is not a running number (a
 * `序号` column pasted with the names), blank lines and a header line before the first unit left out. Cells are
 * separated by tabs (what a spreadsheet gives when its cells are copied, or its rows read); `csv`: by commas, as a
 * CSV file has them (a quoted cell may hold a comma). A name may itself hold a comma: a pasted line is not split at
 * one.
 */
export function unitsFromText(text: string, { csv = false }: { csv?: boolean } = {}): string[] {
  const units: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const cells = (csv ? csvCells(line) : line.split('\t')).map((c) => c.trim()).filter((c) => c !== '');
    const name = cells.find((c) => !isOrdinal(c));
    if (!name) continue;
    // a header line (序号 | 单位名称) before the first unit
    if (units.length === 0 && cells.some((c) => HEADERS.has(unitKey(c).toLowerCase()))) continue;
    units.push(name);
  }
  return units;
}
