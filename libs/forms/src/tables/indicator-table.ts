import type { Indicator, SourceRef } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import type { DiagnosticSink } from '../diagnostics';
import { isBlankValue, isComparator, parseNumberCell } from '../text/numbers';
import { indicatorRole, type IndicatorRole } from './columns';
import { isKnownLevel2, isTotalLabel, matchLevel1 } from './levels';
import { compact, type Row } from './row';

export interface IndicatorHeader {
  rowIndex: number;
  /** Cell index of 一级指标 / 二级指标 / 三级指标 in the header row (−1 when not on that row). */
  p1: number;
  p2: number;
  p3: number;
  columns: { index: number; role: IndicatorRole; title: string }[];
}

export interface IndicatorTable {
  indicators: Indicator[];
  sections: { name: string; weight: number | null }[];
  total?: { weight: number | null; score: number | null; source: SourceRef };
  /** Index of the first row after the table. */
  end: number;
  /** The last row was cut off (document ends inside it) and was left out. */
  cutRow?: string;
}

/** A header row: a 三级指标 cell, and columns for the weight and a target or actual after it. */
export function readIndicatorHeader(row: Row, rowIndex: number): IndicatorHeader | undefined {
  const p3 = row.cells.findIndex((c) => /^三级指标/.test(compact(c)));
  if (p3 < 0) return undefined;
  const columns = row.cells
    .map((title, index) => ({ index, title, role: indicatorRole(title) }))
    .filter((c) => c.index > p3 && c.role !== 'other');
  const roles = new Set(columns.map((c) => c.role));
  if (!roles.has('weight') || !(roles.has('target') || roles.has('actual'))) return undefined;
  const seen = new Set<IndicatorRole>();
  const unique = columns.filter((c) => (seen.has(c.role) ? false : (seen.add(c.role), true)));
  return {
    rowIndex,
    p1: row.cells.findIndex((c) => /^一级指标/.test(compact(c))),
    p2: row.cells.findIndex((c) => /^二级指标/.test(compact(c))),
    p3,
    columns: unique,
  };
}

interface Mapped {
  values: Partial<Record<IndicatorRole, { text: string; cell: number; title: string }>>;
  /** The row had fewer cells than the weight/score columns need. */
  short: boolean;
}

function mapValues(cells: string[], nameIdx: number, header: IndicatorHeader): Mapped {
  const values: Mapped['values'] = {};
  const hasComparatorColumn = header.columns.some((c) => c.role === 'comparator');
  let shift = 0;
  let skipUnit = false;
  let lastNeeded = 0;
  for (let k = 0; k < header.columns.length; k++) {
    const col = header.columns[k]!;
    const idx = nameIdx + (col.index - header.p3) + shift;
    if (col.role === 'weight' || col.role === 'score') lastNeeded = Math.max(lastNeeded, idx);
    let text = cells[idx] ?? '';
    if (col.role === 'unit' && skipUnit) continue;
    if (col.role === 'target' && !hasComparatorColumn && isComparator(text) && idx + 1 < cells.length) {
      text = text + (cells[idx + 1] ?? '');
      // "≥ | 99%" spills into the next column: into the unit column when the form has one (金水), else shifts the row.
      if (header.columns[k + 1]?.role === 'unit') skipUnit = true;
      else shift += 1;
    }
    values[col.role] = { text, cell: idx, title: col.title };
  }
  return { values, short: lastNeeded >= cells.length };
}

interface Lead {
  level1?: { name: string; weight: number | null };
  level2?: string;
  nameIdx: number;
  positional: boolean;
}

/** Leading cells: first-level, second-level, then the indicator's name. */
function readLead(cells: string[], header: IndicatorHeader, usePosition: boolean): Lead {
  let level1: Lead['level1'];
  let level2: string | undefined;
  let positional = false;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c === '') continue;
    if (!level1 && !level2) {
      const l1 = matchLevel1(c);
      if (l1) {
        level1 = l1;
        continue;
      }
    }
    if (!level2) {
      if (isKnownLevel2(c)) {
        level2 = compact(c);
        continue;
      }
      if (usePosition && header.p2 >= 0 && i === header.p2 && header.p3 === i + 1 && (cells[i + 1] ?? '') !== '') {
        level2 = c;
        positional = true;
        continue;
      }
    }
    return { level1, level2, nameIdx: i, positional };
  }
  return { level1, level2, nameIdx: -1, positional };
}

const PLACEHOLDER = /^(|指标\d{0,2}[::]?|…+|\.{2,}|其他|无)$/;

/**
 * The indicator table from its header to the 总分 row (or the end). Rows are read by meaning: level cells are
 * recognised by their words and carried down, the name comes next, the values follow in the header's order.
 */
export function parseIndicatorTable(
  rows: Row[],
  header: IndicatorHeader,
  end: number,
  sink: DiagnosticSink,
  ocrEvidence: boolean,
): IndicatorTable {
  const indicators: Indicator[] = [];
  const sections: IndicatorTable['sections'] = [];
  let level1: string | null = null;
  let level2: string | null = null;
  let total: IndicatorTable['total'];
  let cutRow: string | undefined;
  const lastLine = lastContentIndex(rows, end);
  let i = header.rowIndex + 1;
  for (; i < end; i++) {
    const row = rows[i]!;
    if (row.cells.length === 0) continue;
    const first = row.cells.find((c) => c !== '') ?? '';
    if (isTotalLabel(first)) {
      total = readTotal(row, header, sink);
      i++;
      break;
    }
    if (row.sep === 'none' && /^(注|说明|备注)[::\d.、]/.test(first)) break;
    if (row.sep === 'none' && first.length > 60) break;
    if (/^#/.test(first)) break;
    let cells = row.cells;
    let lead = readLead(cells, header, true);
    let mapped = lead.nameIdx >= 0 ? mapValues(cells, lead.nameIdx, header) : undefined;
    if (mapped && lead.positional && parseNumberCell(mapped.values.weight?.text) === undefined) {
      lead = readLead(cells, header, false);
      mapped = mapValues(cells, lead.nameIdx, header);
    }
    if (lead.level1) {
      level1 = lead.level1.name;
      level2 = null;
      if (!sections.some((s) => s.name === lead.level1!.name)) sections.push({ ...lead.level1 });
    }
    if (lead.level2) level2 = lead.level2;
    if (!mapped) continue;
    // A row broken across lines (page break): try joining the next row on, the way that makes the figures readable.
    let consumed = 0;
    if (mapped.short) {
      const joined = joinContinuation(rows, i, end, cells, lead.nameIdx, header);
      if (joined) {
        cells = joined.cells;
        mapped = joined.mapped;
        consumed = joined.consumed;
      }
    }
    const rawName = cells[lead.nameIdx]!;
    const name = rawName.trim();
    const v = mapped.values;
    if (name === '' || PLACEHOLDER.test(compact(name).replace(/^指标\d{1,2}[::]/, ''))) {
      i += consumed;
      continue;
    }
    const weight = parseNumberCell(v.weight?.text);
    const score = parseNumberCell(v.score?.text);
    if (/^其中/.test(compact(name)) && !(typeof weight === 'number' && typeof score === 'number')) {
      sink.info(
        row.line,
        `"${short(name)}": a weightless 其中 sub-row, not an indicator (not summed)`,
        `“${short(name)}”：无分值的“其中”子行，不是指标，不计入合计`,
      );
      i += consumed;
      continue;
    }
    const valueCells = [v.target, v.actual, v.weight, v.score].filter((x) => x && !isBlankValue(x.text));
    if ((mapped.short || (!row.closed && endsOnFigure(cells, v))) && i === lastLine && row.sep !== 'sheet') {
      cutRow = name;
      sink.warn(
        row.line,
        `"${short(name)}": the document ends inside this row; left out`,
        `“${short(name)}”：文件在这一行中间结束，此行未读取`,
      );
      i += consumed;
      continue;
    }
    if (valueCells.length === 0) {
      sink.warn(
        row.line,
        `"${short(name)}": no target, actual, weight or score found; row left out`,
        `“${short(name)}”：没有找到指标值、实际完成值、分值或得分，此行未读取`,
      );
      i += consumed;
      continue;
    }
    if (weight === undefined || score === undefined) {
      const bad = weight === undefined ? v.weight : v.score;
      sink.warn(
        row.line,
        `"${short(name)}": ${bad?.title ?? '分值'} cell "${short(bad?.text ?? '')}" is not a number (columns out of place); row left out`,
        `“${short(name)}”：“${bad?.title ?? '分值'}”一栏的“${short(bad?.text ?? '')}”不是数字（各栏可能错位），此行未读取`,
      );
      i += consumed;
      continue;
    }
    const ind = buildIndicator(row, name, level1, level2, v, weight, score, ocrEvidence, sink, lead.nameIdx);
    indicators.push(ind);
    i += consumed;
  }
  return { indicators, sections, total, end: i, cutRow };
}

function buildIndicator(
  row: Row,
  name: string,
  level1: string | null,
  level2: string | null,
  v: Mapped['values'],
  weight: number | null,
  score: number | null,
  ocrEvidence: boolean,
  sink: DiagnosticSink,
  nameIdx: number,
): Indicator {
  const text = (x?: { text: string }): string | null => (x && x.text !== '' ? x.text : null);
  let target = text(v.target);
  let actual = text(v.actual);
  const comparator = text(v.comparator);
  if (comparator && target && isComparator(comparator) && !/^[≥≤=<>]/.test(target)) target = comparator + target;
  const repairedTarget = repairOcrComparator(target, actual, ocrEvidence);
  if (repairedTarget !== target) {
    sink.warn(
      row.line,
      `"${short(name)}": target "${target}" read as "${repairedTarget}" (OCR writes ≥ as 2)`,
      `“${short(name)}”：指标值“${target}”按“${repairedTarget}”读取（文字识别常把 ≥ 识别成 2）`,
    );
    target = repairedTarget;
  }
  if (ocrEvidence) {
    const repairedActual = repairOcrComparator(actual, null, true);
    if (repairedActual !== actual) {
      sink.warn(
        row.line,
        `"${short(name)}": actual "${actual}" read as "${repairedActual}" (OCR writes ≥ as 2)`,
        `“${short(name)}”：实际完成值“${actual}”按“${repairedActual}”读取（文字识别常把 ≥ 识别成 2）`,
      );
      actual = repairedActual;
    }
  }
  const unit = text(v.unit);
  const sources: Record<string, SourceRef> = { name: ref(row, nameIdx, '三级指标') };
  for (const [key, role] of [
    ['target', 'target'],
    ['actual', 'actual'],
    ['weight', 'weight'],
    ['reportedScore', 'score'],
  ] as const) {
    const x = v[role];
    if (x && x.text !== '') sources[key] = ref(row, x.cell, x.title);
  }
  return {
    level1,
    level2,
    name,
    target,
    actual,
    unit: unit && !isBlankValue(unit) ? unit : null,
    weight,
    reportedScore: score,
    deviationReason: text(v.reason) && !isBlankValue(v.reason?.text) ? v.reason!.text : null,
    sources,
  };
}

/**
 * OCR reads "≥90%" as "290%". Only repaired where it cannot mean anything else: a percentage above 100 whose
 * tail is a plausible threshold, next to an actual percentage of at most 100 (or in a document showing the pattern).
 */
function repairOcrComparator(value: string | null, actual: string | null, evidence: boolean): string | null {
  if (!value) return value;
  const m = /^2([1-9]\d?(?:\.\d{1,2})?|100)%$/.exec(value);
  if (!m) return value;
  const whole = Number(value.slice(0, -1));
  const tail = Number(m[1]);
  if (whole <= 100 || tail > 100) return value;
  const actualPct = actual ? /^(\d{1,3}(?:\.\d{1,2})?)%$/.exec(actual) : null;
  if (evidence || (actualPct && Number(actualPct[1]) <= 100)) return `≥${m[1]}%`;
  return value;
}

function readTotal(row: Row, header: IndicatorHeader, sink: DiagnosticSink): IndicatorTable['total'] {
  const wCol = header.columns.find((c) => c.role === 'weight');
  const sCol = header.columns.find((c) => c.role === 'score');
  if (row.sep === 'tab' || row.sep === 'comma' || row.sep === 'sheet') {
    const w = wCol ? parseNumberCell(row.cells[wCol.index]) : undefined;
    const s = sCol ? parseNumberCell(row.cells[sCol.index]) : undefined;
    if (typeof s === 'number' && w !== undefined) {
      return { weight: w, score: s, source: ref(row, sCol!.index, sCol!.title) };
    }
  }
  const numbers = row.cells
    .map((c, index) => ({ n: parseNumberCell(c), index }))
    .filter((x): x is { n: number; index: number } => typeof x.n === 'number');
  if (numbers.length === 2) {
    const [a, b] = sCol && wCol && sCol.index < wCol.index ? [numbers[1]!, numbers[0]!] : [numbers[0]!, numbers[1]!];
    return { weight: a.n, score: b.n, source: ref(row, b.index, '得分') };
  }
  if (numbers.length === 1)
    sink.warn(
      row.line,
      `总分 row holds one number (${numbers[0]!.n}) and its column cannot be told (分值 or 得分): not used`,
      `总分行只有一个数字（${numbers[0]!.n}），分不清是分值还是得分，未采用`,
    );
  else sink.warn(row.line, `总分 row could not be read`, `总分行未能读取`);
  return undefined;
}

function joinContinuation(
  rows: Row[],
  i: number,
  end: number,
  cells: string[],
  nameIdx: number,
  header: IndicatorHeader,
): { cells: string[]; mapped: Mapped; consumed: number } | undefined {
  let j = i + 1;
  while (j < end && j <= i + 2 && rows[j]!.cells.length === 0) j++;
  const next = rows[j];
  if (!next || j >= end || next.cells.length === 0) return undefined;
  if (isTotalLabel(next.cells.find((c) => c !== ''))) return undefined;
  const nextLead = readLead(next.cells, header, false);
  const tail = next.cells;
  const variants = [
    [...cells, ...tail],
    tail[0] === '' ? [...cells, ...tail.slice(1)] : undefined,
    [...cells.slice(0, -1), (cells[cells.length - 1] ?? '') + (tail[0] ?? ''), ...tail.slice(1)],
  ];
  for (const v of variants) {
    if (!v) continue;
    const mapped = mapValues(v, nameIdx, header);
    const w = parseNumberCell(mapped.values.weight?.text);
    const s = parseNumberCell(mapped.values.score?.text);
    if (!mapped.short && typeof w === 'number' && s !== undefined) {
      // A next row that starts its own indicator (a level cell, then a name with values) is not a continuation.
      if (nextLead.level1 || nextLead.level2) return undefined;
      return { cells: v, mapped, consumed: j - i };
    }
  }
  return undefined;
}

/** The row's last written cell is a figure: at the document's end it may have been cut mid-number. */
function endsOnFigure(cells: string[], v: Mapped['values']): boolean {
  let last = cells.length - 1;
  while (last >= 0 && cells[last] === '') last--;
  return v.weight?.cell === last || v.score?.cell === last;
}

function lastContentIndex(rows: Row[], end: number): number {
  for (let k = Math.min(end, rows.length) - 1; k >= 0; k--) if (rows[k]!.cells.length > 0) return k;
  return -1;
}

export function ref(row: Row, cell: number, column?: string): SourceRef {
  const r: SourceRef = { line: row.line, cell };
  if (column) r.column = column;
  if (row.sheet) r.sheet = row.sheet;
  return r;
}

function short(s: string): string {
  return s.length > 30 ? `${s.slice(0, 30)}…` : s;
}
