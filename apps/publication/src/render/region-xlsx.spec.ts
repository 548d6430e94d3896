import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { disclosureRow } from './__fixtures__/disclosure-row';
import { CSV_HEADER, type RegionYear } from './region-data';
import { regionYearXlsx } from './region-xlsx';

const view: RegionYear = {
  region: '341522',
  regionName: '霍邱县',
  fiscalYear: 2023,
  rows: [
    disclosureRow(),
    disclosureRow({ evaluationId: 'ev_2', projectName: '=cmd|" /C calc"!A0', total: 100, revision: 2 }),
    disclosureRow({
      evaluationId: 'ev_3',
      unitName: '<script>alert(1)</script>',
      total: null,
      grade: null,
      executionRate: null,
      status: 'retracted',
      retractionReason: '重复提交',
    }),
  ],
};

async function read(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

describe('the region and year as an Excel workbook', () => {
  it('holds the CSV’s columns, with totals and execution rates as numbers a bureau can sort and sum', async () => {
    const book = await read(await regionYearXlsx(view));
    const sheet = book.getWorksheet('评价结果')!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...CSV_HEADER]);
    expect(sheet.rowCount).toBe(4);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('ev_1');
    expect(first.getCell(2).value).toBe('霍邱县数据资源局');
    expect(first.getCell(4).value).toBe('项目支出');
    expect(first.getCell(5).value).toBe(95.16);
    expect(first.getCell(5).numFmt).toBe('0.00');
    expect(first.getCell(7).value).toBe(0.5156);
    expect(first.getCell(7).numFmt).toBe('0.00%');
    expect(first.getCell(8).value).toBe('已发布');
    expect(first.getCell(10).value).toBe('2024-03-01 16:00 北京时间');
    expect(sheet.getRow(3).getCell(9).value).toBe(1); // revised once
    // a retracted one: no figures, its reason kept
    const retracted = sheet.getRow(4);
    expect([retracted.getCell(5).value, retracted.getCell(6).value, retracted.getCell(7).value]).toEqual([
      null,
      null,
      null,
    ]);
    expect(retracted.getCell(11).value).toBe('重复提交');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
  });

  it('keeps text from documents as text: a leading = makes no formula, markup stays as typed', async () => {
    const sheet = (await read(await regionYearXlsx(view))).getWorksheet('评价结果')!;
    const planted = sheet.getRow(3).getCell(3);
    expect(planted.type).toBe(ExcelJS.ValueType.String);
    expect(planted.value).toBe('=cmd|" /C calc"!A0');
    expect(planted.formula).toBeUndefined();
    expect(sheet.getRow(4).getCell(2).value).toBe('<script>alert(1)</script>');
  });

  it('puts the grade distribution of the evaluations in force on a second sheet', async () => {
    const sheet = (await read(await regionYearXlsx(view))).getWorksheet('等级分布')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '等级', '份数']);
    expect(sheet.getRow(2).values).toEqual([undefined, '优', 2]);
    expect(sheet.getRow(4).getCell(1).value).toBe('已撤回的评价不计入等级分布。');
  });
});
