import ExcelJS from 'exceljs';
import { FINDING_CODE_LABELS, type FindingCode } from '@jixiao/contracts';
import { orderGrades } from '@jixiao/scoring';
import { formatRate, formatScore, html, type SafeHtml } from '@jixiao/runtime/html';
import { notice, type Viewer, workspacePage } from '@jixiao/runtime/workspace';
import { REVIEW_STATE_LABELS, type ReviewState } from '../domain/review-state';
import { listHref, type Progress, WORKSPACE } from './workspace-pages';

// Pages are written with the `html` template (every value escaped); prettier leaves the markup inside it alone
// (`embeddedLanguageFormatting: off`).

/** Where the summary of results by region lives (the workspace's). */
export const SUMMARY_PAGE = `${WORKSPACE}/summary`;

/** The states a summary counts in columns of their own; the others are in 其他. */
const STATE_COLUMNS: readonly ReviewState[] = ['in_review', 'returned', 'approved', 'published', 'retracted'];

type Figures = Omit<Progress, 'region' | 'fiscalYear' | 'regions'>;
type Row = Figures & { region: string };

/** The grades any region used, best first (regions may grade 优 … 差 or 优秀 … 差). */
function gradesOf(p: Progress): Array<string | null> {
  const seen = new Set<string | null>();
  for (const r of p.regions ?? []) for (const g of r.byGrade) seen.add(g.grade);
  for (const g of p.byGrade) seen.add(g.grade);
  return orderGrades(seen.keys());
}

const countOf = (f: Figures, grade: string | null) => f.byGrade.find((g) => g.grade === grade)?.count ?? 0;
const others = (f: Figures) => f.total - STATE_COLUMNS.reduce((n, s) => n + (f.byState[s] ?? 0), 0);

export interface SummaryPageInput {
  /** As typed (kept when refused). */
  region: string;
  year: string;
  summary: Progress | null;
  error?: string | null;
}

/** The query of the summary's own page and its workbook. */
export function summaryQuery(region: string | null, year: number | null): string {
  const q = new URLSearchParams();
  if (region) q.set('region', region);
  if (year !== null) q.set('year', String(year));
  return q.toString();
}

/**
 * 自评结果汇总: for a region and year, the current versions of its forms and of each region under it (a city's
 * counties, a province's cities and counties), counted by state and grade, with the average rule total and execution
 * rate — what a bureau reports upwards, each region's row leading to its forms.
 */
export function summaryPage(viewer: Viewer, input: SummaryPageInput): SafeHtml {
  const p = input.summary;
  const form = html`<form class="filters card" method="get" action="${SUMMARY_PAGE}">
<label>地区代码<input name="region" value="${input.region}" size="8" pattern="CN|[0-9]{6}" placeholder="130100"></label>
<label>年度<input name="year" value="${input.year}" size="5" inputmode="numeric" pattern="[0-9]{4}"></label>
<button class="primary" type="submit">汇总</button>
</form>`;
  const intro = html`<p class="muted">每张自评表只计最新版本（更正版本替代被更正的版本）；平均总分与平均执行率按已评分的自评表计算。</p>`;
  if (!p)
    return workspacePage(
      WORKSPACE,
      '自评结果汇总',
      html`<h1>自评结果汇总</h1>${intro}${notice('error', input.error)}${form}`,
      viewer,
    );
  const grades = gradesOf(p);
  const where = [
    p.region && p.region !== 'CN' ? `地区 ${p.region}` : '全部地区',
    p.fiscalYear ? `${p.fiscalYear} 年度` : '全部年度',
  ].join('，');
  const cells = (f: Figures) =>
    html`<td class="num" data-field="total">${f.total}</td>${STATE_COLUMNS.map(
      (s) => html`<td class="num" data-state="${s}">${f.byState[s] ?? 0}</td>`,
    )}<td class="num">${others(f)}</td>${grades.map((g) => html`<td class="num" data-grade="${g ?? ''}">${countOf(f, g)}</td>`)}<td class="num" data-field="average-total">${formatScore(
      f.averageTotal,
    )}</td><td class="num" data-field="average-rate">${formatRate(f.averageExecutionRate)}</td>`;
  const link = (region: string) => listHref({ region, year: p.fiscalYear ?? undefined, current: true }, 'all', 1);
  // a city's or a province's own forms (filed under its code): the worklist would list its sub-regions' too
  const rows = (p.regions ?? []).map(
    (r: Row) =>
      html`<tr data-region="${r.region}"><td>${
        /^\d{4}00$|^CN$/.test(r.region)
          ? html`${r.region}<span class="muted">（本级）</span>`
          : html`<a href="${link(r.region)}">${r.region}</a>`
      }</td>${cells(r)}</tr>`,
  );
  const query = summaryQuery(p.region, p.fiscalYear);
  const body = html`<h1>自评结果汇总</h1>
${intro}${notice('error', input.error)}${form}
<p class="pager"><strong>${where}</strong><a href="${`${SUMMARY_PAGE}.xlsx${query ? `?${query}` : ''}`}" data-testid="summary-export" download>导出 Excel</a></p>
<div class="scroll"><table data-testid="summary">
<thead><tr><th>地区</th><th class="num">自评表</th>${STATE_COLUMNS.map((s) => html`<th class="num">${REVIEW_STATE_LABELS[s]}</th>`)}<th class="num">其他</th>${grades.map(
    (g) => html`<th class="num">${g ?? '未评分'}</th>`,
  )}<th class="num">平均总分</th><th class="num">平均执行率</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr data-region="all"><th>合计</th>${cells(p)}</tr></tfoot>
</table></div>
${rows.length ? '' : html`<p class="card muted" data-testid="empty">没有符合条件的自评表。</p>`}
${findingsSection(p)}`;
  return workspacePage(WORKSPACE, '自评结果汇总', body, viewer);
}

/** The kinds of problem the scores found, most frequent first: how many forms each, each leading to them. */
function findingsSection(p: Progress): SafeHtml | string {
  const found = p.byFinding ?? [];
  if (!found.length) return '';
  const share = (n: number) => (p.total ? `${Math.round((n / p.total) * 1000) / 10}%` : '—');
  const href = (code: FindingCode) =>
    listHref(
      { region: p.region ?? undefined, year: p.fiscalYear ?? undefined, current: true, finding: code },
      'all',
      1,
    );
  return html`<h2>复核发现的主要问题</h2>
<p class="muted">每张自评表的最新版本中，复核评分发现该类问题的张数（一张表可有多类问题）。</p>
<div class="scroll"><table data-testid="findings"><thead><tr><th>问题</th><th class="num">自评表</th><th class="num">占比</th></tr></thead>
<tbody>${found.map(
    (f) =>
      html`<tr data-finding="${f.code}"><td><a href="${href(f.code as FindingCode)}">${
        FINDING_CODE_LABELS[f.code as FindingCode] ?? f.code
      }</a></td><td class="num">${f.count}</td><td class="num">${share(f.count)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The same summary as a workbook: a row per region and the total, numbers as numbers. */
export async function summaryXlsx(p: Progress): Promise<Buffer> {
  const grades = gradesOf(p);
  const book = new ExcelJS.Workbook();
  book.creator = 'Jixiao';
  const sheet = book.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '地区', width: 10 },
    { header: '自评表', width: 8 },
    ...STATE_COLUMNS.map((s) => ({ header: REVIEW_STATE_LABELS[s], width: 8 })),
    { header: '其他', width: 8 },
    ...grades.map((g) => ({ header: g ?? '未评分', width: 8 })),
    { header: '平均总分', width: 10 },
    { header: '平均执行率', width: 11 },
  ];
  const values = (f: Figures) => [
    f.total,
    ...STATE_COLUMNS.map((s) => f.byState[s] ?? 0),
    others(f),
    ...grades.map((g) => countOf(f, g)),
    f.averageTotal,
    f.averageExecutionRate,
  ];
  for (const r of p.regions ?? []) sheet.addRow([r.region, ...values(r)]);
  const total = sheet.addRow(['合计', ...values(p)]);
  total.font = { bold: true };
  sheet.getRow(1).font = { bold: true };
  sheet.getColumn(sheet.columns.length).numFmt = '0.00%';
  if (p.byFinding?.length) {
    const findings = book.addWorksheet('主要问题', { views: [{ state: 'frozen', ySplit: 1 }] });
    findings.columns = [
      { header: '问题', width: 36 },
      { header: '代码', width: 28 },
      { header: '自评表', width: 8 },
    ];
    for (const f of p.byFinding)
      findings.addRow([FINDING_CODE_LABELS[f.code as FindingCode] ?? f.code, f.code, f.count]);
    findings.getRow(1).font = { bold: true };
  }
  const info = book.addWorksheet('说明');
  info.addRows([
    ['地区', p.region ?? '全部'],
    ['年度', p.fiscalYear ?? '全部'],
    [
      '说明',
      '每张自评表只计最新版本；平均总分与平均执行率按已评分的自评表计算；其他：已提交、已评分等尚未进入审核的状态',
    ],
  ]);
  info.getColumn(1).width = 8;
  info.getColumn(2).width = 80;
  return Buffer.from(await book.xlsx.writeBuffer());
}
