import { formatRate, formatScore, formatTime } from '@jixiao/runtime/html';
import type { DisclosureList, DisclosureRow, StaffDisclosure } from '../server/api-types';
import { renderTable } from './table';

/** 已发布, 已修订 or 已撤回, and 复核中 while a re-scoring's change awaits a reviewer (as the pages say it). */
function standing(d: DisclosureRow): string {
  const label = d.status === 'retracted' ? '已撤回' : d.revision > 1 ? '已修订' : '已发布';
  return d.underReviewRunId && d.status === 'published' ? `${label} 复核中` : label;
}

/** `jixiao publication list`: a line per disclosure, the counts, how to get the next page. */
export function renderDisclosureList(list: DisclosureList, nextPage: string | null): string {
  const c = list.counts;
  const counts = `共 ${c.total} 份：有效公开 ${c.published}（其中已修订 ${c.revised}，复核中 ${c.underReview}），已撤回 ${c.retracted}`;
  if (list.items.length === 0)
    return list.total === 0
      ? `没有符合条件的公开结果。\n${counts}\n`
      : `第 ${list.page} 页没有记录（共 ${list.total} 条）。\n`;
  const table = renderTable(
    [
      { header: '评价 id' },
      { header: '地区' },
      { header: '年度' },
      { header: '单位 / 项目', max: 36 },
      { header: '总分', align: 'right' },
      { header: '等级' },
      { header: '执行率', align: 'right' },
      { header: '状态' },
      { header: '版本', align: 'right' },
      { header: '公开或撤回时间' },
    ],
    list.items.map((d) => [
      d.evaluationId,
      d.region,
      d.fiscalYear === null ? '—' : String(d.fiscalYear),
      [d.unitName, d.projectName].filter(Boolean).join(' / ') || '(未命名)',
      formatScore(d.total),
      d.grade ?? '—',
      formatRate(d.executionRate),
      standing(d),
      String(d.revision),
      formatTime(d.status === 'retracted' ? d.retractedAt : d.publishedAt),
    ]),
  );
  const first = (list.page - 1) * list.pageSize + 1;
  const footer = `第 ${first}–${first + list.items.length - 1} 条，共 ${list.total} 条${nextPage ? `；下一页：${nextPage}` : ''}`;
  return `${table}\n\n${footer}\n${counts}\n`;
}

/** `jixiao publication show`: where one publication stands, every revision, its retraction. */
export function renderDisclosure(found: StaffDisclosure): string {
  const d = found.disclosure;
  const lines = [
    `${d.projectName ?? d.unitName ?? d.evaluationId}${d.unitName && d.projectName ? `（${d.unitName}）` : ''} · ${standing(d)}`,
    `${d.regionName ? `${d.regionName}（${d.region}）` : d.region} · ${d.fiscalYear ?? '—'} 年度 · ${d.evaluationId}`,
    `总分 ${formatScore(d.total)} · 等级 ${d.grade ?? '—'} · 执行率 ${formatRate(d.executionRate)} · 版本 ${d.revision}`,
    `首次公开 ${formatTime(d.firstPublishedAt)}；当前版本公开于 ${formatTime(d.publishedAt)}`,
  ];
  if (d.status === 'retracted')
    lines.push(
      `已撤回：${formatTime(d.retractedAt)}，${found.retractedBy ?? '—'}：${d.retractionReason ?? ''}` +
        (found.replacedBy
          ? `\n更正后公开的版本：${found.replacedBy}（jixiao publication show ${found.replacedBy}）`
          : ''),
    );
  if (d.underReviewRunId && d.status === 'published')
    lines.push(`复核中：重新评分批次 ${d.underReviewRunId} 改变了总分或等级，待审核人员重新审核`);
  const table = renderTable(
    [
      { header: '版本', align: 'right' },
      { header: '公开时间' },
      { header: '总分', align: 'right' },
      { header: '等级' },
      { header: '执行率', align: 'right' },
      { header: '评分规则' },
      { header: '说明', max: 60 },
    ],
    [...found.revisions]
      .reverse()
      .map((r) => [
        String(r.revision),
        formatTime(r.publishedAt),
        formatScore(r.total),
        r.grade ?? '—',
        formatRate(r.executionRate),
        `${r.ruleSet.id} v${r.ruleSet.version}`,
        r.reason ?? '首次发布',
      ]),
  );
  return `${lines.join('\n')}\n\n修订记录：\n${table}\n`;
}
