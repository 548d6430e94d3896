import type { Breakdown } from '../domain/breakdown';
import { FORM_TYPE_LABELS, type EvaluationDisclosure, type RevisionView } from '../domain/disclosure-view';
import { formatRate, formatScore, formatTime, html, type SafeHtml, SEVERITY_LABELS } from '@jixiao/runtime/html';
import { layout } from './layout';
import { evaluationPath } from './region-data';
import { regionLabel, statusBadge } from './region-page';


function breakdownSection(b: Breakdown | null): SafeHtml {
  if (!b) return html`<p class="muted">本次审核未附评分明细。</p>`;
  const execution = b.execution
    ? html`<p>预算执行率 ${formatRate(b.execution.rate)}，得分 ${formatScore(b.execution.score)} / ${formatScore(b.execution.weight)}${
        b.execution.explanation ? html`（${b.execution.explanation}）` : ''
      }</p>`
    : '';
  const sections = b.sections.length
    ? html`<table data-testid="sections-table"><thead><tr><th>一级指标</th><th class="num">分值</th><th class="num">得分</th></tr></thead><tbody>${b.sections.map(
        (s) => html`<tr><td>${s.label}</td><td class="num">${formatScore(s.weight)}</td><td class="num">${formatScore(s.score)}</td></tr>`,
      )}</tbody></table>`
    : '';
  const indicators = html`<div class="scroll"><table data-testid="indicators-table">
<thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th class="num">分值</th><th class="num">复核得分</th><th class="num">自评得分</th><th>评分说明</th></tr></thead>
<tbody>${b.indicators.map(
    (i) => html`<tr><td>${i.level1 ?? ''}</td><td>${i.level2 ?? ''}</td><td>${i.name}</td><td class="num">${formatScore(i.weight)}</td><td class="num">${formatScore(
      i.score,
    )}</td><td class="num">${formatScore(i.reportedScore)}</td><td>${i.explanation ?? ''}</td></tr>`,
  
  )}</tbody></table></div>`;
  const { counts, items } = b.findings;
  const findings = items.length
    ? html`<h2>复核发现</h2><p class="muted">错误 ${counts.error} 项，警告 ${counts.warning} 项，提示 ${counts.info} 项。</p>
<ul>${items.map((f) => html`<li><strong>${SEVERITY_LABELS[f.severity as 'error'] ?? f.severity}</strong>${f.subject ? html`（${f.subject}）` : ''}：${f.message}</li>`)}</ul>`
    : html`<h2>复核发现</h2><p class="muted">无。</p>`;
  return html`${execution}${sections}${indicators}${findings}`;
}

/** An approval says who approved it; a re-scoring revision says it is one (its figures await a reviewer). */
function revisionOrigin(r: RevisionView): SafeHtml | string {
  if (r.rescoringRunId) return html` <span class="badge revised" data-rescoring-run="${r.rescoringRunId}">重新评分</span>`;
  return r.automatic ? '' : '（人工审核）';
}

export function historyTable(revisions: readonly RevisionView[]): SafeHtml {
  return html`<div class="scroll"><table data-testid="revision-history">
<thead><tr><th class="num">版本</th><th>发布时间</th><th class="num">总分</th><th>等级</th><th class="num">执行率</th><th>评分规则</th><th>说明</th></tr></thead>
<tbody>${[...revisions].reverse().map(
    (r) => html`<tr data-revision="${r.revision}"><td class="num">${r.revision}</td><td>${formatTime(r.publishedAt)}</td><td class="num">${formatScore(
      r.total,
    )}</td><td>${r.grade ?? '—'}</td><td class="num">${formatRate(r.executionRate)}</td><td>${r.ruleSet.id} v${r.ruleSet.version}</td><td>${
      r.reason ?? '首次发布'
    }${revisionOrigin(r)}</td></tr>`,
  )}</tbody></table></div>`;
}

function underReview(d: EvaluationDisclosure['disclosure'], current: RevisionView): SafeHtml | string {
  if (!d.underReviewRunId || d.status !== 'published') return '';
  return html`<div class="notice" data-testid="under-review"><strong>复核中</strong>：评分规则调整后（${current.ruleSet.id} 第 ${current.ruleSet.version} 版）重新评分，总分或等级已变化，财政部门正在重新审核。<br>
<span class="muted">调整前公开的结果见下方修订记录。</span></div>`;
}

export function evaluationPage({ disclosure: d, revisions, replacedBy }: EvaluationDisclosure, base: string): SafeHtml {
  const current = revisions[revisions.length - 1];
  const title = `${d.projectName ?? d.unitName ?? d.evaluationId} 绩效自评结果`;
  const regionLink = d.fiscalYear !== null ? `${base}/public/${encodeURIComponent(d.region)}/${d.fiscalYear}` : null;
  const retraction =
    d.status === 'retracted'
      ? html`<div class="notice" data-testid="retraction"><strong>已撤回</strong>（${formatTime(d.retractedAt)}）：${d.retractionReason ?? ''}<br>
${
          replacedBy
            ? html`<a href="${evaluationPath(base, replacedBy)}" data-testid="replaced-by">查看更正后公开的结果</a><br>`
            : ''
        }<span class="muted">撤回前公开的内容与修订记录保留如下，仅供查阅。</span></div>`
      : '';
  const body = html`<h1>${d.projectName ?? '部门整体支出'} ${statusBadge(d)}</h1>
<p class="meta">${d.unitName ?? ''} · ${FORM_TYPE_LABELS[d.formType]}绩效自评表 · ${
    regionLink ? html`<a href="${regionLink}">${regionLabel(d.region, d.regionName)} ${d.fiscalYear}年度</a>` : regionLabel(d.region, d.regionName)
  }</p>
${retraction}${underReview(d, current)}
<section class="card summary" data-testid="current-figures">
<div><span class="muted">总分</span><strong data-field="total">${formatScore(d.total)}</strong></div>
<div><span class="muted">等级</span><strong data-field="grade">${d.grade ?? '—'}</strong></div>
<div><span class="muted">预算执行率</span><strong data-field="execution-rate">${formatRate(d.executionRate)}</strong></div>
<div><span class="muted">版本</span><strong>${d.revision}</strong></div>
</section>
<p class="muted">评分规则：${current.ruleSet.id} 第 ${current.ruleSet.version} 版 <code>${current.ruleSet.hash}</code>；评价编号 <code>${d.evaluationId}</code>；首次发布 ${formatTime(
    d.firstPublishedAt,
  )}。</p>
<h2>评分明细</h2>
${breakdownSection(current.breakdown)}
<h2>修订记录</h2>
${historyTable(revisions)}`;
  return layout(title, body, base);
}
