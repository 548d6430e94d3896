import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { rosterStanding, rosterUnits } from '../domain/roster';
import { rosterXlsx } from './roster-xlsx';

describe('rosterXlsx', () => {
  it('writes the roster with who submitted and when (late or not), the units not on it, and what it counts', async () => {
    const standing = rosterStanding(
      rosterUnits(['灵寿县人民政府办公室', '=灵寿县财政局']),
      [
        { unitName: '灵寿县人民政府办公室', state: 'in_review', n: 2, lastAt: '2026-12-03T08:00:00.000Z' },
        { unitName: '灵寿县水利局', state: 'returned', n: 1, lastAt: '2026-12-04T08:00:00.000Z' },
      ],
      {
        firsts: [{ unitName: '灵寿县人民政府办公室', firstAt: '2026-12-02T08:00:00.000Z' }],
        deadline: '2026-12-01',
        now: '2026-12-05T00:00:00.000Z',
      },
    );
    const view = {
      region: '130126',
      fiscalYear: 2026,
      setAt: '2026-11-01T00:00:00.000Z',
      setBy: 'li',
      changes: [],
      ...standing,
    };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await rosterXlsx(view)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['名单', '不在名单中的提交单位', '说明']);
    const rows = (name: string) =>
      (book.getWorksheet(name)!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(rows('名单')).toEqual([
      ['序号', '单位', '是否提交', '已提交（最新版本）', '状态', '首次提交', '是否逾期', '最近提交'],
      [
        1,
        '灵寿县人民政府办公室',
        '已提交',
        2,
        '待审核 2',
        '2026-12-02 16:00 北京时间',
        '逾期',
        '2026-12-03 16:00 北京时间',
      ],
      // a name starting with = stays text, not a formula
      [2, '=灵寿县财政局', '逾期未提交', 0, '', '', '', ''],
    ]);
    expect(rows('不在名单中的提交单位')[1].slice(1, 5)).toEqual(['灵寿县水利局', '已提交', 1, '已退回 1']);
    expect(rows('说明').slice(0, 7)).toEqual([
      ['地区', '130126'],
      ['年度', 2026],
      ['截止日期', '2026-12-01'],
      ['名单单位数', 2],
      ['已提交', 1],
      ['未提交', 1],
      ['逾期提交', 1],
    ]);
  });
});
