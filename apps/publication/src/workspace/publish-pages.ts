import { formatRate, formatScore, formatTime, html, type SafeHtml, trusted } from '@jixiao/runtime/html';
import { notice, type Viewer, workspacePage } from '@jixiao/runtime/workspace';
import { type DisclosureRow, FORM_TYPE_LABELS } from '../domain/disclosure-view';
import type { DisclosureFilter, DisclosureList, StaffDisclosure } from '../queries/list-disclosures.query';
import { historyTable } from '../render/evaluation-page';
import { evaluationPath } from '../render/region-data';
import { regionLabel, statusBadge } from '../render/region-page';

/** Where the management of what was published lives (publication's pages). */
export const PUBLISH = '/publish';

export const publishedPath = (evaluationId: string) => `${PUBLISH}/evaluations/${encodeURIComponent(evaluationId)}`;

/** The list's filters as the form holds them (kept as typed when refused). */
export interface PublishFilters {
  region?: string;
  year?: string;
  status?: DisclosureFilter;
  q?: string;
}

const FILTER_LABELS: Record<DisclosureFilter, string> = {
  published: '有效公开',
  revised: '已修订',
  under_review: '复核中',
  retracted: '已撤回',
};

/** The list with these filters, on this page. */
export function publishHref(filters: PublishFilters, page = 1): string {
  const query = new URLSearchParams();
  for (const key of ['region', 'year', 'status', 'q'] as const) if (filters[key]) query.set(key, String(filters[key]));
  if (page > 1) query.set('page', String(page));
  const s = query.toString();
  return s ? `${PUBLISH}?${s}` : PUBLISH;
}

/** A disclosure's standing: 已发布, 已修订 or 已撤回, and 复核中 while a re-scoring's change awaits a reviewer. */
function standing(d: DisclosureRow): SafeHtml {
  return html`${statusBadge(d)}${
    d.underReviewRunId && d.status === 'published'
      ? html` <span class="badge review" data-under-review="true">复核中</span>`
      : ''
  }`;
}

function countsStrip(list: DisclosureList, filters: PublishFilters): SafeHtml {
  const c = list.counts;
  const link = (status: DisclosureFilter | undefined, label: string, n: number) =>
    html`<a href="${publishHref({ ...filters, status })}" data-count="${status ?? 'all'}">${label} <strong>${n}</strong></a>`;
  return html`<p class="card pager" data-testid="publish-counts">${link(undefined, '全部', c.total)}${link(
    'published',
    '有效公开',
    c.published,
  )}${link('revised', '其中已修订', c.revised)}${link('under_review', '其中复核中', c.underReview)}${link(
    'retracted',
    '已撤回',
    c.retracted,
  )}</p>`;
}

/** 公开管理: what was published in the viewer's regions, newest first, each leading to its management page. */
export function publishListPage(
  viewer: Viewer,
  list: DisclosureList | null,
  filters: PublishFilters,
  error: string | null,
  base: string,
): SafeHtml {
  const selected = (on: boolean) => (on ? trusted(' selected') : '');
  const statusOptions = [
    html`<option value="">全部</option>`,
    ...(Object.keys(FILTER_LABELS) as DisclosureFilter[]).map(
      (s) => html`<option value="${s}"${selected(filters.status === s)}>${FILTER_LABELS[s]}</option>`,
    ),
  ];
  const form = html`<form class="filters card" method="get" action="${PUBLISH}">
<label>地区代码<input name="region" value="${filters.region ?? ''}" size="8" pattern="CN|[0-9]{6}" placeholder="130126"></label>
<label>年度<input name="year" value="${filters.year ?? ''}" size="5" inputmode="numeric" pattern="[0-9]{4}"></label>
<label>状态<select name="status">${statusOptions}</select></label>
<label>单位或项目名称<input name="q" value="${filters.q ?? ''}" size="14" maxlength="200" placeholder="如 财政局"></label>
<button class="primary" type="submit">筛选</button>
</form>`;
  const intro = html`<p class="muted">审核通过后自动公开的绩效自评结果。公开有误时，所在地区的审核人员可在评价的公开管理页面撤回（公开页面保留该评价，标注“已撤回”及理由）。</p>`;
  if (!list)
    return workspacePage(PUBLISH, '公开管理', html`<h1>公开管理</h1>${intro}${notice('error', error)}${form}`, viewer);
  const rows = list.items.map(
    (d) => html`<tr data-evaluation-id="${d.evaluationId}">
<td><a href="${publishedPath(d.evaluationId)}">${d.projectName ?? '（部门整体）'}</a></td>
<td>${d.unitName ?? '—'}</td>
<td>${
      d.fiscalYear !== null
        ? html`<a href="${base}/public/${encodeURIComponent(d.region)}/${d.fiscalYear}">${regionLabel(d.region, d.regionName)}</a>`
        : regionLabel(d.region, d.regionName)
    }</td>
<td class="num">${d.fiscalYear ?? '—'}</td>
<td class="num">${formatScore(d.total)}</td>
<td>${d.grade ?? '—'}</td>
<td class="num">${formatRate(d.executionRate)}</td>
<td data-field="status">${standing(d)}</td>
<td class="num">${d.revision}</td>
<td>${formatTime(d.status === 'retracted' ? d.retractedAt : d.publishedAt)}</td>
</tr>`,
  );
  const first = (list.page - 1) * list.pageSize + 1;
  const last = first + list.items.length - 1;
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const pager = html`<p class="pager"><span class="muted" data-testid="count">${
    list.items.length ? `第 ${first}–${last} 条，共 ${list.total} 条` : `共 ${list.total} 条`
  }</span>${list.page > 1 ? html`<a href="${publishHref(filters, list.page - 1)}" rel="prev">上一页</a>` : ''}${
    list.page < pages ? html`<a href="${publishHref(filters, list.page + 1)}" rel="next">下一页</a>` : ''
  }</p>`;
  const table = list.items.length
    ? html`<div class="scroll"><table data-testid="disclosures">
<thead><tr><th>项目</th><th>单位</th><th>地区</th><th class="num">年度</th><th class="num">总分</th><th>等级</th><th class="num">执行率</th><th>状态</th><th class="num">版本</th><th>公开或撤回时间</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
    : html`<p class="card muted" data-testid="empty">没有符合条件的公开结果。</p>`;
  return workspacePage(
    PUBLISH,
    '公开管理',
    html`<h1>公开管理</h1>${intro}${notice('error', error)}${countsStrip(list, filters)}${form}${table}${pager}`,
    viewer,
  );
}

export interface PublishedPageInput {
  flash?: string | null;
  error?: string | null;
  /** The reason typed, kept when retracting was refused. */
  draft?: string;
  /** Whether the viewer may retract it (a reviewer of its region, while it is in force). */
  canRetract: boolean;
}

function retractForm(viewer: Viewer, d: DisclosureRow, draft: string | undefined): SafeHtml {
  return html`<section class="decisions"><form method="post" action="${publishedPath(d.evaluationId)}/retract" data-testid="retract-form">
<h3>撤回公开</h3>
<input type="hidden" name="csrf" value="${viewer.csrf}">
<p class="muted">撤回后，公开页面仍列出该评价并标注“已撤回”及下面的理由，不再计入等级分布；修订记录保留。撤回记入审计记录，审核工作台中该评价的状态随之变为“已撤回”。</p>
<p><label for="reason">撤回理由（公开显示）</label><br><textarea id="reason" name="reason" required maxlength="2000" placeholder="如：项目资金审计发现问题，待复核">${draft ?? ''}</textarea></p>
<p><button class="primary" type="submit">撤回公开</button></p>
</form></section>`;
}

/** One evaluation's publication for the staff: where it stands, every revision, its retraction or the form to retract it. */
export function publishedPage(
  viewer: Viewer,
  found: StaffDisclosure,
  input: PublishedPageInput,
  base: string,
): SafeHtml {
  const d = found.disclosure;
  const current = found.revisions[found.revisions.length - 1];
  const retraction =
    d.status === 'retracted'
      ? html`<div class="notice" data-testid="retraction"><strong>已撤回</strong>：${formatTime(d.retractedAt)}，${
          found.retractedBy ?? '—'
        }。<p class="reason">${d.retractionReason ?? ''}</p>${
          found.replacedBy
            ? html`<a href="${publishedPath(found.replacedBy)}" data-testid="replaced-by">更正后公开的版本</a>`
            : ''
        }</div>`
      : '';
  const underReview =
    d.underReviewRunId && d.status === 'published'
      ? html`<div class="notice" data-testid="under-review"><strong>复核中</strong>：评分规则调整后重新评分（<a href="/rules/runs/${encodeURIComponent(
          d.underReviewRunId,
        )}">重新评分记录</a>），总分或等级已变化，待审核人员重新审核；公开页面已标注。</div>`
      : '';
  const title = d.projectName ?? '部门整体支出';
  const body = html`<h1>${title} ${standing(d)}</h1>
${notice('flash', input.flash)}${notice('error', input.error)}
<p class="meta">${d.unitName ?? ''} · ${FORM_TYPE_LABELS[d.formType]} · ${regionLabel(d.region, d.regionName)} · ${
    d.fiscalYear ?? '—'
  } 年度 · <code>${d.evaluationId}</code></p>
<p><a href="${evaluationPath(base, d.evaluationId)}" data-testid="public-link">公开页面</a> · <a href="/review/evaluations/${encodeURIComponent(
    d.evaluationId,
  )}">审核工作台中的自评表</a>${
    d.fiscalYear !== null
      ? html` · <a href="${base}/public/${encodeURIComponent(d.region)}/${d.fiscalYear}">${regionLabel(d.region, d.regionName)} ${d.fiscalYear} 年度公开结果</a>`
      : ''
  }</p>
${retraction}${underReview}
<section class="card summary" data-testid="current-figures">
<div><span class="muted">总分</span><strong data-field="total">${formatScore(d.total)}</strong></div>
<div><span class="muted">等级</span><strong data-field="grade">${d.grade ?? '—'}</strong></div>
<div><span class="muted">预算执行率</span><strong data-field="execution-rate">${formatRate(d.executionRate)}</strong></div>
<div><span class="muted">版本</span><strong>${d.revision}</strong></div>
</section>
<p class="muted">首次公开 ${formatTime(d.firstPublishedAt)}；当前版本公开于 ${formatTime(d.publishedAt)}${
    current ? html`，评分规则 ${current.ruleSet.id} 第 ${current.ruleSet.version} 版` : ''
  }。</p>
<h2>修订记录</h2>
${historyTable(found.revisions)}
${input.canRetract ? retractForm(viewer, d, input.draft) : ''}`;
  return workspacePage(PUBLISH, `公开管理 · ${title}`, body, viewer);
}
