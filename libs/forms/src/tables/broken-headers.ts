import { fundsRole } from './columns';
import { isKnownLevel2, matchLevel1 } from './levels';
import { compact, type Row } from './row';

function isHeader(row: Row): boolean {
  if (row.cells.some((c) => /^三级指标/.test(compact(c)))) return true;
  return row.cells.filter((c) => fundsRole(c) !== undefined).length >= 3;
}

/** A line of header-cell tails: short, no digits, not a level cell ("值", "金", "数"). */
function isFragmentRow(row: Row, header: Row): boolean {
  if (row.sep !== header.sep || row.sep === 'none') return false;
  const filled = row.cells.filter((c) => c !== '');
  return (
    filled.length > 0 &&
    filled.every((c) => compact(c).length <= 4 && !/\d/.test(c) && !matchLevel1(c) && !isKnownLevel2(c))
  );
}

/**
 * Header cells broken over lines by the extractor ("年度指标" / "值", "预算资" / "金"): the tails on the lines
 * right below a header row are appended to the header cells above them, column by column.
 */
export function mergeBrokenHeaders(rows: Row[]): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    out.push(row);
    const next = rows[i + 1];
    if (
      !next ||
      (!isFragmentRow(next, row) && !(next.cells.length === 0 && rows[i + 2] && isFragmentRow(rows[i + 2]!, row)))
    )
      continue;
    if (!isHeader(row) && !isHeader(mergedWith(row, next.cells.length ? next : rows[i + 2]!))) continue;
    let merged = row;
    let j = i + 1;
    while (j < rows.length && j <= i + 3) {
      const tail = rows[j]!;
      if (tail.cells.length === 0) {
        j++;
        continue;
      }
      if (!isFragmentRow(tail, row)) break;
      merged = mergedWith(merged, tail);
      j++;
    }
    if (merged !== row && isHeader(merged)) {
      out[out.length - 1] = merged;
      for (let k = i + 1; k < j; k++) out.push({ ...rows[k]!, cells: [] });
      i = j - 1;
    }
  }
  return out;
}

function mergedWith(row: Row, next: Row): Row {
  const cells = [...row.cells];
  next.cells.forEach((c, k) => {
    if (c !== '') cells[k] = (cells[k] ?? '') + c;
  });
  return { ...row, cells: Array.from(cells, (c) => c ?? '') };
}
