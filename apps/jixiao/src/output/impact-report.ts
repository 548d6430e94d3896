import { orderGrades } from '@jixiao/scoring';
import type { ImpactReport } from '../server/api-types';
import { renderTable } from './table';

const int = (n: number) => n.toLocaleString('en-US');
const signed = (n: number | null, digits = 2) => (n === null ? '—' : `${n > 0 ? '+' : ''}${n.toFixed(digits)}`);
const edge = (n: number) => `${n > 0 ? '+' : ''}${Number(n.toFixed(3))}`;
const score = (n: number | null) => (n === null ? '—' : n.toFixed(2));

const label = (g: string | null) => g ?? '—';

/** Rows: the old grade; columns: the new grade; cells: how many evaluations moved so (blank for none). */
export function transitionMatrix(transitions: ImpactReport['transitions']): string {
  if (transitions.length === 0) return '(no evaluations)';
  const rows = orderGrades(transitions.map((t) => t.from));
  const cols = orderGrades(transitions.map((t) => t.to));
  const count = (f: string | null, t: string | null) =>
    transitions.filter((x) => x.from === f && x.to === t).reduce((s, x) => s + x.count, 0);
  return renderTable(
    [{ header: '旧＼新' }, ...cols.map((c) => ({ header: label(c), align: 'right' as const }))],
    rows.map((r) => [label(r), ...cols.map((c) => (count(r, c) ? int(count(r, c)) : '·'))]),
  );
}

/** The distribution of new − old totals, one bar per bucket. */
export function deltaHistogram(delta: ImpactReport['totalDelta'], width = 30): string {
  const head = `总分变化 (new − old total): 最小 ${signed(delta.min)} · 最大 ${signed(delta.max)} · 平均 ${signed(delta.mean)}`;
  const most = Math.max(0, ...delta.buckets.map((b) => b.count));
  const rows = delta.buckets.map((b) => [
    `[${edge(b.from)}, ${edge(b.to)})`,
    int(b.count),
    '#'.repeat(most ? Math.ceil((b.count / most) * width) : 0),
  ]);
  if (most === 0) return head;
  return `${head}\n${renderTable([{ header: '区间' }, { header: '数量', align: 'right' }, { header: '' }], rows)}`;
}

const arrow = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);

/** The changed evaluations: old → new total, grade and routing. */
export function changedTable(changed: ImpactReport['changed']): string {
  return renderTable(
    [
      { header: '评价 (evaluation)', max: 24 },
      { header: '地区' },
      { header: '年度' },
      { header: '单位 / 项目', max: 36 },
      { header: '总分' },
      { header: '等级' },
      { header: '审核分流 (routing)' },
    ],
    changed.map((c) => [
      c.evaluationId,
      c.region,
      c.fiscalYear === null ? '—' : String(c.fiscalYear),
      [c.unit, c.project].filter(Boolean).join(' / ') || '—',
      `${score(c.oldTotal)} → ${score(c.newTotal)}`,
      arrow(label(c.oldGrade), label(c.newGrade)),
      c.oldRouting === c.newRouting ? '' : `${label(c.oldRouting)} → ${label(c.newRouting)}`,
    ]),
  );
}

/** The impact report of a re-scoring run: counts, grade transitions, total changes, the changed list. */
export function renderImpactReport(r: ImpactReport): string {
  const changedCount = r.rescored - r.unchanged;
  const parts = [
    `重新评分 (rescored) ${int(r.rescored)} · 结果未变 (unchanged) ${int(r.unchanged)} · 有变化 (changed) ${int(changedCount)}`,
    `等级变化 (grade transitions: rows old, columns new)\n${transitionMatrix(r.transitions)}`,
    deltaHistogram(r.totalDelta),
  ];
  if (r.changed.length) {
    const note = r.changedTruncated
      ? `\n(the server lists only the first ${int(r.changed.length)} changed evaluations)`
      : '';
    parts.push(`有变化的评价 (changed evaluations)\n${changedTable(r.changed)}${note}`);
  }
  return parts.join('\n\n');
}
