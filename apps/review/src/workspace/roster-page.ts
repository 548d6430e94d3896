import { formatTime, html, type SafeHtml, trusted } from '@jixiao/runtime/html';
import { notice, type Viewer, workspacePage } from '@jixiao/runtime/workspace';
import type { UnitStanding } from '../domain/roster';
import { REVIEW_STATE_LABELS, REVIEW_STATES } from '../domain/review-state';
import type { RosterOverview, RosterView } from '../queries/roster.query';
import { listHref, WORKSPACE } from './workspace-pages';

/** Where the roster page lives (the workspace's). */
export const ROSTER_PAGE = `${WORKSPACE}/roster`;

export interface RosterPageInput {
  /** What the form asked for (as typed, kept when refused). */
  region: string;
  year: string;
  /** Where it stands; null before a region and year are chosen. */
  view: RosterView | null;
  /** For a city or a province: where the rosters under it stand. */
  overview?: RosterOverview | null;
  flash?: string | null;
  error?: string | null;
  /** What the reviewer pasted and the deadline typed, kept when saving was refused. */
  draft?: string;
  draftDeadline?: string;
}

/** The worklist of a region and year (every state, current versions), searched by a unit's name if given. */
const worklistHref = (region: string, year: number, q?: string) =>
  listHref({ region, year, q, current: true }, 'all', 1);

/** A unit that submitted: its name, a link to its forms in the worklist. */
function unitLink(v: RosterView, u: UnitStanding): SafeHtml | string {
  if (!u.unitName) return html`<span class="muted">（表中未写明单位）</span>`;
  if (!u.evaluations) return u.unitName;
  return html`<a href="${worklistHref(v.region, v.fiscalYear, u.unitName)}">${u.unitName}</a>`;
}

/** A unit's current versions by state, each state a short label with its count. */
function statesCell(u: UnitStanding): string {
  return REVIEW_STATES.filter((s) => u.byState[s])
    .map((s) => `${REVIEW_STATE_LABELS[s]} ${u.byState[s]}`)
    .join(' · ');
}

/** When a unit first submitted, marked when that was after the deadline. */
function firstCell(u: UnitStanding): SafeHtml | string {
  if (!u.firstAt) return '';
  return html`${formatTime(u.firstAt)}${u.late ? html` <span class="badge warning" data-late>逾期</span>` : ''}`;
}

function rosterTable(v: RosterView): SafeHtml | string {
  if (v.units.length === 0) return '';
  const missingBadge = v.overdue
    ? html`<span class="badge returned">逾期未提交</span>`
    : html`<span class="badge returned">未提交</span>`;
  return html`<h2>名单（${v.expected} 个单位）</h2><p class="pager"><a href="${`${ROSTER_PAGE}.xlsx?${new URLSearchParams(
    {
      region: v.region,
      year: String(v.fiscalYear),
    },
  )}`}" data-testid="roster-export" download>导出 Excel</a></p><div class="scroll"><table data-testid="roster">
<thead><tr><th>#</th><th>单位</th><th class="num">已提交（最新版本）</th><th>状态</th><th>首次提交</th><th>最近提交</th></tr></thead>
<tbody>${v.units.map(
    (u, i) =>
      html`<tr data-unit="${u.unitName ?? ''}"${u.evaluations ? '' : trusted(' class="differs"')}><td class="num">${i + 1}</td><td>${unitLink(v, u)}</td><td class="num">${
        u.evaluations ? u.evaluations : missingBadge
      }</td><td>${statesCell(u)}</td><td>${firstCell(u)}</td><td>${u.lastAt ? formatTime(u.lastAt) : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function unlistedTable(v: RosterView): SafeHtml | string {
  if (v.unlisted.length === 0) return '';
  const why = v.units.length
    ? '这些单位已提交，但名单中没有（名称写法不同，或未列入名单）：核对后可在下方名单中补上或改正。'
    : '尚未设置名单：以下是已提交的单位。';
  return html`<h2>${v.units.length ? '不在名单中的提交单位' : '已提交的单位'}（${v.unlisted.length}）</h2><p class="muted">${why}</p>
<div class="scroll"><table data-testid="unlisted"><thead><tr><th>单位</th><th class="num">已提交（最新版本）</th><th>状态</th><th>首次提交</th><th>最近提交</th></tr></thead>
<tbody>${v.unlisted.map(
    (u) =>
      html`<tr><td>${unitLink(v, u)}</td><td class="num">${u.evaluations}</td><td>${statesCell(
        u,
      )}</td><td>${firstCell(u)}</td><td>${u.lastAt ? formatTime(u.lastAt) : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The deadline, whether it has passed, and how many units were late. */
function deadlineLine(v: RosterView): SafeHtml | string {
  if (!v.deadline) return '';
  return html`<br><span data-testid="deadline">截止日期 <strong>${v.deadline}</strong>${v.overdue ? '（已过）' : ''}${
    v.late ? html`；逾期提交 <strong data-field="late">${v.late}</strong> 个` : ''
  }</span>`;
}

/** A city's or a province's rosters under it, a line each, linked to each. */
function overviewSection(o: RosterOverview): SafeHtml {
  if (o.rosters.length === 0)
    return html`<h2>下级地区的名单</h2><p class="muted" data-testid="overview">地区 ${o.region} 及其下级地区 ${o.fiscalYear} 年度尚未设置名单。</p>`;
  const sum = (k: 'expected' | 'submitted' | 'missing' | 'late') => o.rosters.reduce((n, r) => n + r[k], 0);
  return html`<h2>下级地区的名单（${o.rosters.length}）</h2><div class="scroll"><table data-testid="overview">
<thead><tr><th>地区</th><th class="num">名单单位</th><th class="num">已提交</th><th class="num">未提交</th><th class="num">逾期提交</th><th>截止日期</th></tr></thead>
<tbody>${o.rosters.map(
    (r) =>
      html`<tr data-region="${r.region}"${r.missing ? trusted(' class="differs"') : ''}><td><a href="${`${ROSTER_PAGE}?${new URLSearchParams(
        {
          region: r.region,
          year: String(o.fiscalYear),
        },
      )}`}">${r.region}</a></td><td class="num">${r.expected}</td><td class="num">${r.submitted}</td><td class="num">${
        r.missing
          ? html`<strong>${r.missing}</strong>${r.overdue ? html` <span class="badge returned">逾期</span>` : ''}`
          : '0'
      }</td><td class="num">${r.late}</td><td>${r.deadline ?? '—'}${r.overdue ? '（已过）' : ''}</td></tr>`,
  )}<tr><th>合计</th><th class="num">${sum('expected')}</th><th class="num">${sum('submitted')}</th><th class="num">${sum(
    'missing',
  )}</th><th class="num">${sum('late')}</th><th></th></tr></tbody></table></div>`;
}

/** Every time the roster was set: who, when, what (its audit records). */
function changesSection(v: RosterView): SafeHtml | string {
  if (v.changes.length === 0) return '';
  return html`<h2>名单设置记录</h2><div class="scroll"><table data-testid="roster-changes"><thead><tr><th>时间</th><th>操作人</th><th>内容</th><th class="num">审计记录</th></tr></thead>
<tbody>${v.changes.map(
    (c) =>
      html`<tr><td>${formatTime(c.at)}</td><td>${c.by}</td><td>${c.reason ?? ''}</td><td class="num">#${c.auditSeq}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The reviewers' form: the roster a unit per line, replacing the one set before. */
function rosterForm(viewer: Viewer, input: RosterPageInput): SafeHtml | string {
  if (viewer.principal.role !== 'reviewer' || !input.view) return '';
  const v = input.view;
  const text = input.draft ?? v.units.map((u) => u.unitName).join('\n');
  const deadline = input.draftDeadline ?? v.deadline ?? '';
  return html`<h2>${v.units.length ? '修改名单' : '设置名单'}</h2>
<form method="post" action="${ROSTER_PAGE}" data-testid="roster-form"><input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="region" value="${v.region}"><input type="hidden" name="year" value="${String(v.fiscalYear)}">
<p><label for="units">应提交自评表的单位，每行一个（可从 Excel 复制一列粘贴；带序号的两列也可以）。保存后替换原名单，并记入审计记录。</label><textarea id="units" name="units" rows="12">${text}</textarea></p>
<p><label for="deadline">截止日期（可选；此日之后首次提交的单位标为逾期）</label> <input type="date" id="deadline" name="deadline" value="${deadline}"></p>
<button class="primary" type="submit">保存名单</button>
</form>`;
}

/**
 * 单位填报情况: for a region and year, its roster of units expected to submit, who has and who has not (the current
 * versions), and the units that submitted without being on it; reviewers set the roster here.
 */
export function rosterPage(viewer: Viewer, input: RosterPageInput): SafeHtml {
  const v = input.view;
  const summary = !v
    ? html`<p class="muted">请选择地区（6 位行政区划代码）和年度。</p>`
    : v.units.length
      ? html`<section class="card" data-testid="standing"><p><strong>地区 ${v.region}，${v.fiscalYear} 年度</strong>：名单 <strong>${v.expected}</strong> 个单位，已提交 <strong data-field="submitted">${v.submitted}</strong> 个，未提交 <strong data-field="missing">${v.missing.length}</strong> 个${
          v.unlisted.length ? html`；另有 ${v.unlisted.length} 个不在名单中的单位已提交` : ''
        }。${deadlineLine(v)}</p><p class="muted">名单由 ${v.setBy ?? '—'} 于 ${v.setAt ? formatTime(v.setAt) : '—'} 设置；只计本地区（不含下级地区）各表的最新版本；截止日期按北京时间计。 <a href="${worklistHref(v.region, v.fiscalYear)}">查看这些自评表</a></p></section>${
          v.missing.length
            ? html`<div class="notice" data-testid="missing"><strong>${v.overdue ? '已过截止日期仍未提交的单位' : '尚未提交的单位'}（${v.missing.length}）</strong><ol>${v.missing.map(
                (m) => html`<li>${m}</li>`,
              )}</ol></div>`
            : html`<p class="flash" data-testid="missing">名单中的单位都已提交。</p>`
        }`
      : html`<section class="card" data-testid="standing"><p><strong>地区 ${v.region}，${v.fiscalYear} 年度</strong>：尚未设置应提交单位名单${
          viewer.principal.role === 'reviewer' ? '，可在下方设置' : '（由本地区审核人员设置）'
        }。</p></section>`;
  const body = html`<h1>单位填报情况</h1>
${notice('flash', input.flash)}${notice('error', input.error)}
<form method="get" action="${ROSTER_PAGE}" class="filters">
<label>地区<input name="region" value="${input.region}" placeholder="130126" inputmode="numeric" maxlength="6"></label>
<label>年度<input name="year" value="${input.year}" placeholder="2023" inputmode="numeric" maxlength="4"></label>
<button type="submit">查看</button>
</form>
${input.overview ? overviewSection(input.overview) : ''}
${summary}
${v ? rosterTable(v) : ''}
${v ? unlistedTable(v) : ''}
${rosterForm(viewer, input)}
${v ? changesSection(v) : ''}`;
  return workspacePage(WORKSPACE, '单位填报情况', body, viewer);
}
