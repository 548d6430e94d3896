import { describe, expect, it } from 'vitest';
import { DocumentRejectedError } from './errors';
import { fixture, parseText, row } from './test-support';

function rejection(file: string): DocumentRejectedError {
  try {
    parseText(fixture(`samples/${file}`), file);
  } catch (err) {
    if (err instanceof DocumentRejectedError) return err;
    throw err;
  }
  throw new Error(`${file} was not rejected`);
}

describe('samples that cannot be read are rejected, saying why', () => {
  it.each([
    ['01_haidian.txt', /run together with no separators/, /连在一起，没有分隔/],
    ['03_chengan.txt', /separated only by spaces/, /之间只用空格分隔/],
    ['06_guichi-a.txt', /separated only by spaces/, /之间只用空格分隔/],
    ['10_unknown-hubei.txt', /run together with no separators/, /连在一起，没有分隔/],
    ['12_liangping.txt', /run together with no separators/, /连在一起，没有分隔/],
  ])('%s', (file, why, whyZh) => {
    const err = rejection(file);
    expect(err.message).toMatch(/no 项目支出绩效自评表/);
    expect(err.message).toMatch(why);
    expect(err.line).toBeGreaterThan(0);
    // the unit's words: where, why, and what to do about it
    expect(err.messageZh).toMatch(new RegExp(`^${file.replace('.', '\\.')}：未找到项目支出绩效自评表`));
    expect(err.messageZh).toContain(`第 ${err.line} 行`);
    expect(err.messageZh).toMatch(whyZh);
    expect(err.messageZh).toMatch(/另存为 Excel（\.xlsx）或 CSV 后再提交$/);
  });
});

describe('08 萧县 (| cells, rows broken over lines, weightless 其中 sub-rows, cut off)', () => {
  const { evaluations, diagnostics } = parseText(fixture('samples/08_xiaoxian.txt'), '08.txt');
  const e = evaluations[0]!;

  it('reads the funds whose header label sits on the line above', () => {
    expect(evaluations).toHaveLength(1);
    expect(e).toMatchObject({
      projectName: '河西村特色种养补贴到户项目',
      department: '县农业农村局',
      unitName: '张庄寨镇人民政府',
      fiscalYear: 2023,
    });
    expect(e.funds).toMatchObject({
      initialBudget: null,
      adjustedBudget: 9.48,
      executed: 9.48,
      weight: 10,
      reportedRate: '100%',
      reportedScore: 10,
      unit: '万元',
    });
  });

  it('reads the seven weighted rows and never the 其中 sub-rows', () => {
    expect(e.indicators!.map((i) => [i.level1, i.level2, ...row(i)])).toEqual([
      ['产出指标', '数量指标', '★补助各类瓜果蔬菜种植面积', '29.5亩', '29.5亩', 20, 20],
      ['产出指标', '数量指标', '★补助鱼塘面积', '3亩', '3亩', 10, 10],
      ['产出指标', '数量指标', '★补助家畜家禽养殖数量', '192只', '192只', 10, 10],
      ['产出指标', '质量指标', '种植作物成活率', '95%', '95%', 5, 5],
      ['产出指标', '质量指标', '养殖家畜家禽成活率', '95%', '100%', 5, 5],
      ['效益指标', '经济效益指标', '特色产业带动增加受益农户收入(总收入)', '≥11.376万元', '12万元', 20, 20],
      ['效益指标', '社会效益指标', '受益人口数量', '90人', '90人', 10, 10],
    ]);
    expect(diagnostics.filter((d) => /其中/.test(d.message))).toHaveLength(7);
    expect(e.reported!.sections).toEqual([
      { name: '产出指标', weight: 50, score: null },
      { name: '效益指标', weight: 30, score: null },
    ]);
  });

  it('is flagged incomplete: 满意度 rows and 总分 missing', () => {
    expect(e.reported?.total).toBeUndefined();
    expect(e.incomplete!.missing).toEqual(expect.arrayContaining(['满意度指标各行', '总分']));
  });
});

describe('15 大英 (starts inside a form, then a form cut off after its first indicator)', () => {
  const { evaluations, diagnostics } = parseText(fixture('samples/15_daying.txt'), '15.txt');

  it('gives the leading fragment as incomplete, with its one row and a comparator column', () => {
    expect(evaluations).toHaveLength(2);
    const [frag] = evaluations;
    expect(frag!.projectName).toBeUndefined();
    expect(frag!.indicators).toEqual([
      expect.objectContaining({
        level1: '产出指标',
        level2: '经济成本指标',
        name: '成本控制数',
        target: '≤30',
        unit: '万元',
        actual: '完成',
        weight: 90,
        reportedScore: 90,
      }),
    ]);
    expect(frag!.incomplete!.missing[0]).toBe('项目名称和项目资金（文件从一张表的中间开始）');
    expect(frag!.reported?.total).toBeUndefined();
    expect(diagnostics.some((d) => /总分 row holds one number \(100\)/.test(d.message))).toBe(true);
  });

  it('reads the second form up to where it stops, leaving the cut row out', () => {
    const e = evaluations[1]!;
    expect(e).toMatchObject({
      projectName: '51092324T000010263357-2023年全县安可替代补助资金项目',
      unitName: '大英县司法局',
      department: '大英县司法局部门',
      fiscalYear: 2023,
    });
    expect(e.funds).toMatchObject({
      initialBudget: 0,
      adjustedBudget: 3.36,
      executed: 3.36,
      reportedRate: '100.00%',
      weight: 10,
      reportedScore: 10,
    });
    expect(e.indicators).toEqual([]);
    expect(e.incomplete!.missing).toEqual(
      expect.arrayContaining(['总分', '“完成安可产品购买并按要求支付资金”一行（文件在此中断）']),
    );
  });
});

describe('18 临翔 (empty 年初预算数 cell dropped, cut inside the 满意度 row)', () => {
  const { evaluations } = parseText(fixture('samples/18_linxiang.txt'), '18.txt');
  const e = evaluations[0]!;

  it('aligns the funds without the missing 年初预算数 cell', () => {
    expect(e.funds).toMatchObject({
      initialBudget: null,
      adjustedBudget: 32.4,
      executed: 31.69,
      weight: 10,
      reportedRate: '97.80%',
      reportedScore: 9,
    });
  });

  it('reads seven rows and flags the rest as missing', () => {
    expect(e.indicators!.map(row)).toEqual([
      ['野生动物收容所', '≥200平方米', '204.46平方米', 10, 10],
      ['钢结构圈养围栏', '≥120米', '121.5米', 10, 10],
      ['项目完工时限', '2023年12月', '2023年10月', 15, 15],
      ['项目竣工验收率', '100%', '100%', 15, 15],
      ['务工人员年人均增收', '≥8400元', '8400元', 10, 10],
      ['提供务工岗位', '≥5个', '5个', 10, 10],
      ['项目建成后可持续影响年限', '≥15年', '15年', 10, 10],
    ]);
    expect(e.indicators!.every((i) => i.deviationReason === null)).toBe(true);
    expect(e.incomplete!.missing).toEqual(['满意度指标各行', '“受益农户满意度”一行（文件在此中断）', '总分']);
  });
});
