import { orderGrades, type RuleSetChange } from '@jixiao/scoring';
import { formatScore, formatTime, html, type SafeHtml, trusted } from '@jixiao/runtime/html';
import { notice, type Viewer, workspacePage } from '@jixiao/runtime/workspace';
import type { ImpactReport } from '../domain/impact-summary';
import type { versionView } from '../queries/rule-versions.handlers';
import type { runView } from '../queries/rescoring-runs.handlers';
import type { GradeCutoffsView } from '../commands/grade-cutoffs';

// Pages are written with the `html` template (every value escaped); prettier leaves the markup inside it alone
// (`embeddedLanguageFormatting: off`).

/** Where the rule-set pages live. */
export const RULES = '/rules';

export type VersionView = ReturnType<typeof versionView>;
export type RunView = ReturnType<typeof runView>;
export interface RuleSetSummary {
  id: string;
  regionName: string;
  extends: string | null;
  versions: VersionView[];
}
export interface DiffView {
  from: number;
  to: number;
  changes: RuleSetChange[];
  affected: Array<{ id: string; changes: RuleSetChange[] }>;
}
const STATUS_LABELS: Record<string, string> = { draft: '草稿', active: '生效', retired: '已停用' };
const RUN_STATUS: Record<string, string> = {
  planning: '准备中',
  running: '进行中',
  cancelled: '已取消',
  completed: '已完成',
  failed: '失败',
};
const KIND_LABELS: Record<string, string> = {
  years: '适用年度',
  band: '等级划分',
  tier: '定性分档',
  weight: '权重',
  execution: '预算执行',
  formula: '计分公式',
  check: '核查规则',
  routing: '审核分流',
  other: '其他',
};
const ROUTING_LABELS: Record<string, string> = { 'auto-approve': '自动通过', 'manual-review': '人工审核' };

const CSS = trusted(`<style>
.badge.draft{background:#fff3c4;color:#8d5b00}.badge.active{background:#e3f9e5;color:var(--ok)}.badge.retired{background:#eef2f7;color:var(--muted)}
.badge.running,.badge.planning{background:#e7f0ff;color:#1f4f99}.badge.completed{background:#e3f9e5;color:var(--ok)}.badge.cancelled,.badge.failed{background:#ffe3e3;color:var(--accent)}
progress{width:100%;height:18px}
.bar{display:inline-block;height:12px;background:var(--accent);vertical-align:middle}
</style>`);

function page(title: string, body: SafeHtml, viewer: Viewer): SafeHtml {
  return workspacePage(RULES, title, html`${CSS}${body}`, viewer);
}

const badge = (status: string, labels: Record<string, string>) =>
  html`<span class="badge ${status}" data-status="${status}">${labels[status] ?? status}</span>`;
const years = (y: { from: number | null; to: number | null } | null) =>
  !y ? '' : y.from === null && y.to === null ? '全部年度' : `${y.from ?? '…'}–${y.to ?? '…'}`;
const rulesPath = (id: string) => `${RULES}/${encodeURIComponent(id)}`;
const runPath = (id: string) => `${RULES}/runs/${encodeURIComponent(id)}`;
const count = (n: number | null) => (n === null ? '—' : n.toLocaleString('zh-CN'));

/** Every rule set: its region, what it inherits from, its active versions and drafts waiting; the latest runs. */
export function indexPage(viewer: Viewer, sets: readonly RuleSetSummary[], runs: readonly RunView[]): SafeHtml {
  const rows = sets.map((s) => {
    const active = s.versions.filter((v) => v.status === 'active');
    const drafts = s.versions.filter((v) => v.status === 'draft');
    return html`<tr data-rule-set="${s.id}"><td><a href="${rulesPath(s.id)}">${s.id}</a></td><td>${s.regionName}</td><td>${s.extends ?? '—'}</td><td>${active.map(
      (v) => html`v${v.version}（${years(v.activeYears)}） `,
    )}</td><td>${drafts.length ? html`<strong>${drafts.map((v) => `v${v.version}`).join('、')}</strong>` : html`<span class="muted">无</span>`}</td></tr>`;
  });
  const body = html`<h1>评分规则</h1>
<p class="meta">每个地区一套规则，未写明的部分沿用上级（县 → 市 → 省 → 全国）。修改规则时先上传草稿，预览对已有评价的影响，再启用；启用后受影响的评价将重新评分。</p>
<div class="scroll"><table data-testid="rule-sets">
<thead><tr><th>规则</th><th>地区</th><th>继承自</th><th>生效版本</th><th>草稿</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<h2>最近的重新评分</h2>
${runsTable(runs)}`;
  return page('评分规则', body, viewer);
}

function runsTable(runs: readonly RunView[]): SafeHtml {
  if (runs.length === 0) return html`<p class="muted">暂无。</p>`;
  return html`<div class="scroll"><table data-testid="runs">
<thead><tr><th>开始时间</th><th>类型</th><th>规则</th><th>状态</th><th class="num">进度</th><th class="num">变化</th><th>操作人 / 理由</th></tr></thead>
<tbody>${runs.map(
    (r) =>
      html`<tr data-run="${r.id}"><td><a href="${runPath(r.id)}">${formatTime(r.createdAt)}</a></td><td>${r.kind === 'impact' ? '影响预览' : '启用后重新评分'}</td><td>${
        r.ruleSet.id
      } v${r.ruleSet.version}</td><td>${badge(r.status, RUN_STATUS)}</td><td class="num">${count(r.done)} / ${count(r.total)}</td><td class="num">${count(
        r.changed,
      )}</td><td>${r.createdBy ?? ''}${r.reason ? html`：${r.reason}` : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function changesList(changes: readonly RuleSetChange[]): SafeHtml {
  if (changes.length === 0) return html`<p class="muted">生效规则没有变化。</p>`;
  return html`<ul>${changes.map((c) => html`<li data-kind="${c.kind}"><span class="badge info">${KIND_LABELS[c.kind] ?? c.kind}</span> ${c.summary} <code class="muted">${c.path}</code></li>`)}</ul>`;
}

/** What a draft changes against the active version, here and in the rule sets inheriting from it. */
function diffSection(
  id: string,
  diff: DiffView | null,
  versions: readonly VersionView[],
  error: string | null,
): SafeHtml {
  const options = (selected: number) =>
    versions.map(
      (v) =>
        html`<option value="${v.version}"${v.version === selected ? trusted(' selected') : ''}>v${v.version}（${STATUS_LABELS[v.status] ?? v.status}）</option>`,
    );
  const picker = diff
    ? html`<form class="filters" method="get" action="${rulesPath(id)}"><label>从<select name="from">${options(diff.from)}</select></label><label>到<select name="to">${options(
        diff.to,
      )}</select></label><button class="primary" type="submit">比较</button></form>`
    : '';
  if (!diff) return html`<h2>变化</h2><p class="muted" data-testid="diff">${error ?? '没有可比较的草稿。'}</p>`;
  return html`<h2>变化：v${diff.from} → v${diff.to}</h2>${picker}<section class="card" data-testid="diff">${changesList(diff.changes)}${
    diff.affected.length
      ? html`<h3>继承本规则的地区也随之变化</h3>${diff.affected.map((a) => html`<p><a href="${rulesPath(a.id)}">${a.id}</a></p>${changesList(a.changes)}`)}`
      : html`<p class="muted">继承本规则的地区中，没有因此变化的（或都另有规定）。</p>`
  }</section>`;
}

/** The rule admin's forms for a draft: preview its impact, activate it (with a reason), or upload a new draft. */
/** The grade bands as numbers to change (a rule admin need not edit JSON for a new cutoff); saved as a draft. */
function cutoffsForm(
  viewer: Viewer,
  id: string,
  bands: GradeCutoffsView | null,
  typed: Readonly<Record<string, string>>,
): SafeHtml | string {
  if (!bands?.cutoffs) return '';
  const hidden = html`<input type="hidden" name="csrf" value="${viewer.csrf}">`;
  const rows = bands.cutoffs.map((c, i) =>
    c.from === null
      ? html`<p>${c.grade}：总分低于${bands.cutoffs![i - 1]?.grade ?? '上一等级'}的分数线</p>`
      : html`<p><label for="cutoff-${i}">${c.grade}：总分${c.inclusive ? '≥' : '＞'}</label> <input type="hidden" name="grade-${i}" value="${c.grade}"><input id="cutoff-${i}" name="cutoff-${i}" value="${
          typed[c.grade] ?? String(c.from)
        }" size="6" inputmode="decimal" required data-grade="${c.grade}"></p>`,
  );
  const base =
    bands.base.status === 'draft'
      ? `修改草稿 v${bands.base.version}`
      : `以启用的 v${bands.base.version} 为底稿生成新草稿`;
  return html`<form method="post" action="${rulesPath(id)}/grades" data-testid="cutoffs-form">${hidden}
<h3>调整等级分数线</h3>
<p class="muted">${base}${bands.inherited ? '；当前等级沿用上级规则，保存后写入本地区规则' : ''}。保存后照常预览影响、启用。</p>
${rows}
<button class="primary" type="submit">保存为草稿</button></form>`;
}

const pct = (f: number) => String(Math.round(f * 10_000) / 100);

/** The qualitative tiers as percentages to change (where each starts, its default); saved as a draft. */
function tiersForm(
  viewer: Viewer,
  id: string,
  bands: GradeCutoffsView | null,
  typed: Readonly<Record<string, { from?: string; default?: string }>>,
): SafeHtml | string {
  if (!bands?.tiers.length) return '';
  const hidden = html`<input type="hidden" name="csrf" value="${viewer.csrf}">`;
  const lowest = bands.tiers.length - 1;
  const rows = bands.tiers.map(
    (t, i) =>
      html`<p data-tier="${t.tier}"><strong>${t.label}</strong><input type="hidden" name="tier-${i}" value="${t.tier}"><br>${
        i === lowest
          ? html`得分率从 0% 起`
          : html`<label>得分率从 <input name="from-${i}" value="${typed[t.tier]?.from ?? pct(t.from)}" size="5" inputmode="decimal" required data-field="from">% 起</label>`
      }，<label>未自评或自评不在档内时按 <input name="default-${i}" value="${typed[t.tier]?.default ?? pct(t.default)}" size="5" inputmode="decimal" required data-field="default">%</label></p>`,
  );
  return html`<form method="post" action="${rulesPath(id)}/tiers" data-testid="tiers-form">${hidden}
<h3>调整定性指标档次</h3>
<p class="muted">定性指标按完成情况分档，得分为分值乘以得分率；每档到上一档的起点为止（不含），最高档到 100%。${
    bands.tiersInherited ? '当前档次沿用上级规则，保存后写入本地区规则。' : ''
  }</p>
${rows}
<button class="primary" type="submit">保存为草稿</button></form>`;
}

function draftForms(
  viewer: Viewer,
  id: string,
  versions: readonly VersionView[],
  draft: { reason?: string; years?: string },
  bands: GradeCutoffsView | null,
  typed: Readonly<Record<string, string>>,
  typedTiers: Readonly<Record<string, { from?: string; default?: string }>>,
): SafeHtml | string {
  if (viewer.principal.role !== 'rule_admin')
    return html`<p class="muted">只有本地区的规则管理员可以上传、预览和启用规则。</p>`;
  const latest = [...versions].reverse().find((v) => v.status === 'draft');
  const hidden = html`<input type="hidden" name="csrf" value="${viewer.csrf}">`;
  const upload = html`<form method="post" action="${rulesPath(id)}/drafts" enctype="multipart/form-data">${hidden}
<h3>上传草稿</h3>
<p><input type="file" name="file" accept=".json" required></p>
<p class="muted">规则文件（JSON，格式同 <code>rules/${id}.json</code>）。上传后先检查，有错误时逐项列出位置，不保存。</p>
<button class="primary" type="submit">上传</button></form>`;
  const cutoffs = html`${cutoffsForm(viewer, id, bands, typed)}${tiersForm(viewer, id, bands, typedTiers)}`;
  if (!latest) return html`<h2>修改规则</h2><div class="decisions">${cutoffs}${upload}</div>`;
  const path = `${rulesPath(id)}/versions/${latest.version}`;
  return html`<h2>草稿 v${latest.version}</h2>
<div class="decisions" data-testid="draft-forms">
<form method="post" action="${path}/impact">${hidden}
<h3>预览影响</h3>
<p class="muted">用草稿重新评分受影响的全部评价（含继承本规则的地区），不保存任何结果；列出等级变化和需要重新审核的评价。</p>
<p><label for="impact-years">年度（可选，同启用）</label><br><input id="impact-years" name="years" value="${draft.years ?? ''}" placeholder="2024-" size="10"></p>
<button class="primary ok" type="submit">预览</button>
</form>
<form method="post" action="${path}/activate">${hidden}
<h3>启用</h3>
<p class="muted">启用后，受影响的评价按新规则重新评分；结果变化的已通过或已公开评价将退回审核。</p>
<p><label for="reason">启用理由（必填，记入审计记录）</label><textarea id="reason" name="reason" required maxlength="2000">${draft.reason ?? ''}</textarea></p>
<p><label for="activate-years">年度（可选：2024、2024-、2023-2024）</label><br><input id="activate-years" name="years" value="${draft.years ?? ''}" size="10"></p>
<button class="primary" type="submit">启用</button>
</form>
${cutoffs}${upload}
</div>`;
}

/** One rule set: its versions, what its latest draft changes, and the forms. */
export function ruleSetPage(
  viewer: Viewer,
  id: string,
  versions: readonly VersionView[],
  diff: DiffView | null,
  messages: {
    error?: string | null;
    diffError?: string | null;
    issues?: readonly string[];
    draft?: { reason?: string; years?: string };
    /** The grade bands to adjust (rule admins), and the cutoffs as typed when saving them was refused. */
    bands?: GradeCutoffsView | null;
    cutoffs?: Readonly<Record<string, string>>;
    tiers?: Readonly<Record<string, { from?: string; default?: string }>>;
  } = {},
): SafeHtml {
  const rows = [...versions]
    .reverse()
    .map(
      (v) =>
        html`<tr data-version="${v.version}"><td class="num">v${v.version}</td><td>${badge(v.status, STATUS_LABELS)}</td><td>${years(v.activeYears)}</td><td>${
          v.origin
        }${v.label ? html` · ${v.label}` : ''}</td><td>${v.createdBy ?? ''} ${formatTime(v.createdAt)}</td><td>${
          v.activatedAt ? html`${v.activatedBy ?? ''} ${formatTime(v.activatedAt)}` : ''
        }</td><td>${v.reason ?? ''}</td></tr>`,
    );
  const issues = messages.issues?.length
    ? html`<ul class="notice" data-testid="issues">${messages.issues.map((i) => html`<li>${i}</li>`)}</ul>`
    : '';
  const body = html`<p><a href="${RULES}">← 全部规则</a></p>
<h1>规则 ${id}</h1>
${notice('error', messages.error)}${issues}
<h2>版本</h2>
<div class="scroll"><table data-testid="versions">
<thead><tr><th class="num">版本</th><th>状态</th><th>适用年度</th><th>来源</th><th>创建</th><th>启用</th><th>启用理由</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${diffSection(id, diff, versions, messages.diffError ?? null)}
${draftForms(viewer, id, versions, messages.draft ?? {}, messages.bands ?? null, messages.cutoffs ?? {}, messages.tiers ?? {})}`;
  return page(`规则 ${id}`, body, viewer);
}

function reportSection(r: ImpactReport): SafeHtml {
  const rows = orderGrades(r.transitions.map((t) => t.from));
  const cols = orderGrades(r.transitions.map((t) => t.to));
  const cell = (f: string | null, t: string | null) =>
    r.transitions.filter((x) => x.from === f && x.to === t).reduce((s, x) => s + x.count, 0);
  const matrix = html`<table data-testid="transitions"><thead><tr><th>原等级＼新等级</th>${cols.map((c) => html`<th class="num">${c ?? '—'}</th>`)}</tr></thead><tbody>${rows.map(
    (f) =>
      html`<tr><th>${f ?? '—'}</th>${cols.map((t) => {
        const n = cell(f, t);
        return html`<td class="num${f !== t && n ? ' diff' : ''}">${n ? count(n) : '·'}</td>`;
      })}</tr>`,
  )}</tbody></table>`;
  const most = Math.max(0, ...r.totalDelta.buckets.map((b) => b.count));
  const signed = (n: number | null) => (n === null ? '—' : `${n > 0 ? '+' : ''}${formatScore(n)}`);
  const buckets = most
    ? html`<table data-testid="delta"><thead><tr><th>总分变化区间</th><th class="num">数量</th><th></th></tr></thead><tbody>${r.totalDelta.buckets.map(
        (b) =>
          html`<tr><td>[${signed(b.from)}, ${signed(b.to)})</td><td class="num">${count(b.count)}</td><td><span class="bar" style="width:${Math.ceil((b.count / most) * 300)}px"></span></td></tr>`,
      )}</tbody></table>`
    : '';
  const changed = r.changed.length
    ? html`<div class="scroll"><table data-testid="changed"><thead><tr><th>评价</th><th>地区</th><th class="num">年度</th><th>单位 / 项目</th><th class="num">总分</th><th>等级</th><th>审核分流</th></tr></thead><tbody>${r.changed.map(
        (c) =>
          html`<tr data-evaluation-id="${c.evaluationId}"><td><a href="/review/evaluations/${encodeURIComponent(c.evaluationId)}"><code>${c.evaluationId}</code></a></td><td>${c.region}</td><td class="num">${
            c.fiscalYear ?? '—'
          }</td><td>${[c.unit, c.project].filter(Boolean).join(' / ') || '—'}</td><td class="num">${formatScore(c.oldTotal)} → ${formatScore(c.newTotal)}</td><td>${
            c.oldGrade === c.newGrade ? (c.newGrade ?? '—') : `${c.oldGrade ?? '—'} → ${c.newGrade ?? '—'}`
          }</td><td>${c.oldRouting === c.newRouting ? '' : `${ROUTING_LABELS[c.oldRouting ?? ''] ?? c.oldRouting ?? '—'} → ${ROUTING_LABELS[c.newRouting ?? ''] ?? c.newRouting ?? '—'}`}</td></tr>`,
      )}</tbody></table></div>${r.changedTruncated ? html`<p class="muted">只列出前 ${r.changed.length} 份。</p>` : ''}`
    : html`<p class="muted">没有评价的等级或审核分流会变化。</p>`;
  // Note: the bar's width is the only style attribute written from data, and it is a number computed here.
  return html`<h2>影响预览</h2>
<section class="card summary"><div><span class="muted">重新评分</span><strong data-field="rescored">${count(r.rescored)}</strong></div><div><span class="muted">结果不变</span><strong>${count(
    r.unchanged,
  )}</strong></div><div><span class="muted">有变化</span><strong data-field="changed">${count(r.rescored - r.unchanged)}</strong></div><div><span class="muted">总分变化（最小 / 平均 / 最大）</span><strong>${signed(
    r.totalDelta.min,
  )} / ${signed(r.totalDelta.mean)} / ${signed(r.totalDelta.max)}</strong></div></section>
<h3>等级变化</h3>${matrix}
${buckets}
<h3>等级或审核分流会变化的评价</h3>${changed}`;
}

/** A re-scoring run: its progress (the page refreshes itself while it runs), its report, cancel or resume. */
export function runPage(
  viewer: Viewer,
  run: RunView,
  messages: { flash?: string | null; error?: string | null } = {},
): SafeHtml {
  const active = run.status === 'running' || run.status === 'planning';
  const pct = run.total ? Math.floor((run.done / run.total) * 100) : run.status === 'completed' ? 100 : 0;
  const hidden = html`<input type="hidden" name="csrf" value="${viewer.csrf}">`;
  const control =
    viewer.principal.role !== 'rule_admin'
      ? ''
      : active
        ? html`<form method="post" action="${runPath(run.id)}/cancel">${hidden}<button class="primary" type="submit">取消</button> <span class="muted">已写入的部分保留，可继续。</span></form>`
        : run.status === 'cancelled' || run.status === 'failed'
          ? html`<form method="post" action="${runPath(run.id)}/resume">${hidden}<button class="primary ok" type="submit">继续</button></form>`
          : '';
  const title = `${run.kind === 'impact' ? '影响预览' : '重新评分'}：${run.ruleSet.id} v${run.ruleSet.version}`;
  const body = html`<p><a href="${rulesPath(run.ruleSet.id)}">← 规则 ${run.ruleSet.id}</a></p>
<h1>${title} ${badge(run.status, RUN_STATUS)}</h1>
${notice('flash', messages.flash)}${notice('error', messages.error)}
<p class="meta">${run.createdBy ?? ''}${run.reason ? html`：${run.reason}` : ''} · 创建 ${formatTime(run.createdAt)}${run.finishedAt ? html` · 结束 ${formatTime(run.finishedAt)}` : ''}</p>
<section class="card" data-testid="progress">
<progress max="100" value="${pct}">${pct}%</progress>
<p>${count(run.done)} / ${count(run.total)}（${pct}%）${run.ratePerSecond ? html` · 每秒 ${count(Math.round(run.ratePerSecond))} 份` : ''}${
    run.etaSeconds !== null && active ? html` · 预计还需 ${run.etaSeconds} 秒` : ''
  } · 结果有变化 ${count(run.changed)} 份${active ? html` <span class="muted">（本页每 2 秒刷新）</span>` : ''}</p>
${run.error ? html`<p class="notice">${run.error}</p>` : ''}
${control}
</section>
${run.report ? reportSection(run.report as ImpactReport) : run.kind === 'impact' && !active ? html`<p class="muted">没有报告。</p>` : ''}`;
  return page(title, body, viewer);
}
