import type { ScoreResult } from '@jixiao/contracts';
import { renderTable } from './table';

const fmt = (n: number | null | undefined, digits = 2) => (n === null || n === undefined ? '—' : n.toFixed(digits));
const diff = (a: number | null, b: number | null) => (a === null || b === null ? '' : (a - b).toFixed(2));

/** The readable report of `jixiao score` (without --json): indicators, findings, total and grade. */
export function renderScoreReport(r: ScoreResult): string {
  const title = [r.projectName ?? r.unitName ?? '(未命名)', r.unitName && r.projectName ? `（${r.unitName}）` : '']
    .join('')
    .trim();
  const head = [
    `${title}`,
    `${r.formType === 'project' ? '项目支出' : '部门整体'} · ${r.region.name} ${r.region.code} · ${r.fiscalYear ?? '年度未知'}年度 · 规则 ${r.ruleSet.id} v${r.ruleSet.version} ${r.ruleSet.hash.slice(0, 19)}`,
  ];
  const table = renderScoreTable(r.computed.execution, r.reported.executionScore, r.computed.indicators);
  const findings = renderFindings(r.findings);
  const totals = [
    `自评总分 ${fmt(r.reported.total)}  自评等级 ${r.reported.grade ?? '—'}`,
    `规则总分 ${fmt(r.computed.total)}  规则等级 ${r.computed.grade ?? '—'}`,
    renderRouting(r.routing),
  ];
  return [...head, '', table, '', `发现问题 (${r.findings.length})：`, findings, '', ...totals, ''].join('\n');
}

interface ScoredRow {
  name: string;
  weight: number | null;
  reportedScore: number | null;
  score: number | null;
  method?: string;
  explanation?: string | null;
}

/** The indicator table of a score: the execution row, then each indicator (shared with `jixiao review show`). */
export function renderScoreTable(
  ex: { weight: number | null; score: number | null; rate: number | null; explanation?: string | null },
  reportedExecutionScore: number | null,
  indicators: readonly ScoredRow[],
): string {
  const rows: string[][] = [
    [
      '预算执行率',
      fmt(ex.weight, 0),
      fmt(reportedExecutionScore),
      fmt(ex.score),
      diff(reportedExecutionScore, ex.score),
      ex.explanation ?? (ex.rate === null ? '' : `执行率 ${(ex.rate * 100).toFixed(2)}%`),
    ],
    ...indicators.map((i) => [
      i.name,
      fmt(i.weight, i.weight !== null && Number.isInteger(i.weight) ? 0 : 2),
      fmt(i.reportedScore),
      fmt(i.score),
      diff(i.reportedScore, i.score),
      i.explanation ?? i.method ?? '',
    ]),
  ];
  return renderTable(
    [
      { header: '指标', max: 24 },
      { header: '分值', align: 'right' },
      { header: '自评得分', align: 'right' },
      { header: '规则得分', align: 'right' },
      { header: '差异', align: 'right' },
      { header: '说明', max: 80 },
    ],
    rows,
  );
}

/** Findings one per line (`[severity] CODE · subject: message`), or 无. */
/** A finding a line; `numbered`: each with its number, from 1 (what `review return --finding` takes). */
export function renderFindings(
  findings: readonly { severity: string; code: string; subject?: string | null; message: string }[],
  { numbered = false } = {},
): string {
  return findings.length
    ? findings
        .map(
          (f, i) =>
            `  ${numbered ? `${i + 1}. ` : ''}[${f.severity}] ${f.code}${f.subject ? ` · ${f.subject}` : ''}: ${f.message}`,
        )
        .join('\n')
    : '  无';
}

/** `处理：自动通过` or `处理：人工审核（reasons）`. */
export function renderRouting(routing: { decision: string; reasons: readonly string[] }): string {
  const reasons = routing.reasons.length ? `（${routing.reasons.join('；')}）` : '';
  return `处理：${routing.decision === 'auto-approve' ? '自动通过' : '人工审核'}${reasons}`;
}

export { fmt as formatScore };
