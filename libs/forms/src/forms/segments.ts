import { readIndicatorHeader } from '../tables/indicator-table';
import { compact, type Row } from '../tables/row';

export interface Segment {
  kind: 'project' | 'department';
  start: number;
  end: number;
  fragment: boolean;
}

const TITLE = /(绩效自评表|绩效目标自评表|自评表|绩效评价表)/;

function isAnchor(row: Row): 'project' | 'department' | undefined {
  if (row.cells.length < 2 || !row.cells.some((c) => c.length <= 16 && c.includes('名称'))) return undefined;
  const cells = row.cells.map((c) => compact(c).replace(/[::]$/, ''));
  const at = (re: RegExp) => cells.findIndex((c) => re.test(c));
  const p = at(/^项目名称$/);
  if (p >= 0 && cells.slice(p + 1).some((c) => c !== '')) return 'project';
  const d = at(/^(部门\(单位\)名称|部门名称)$/);
  if (d >= 0 && cells.slice(d + 1).some((c) => c !== '')) return 'department';
  const u = at(/^单位名称$/);
  if (u >= 0 && cells.some((c) => /^自评/.test(c))) return 'department';
  return undefined;
}

/**
 * Where each form of a document starts and ends. A form starts at its title (a short line naming a 自评表) or,
 * without one, at its 项目名称 / 部门(单位)名称 row. Rows before the first form that hold an indicator table are
 * a fragment: the document was cut before that form's head.
 */
export function findSegments(rows: Row[]): Segment[] {
  const anchors: { index: number; kind: 'project' | 'department' }[] = [];
  rows.forEach((row, index) => {
    const kind = isAnchor(row);
    if (kind) anchors.push({ index, kind });
  });
  const segments: Segment[] = [];
  let floor = 0;
  for (const a of anchors) {
    let start = a.index;
    for (let k = a.index - 1; k >= Math.max(floor, a.index - 14); k--) {
      const cells = rows[k]!.cells.filter((c) => c !== '');
      if (cells.length === 1 && TITLE.test(cells[0]!) && cells[0]!.length <= 60) {
        start = k;
        break;
      }
      if (cells.length > 1) break;
    }
    const prev = segments[segments.length - 1];
    if (prev) prev.end = start;
    segments.push({ kind: a.kind, start, end: rows.length, fragment: false });
    floor = a.index + 1;
  }
  const firstStart = segments[0]?.start ?? rows.length;
  for (let i = 0; i < firstStart; i++) {
    if (readIndicatorHeader(rows[i]!, i)) {
      segments.unshift({ kind: 'project', start: i, end: firstStart, fragment: segments.length > 0 });
      break;
    }
  }
  return segments;
}
