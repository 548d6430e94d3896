import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '@jixiao/runtime/workspace';
import { progressView } from '../queries/evaluation.views';
import { summaryPage, summaryXlsx } from './summary-page';

const viewer: Viewer = { principal: { sub: 'wang', role: 'reviewer', regions: ['130100'] }, csrf: 'csrf-token-1' };

// 灵寿 grades 优秀…, 行唐 优…; one returned, one not scored yet
const progress = progressView({ region: '130100', year: 2022, by: 'region' }, [
  { region: '130126', state: 'published', grade: '优秀', n: 3, sumTotal: 270, nTotal: 3, sumRate: 2.94, nRate: 3 },
  { region: '130126', state: 'returned', grade: '良好', n: 1, sumTotal: 80, nTotal: 1, sumRate: 0.9, nRate: 1 },
  {
    region: '130125',
    state: 'in_review',
    grade: '优',
    n: '2',
    sumTotal: '181',
    nTotal: '2',
    sumRate: '1.9',
    nRate: '2',
  },
  { region: '130125', state: 'submitted', grade: null, n: 1, sumTotal: null, nTotal: 0, sumRate: null, nRate: 0 },
]);

describe('results by region', () => {
  it('counts each region’s current versions, and averages only those scored', () => {
    expect(progress.total).toBe(7);
    expect(progress.averageTotal).toBe(88.5); // (270 + 80 + 181) / 6
    expect(progress.averageExecutionRate).toBe(0.9567); // 5.74 / 6
    expect(progress.regions?.map((r) => [r.region, r.total, r.averageTotal])).toEqual([
      ['130125', 3, 90.5],
      ['130126', 4, 87.5],
    ]);
    expect(progressView({}, []).averageTotal).toBeNull();
    expect(progressView({}, [])).not.toHaveProperty('regions');
  });

  it('a row per region, linked to its forms, every grade any region used, and the total', () => {
    const page = summaryPage(viewer, { region: '130100', year: '2022', summary: progress }).value;
    expect(page).toContain('<a href="/review?state=all&amp;region=130125&amp;year=2022">130125</a>');
    // best first, whichever scale a region grades on; not yet scored last
    expect([...page.matchAll(/<th class="num">([^<]+)<\/th>/g)].map((m) => m[1])).toEqual([
      '自评表',
      '待审核',
      '已退回',
      '已通过',
      '已公开',
      '已撤回',
      '其他',
      ...progress.byGrade.map((g) => g.grade ?? '未评分'),
      '平均总分',
      '平均执行率',
    ]);
    expect(progress.byGrade.map((g) => g.grade).at(-1)).toBeNull();
    expect(page).toContain('<th class="num">未评分</th>');
    expect(page).toMatch(
      /<tr data-region="130126">[\s\S]*?data-state="returned">1<[\s\S]*?data-field="average-total">87\.5</,
    );
    expect(page).toMatch(/<tr data-region="all"><th>合计<\/th><td class="num" data-field="total">7<\/td>/);
    expect(page).toContain('href="/review/summary.xlsx?region=130100&amp;year=2022"');
  });

  it('a city’s own row says so and does not lead to the whole city’s list', () => {
    const city = progressView({ region: '130000', year: 2022, by: 'region' }, [
      { region: '130100', state: 'published', grade: '优', n: 1, sumTotal: 90, nTotal: 1, sumRate: 1, nRate: 1 },
      { region: '130126', state: 'published', grade: '优', n: 1, sumTotal: 90, nTotal: 1, sumRate: 1, nRate: 1 },
    ]);
    const page = summaryPage(viewer, { region: '130000', year: '2022', summary: city }).value;
    expect(page).toContain('<tr data-region="130100"><td>130100<span class="muted">（本级）</span></td>');
    expect(page).toContain('<a href="/review?state=all&amp;region=130126&amp;year=2022">130126</a>');
  });

  it('lists the kinds of problem found, most frequent first, each leading to those forms', () => {
    const withFindings = progressView({ region: '130100', year: 2022, by: 'region', findings: true }, [
      { region: '130126', state: 'in_review', grade: '良', n: 4, f_SUM_MISMATCH: 1, f_SCORE_DIFFERS_FROM_RULE: '3' },
      { region: '130125', state: 'in_review', grade: '良', n: 1, f_SUM_MISMATCH: 1, f_SCORE_DIFFERS_FROM_RULE: 0 },
    ]);
    expect(withFindings.byFinding).toEqual([
      { code: 'SCORE_DIFFERS_FROM_RULE', count: 3 },
      { code: 'SUM_MISMATCH', count: 2 },
    ]);
    const page = summaryPage(viewer, { region: '130100', year: '2022', summary: withFindings }).value;
    expect(page).toContain(
      '<tr data-finding="SCORE_DIFFERS_FROM_RULE"><td><a href="/review?state=all&amp;region=130100&amp;year=2022&amp;finding=SCORE_DIFFERS_FROM_RULE">自评得分与评分规则不符</a></td><td class="num">3</td><td class="num">60%</td></tr>',
    );
    expect(summaryPage(viewer, { region: '130100', year: '2022', summary: progress }).value).not.toContain(
      'data-testid="findings"',
    );
  });

  it('a refused one keeps what was typed and says why', () => {
    const page = summaryPage(viewer, { region: '<b>', year: '', summary: null, error: '无法汇总：…' }).value;
    expect(page).toContain('value="&lt;b&gt;"');
    expect(page).toContain('无法汇总');
    expect(page).not.toContain('data-testid="summary"');
  });

  it('the workbook has the same rows, numbers as numbers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await summaryXlsx(progress)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('汇总')!;
    const rows = sheet.getSheetValues().slice(1) as unknown[][];
    expect(rows[0].slice(1, 3)).toEqual(['地区', '自评表']);
    expect(rows[1][1]).toBe('130125');
    expect(rows[1][2]).toBe(3);
    expect(rows[3][1]).toBe('合计');
    expect(rows[3].at(-2)).toBe(88.5);
    expect(rows[3].at(-1)).toBe(0.9567);
  });
});
