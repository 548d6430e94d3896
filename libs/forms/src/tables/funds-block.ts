import type { Funds, SourceRef } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import type { DiagnosticSink } from '../diagnostics';
import { isBlankValue, isRateCell, parseAmountCell, parseNumberCell } from '../text/numbers';
import { fundsRole, type FundsRole } from './columns';
import { ref } from './indicator-table';
import { compact, type Row } from './row';

interface FundsHeader {
  rowIndex: number;
  columns: { index: number; role: FundsRole; title: string }[];
  unit?: string;
}

const TOTAL_LABEL = /^(年度资金总额|资金总额|年度财政资金总额|部门预算总额|总额|合计)/;
const OF_WHICH_LABEL = /^其中.{0,6}(财政拨款|财政资金|一般公共预算)/;

/** A funds header: three or more budget columns (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分…). */
export function readFundsHeader(row: Row, rowIndex: number): FundsHeader | undefined {
  const columns: FundsHeader['columns'] = [];
  const seen = new Set<FundsRole>();
  row.cells.forEach((title, index) => {
    const role = fundsRole(title);
    if (role && !seen.has(role)) {
      seen.add(role);
      columns.push({ index, role, title });
    }
  });
  if (columns.length < 3 || !seen.has('executed')) return undefined;
  const unitCell = row.cells.find((c) => /万元|\(元\)/.test(c));
  return { rowIndex, columns, unit: unitCell ? (/万元/.test(unitCell) ? '万元' : '元') : undefined };
}

interface FundsRow {
  values: Partial<Record<FundsRole, { text: string; cell: number; title: string }>>;
  row: Row;
}

function fits(values: FundsRow['values']): boolean {
  let amounts = 0;
  for (const [role, v] of Object.entries(values) as [FundsRole, { text: string }][]) {
    if (role === 'rate') {
      if (!isRateCell(v.text)) return false;
    } else if (role === 'weight' || role === 'score') {
      if (parseNumberCell(v.text) === undefined || /%/.test(v.text)) return false;
    } else {
      const n = parseAmountCell(v.text);
      if (n === undefined) return false;
      if (n !== null) amounts++;
    }
  }
  return amounts > 0;
}

/**
 * Map a data row onto the header's columns. Extractors drop empty cells and shift rows, so several alignments
 * are tried in turn (same cell index as the header; left-aligned after the label; the 年初预算数 cell missing)
 * and the first whose cells have the right kinds (amounts, a rate, a weight, a score) is taken.
 */
function alignRow(row: Row, labelIdx: number, header: FundsHeader, headerRow: Row): FundsRow['values'] | undefined {
  const cols = header.columns;
  const after = row.cells.slice(labelIdx + 1);
  const candidates: ((k: number) => number)[] = [];
  if (row.sep === headerRow.sep && row.sep !== 'pipe' && row.sep !== 'none') candidates.push((k) => cols[k]!.index);
  candidates.push((k) => labelIdx + 1 + k);
  if (after[0] === '') candidates.push((k) => labelIdx + 2 + k);
  const values = (pos: (k: number) => number, skipInitial: boolean): FundsRow['values'] => {
    const out: FundsRow['values'] = {};
    let k2 = 0;
    cols.forEach((c) => {
      if (skipInitial && c.role === 'initialBudget') return;
      const idx = pos(k2++);
      out[c.role] = { text: row.cells[idx] ?? '', cell: idx, title: c.title };
    });
    return out;
  };
  for (const pos of candidates) {
    const v = values(pos, false);
    if (fits(v)) return v;
  }
  const nonEmptyAfter = after.filter((c) => c !== '').length;
  if (cols[0]?.role === 'initialBudget' && nonEmptyAfter === cols.length - 1) {
    // Only when the stated rate confirms it: the cell left out could have been another one.
    const v = values((k) => labelIdx + 1 + after.findIndex((c) => c !== '') + k, true);
    if (fits(v) && rateConfirms(v)) return v;
  }
  return undefined;
}

function rateConfirms(v: FundsRow['values']): boolean {
  const adjusted = parseAmountCell(v.adjustedBudget?.text);
  const executed = parseAmountCell(v.executed?.text);
  const rate = /^(\d{1,4}(?:\.\d{1,6})?)%$/.exec((v.rate?.text ?? '').replace(/\s+/g, ''));
  if (typeof adjusted !== 'number' || typeof executed !== 'number' || adjusted === 0 || !rate) return false;
  return Math.abs((executed / adjusted) * 100 - Number(rate[1])) <= 0.5;
}

/** The funds block under a funds header: the 年度资金总额 row, unless it is empty or zero and a 其中 row holds the money. */
export function parseFundsBlock(
  rows: Row[],
  header: FundsHeader,
  end: number,
  sink: DiagnosticSink,
): Funds | undefined {
  let total: FundsRow | undefined;
  let ofWhich: FundsRow | undefined;
  const headerRow = rows[header.rowIndex]!;
  for (let i = header.rowIndex + 1; i < Math.min(end, header.rowIndex + 12); i++) {
    const row = rows[i]!;
    const labelIdx = row.cells.findIndex((c) => c !== '');
    if (labelIdx < 0) continue;
    const label = compact(row.cells[labelIdx]);
    if (/^(年度总体目标|绩效指标|一级指标|年度总体|项目基本情况|绩效目标)/.test(label)) break;
    const isTotal = TOTAL_LABEL.test(label);
    const isOfWhich = OF_WHICH_LABEL.test(label);
    if (!isTotal && !isOfWhich) continue;
    const values = alignRow(row, labelIdx, header, headerRow);
    if (!values) {
      sink.warn(
        row.line,
        `funds row "${row.cells[labelIdx]}": its cells do not fit the columns ${header.columns.map((c) => c.title).join(' / ')}; not read`,
        `资金行“${row.cells[labelIdx]}”：单元格与表头各栏（${header.columns.map((c) => c.title).join(' / ')}）对不上，未读取`,
      );
      continue;
    }
    if (isTotal && !total) total = { values, row };
    else if (isOfWhich && !ofWhich) ofWhich = { values, row };
  }
  if (!total && !ofWhich) return undefined;
  const amountsOf = (r?: FundsRow) =>
    (['initialBudget', 'adjustedBudget', 'executed'] as const).map((k) => parseAmountCell(r?.values[k]?.text) ?? null);
  let amountRow = total ?? ofWhich!;
  if (
    total &&
    ofWhich &&
    amountsOf(total).every((n) => n === null || n === 0) &&
    amountsOf(ofWhich).some((n) => n !== null && n !== 0)
  ) {
    sink.warn(
      total.row.line,
      '年度资金总额 row is empty or all zeros; amounts taken from the 其中 row below it',
      '“年度资金总额”行为空或全为零，金额取自其下的“其中”行',
    );
    amountRow = ofWhich;
  }
  const scoreRow = total ?? ofWhich!;
  const funds: Funds = {};
  const sources: Record<string, SourceRef> = {};
  for (const key of ['initialBudget', 'adjustedBudget', 'executed'] as const) {
    const v = amountRow.values[key];
    const n = parseAmountCell(v?.text);
    funds[key] = n ?? null;
    if (v && typeof n === 'number') sources[key] = ref(amountRow.row, v.cell, v.title);
  }
  const w = scoreRow.values.weight;
  funds.weight = parseNumberCell(w?.text) ?? null;
  if (w && typeof funds.weight === 'number') sources.weight = ref(scoreRow.row, w.cell, w.title);
  const s = scoreRow.values.score;
  funds.reportedScore = parseNumberCell(s?.text) ?? null;
  if (s && typeof funds.reportedScore === 'number') sources.reportedScore = ref(scoreRow.row, s.cell, s.title);
  const r = scoreRow.values.rate;
  funds.reportedRate = r && !isBlankValue(r.text) ? r.text : null;
  if (r && funds.reportedRate) sources.reportedRate = ref(scoreRow.row, r.cell, r.title);
  const unit = header.unit ?? unitAbove(rows, header.rowIndex);
  if (unit) funds.unit = unit;
  funds.sources = sources;
  return funds;
}

/** "资金情况 (万元)" is often a cell of its own on the line above the header. */
function unitAbove(rows: Row[], headerIndex: number): string | undefined {
  for (let k = headerIndex - 1; k >= Math.max(0, headerIndex - 2); k--) {
    const hit = rows[k]!.cells.find((c) => /\((万元|元)\)/.test(c));
    if (hit) return /万元/.test(hit) ? '万元' : '元';
  }
  return undefined;
}
