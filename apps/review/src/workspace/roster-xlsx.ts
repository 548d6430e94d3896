import ExcelJS from 'exceljs';
import { formatTime } from '@jixiao/runtime/html';
import type { UnitStanding } from '../domain/roster';
import { REVIEW_STATE_LABELS, REVIEW_STATES } from '../domain/review-state';
import type { RosterView } from '../queries/roster.query';

const COLUMNS: Array<{ header: string; width: number }> = [
  { header: '序号', width: 6 },
  { header: '单位', width: 36 },
  { header: '是否提交', width: 12 },
  { header: '已提交（最新版本）', width: 12 },
  { header: '状态', width: 30 },
  { header: '首次提交', width: 20 },
  { header: '是否逾期', width: 9 },
  { header: '最近提交', width: 20 },
];

function row(u: UnitStanding, n: number | null, overdue: boolean) {
  return [
    n,
    u.unitName ?? '（表中未写明单位）',
    u.evaluations ? '已提交' : overdue ? '逾期未提交' : '未提交',
    u.evaluations,
    REVIEW_STATES.filter((s) => u.byState[s])
      .map((s) => `${REVIEW_STATE_LABELS[s]} ${u.byState[s]}`)
      .join('，'),
    u.firstAt ? formatTime(u.firstAt) : '',
    u.late ? '逾期' : '',
    u.lastAt ? formatTime(u.lastAt) : '',
  ];
}

/**
 * A region's roster as a workbook, for the bureau's reminders (催报) and records: the roster with who submitted and
 * when, then the units not on it. Names are written as string cells (one starting with `=` stays text).
 */
export async function rosterXlsx(v: RosterView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Jixiao';
  const roster = book.addWorksheet('名单', { views: [{ state: 'frozen', ySplit: 1 }] });
  roster.columns = COLUMNS;
  v.units.forEach((u, i) => roster.addRow(row(u, i + 1, v.overdue)));
  roster.autoFilter = { from: 'A1', to: `H${Math.max(1, v.units.length + 1)}` };
  roster.getRow(1).font = { bold: true };
  if (v.unlisted.length) {
    const unlisted = book.addWorksheet('不在名单中的提交单位', { views: [{ state: 'frozen', ySplit: 1 }] });
    unlisted.columns = COLUMNS;
    for (const u of v.unlisted) unlisted.addRow(row(u, null, false));
    unlisted.getRow(1).font = { bold: true };
  }
  const info = book.addWorksheet('说明');
  info.addRows([
    ['地区', v.region],
    ['年度', v.fiscalYear],
    ['截止日期', v.deadline ?? '未设置'],
    ['名单单位数', v.expected],
    ['已提交', v.submitted],
    ['未提交', v.missing.length],
    ['逾期提交', v.late],
    ['名单设置', v.setAt ? `${v.setBy ?? ''} ${formatTime(v.setAt)}` : '未设置'],
    ['说明', '只计本地区（不含下级地区）各表的最新版本；逾期：首次提交晚于截止日期（北京时间）'],
  ]);
  info.getColumn(1).width = 12;
  info.getColumn(2).width = 60;
  return Buffer.from(await book.xlsx.writeBuffer());
}
