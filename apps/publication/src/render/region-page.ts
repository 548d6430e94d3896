import { FORM_TYPE_LABELS, statusLabel, type DisclosureRow } from '../domain/disclosure-view';
import { formatRate, formatScore, html, type SafeHtml } from '@jixiao/runtime/html';
import { gradeChart } from './grade-chart';
import { layout } from './layout';
import { distributionOf, evaluationPath, type RegionYear } from './region-data';

export function regionLabel(code: string, name: string | null): string {
  return name ? `${name}（${code}）` : code;
}

const STATUS_CLASS = { 已发布: 'published', 已修订: 'revised', 已撤回: 'retracted' } as const;

export function statusBadge(row: Pick<DisclosureRow, 'status' | 'revision'>): SafeHtml {
  const label = statusLabel(row);
  return html`<span class="badge ${STATUS_CLASS[label]}" data-status="${label}">${label}</span>`;
}

export function regionPage(view: RegionYear, base: string): SafeHtml {
  const region = regionLabel(view.region, view.regionName);
  const title = `${region} ${view.fiscalYear}年度预算绩效自评结果`;
  const distribution = distributionOf(view);
  const inForce = view.rows.filter((r) => r.status === 'published');
  const totals = inForce.map((r) => r.total).filter((t): t is number => t !== null);
  const average = totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : null;
  const file = `${base}/public/${encodeURIComponent(view.region)}/${view.fiscalYear}`;
  const rows = view.rows.map(
    (r) => html`<tr data-evaluation-id="${r.evaluationId}">
<td>${r.unitName ?? '—'}</td>
<td><a href="${evaluationPath(base, r.evaluationId)}">${r.projectName ?? '（部门整体）'}</a></td>
<td>${FORM_TYPE_LABELS[r.formType]}</td>
<td class="num" data-field="total">${formatScore(r.total)}</td>
<td data-field="grade">${r.grade ?? '—'}</td>
<td class="num" data-field="execution-rate">${formatRate(r.executionRate)}</td>
<td data-field="status">${statusBadge(r)}${
      r.underReviewRunId && r.status === 'published' ? html` <span class="badge review" data-under-review="true">复核中</span>` : ''
    }</td>
</tr>`,
  );
  const body = html`<h1>${title}</h1>
<p class="meta">共公开 ${view.rows.length} 份绩效自评表（其中已撤回 ${view.rows.length - inForce.length} 份）。分数为财政部门按本地区评分规则复核后的得分。</p>
<section class="card summary">
<div><span class="muted">有效公开</span><strong>${inForce.length}</strong></div>
<div><span class="muted">平均总分</span><strong>${formatScore(average === null ? null : Math.round(average * 100) / 100)}</strong></div>
<div class="downloads"><span class="muted">下载数据</span><br><a href="${file}.json" download>JSON</a><a href="${file}.csv" download>CSV</a><a href="${file}.xlsx" download>Excel</a></div>
</section>
<h2>等级分布</h2>
<section class="card">${inForce.length ? gradeChart(distribution) : html`<p class="muted" data-testid="grade-chart">暂无有效公开的评价。</p>`}
<p class="muted">已撤回的评价不计入等级分布。</p></section>
<h2>评价结果</h2>
<div class="scroll"><table data-testid="results-table">
<thead><tr><th>单位</th><th>项目</th><th>表类型</th><th class="num">总分</th><th>等级</th><th class="num">执行率</th><th>状态</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
  return layout(title, body, base);
}
