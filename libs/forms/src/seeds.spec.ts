import { describe, expect, it } from 'vitest';
import { fixture, parseText, row, sum } from './test-support';

const lookup = (text: string) =>
  /霍邱县/.test(text)
    ? { code: '341522', name: '霍邱县' }
    : /金水区/.test(text)
      ? { code: '410105', name: '金水区' }
      : null;

describe('seed 霍邱 (two project forms in one document)', () => {
  const { evaluations, diagnostics } = parseText(fixture('seeds/000_b0ba8ebbf4c4018d.txt'), '000.txt', {
    regionLookup: lookup,
  });

  it('gives two project evaluations, region and year from the text', () => {
    expect(evaluations.map((e) => [e.formType, e.projectName, e.region, e.fiscalYear])).toEqual([
      ['project', '电子政务各项专项经费', '341522', 2022],
      ['project', '各项工作运转经费', '341522', 2022],
    ]);
    expect(evaluations.every((e) => e.incomplete === undefined)).toBe(true);
    expect(diagnostics.filter((d) => d.level !== 'info')).toEqual([]);
  });

  it('reads form 1: funds 265.69 / 137 → 51.56%, 5.16; ten indicators; 总分 95.16; grade 优 from its report', () => {
    const e = evaluations[0]!;
    expect(e.unitName).toBe('021001-霍邱县人民政府办公室');
    expect(e.department).toBe('021-霍邱县人民政府办公室');
    expect(e.funds).toMatchObject({
      initialBudget: 265.69,
      adjustedBudget: 265.69,
      executed: 137,
      weight: 10,
      reportedRate: '51.56%',
      reportedScore: 5.16,
      unit: '万元',
    });
    expect(e.funds!.sources!.executed).toMatchObject({ line: 17, cell: 4, column: '全年执行数' });
    const rows = e.indicators!.map(row);
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['=7个', '7', 15, 15],
      ['持续推动', '达成预期指标', 20, 20],
      ['2022年12月31日前', '达成预期指标', 10, 10],
      ['265.69万元', '达成预期指标', 5, 5],
      ['持续推动', '达成预期指标', 5, 5],
      ['持续推动', '达成预期指标', 5, 5],
      ['持续推动', '达成预期指标', 5, 5],
      ['持续推动', '达成预期指标', 5, 5],
      ['持续推动', '达成预期指标', 10, 10],
      ['持续推动', '达成预期指标', 10, 10],
    ]);
    expect(e.indicators!.map((i) => i.level2)).toEqual([
      '数量指标',
      '质量指标',
      '时效指标',
      '成本指标',
      '经济效益指标',
      '社会效益指标',
      '社会效益指标',
      '生态效益指标',
      '可持续影响指标',
      '满意度指标',
    ]);
    expect(e.indicators!.map((i) => i.level1)).toEqual([
      ...Array(4).fill('产出指标'),
      ...Array(5).fill('效益指标'),
      '满意度指标',
    ]);
    expect(e.reported).toMatchObject({ total: 95.16, grade: '优' });
    expect(e.reported!.sections).toEqual([
      { name: '产出指标', weight: 50, score: null },
      { name: '效益指标', weight: 30, score: null },
      { name: '满意度指标', weight: 10, score: null },
    ]);
    expect(sum(e.indicators!.map((i) => i.reportedScore)) + e.funds!.reportedScore!).toBeCloseTo(95.16, 6);
  });

  it('reads form 2: funds 381.8 fully spent, 10; 总分 100', () => {
    const e = evaluations[1]!;
    expect(e.funds).toMatchObject({
      initialBudget: 381.8,
      adjustedBudget: 381.8,
      executed: 381.8,
      weight: 10,
      reportedRate: '100.00%',
      reportedScore: 10,
    });
    expect(e.indicators!.map((i) => [i.weight, i.reportedScore])).toEqual([
      [10, 10],
      [10, 10],
      [15, 15],
      [15, 15],
      [10, 10],
      [5, 5],
      [5, 5],
      [5, 5],
      [5, 5],
      [10, 10],
    ]);
    expect(e.indicators![3]).toMatchObject({ name: '保障各项工作正常运转', target: '=381.8万元', actual: '381.8' });
    expect(e.reported!.total).toBe(100);
    expect(e.reported!.grade).toBeUndefined();
  });
});

describe('seed 金水 (department form)', () => {
  const { evaluations } = parseText(fixture('seeds/002_0839647822e00506.txt'), '002.txt', { regionLookup: lookup });
  const e = evaluations[0]!;

  it('is one department evaluation of 2021 with 自评得分 96, 自评结果 优', () => {
    expect(evaluations).toHaveLength(1);
    expect(e).toMatchObject({
      formType: 'department',
      region: '410105',
      fiscalYear: 2021,
      unitName: '郑州市金水区电子政务中心',
    });
    expect(e.reported).toMatchObject({ total: 96, grade: '优' });
  });

  it('reads 部门预算总额 561.41 / 545.06, 97%, weight 10, score 9', () => {
    expect(e.funds).toMatchObject({
      initialBudget: 561.41,
      adjustedBudget: 561.41,
      executed: 545.06,
      reportedRate: '97%',
      weight: 10,
      reportedScore: 9,
      unit: '万元',
    });
  });

  it('reads 32 indicator rows: weights 20 + 40 + 25, scores 19 + 40 + 23; comparator columns merged into targets', () => {
    const ind = e.indicators!;
    expect(ind).toHaveLength(32);
    const by = (l1: string) => ind.filter((i) => i.level1 === l1);
    expect([
      sum(by('投入管理指标').map((i) => i.weight)),
      sum(by('产出指标').map((i) => i.weight)),
      sum(by('效益指标').map((i) => i.weight)),
    ]).toEqual([20, 40, 25]);
    expect([
      sum(by('投入管理指标').map((i) => i.reportedScore)),
      sum(by('产出指标').map((i) => i.reportedScore)),
      sum(by('效益指标').map((i) => i.reportedScore)),
    ]).toEqual([19, 40, 23]);
    expect(row(ind.find((i) => i.name === '预算执行率')!)).toEqual(['预算执行率', '≥97%', '97%', 2, 1]);
    expect(row(ind.find((i) => i.name === '辖区居民满意')!)).toEqual(['辖区居民满意', '≥98%', '100%', 5, 4]);
    expect(ind.find((i) => i.name === '预算调整率')).toMatchObject({ target: '≤1%', actual: '100%', unit: null });
    expect(ind[0]).toMatchObject({
      level2: '工作目标管理',
      name: '年度履职目标相关性',
      target: '相关',
      unit: '定性指标',
      actual: '完成',
      weight: 1,
      reportedScore: 1,
    });
    expect(ind.find((i) => i.name === '服务单位满意度')).toMatchObject({ level1: '效益指标', level2: '满意度' });
  });

  it('reads the 各项指标得分情况表 (9 + 19 + 40 + 28) and its 合计 row 100 / 100', () => {
    expect(e.reported!.sections).toEqual([
      { name: '预算执行', weight: 10, score: 9 },
      { name: '投入管理', weight: 20, score: 19 },
      { name: '产出指标', weight: 40, score: 40 },
      { name: '效益指标', weight: 30, score: 28 },
    ]);
    expect(e.reported!.sectionsTotal).toEqual({ weight: 100, score: 100 });
  });
});

describe('seed 盐池 (project form, shifted rows, placeholder rows)', () => {
  const { evaluations } = parseText(fixture('seeds/003_935000674b579cd0.txt'), '003.txt');
  const e = evaluations[0]!;

  it('reads funds 13 / 13 / 13, 100%, 10 and 总分 96', () => {
    expect(evaluations).toHaveLength(1);
    expect(e).toMatchObject({
      projectName: '政务新媒体运行维护费',
      department: '盐池县人民政府',
      unitName: '盐池县人民政府办公室',
      fiscalYear: 2022,
    });
    expect(e.funds).toMatchObject({
      initialBudget: 13,
      adjustedBudget: 13,
      executed: 13,
      weight: 10,
      reportedRate: '100%',
      reportedScore: 10,
    });
    expect(e.reported!.total).toBe(96);
  });

  it('reads the eight filled indicator rows, skipping the empty 指标2 rows, carrying levels down', () => {
    expect(e.indicators!.map((i) => [i.level1, i.level2, ...row(i)])).toEqual([
      ['产出指标', '数量指标', '指标1:维护微信公众号数量', '36', '36', 15, 15],
      ['产出指标', '数量指标', '指标2:政府网站维护数量', '1', '1', 15, 15],
      ['产出指标', '质量指标', '指标1:数据检测工作完成率', '100%', '100%', 10, 10],
      ['产出指标', '时效指标', '指标1:维护工作开展期间', '按时完成', '2022年按时完成', 10, 10],
      ['产出指标', '成本指标', '指标1:政务新媒体运行维护费用', '10', '10', 10, 10],
      ['效益指标', '社会效益指标', '指标1:数据检测合格率', '90%', '≥90%', 10, 10],
      ['效益指标', '可持续影响指标', '指标1:新媒体运行维护合同履约进度', '长期', '100%', 10, 10],
      ['满意度指标', '服务对象满意度指标', '指标1:群众满意度', '100%', '95%', 10, 6],
    ]);
    expect(e.indicators![7]!.deviationReason).toBe('部分功能需要优化。');
  });
});

describe('seed 灵寿 (department narrative report)', () => {
  const { evaluations } = parseText(fixture('seeds/004_25165740aff74753.txt'), '004.txt');
  const e = evaluations[0]!;

  it('reads 16 numbered project paragraphs, including those broken by page breaks', () => {
    expect(e.formType).toBe('department');
    expect(e.projects).toHaveLength(16);
    expect(e.projects![0]).toMatchObject({
      name: '网络安全和信息化工作经费',
      budget: 21.66,
      executed: 21.66,
      reportedRate: '100%',
      reportedScore: 100,
    });
    expect(e.projects![6]).toMatchObject({ name: '金融发展服务中心工作经费', budget: 6, executed: 6 });
    expect(e.projects![10]).toMatchObject({
      name: '大气污染防治第三方专家组管理咨询服务费',
      budget: 200,
      executed: 200,
    });
    expect(e.projects![14]).toMatchObject({ budget: 28, executed: 26.68, reportedRate: '95%' });
    expect(e.projects![15]).toMatchObject({
      name: '国有建设用地使用权出让业务公证费',
      budget: 5,
      executed: 28,
      reportedRate: '100%',
    });
    expect(sum(e.projects!.map((p) => p.executed))).toBeCloseTo(606.7958, 4);
  });

  it('reads the totals: 585.11577 adjusted, 583.79577 spent, 99.77%, 100 分, 优秀; 涉及资金 583.79577', () => {
    expect(e.funds).toMatchObject({ adjustedBudget: 585.11577, executed: 583.79577, reportedRate: '99.77%' });
    expect(e.reported).toMatchObject({ total: 100, grade: '优秀', projectsExecutedTotal: 583.79577 });
    expect(e.fiscalYear).toBe(2022);
    expect(e.unitName).toBe('灵寿县人民政府办公室');
    expect(e.incomplete).toBeUndefined();
  });
});
