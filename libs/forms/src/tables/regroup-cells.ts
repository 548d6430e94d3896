import { isBlankValue, isComparator, isRateCell, parseNumberCell } from '../text/numbers';
import { fundsRole, indicatorRole } from './columns';
import { isKnownLevel2, isTotalLabel, matchLevel1 } from './levels';
import { compact, type Row } from './row';

const LABELS = /^(项目名称|主管部门|实施单位|部门\(单位\)名称|自评得分|自评结果)[::]?$/;
const FUNDS_LABEL =
  /^(年度资金总额|资金总额|部门预算总额|总额|其中.{0,6}(财政拨款|财政资金)|上年结转资金|其他资金)[::]?$/;
const INDICATOR_HEADER = /^(绩效指标|一级指标|二级指标|三级指标)$/;

function isValue(cell: string): boolean {
  return isBlankValue(cell) || parseNumberCell(cell, ['万元', '元', '分']) !== undefined || isRateCell(cell);
}

/**
 * One cell per line (the way some PDF extractors write tables): rebuild rows from the sequence of cells. A label
 * takes the value after it; a run of header words is one header row; a funds label takes the figures after it;
 * an indicator row is its level cells, its name and as many cells as the header has value columns.
 */
export function regroupSingleCells(rows: Row[]): Row[] | undefined {
  const multi = rows.some(
    (r) => r.cells.length > 1 && r.cells.some((c) => /三级指标|年度资金总额|项目名称/.test(compact(c))),
  );
  if (multi || !rows.some((r) => r.cells.length === 1 && compact(r.cells[0]) === '三级指标')) return undefined;
  const cells = rows.filter((r) => r.cells.length === 1).map((r) => ({ text: r.cells[0]!, line: r.line }));
  const out: Row[] = [];
  const push = (items: { text: string; line: number }[]) =>
    out.push({ line: items[0]!.line, cells: items.map((x) => x.text), sep: 'pipe', closed: true });
  let valueColumns = 0;
  let i = 0;
  while (i < cells.length) {
    const c = cells[i]!;
    const k = compact(c.text);
    if (LABELS.test(k) && i + 1 < cells.length) {
      push([c, cells[i + 1]!]);
      i += 2;
    } else if (fundsRole(c.text) || /^项目资金|^预算情况|^资金情况/.test(k)) {
      let j = i;
      while (j < cells.length && (j === i || fundsRole(cells[j]!.text))) j++;
      push(cells.slice(i, j));
      i = j;
    } else if (FUNDS_LABEL.test(k)) {
      let j = i + 1;
      while (j < cells.length && j <= i + 8 && isValue(cells[j]!.text)) j++;
      push(cells.slice(i, j));
      i = j;
    } else if (INDICATOR_HEADER.test(k)) {
      let j = i;
      while (
        j < cells.length &&
        (INDICATOR_HEADER.test(compact(cells[j]!.text)) || indicatorRole(cells[j]!.text) !== 'other')
      )
        j++;
      const header = cells.slice(i, j);
      push(header);
      const p3 = header.findIndex((h) => compact(h.text) === '三级指标');
      const roles = header.slice(p3 + 1).map((h) => indicatorRole(h.text));
      valueColumns = Math.max(roles.lastIndexOf('weight'), roles.lastIndexOf('score')) + 1;
      i = j;
      i = readIndicatorStream(cells, i, valueColumns, roles, push);
    } else {
      push([c]);
      i++;
    }
  }
  return out;
}

type Cell = { text: string; line: number };

function rowAt(cells: Cell[], i: number, n: number, roles: string[]): { end: number; row: Cell[] } | undefined {
  const start = i;
  if (i < cells.length && matchLevel1(cells[i]!.text)) i++;
  if (i < cells.length && isKnownLevel2(cells[i]!.text)) i++;
  if (i >= cells.length || isTotalLabel(cells[i]!.text))
    return i > start ? { end: i, row: cells.slice(start, i) } : undefined;
  const values: Cell[] = [];
  let j = i + 1;
  for (let r = 0; r < n && j < cells.length; r++, j++) {
    values.push(cells[j]!);
    if (roles[r] === 'target' && isComparator(cells[j]!.text) && j + 1 < cells.length)
      values[values.length - 1] = { ...cells[j]!, text: cells[j]!.text + cells[++j]!.text };
  }
  const w = roles.indexOf('weight');
  if (values.length < n || (w >= 0 && typeof parseNumberCell(values[w]?.text) !== 'number')) return undefined;
  return { end: j, row: [...cells.slice(start, i + 1), ...values] };
}

function readIndicatorStream(cells: Cell[], i: number, n: number, roles: string[], push: (c: Cell[]) => void): number {
  while (i < cells.length) {
    if (isTotalLabel(cells[i]!.text)) {
      let j = i + 1;
      while (j < cells.length && j <= i + 3 && typeof parseNumberCell(cells[j]!.text) === 'number') j++;
      push(cells.slice(i, j));
      return j;
    }
    const r = rowAt(cells, i, n, roles);
    if (!r) {
      push([cells[i]!]);
      i++;
      continue;
    }
    i = r.end;
    // An optional trailing cell (偏差原因) belongs to this row when the next row only reads from after it.
    if (
      i < cells.length &&
      !isTotalLabel(cells[i]!.text) &&
      !rowAt(cells, i, n, roles) &&
      rowAt(cells, i + 1, n, roles)
    ) {
      r.row.push(cells[i]!);
      i++;
    }
    push(r.row);
  }
  return i;
}
