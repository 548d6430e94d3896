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
  const ex = r.computed.execution;
  const rows: string[][] = [
    [
      '预算执行率',
      fmt(ex.weight, 0),
      fmt(r.reported.executionScore),
      fmt(ex.score),
      diff(r.reported.executionScore, ex.score),
      ex.explanation ?? (ex.rate === null ? '' : `执行率 ${(ex.rate * 100).toFixed(2)}%`),
    ],
    ...r.computed.indicators.map((i) => [
      i.name,
      fmt(i.weight, i.weight !== null && Number.isInteger(i.weight) ? 0 : 2),
      fmt(i.reportedScore),
      fmt(i.score),
      diff(i.reportedScore, i.score),
      i.explanation ?? i.method,
    ]),
  ];
  const table = renderTable(
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
  const findings = r.findings.length
    ? r.findings.map((f) => `  [${f.severity}] ${f.code}${f.subject ? ` · ${f.subject}` : ''}: ${f.message}`).join('\n')
    : '  无';
  const totals = [
    `自评总分 ${fmt(r.reported.total)}  自评等级 ${r.reported.grade ?? '—'}`,
    `规则总分 ${fmt(r.computed.total)}  规则等级 ${r.computed.grade ?? '—'}`,
    `处理：${r.routing.decision === 'auto-approve' ? '自动通过' : '人工复核'}${r.routing.reasons.length ? `（${r.routing.reasons.join('；')}）` : ''}`,
  ];
  return [...head, '', table, '', `发现问题 (${r.findings.length})：`, findings, '', ...totals, ''].join('\n');
}
