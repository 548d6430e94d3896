import { EVALUATION_STATE_LABELS } from '@jixiao/contracts';
import { formatRate, formatTime } from '@jixiao/runtime/html';
import type {
  EvaluationDetail,
  EvaluationHistory,
  EvaluationPage,
  Progress,
  Roster,
  RosterOverview,
  VersionChanges,
} from '../server/api-types';
import { formatScore as fmt, renderFindings, renderRouting, renderScoreTable } from './score-report';
import { renderTable } from './table';

/** An evaluation's state as the bureau's staff call it (as the workspace's pages do). */
export const STATE_LABELS: Record<string, string> = EVALUATION_STATE_LABELS;

const stateLabel = (s: string) => STATE_LABELS[s] ?? s;

function findingsCell(c: { error: number; warning: number; info: number } | null): string {
  if (!c) return '—';
  const parts = [
    c.error ? `${c.error} 错误` : '',
    c.warning ? `${c.warning} 警告` : '',
    c.info ? `${c.info} 提示` : '',
  ];
  return parts.filter(Boolean).join(' ') || '无';
}

/** `jixiao review list`: one line per evaluation, the page and how to get the next. */
export function renderEvaluationList(page: EvaluationPage, nextPage: string | null): string {
  if (page.items.length === 0)
    return page.total === 0 ? '没有符合条件的绩效自评。\n' : `第 ${page.page} 页没有记录（共 ${page.total} 条）。\n`;
  const table = renderTable(
    [
      { header: '评价 id' },
      { header: '地区' },
      { header: '年度' },
      { header: '单位 / 项目', max: 36 },
      { header: '状态' },
      { header: '总分', align: 'right' },
      { header: '等级' },
      { header: '问题' },
      { header: '审核原因', max: 40 },
    ],
    page.items.map((e) => [
      e.evaluationId,
      e.region,
      e.fiscalYear === null ? '—' : String(e.fiscalYear),
      [e.unitName, e.projectName].filter(Boolean).join(' / ') || '(未命名)',
      stateLabel(e.state),
      fmt(e.total),
      e.grade ?? '—',
      findingsCell(e.findingCounts),
      e.routing?.decision === 'manual-review' ? e.routing.reasons.join('；') : '',
    ]),
  );
  const first = (page.page - 1) * page.pageSize + 1;
  const footer = `第 ${first}–${first + page.items.length - 1} 条，共 ${page.total} 条${nextPage ? `；下一页：${nextPage}` : ''}`;
  return `${table}\n\n${footer}\n`;
}

/** `jixiao review show`: the evaluation, its score indicator by indicator, its findings and what can be done next. */
export function renderEvaluationDetail(e: EvaluationDetail): string {
  const title = [
    e.projectName ?? e.unitName ?? '(未命名)',
    e.unitName && e.projectName ? `（${e.unitName}）` : '',
  ].join('');
  const rules = e.score
    ? ` · 规则 ${e.score.ruleSet.id} v${e.score.ruleSet.version} ${e.score.ruleSet.hash.slice(0, 19)}`
    : '';
  const lines = [
    title,
    `${e.evaluationId} · ${e.formType === 'project' ? '项目支出' : '部门整体'} · ${e.region} · ${e.fiscalYear ?? '年度未知'}年度 · ` +
      `状态 ${stateLabel(e.state)} (${e.state}) · 修订 ${e.revision} · 第 ${e.version} 版${e.previousVersionId ? `（更正 ${e.previousVersionId}）` : ''}${rules}`,
  ];
  if (e.lastReason) lines.push(`最近一次原因：${e.lastReason}`);
  if (e.hold) lines.push(`${e.hold.by} 审核中（认领至 ${formatTime(e.hold.until)}）`);
  if (e.state === 'returned' && e.lastReturn?.findings.length)
    lines.push(
      `退回时指出需要修改的问题（${e.lastReturn.findings.length}）：`,
      ...e.lastReturn.findings.map((f) => `  [${f.severity}] ${f.subject ? `${f.subject}：` : ''}${f.message}`),
    );
  if (e.changesFromPrevious) lines.push('', ...renderChanges(e.changesFromPrevious));
  if (e.previousReturn) lines.push('', ...renderPreviousReturn(e.previousReturn));
  const b = e.score?.breakdown;
  if (!e.score) lines.push('', '尚未评分。');
  else if (!b) lines.push('', `规则总分 ${fmt(e.score.total)}  规则等级 ${e.score.grade ?? '—'}（逐项得分暂不可用）`);
  else {
    lines.push(
      '',
      renderScoreTable(b.execution, b.reported.executionScore, b.indicators),
      '',
      `发现问题 (${b.findings.length})：`,
      renderFindings(b.findings, { numbered: true }),
      '',
      `自评总分 ${fmt(b.reported.total)}  自评等级 ${b.reported.grade ?? '—'}`,
      `规则总分 ${fmt(e.score.total)}  规则等级 ${e.score.grade ?? '—'}`,
    );
  }
  if (e.routing) lines.push(renderRouting(e.routing));
  if (e.publicPath) lines.push(`公开页面：${e.publicPath}`);
  if (e.state === 'in_review')
    lines.push(
      '',
      `通过：jixiao review approve ${e.evaluationId} --revision ${e.revision}`,
      `退回：jixiao review return ${e.evaluationId} --revision ${e.revision} --reason "…"` +
        (b?.findings.length ? ' [--finding <上列问题的序号>]…' : ''),
    );
  return `${lines.join('\n')}\n`;
}

const FOLLOW_UP = { resolved: '已解决', remaining: '仍存在', unknown: '待评分后核对' } as const;

/** The return a corrected version answers: its reason, and each finding it named, resolved or still there. */
function renderPreviousReturn(r: NonNullable<EvaluationDetail['previousReturn']>): string[] {
  const count = (s: keyof typeof FOLLOW_UP) => r.findings.filter((f) => f.status === s).length;
  const tally = r.findings.length ? `：已解决 ${count('resolved')} 项，仍存在 ${count('remaining')} 项` : '';
  return [
    `上一版（${r.evaluationId}）的退回${tally}`,
    `  退回理由（${r.actor.user}，${formatTime(r.at)}）：${r.reason ?? ''}`,
    ...r.findings.map(
      (f) =>
        `  ${FOLLOW_UP[f.status]}  [${f.severity}] ${f.subject ? `${f.subject}：` : ''}${f.message}` +
        (f.now && f.now !== f.message ? ` → 现在：${f.now}` : ''),
    ),
  ];
}

/** What a corrected version changed against the one it corrects, a line per change (or that it changed nothing). */
function renderChanges(c: VersionChanges): string[] {
  const value = (v: string | number | null) => (v === null ? '（空）' : String(v));
  const change = (f: VersionChanges['form'][number]) => `${f.label} ${value(f.from)} → ${value(f.to)}`;
  const kinds = { added: '新增', removed: '删除', changed: '修改' } as const;
  if (c.unchanged)
    return [`与第 ${c.previousVersion} 版（${c.previousVersionId}）相比：单位填写的内容完全相同，未作改动`];
  return [
    `与第 ${c.previousVersion} 版（${c.previousVersionId}）相比的改动：`,
    ...c.form.map((f) => `  ${change(f)}`),
    ...c.projects.map(
      (p) => `  ${kinds[p.kind]}项目 ${p.name}${p.changes.length ? `：${p.changes.map(change).join('；')}` : ''}`,
    ),
    ...c.indicators.map(
      (i) => `  ${kinds[i.kind]}指标 ${i.name}${i.changes.length ? `：${i.changes.map(change).join('；')}` : ''}`,
    ),
    ...(c.otherChanges ? ['  另有未逐项列出的改动（如各部分得分合计、报告所述数字或行的顺序），请对照原始文件'] : []),
    ...c.score.map((f) => `  ${change(f)}`),
  ];
}

/** `jixiao review history`: the evaluation's trail, a line per change: when, who, what, the states, why. */
export function renderEvaluationHistory(h: EvaluationHistory): string {
  const table = renderTable(
    [{ header: '时间' }, { header: '操作人' }, { header: '操作' }, { header: '状态' }, { header: '原因', max: 80 }],
    h.items.map((i) => [
      formatTime(i.at),
      `${i.actor.user} (${i.actor.role})`,
      i.action,
      i.fromState === i.toState ? (i.toState ?? '') : `${i.fromState ?? '—'} → ${i.toState ?? '—'}`,
      i.reason ?? '',
    ]),
  );
  return `${h.evaluationId} · 当前状态 ${stateLabel(h.state)} (${h.state})\n\n${table}\n`;
}

/** How the work stands: the current versions by state (each state, in the order of the flow) and by grade. */
export function renderProgress(p: Progress): string {
  const where = [p.region ? `地区 ${p.region}` : '全部地区', p.fiscalYear ? `${p.fiscalYear} 年度` : '全部年度'].join(
    '，',
  );
  const states = renderTable(
    [{ header: '状态' }, { header: '张数', align: 'right' }],
    Object.entries(p.byState).map(([s, n]) => [`${stateLabel(s)} (${s})`, String(n)]),
  );
  const grades = p.byGrade.map((g) => `${g.grade ?? '未评分'} ${g.count}`).join(' · ');
  const averages =
    p.averageTotal !== null && p.averageTotal !== undefined
      ? `平均总分 ${fmt(p.averageTotal)}，平均执行率 ${formatRate(p.averageExecutionRate)}（已评分的）\n`
      : '';
  const regions = p.regions ? `\n各地区：\n${renderRegions(p)}\n` : '';
  return `${where}：共 ${p.total} 张（每张表只计最新版本）\n\n${states}\n${grades ? `\n等级：${grades}\n` : ''}${averages}${regions}`;
}

/** `review progress --by-region`: a line per region, the states a reviewer watches and each grade, the averages. */
function renderRegions(p: Progress): string {
  const grades = [...new Set((p.regions ?? []).flatMap((r) => r.byGrade.map((g) => g.grade)))];
  const ordered = p.byGrade.map((g) => g.grade).filter((g) => grades.includes(g));
  const watched = ['in_review', 'returned', 'published'] as const;
  return renderTable(
    [
      { header: '地区' },
      { header: '张数', align: 'right' },
      ...watched.map((s) => ({ header: stateLabel(s), align: 'right' as const })),
      ...ordered.map((g) => ({ header: g ?? '未评分', align: 'right' as const })),
      { header: '平均总分', align: 'right' },
      { header: '平均执行率', align: 'right' },
    ],
    (p.regions ?? []).map((r) => [
      r.region,
      String(r.total),
      ...watched.map((s) => String(r.byState[s] ?? 0)),
      ...ordered.map((g) => String(r.byGrade.find((x) => x.grade === g)?.count ?? 0)),
      fmt(r.averageTotal ?? null),
      formatRate(r.averageExecutionRate),
    ]),
  );
}

/** `jixiao review roster`: who of the roster has not submitted yet, then the roster and the units not on it. */
export function renderRoster(r: Roster): string {
  const states = (byState: Record<string, number>) =>
    Object.entries(byState)
      .map(([s, n]) => `${stateLabel(s)} ${n}`)
      .join(' · ');
  const where = `地区 ${r.region}，${r.fiscalYear} 年度`;
  const lines: string[] = [];
  if (r.setAt === null)
    lines.push(
      `${where}：尚未设置应提交单位名单（jixiao review roster ${r.region} --year ${r.fiscalYear} --set <文件>）`,
    );
  else {
    lines.push(
      `${where}：名单 ${r.expected} 个单位，已提交 ${r.submitted} 个，未提交 ${r.missing.length} 个（名单由 ${r.setBy ?? '—'} 于 ${formatTime(r.setAt)} 设置）`,
      ...(r.deadline
        ? [`截止日期 ${r.deadline}${r.overdue ? '（已过）' : ''}${r.late ? `；逾期提交 ${r.late} 个` : ''}`]
        : []),
      '',
      r.missing.length
        ? `${r.overdue ? '已过截止日期仍未提交' : '尚未提交'}（${r.missing.length}）：`
        : '名单中的单位都已提交。',
      ...r.missing.map((m, i) => `  ${i + 1}. ${m}`),
      '',
      renderTable(
        [{ header: '单位' }, { header: '已提交', align: 'right' }, { header: '状态' }],
        r.units.map((u) => [
          u.unitName ?? '',
          u.evaluations ? String(u.evaluations) : '未提交',
          `${states(u.byState)}${u.late ? '（逾期提交）' : ''}`,
        ]),
      ),
    );
  }
  if (r.unlisted.length)
    lines.push(
      '',
      r.setAt === null ? `已提交的单位（${r.unlisted.length}）：` : `不在名单中的提交单位（${r.unlisted.length}）：`,
      renderTable(
        [{ header: '单位' }, { header: '已提交', align: 'right' }, { header: '状态' }],
        r.unlisted.map((u) => [u.unitName ?? '（表中未写明单位）', String(u.evaluations), states(u.byState)]),
      ),
    );
  return `${lines.join('\n')}\n`;
}

/** `jixiao review roster <city> --under`: the rosters set under a region, a line each, with the totals. */
export function renderRosterOverview(o: RosterOverview): string {
  if (o.rosters.length === 0) return `地区 ${o.region} 及其下级地区 ${o.fiscalYear} 年度尚未设置名单。\n`;
  const sum = (k: 'expected' | 'submitted' | 'missing' | 'late') => String(o.rosters.reduce((n, r) => n + r[k], 0));
  const table = renderTable(
    [
      { header: '地区' },
      { header: '名单单位', align: 'right' },
      { header: '已提交', align: 'right' },
      { header: '未提交', align: 'right' },
      { header: '逾期提交', align: 'right' },
      { header: '截止日期' },
    ],
    [
      ...o.rosters.map((r) => [
        r.region,
        String(r.expected),
        String(r.submitted),
        `${r.missing}${r.missing && r.overdue ? '（逾期）' : ''}`,
        String(r.late),
        r.deadline ? `${r.deadline}${r.overdue ? '（已过）' : ''}` : '—',
      ]),
      ['合计', sum('expected'), sum('submitted'), sum('missing'), sum('late'), ''],
    ],
  );
  return `地区 ${o.region} 及其下级地区，${o.fiscalYear} 年度：${o.rosters.length} 份名单\n\n${table}\n`;
}
