import {
  FORM_TYPE_LABELS,
  formatRate,
  formatScore,
  formatTime,
  html,
  type SafeHtml,
  SEVERITY_LABELS,
  trusted,
} from '@jixiao/runtime/html';
import { FINDING_CODE_LABELS } from '@jixiao/contracts';
import {
  ACTOR_ROLE_LABELS,
  AUDIT_ACTION_LABELS,
  notice,
  ROLE_LABELS,
  type Viewer,
  workspacePage,
} from '@jixiao/runtime/workspace';
import type { FlaggedFinding } from '@jixiao/contracts';
import { FOLLOW_UP_LABELS, type FollowedUpFinding } from '../domain/return-findings';
import { REVIEW_STATE_LABELS, REVIEW_STATES, type ReviewState } from '../domain/review-state';
import type { FieldChange } from '../domain/version-changes';
import type { EvaluationFilters } from '../queries/evaluation.queries';
import type { EvaluationSummary, detailView, historyView, progressView } from '../queries/evaluation.views';

// Pages are written with the `html` template (every value escaped); prettier leaves the markup inside it alone
// (`embeddedLanguageFormatting: off`).

export type EvaluationDetail = ReturnType<typeof detailView>;
export type HistoryItem = ReturnType<typeof historyView>;
export type Progress = ReturnType<typeof progressView>;
export interface EvaluationPage {
  items: EvaluationSummary[];
  page: number;
  pageSize: number;
  total: number;
}

/** A region's roster in a line: how many units it names, how many have not submitted, whether that is overdue. */
export interface RosterSummary {
  expected: number;
  missing: number;
  overdue: boolean;
}

/** Where the workspace lives. */
export const WORKSPACE = '/review';
export type { Viewer };

function page(title: string, body: SafeHtml, viewer: Viewer): SafeHtml {
  return workspacePage(WORKSPACE, title, body, viewer);
}

const stateLabel = (state: string | null) => (state ? (REVIEW_STATE_LABELS[state as ReviewState] ?? state) : '—');

export function stateBadge(state: string): SafeHtml {
  return html`<span class="badge ${state}" data-state="${state}">${stateLabel(state)}</span>`;
}

function findingsCell(c: EvaluationSummary['findingCounts']): SafeHtml {
  if (!c) return html`<span class="muted">—</span>`;
  const parts = (['error', 'warning', 'info'] as const).filter((k) => c[k] > 0);
  if (parts.length === 0) return html`<span class="muted">无</span>`;
  return html`${parts.map((k) => html`<span class="badge ${k}">${c[k]} ${SEVERITY_LABELS[k]}</span> `)}`;
}

export type ListState = ReviewState | 'all';

export function listHref(
  filters: Omit<EvaluationFilters, 'page' | 'pageSize'>,
  state: ListState,
  pageNo: number,
  path = WORKSPACE,
): string {
  const q = new URLSearchParams();
  q.set('state', state);
  if (filters.region) q.set('region', filters.region);
  if (filters.year !== undefined) q.set('year', String(filters.year));
  if (filters.grade) q.set('grade', filters.grade);
  if (filters.q) q.set('q', filters.q);
  if (filters.sort) q.set('sort', filters.sort);
  if (filters.finding) q.set('finding', filters.finding);
  if (!filters.current) q.set('versions', 'all');
  if (pageNo > 1) q.set('page', String(pageNo));
  return `${path}?${q.toString()}`;
}

/**
 * How the work stands where the list looks (its region and year): the current versions by state, each a link to
 * them, and by grade.
 */
function progressStrip(
  progress: Progress,
  filters: EvaluationFilters,
  state: ListState,
  staff: boolean,
  roster: RosterSummary | null,
): SafeHtml {
  const where = [
    progress.region ? `地区 ${progress.region}` : '',
    progress.fiscalYear ? `${progress.fiscalYear} 年度` : '',
  ]
    .filter(Boolean)
    .join('，');
  const link = (to: ListState, label: string, n: number) =>
    to === state
      ? html`<strong data-state="${to}">${label}${label ? ' ' : ''}${n}</strong>`
      : html`<a href="${listHref({ ...filters, grade: undefined, finding: undefined, current: true }, to, 1)}" data-state="${to}">${label}${label ? ' ' : ''}${n}</a>`;
  const states = REVIEW_STATES.filter((s) => progress.byState[s] > 0 || s === 'in_review').map((s) =>
    link(s, REVIEW_STATE_LABELS[s], progress.byState[s]),
  );
  const grades = progress.byGrade.map((g) => html`${g.grade ?? '未评分'} ${g.count}`);
  // which units of the region have not submitted yet: its roster, for the staff
  const rosterLink =
    staff && filters.region && /^\d{6}$/.test(filters.region) && filters.year
      ? html` · <a href="${`${WORKSPACE}/roster?${new URLSearchParams({ region: filters.region, year: String(filters.year) })}`}" data-testid="roster-link">单位填报情况${
          roster && roster.expected
            ? `：名单 ${roster.expected} 个单位，${roster.missing ? `${roster.overdue ? '逾期' : ''}未提交 ${roster.missing} 个` : '都已提交'}`
            : ''
        }</a>`
      : '';
  return html`<section class="card" data-testid="progress"><p><strong>${where || '全部'}</strong>：共 ${link(
    'all',
    '',
    progress.total,
  )} 张（每张表只计最新版本）${rosterLink}</p><p>${joinWith(states, ' · ')}</p>${
    grades.length ? html`<p class="muted">等级：${joinWith(grades, ' · ')}</p>` : ''
  }</section>`;
}

/** A unit's to-do: its forms returned, or retracted after publication, that no corrected version has answered yet. */
function toCorrect(progress: Progress, filters: EvaluationFilters): SafeHtml | string {
  const returned = progress.byState.returned ?? 0;
  const retracted = progress.byState.retracted ?? 0;
  if (!returned && !retracted) return '';
  const link = (state: 'returned' | 'retracted', text: string) =>
    html`<a href="${listHref({ ...filters, grade: undefined, finding: undefined, current: true }, state, 1)}" data-state="${state}">${text}</a>`;
  const parts = [
    returned ? link('returned', `${returned} 份被退回`) : null,
    retracted ? link('retracted', `${retracted} 份公开后被撤回`) : null,
  ].filter((p): p is SafeHtml => p !== null);
  return html`<div class="notice" role="status" data-testid="to-correct"><strong>待更正：</strong>${joinWith(parts, '，')}。请打开每一份，按退回（撤回）理由修改后提交更正版本。</div>`;
}

const joinWith = (parts: SafeHtml[], sep: string): SafeHtml[] => parts.flatMap((p, i) => (i ? [html`${sep}`, p] : [p]));

/** What the reviewer holds now, with the way back to it (a reviewer who stepped away finds their work again). */
function heldSection(mine: readonly EvaluationSummary[]): SafeHtml | string {
  if (mine.length === 0) return '';
  return html`<div class="flash" data-testid="mine"><strong>您正在审核：</strong>${joinWith(
    mine.map(
      (e) =>
        html`<a href="${WORKSPACE}/evaluations/${encodeURIComponent(e.evaluationId)}">${e.projectName ?? e.unitName ?? e.evaluationId}</a>${
          e.hold ? html`（认领至 ${formatTime(e.hold.until)}）` : ''
        }`,
    ),
    '；',
  )}</div>`;
}

/** The worklist: by default what waits for a reviewer; filters by state, region, year and grade; paged. */
export function listPage(
  viewer: Viewer,
  result: EvaluationPage,
  progress: Progress,
  filters: EvaluationFilters,
  state: ListState,
  error: string | null,
  {
    flash = null,
    roster = null,
    mine = [],
  }: {
    flash?: string | null;
    /** The county's roster in a line, when a county and year are chosen and it has one. */
    roster?: RosterSummary | null;
    /** What the reviewer holds now (from the queue or claimed): the way back to it. */
    mine?: readonly EvaluationSummary[];
  } = {},
): SafeHtml {
  const selected = (on: boolean) => (on ? trusted(' selected') : '');
  const stateOptions = [
    html`<option value="all"${selected(state === 'all')}>全部</option>`,
    ...REVIEW_STATES.map((s) => html`<option value="${s}"${selected(state === s)}>${REVIEW_STATE_LABELS[s]}</option>`),
  ];
  const rows = result.items.map(
    (e) => html`<tr data-evaluation-id="${e.evaluationId}">
<td><a href="${WORKSPACE}/evaluations/${encodeURIComponent(e.evaluationId)}">${e.projectName ?? '（部门整体）'}</a>${
      e.version > 1 ? html` <span class="muted">第 ${e.version} 版</span>` : ''
    }</td>
<td>${e.unitName ?? '—'}</td>
<td>${e.region}</td>
<td class="num">${e.fiscalYear ?? '—'}</td>
<td class="num">${formatScore(e.total)}</td>
<td>${e.grade ?? '—'}</td>
<td>${findingsCell(e.findingCounts)}</td>
<td>${stateBadge(e.state)}${e.hold ? html`<br><span class="muted" data-testid="held-by">${e.hold.by} 审核中</span>` : ''}</td>
<td>${e.routing?.decision === 'manual-review' ? e.routing.reasons.join('；') : ''}</td>
<td>${formatTime(e.createdAt)}</td>
</tr>`,
  );
  const first = (result.page - 1) * result.pageSize + 1;
  const last = first + result.items.length - 1;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const pager = html`<p class="pager"><span class="muted" data-testid="count">${
    result.items.length ? `第 ${first}–${last} 条，共 ${result.total} 条` : `共 ${result.total} 条`
  }</span>${result.page > 1 ? html`<a href="${listHref(filters, state, result.page - 1)}" rel="prev">上一页</a>` : ''}${
    result.page < pages ? html`<a href="${listHref(filters, state, result.page + 1)}" rel="next">下一页</a>` : ''
  }${
    result.total
      ? html`<a href="${listHref(filters, state, 1, `${WORKSPACE}/export.xlsx`)}" data-testid="export" download>导出 Excel</a>`
      : ''
  }</p>`;
  const everything =
    viewer.principal.role === 'submitter' ? (viewer.principal.unit ? '本单位自评表' : '本地区自评表') : '全部自评表';
  const title = state === 'in_review' ? '待审核' : state === 'all' ? everything : REVIEW_STATE_LABELS[state];
  const table = result.items.length
    ? html`<div class="scroll"><table data-testid="worklist">
<thead><tr><th>项目</th><th>单位</th><th>地区</th><th class="num">年度</th><th class="num">复核总分</th><th>等级</th><th>发现问题</th><th>状态</th><th>转人工原因</th><th>提交时间</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
    : html`<p class="card muted" data-testid="empty">没有符合条件的自评表。</p>`;
  const body = html`<h1>${title}</h1>
${notice('flash', flash)}${notice('error', error)}
${heldSection(mine)}${viewer.principal.role === 'submitter' ? toCorrect(progress, filters) : ''}
${progressStrip(progress, filters, state, viewer.principal.role !== 'submitter', roster)}
<form class="filters card" method="get" action="${WORKSPACE}">
<label>状态<select name="state">${stateOptions}</select></label>
<label>地区代码<input name="region" value="${filters.region ?? ''}" size="8" pattern="CN|[0-9]{6}" placeholder="130126"></label>
<label>年度<input name="year" value="${filters.year ?? ''}" size="5" inputmode="numeric" pattern="[0-9]{4}"></label>
<label>等级<input name="grade" value="${filters.grade ?? ''}" size="5"></label>
<label>单位或项目名称<input name="q" value="${filters.q ?? ''}" size="14" maxlength="200" placeholder="如 财政局"></label>
<label>发现问题<select name="finding"><option value="">不限</option>${Object.entries(FINDING_CODE_LABELS).map(
    ([code, label]) => html`<option value="${code}"${selected(filters.finding === code)}>${label}</option>`,
  )}</select></label>
<label>顺序<select name="sort"><option value="newest">最新提交在前</option><option value="oldest"${selected(filters.sort === 'oldest')}>最早提交在前</option></select></label>
<label>版本<select name="versions"><option value="current">最新版本</option><option value="all"${selected(!filters.current)}>全部版本（含已被更正的）</option></select></label>
<button class="primary" type="submit">筛选</button>
</form>
${table}
${pager}`;
  return page(title, body, viewer);
}

type Breakdown = NonNullable<NonNullable<EvaluationDetail['score']>['breakdown']>;
type Evaluation = NonNullable<EvaluationDetail['evaluation']>;

const money = (n: number | null | undefined, unit?: string) =>
  n === null || n === undefined
    ? '—'
    : `${n.toLocaleString('zh-CN', { maximumFractionDigits: 6 })}${unit ? ` ${unit}` : ''}`;

/** The unit's score minus the rule's, when both exist and differ. */
function difference(reported: number | null | undefined, rule: number | null | undefined): number | null {
  if (reported === null || reported === undefined || rule === null || rule === undefined) return null;
  const d = Math.round((reported - rule) * 100) / 100;
  return d === 0 ? null : d;
}

function fundsSection(ev: Evaluation | null, b: Breakdown): SafeHtml {
  const f = ev?.funds;
  const ex = b.execution;
  return html`<h2>资金执行</h2><div class="scroll"><table data-testid="funds">
<thead><tr><th class="num">年初预算</th><th class="num">调整后预算</th><th class="num">执行数</th><th class="num">填报执行率</th><th class="num">复核执行率</th><th class="num">分值</th><th class="num">自评得分</th><th class="num">复核得分</th><th>说明</th></tr></thead>
<tbody><tr><td class="num">${money(f?.initialBudget, f?.unit)}</td><td class="num">${money(f?.adjustedBudget, f?.unit)}</td><td class="num">${money(
    f?.executed,
    f?.unit,
  )}</td><td class="num">${f?.reportedRate ?? '—'}</td><td class="num">${formatRate(ex.rate)}</td><td class="num">${formatScore(
    ex.weight,
  )}</td><td class="num">${formatScore(b.reported.executionScore)}</td><td class="num">${formatScore(ex.score)}</td><td>${
    ex.explanation ?? ''
  }</td></tr></tbody></table></div>`;
}

/** Where in the uploaded document a row was read (its name's cell, else any of its cells): line or row, and sheet. */
function whereWritten(sources: Record<string, { line: number; sheet?: string }> | undefined): SafeHtml | string {
  const at = sources ? (sources.name ?? Object.values(sources)[0]) : undefined;
  if (!at) return '';
  return html`<br><span class="muted" data-source-line="${at.line}">原文${at.sheet ? html`「${at.sheet}」` : ''}第 ${at.line} 行</span>`;
}

function indicatorsSection(ev: Evaluation | null, b: Breakdown): SafeHtml {
  if (b.indicators.length === 0)
    return html`<h2>指标评分</h2><p class="muted" data-testid="indicators">未读到逐项绩效指标${
      ev?.projects?.length ? '（部门整体自评报告按项目列示，见下方“项目明细”）' : ''
    }。</p>`;
  const source = ev?.indicators ?? [];
  // the engine scores the evaluation's indicators in order: row i is indicator i (targets and actuals as written)
  const paired = source.length === b.indicators.length;
  const rows = b.indicators.map((i, k) => {
    const written = paired ? source[k] : undefined;
    const d = difference(i.reportedScore, i.score);
    return html`<tr${d === null ? '' : trusted(' class="differs"')}><td>${i.level1 ?? ''}</td><td>${i.level2 ?? ''}</td><td>${i.name}${whereWritten(written?.sources)}</td><td>${
      written?.target ?? ''
    }</td><td>${written?.actual ?? ''}</td><td class="num">${formatScore(i.weight)}</td><td class="num">${formatScore(
      i.reportedScore,
    )}</td><td class="num">${formatScore(i.score)}</td><td class="num${d === null ? '' : ' diff'}">${
      d === null ? '' : d > 0 ? `+${d}` : d
    }</td><td>${i.explanation ?? ''}${
      written?.deviationReason ? html`<br><span class="muted">偏差原因：${written.deviationReason}</span>` : ''
    }</td></tr>`;
  });
  return html`<h2>指标评分</h2><p class="muted">“差异”为自评得分减复核得分；有差异的行已标出。</p><div class="scroll"><table data-testid="indicators">
<thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th><th>实际完成值</th><th class="num">分值</th><th class="num">自评得分</th><th class="num">复核得分</th><th class="num">差异</th><th>评分说明</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** A department report's project lines as the unit wrote them (budget, spending, rate, its score), with where. */
function projectsSection(ev: Evaluation | null): SafeHtml | string {
  const projects = ev?.projects ?? [];
  if (projects.length === 0) return '';
  // the reader takes project amounts in 万元, as the reports write them; a JSON form says its unit in its funds
  const unit = ev?.funds?.unit ?? '万元';
  const rows = projects.map(
    (p) =>
      html`<tr><td>${p.name}${whereWritten(p.sources)}</td><td class="num">${money(p.budget)}</td><td class="num">${money(
        p.executed,
      )}</td><td class="num">${p.reportedRate ?? '—'}</td><td class="num">${formatScore(p.reportedScore)}</td></tr>`,
  );
  return html`<h2>项目明细（${projects.length}）</h2><div class="scroll"><table data-testid="projects">
<thead><tr><th>项目</th><th class="num">预算（${unit}）</th><th class="num">实际支出（${unit}）</th><th class="num">执行率</th><th class="num">自评得分</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function findingsSection(b: Breakdown): SafeHtml {
  if (b.findings.length === 0) return html`<h2>发现问题</h2><p class="muted" data-testid="findings">无。</p>`;
  return html`<h2>发现问题（${b.findings.length}）</h2><ul data-testid="findings">${b.findings.map(
    (f) =>
      html`<li data-code="${f.code}"><span class="badge ${f.severity}">${SEVERITY_LABELS[f.severity as 'error'] ?? f.severity}</span> ${
        f.subject ? html`<strong>${f.subject}</strong>：` : ''
      }${f.message} <code class="muted">${f.code}</code></li>`,
  )}</ul>`;
}

function scoreSection(e: EvaluationDetail): SafeHtml {
  if (!e.score) return html`<p class="card muted">尚未评分：评分完成后这里显示逐项复核结果。</p>`;
  const b = e.score.breakdown;
  const reported = b?.reported;
  const summary = html`<section class="card summary" data-testid="totals">
<div><span class="muted">自评总分</span><strong data-field="reported-total">${formatScore(reported?.total)}</strong></div>
<div><span class="muted">自评等级</span><strong data-field="reported-grade">${reported?.grade ?? '—'}</strong></div>
<div><span class="muted">复核总分</span><strong data-field="total">${formatScore(e.score.total)}</strong></div>
<div><span class="muted">复核等级</span><strong data-field="grade">${e.score.grade ?? '—'}</strong></div>
<div><span class="muted">预算执行率</span><strong>${formatRate(e.score.executionRate)}</strong></div>
</section>
<p class="muted">评分规则：${e.score.ruleSet.id} 第 ${e.score.ruleSet.version} 版；评分时间 ${formatTime(e.score.scoredAt)}</p>`;
  if (!b) return html`${summary}<p class="muted">逐项评分明细暂不可用（评分所依据的规则尚未送达审核服务）。</p>`;
  const stale = b.current
    ? ''
    : html`<div class="notice">以下明细属于此前的一次评分；最新一次重新评分只送来了汇总分数。</div>`;
  return html`${summary}${stale}${fundsSection(e.evaluation, b)}${indicatorsSection(e.evaluation, b)}${projectsSection(
    e.evaluation,
  )}${findingsSection(b)}`;
}

function routingSection(e: EvaluationDetail): SafeHtml | string {
  if (!e.routing) return '';
  if (e.routing.decision === 'auto-approve')
    return html`<p data-testid="routing">按本地区规则自动通过，无需人工审核。</p>`;
  return html`<div class="notice" data-testid="routing"><strong>需要人工审核的原因</strong><ul>${e.routing.reasons.map((r) => html`<li>${r}</li>`)}</ul></div>`;
}

/** What the reviewer typed and ticked, shown again when a decision was refused. */
export interface DecisionDraft {
  comment?: string;
  reason?: string;
  findings?: readonly string[];
}

/** A finding as a line: its severity, what it is about, what it says. */
function findingLine(f: Pick<FlaggedFinding, 'severity' | 'subject' | 'message'>): SafeHtml {
  return html`<span class="badge ${f.severity}">${SEVERITY_LABELS[f.severity as 'error'] ?? f.severity}</span> ${
    f.subject ? html`<strong>${f.subject}</strong>：` : ''
  }${f.message}`;
}

/** The current score's findings, to tick those the unit must correct (kept with the return, shown to the unit). */
function findingChoices(e: EvaluationDetail, draft: DecisionDraft): SafeHtml | string {
  const b = e.score?.breakdown;
  if (!b?.current || b.findings.length === 0) return '';
  const ticked = new Set(draft.findings ?? []);
  return html`<fieldset class="flags" data-testid="flag-findings"><legend>需要单位修改的问题（可多选，随退回理由告知单位；更正版本将逐项核对）</legend>${b.findings.map(
    (f) =>
      html`<label><input type="checkbox" name="findings" value="${f.key}"${ticked.has(f.key) ? trusted(' checked') : ''}> ${findingLine(f)}</label>`,
  )}</fieldset>`;
}

/**
 * A unit's way to correct what was returned to it, or what was published and then retracted (the next version, on
 * the submission page; it goes through scoring and review again, and is published as its own once approved).
 */
function correctionSection(viewer: Viewer, e: EvaluationDetail): SafeHtml | string {
  if (e.state !== 'returned' && e.state !== 'retracted') return '';
  if (viewer.principal.role !== 'submitter' || e.versions.next.length > 0) return '';
  const why = e.state === 'returned' ? '退回理由' : '撤回理由';
  return html`<h2>更正</h2><p data-testid="correct">请按${why}修改后，<a href="/submit?corrects=${encodeURIComponent(e.evaluationId)}">提交更正版本</a>；更正版本与本版本关联，本版本及其处理记录保留${
    e.state === 'retracted' ? '；更正版本审核通过后另行公开，已撤回的公开记录仍保留' : ''
  }。</p>`;
}

/**
 * Who works on it: another reviewer (a notice: deciding anyway is allowed, but is likely double work), the viewer
 * (and the way to give it back to the queue), or nobody (and the way to take it).
 */
function holdSection(viewer: Viewer, e: EvaluationDetail, base: string): SafeHtml {
  const csrf = html`<input type="hidden" name="csrf" value="${viewer.csrf}">`;
  const hold = e.hold;
  if (hold && hold.by !== viewer.principal.sub)
    return html`<div class="notice" data-testid="hold"><strong>${hold.by}</strong> 正在审核这一份（认领至 ${formatTime(
      hold.until,
    )}）。为免重复审核，请先<a href="${WORKSPACE}/next">审核下一份</a>；确需由您处理，仍可在下方决定。</div>`;
  if (hold)
    return html`<form method="post" action="${base}/release" class="hold" data-testid="hold">${csrf}<span class="muted">您已认领这一份（至 ${formatTime(
      hold.until,
    )}），其他审核人员的“审核下一份”会跳过它。</span> <button type="submit">放回待审核队列</button></form>`;
  return html`<form method="post" action="${base}/hold" class="hold" data-testid="hold">${csrf}<span class="muted">尚无人认领。</span> <button type="submit">认领（由我审核）</button></form>`;
}

function decisionSection(viewer: Viewer, e: EvaluationDetail, draft: DecisionDraft): SafeHtml | string {
  if (e.state === 'returned' || e.state === 'retracted') return correctionSection(viewer, e);
  if (e.state !== 'in_review') return '';
  if (viewer.principal.role !== 'reviewer')
    return html`<h2>审核</h2><p class="muted">此自评表等待审核人员处理；您的角色（${ROLE_LABELS[viewer.principal.role]}）只能查看。</p>`;
  const base = `${WORKSPACE}/evaluations/${encodeURIComponent(e.evaluationId)}`;
  const hidden = html`<input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="revision" value="${e.revision}">`;
  return html`<h2>审核</h2>
${holdSection(viewer, e, base)}
<p class="muted">审核针对本页所示的第 ${e.revision} 次修订；若期间重新评分，操作会被拒绝并提示重新查看。</p>
<div class="decisions" data-testid="decisions">
<form method="post" action="${base}/approve">${hidden}
<h3>审核通过</h3>
<p><label for="comment">审核意见（可选）</label><textarea id="comment" name="comment" maxlength="2000">${draft.comment ?? ''}</textarea></p>
<button class="primary ok" type="submit">通过</button>
</form>
<form method="post" action="${base}/return">${hidden}
<h3>退回单位</h3>
${findingChoices(e, draft)}
<p><label for="reason">退回理由（单位将看到；勾选了问题时可不填）</label><textarea id="reason" name="reason" maxlength="2000">${draft.reason ?? ''}</textarea></p>
<button class="primary" type="submit">退回</button>
</form>
</div>`;
}

function historySection(items: readonly HistoryItem[]): SafeHtml {
  return html`<h2>处理记录</h2><div class="scroll"><table data-testid="history">
<thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>状态</th><th>理由 / 说明</th></tr></thead>
<tbody>${items.map(
    (h) =>
      html`<tr><td>${formatTime(h.at)}</td><td>${h.actor.user}${
        h.actor.role ? html` <span class="muted">(${ACTOR_ROLE_LABELS[h.actor.role] ?? h.actor.role})</span>` : ''
      }</td><td>${AUDIT_ACTION_LABELS[h.action] ?? h.action}</td><td>${
        h.fromState === h.toState
          ? h.toState
            ? stateLabel(h.toState)
            : ''
          : `${stateLabel(h.fromState)} → ${stateLabel(h.toState)}`
      }</td><td>${h.reason ?? ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function versionsLine(e: EvaluationDetail): SafeHtml | string {
  const link = (id: string, text: string) =>
    html`<a href="${WORKSPACE}/evaluations/${encodeURIComponent(id)}">${text}</a>`;
  const parts: SafeHtml[] = [];
  if (e.versions.previous) parts.push(html`更正自 ${link(e.versions.previous.evaluationId, '上一版')}`);
  for (const n of e.versions.next)
    parts.push(html`已有更正版本：${link(n.evaluationId, `第 ${n.version} 版`)}（${stateLabel(n.state)}）`);
  return parts.length ? html`<p data-testid="versions">${joinWith(parts, '；')}</p>` : '';
}

/**
 * A corrected version: what the unit changed against the version it corrects (the figures it wrote, then the rule's
 * total and grade), or that it changed nothing — what a reviewer checks first when a returned form comes back.
 */
function changesSection(e: EvaluationDetail): SafeHtml | string {
  const c = e.changesFromPrevious;
  if (!c) return '';
  const value = (v: string | number | null) => (v === null ? html`<span class="muted">（空）</span>` : html`${v}`);
  const change = (f: FieldChange) => html`${f.label}：${value(f.from)} → ${value(f.to)}`;
  const kinds = { added: '新增', removed: '删除', changed: '修改' } as const;
  const list = (items: SafeHtml[]) => (items.length ? html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : '');
  const previous = html`<a href="${WORKSPACE}/evaluations/${encodeURIComponent(c.previousVersionId)}">第 ${c.previousVersion} 版</a>`;
  if (c.unchanged)
    return html`<section class="notice" data-testid="changes"><h2>与${previous}相比</h2><p>单位填写的内容与${previous}完全相同，未作任何改动。</p>${list(c.score.map(change))}</section>`;
  const rows = c.indicators.map(
    (i) =>
      html`<tr data-kind="${i.kind}"><td>${kinds[i.kind]}</td><td>${[i.level1, i.level2].filter(Boolean).join(' / ')}</td><td>${i.name}</td><td>${joinWith(
        i.changes.map(change),
        '；',
      )}</td></tr>`,
  );
  const projects = c.projects.map(
    (p) =>
      html`${kinds[p.kind]}项目“${p.name}”${p.changes.length ? html`：${joinWith(p.changes.map(change), '；')}` : ''}`,
  );
  return html`<section data-testid="changes"><h2>与${previous}相比的改动</h2>
${list(c.form.map(change))}${list(projects)}${
    rows.length
      ? html`<div class="scroll"><table><thead><tr><th>改动</th><th>一级 / 二级指标</th><th>三级指标</th><th>内容</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : ''
  }${
    c.otherChanges
      ? html`<p data-testid="other-changes">单位还改动了未逐项列出的内容（如各部分得分合计、报告所述数字或行的顺序），请对照原始文件查看。</p>`
      : ''
  }${c.score.length ? html`<p><strong>复核结果：</strong>${joinWith(c.score.map(change), '；')}</p>` : ''}</section>`;
}

/** The document the unit uploaded, as it was (intake keeps it; evaluations sent as JSON have none). */
function documentLink(e: EvaluationDetail): SafeHtml | string {
  const name = e.evaluation?.source?.document;
  if (!name) return '';
  return html` · 原始文件 <a href="/submit/documents/${encodeURIComponent(e.evaluationId)}" data-testid="document" download>${name}</a>`;
}

const REASON_LABELS: Partial<Record<EvaluationDetail['state'], string>> = {
  returned: '退回理由',
  retracted: '撤回理由',
};

/**
 * Why it is where it is (a return's reason, a retraction's, a re-scoring's), unless the routing reasons below say the same; a
 * returned version also lists the findings the reviewer named for the unit to correct.
 */
function lastReason(e: EvaluationDetail): SafeHtml | string {
  const named = e.state === 'returned' ? (e.lastReturn?.findings ?? []) : [];
  const flagged = named.length
    ? html`<div class="notice" data-testid="returned-findings"><strong>退回时指出需要修改的问题（${named.length}）</strong><ul>${named.map(
        (f) => html`<li data-key="${f.key}">${findingLine(f)}</li>`,
      )}</ul></div>`
    : '';
  if (!e.lastReason || e.lastReason === e.routing?.reasons.join('；')) return flagged;
  return html`<p data-testid="last-reason" class="reason"><strong>${REASON_LABELS[e.state as 'returned'] ?? '最近一次说明'}：</strong>${e.lastReason}</p>${flagged}`;
}

/** A corrected version: the return it answers, each finding named then resolved or still there. */
function previousReturnSection(e: EvaluationDetail): SafeHtml | string {
  const r = e.previousReturn;
  if (!r) return '';
  const counts = (status: FollowedUpFinding['status']) => r.findings.filter((f) => f.status === status).length;
  const tally = r.findings.length
    ? html`：已解决 <strong data-field="resolved">${counts('resolved')}</strong> 项，仍存在 <strong data-field="remaining">${counts(
        'remaining',
      )}</strong> 项${counts('unknown') ? html`，${counts('unknown')} 项待评分后核对` : ''}`
    : '';
  const rows = r.findings.length
    ? html`<div class="scroll"><table><thead><tr><th>退回时指出的问题</th><th>本版本</th></tr></thead><tbody>${r.findings.map(
        (f) =>
          html`<tr data-key="${f.key}" data-status="${f.status}"><td>${findingLine(f)}</td><td><span class="badge ${f.status}">${FOLLOW_UP_LABELS[f.status]}</span>${
            f.now && f.now !== f.message ? html` ${f.now}` : ''
          }</td></tr>`,
      )}</tbody></table></div>`
    : '';
  return html`<section data-testid="previous-return"><h2>上一版的退回${tally}</h2>
<p class="reason"><strong>退回理由</strong>（${r.actor.user}，${formatTime(r.at)}）：${r.reason ?? ''}</p>${rows}</section>`;
}

/** One evaluation as a reviewer decides on it: why it is here, each indicator's two scores, the findings, the forms. */
export function detailPage(
  viewer: Viewer,
  e: EvaluationDetail,
  history: readonly HistoryItem[],
  messages: { flash?: string | null; error?: string | null; draft?: DecisionDraft } = {},
): SafeHtml {
  const title = e.projectName ?? e.unitName ?? e.evaluationId;
  const body = html`<p><a href="${WORKSPACE}">← 返回列表</a></p>
<h1>${title} ${stateBadge(e.state)}</h1>
<p class="meta">${e.unitName ?? ''} · ${FORM_TYPE_LABELS[e.formType as 'project'] ?? e.formType}绩效自评表 · 地区 ${e.region} · ${e.fiscalYear ?? '年度未知'}年度 · 第 ${
    e.version
  } 版 · 修订 ${e.revision} · <code>${e.evaluationId}</code>${documentLink(e)}${e.publicPath ? html` · <a href="${e.publicPath}">公开页面</a>` : ''}${
    e.publicPath && viewer.principal.role !== 'submitter'
      ? html` · <a href="/publish/evaluations/${encodeURIComponent(e.evaluationId)}" data-testid="publish-link">公开管理${
          viewer.principal.role === 'reviewer' && e.state === 'published' ? '（撤回）' : ''
        }</a>`
      : ''
  }</p>
${notice('flash', messages.flash)}${
    messages.flash && viewer.principal.role === 'reviewer' && e.hold?.by !== viewer.principal.sub
      ? html`<p data-testid="after-decision"><a href="${WORKSPACE}/next">审核下一份 →</a>（等待最久的一份）　<a href="${WORKSPACE}">返回待审核列表</a></p>`
      : ''
  }${notice('error', messages.error)}
${lastReason(e)}
${versionsLine(e)}
${changesSection(e)}
${previousReturnSection(e)}
${routingSection(e)}
${scoreSection(e)}
${decisionSection(viewer, e, messages.draft ?? {})}
${historySection(history)}`;
  return page(title, body, viewer);
}
