import { describe, expect, it } from 'vitest';
import { parseDocument } from '../parse-document';

const MINIMAL = [
  '项目名称,乡村道路养护',
  '主管部门,某县交通运输局,实施单位,某县公路管理站',
  '年度,2023年度',
  '项目资金(万元),年初预算数,全年预算数,全年执行数,分值,执行率,得分',
  '年度资金总额,50,48,47.5,10,98.96%,9.9',
  '一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施',
  '产出指标,数量指标,养护里程,≥120公里,126公里,30,30,',
  '产出指标,质量指标,路况优良率,≥85%,83%,20,19.5,"雨季水毁, 部分路段待修"',
  '效益指标,社会效益指标,群众出行便利度,明显提升,达成预期指标,30,28,',
  '满意度指标,服务对象满意度指标,沿线群众满意度,≥90%,93%,10,10,',
  '总分,,,,,100,97.4,',
].join('\n');

describe('CSV layout (one indicator per row under a header row; see README)', () => {
  const { evaluations } = parseDocument({ content: MINIMAL, fileName: 'form.csv' });
  const e = evaluations[0]!;

  it('reads the label rows, the funds and every indicator row', () => {
    expect(e).toMatchObject({
      projectName: '乡村道路养护',
      department: '某县交通运输局',
      unitName: '某县公路管理站',
      fiscalYear: 2023,
    });
    expect(e.funds).toMatchObject({
      initialBudget: 50,
      adjustedBudget: 48,
      executed: 47.5,
      weight: 10,
      reportedRate: '98.96%',
      reportedScore: 9.9,
    });
    expect(
      e.indicators!.map((i) => [i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.reportedScore]),
    ).toEqual([
      ['产出指标', '数量指标', '养护里程', '≥120公里', '126公里', 30, 30],
      ['产出指标', '质量指标', '路况优良率', '≥85%', '83%', 20, 19.5],
      ['效益指标', '社会效益指标', '群众出行便利度', '明显提升', '达成预期指标', 30, 28],
      ['满意度指标', '服务对象满意度指标', '沿线群众满意度', '≥90%', '93%', 10, 10],
    ]);
    expect(e.indicators![1]!.deviationReason).toBe('雨季水毁, 部分路段待修');
    expect(e.reported!.total).toBe(97.4);
    expect(e.source).toMatchObject({ format: 'csv' });
    expect(e.indicators![0]!.sources!.weight).toMatchObject({ line: 7, cell: 5, column: '分值' });
  });

  it('an indicator table alone is enough', () => {
    const only = MINIMAL.split('\n').slice(5).join('\n');
    const {
      evaluations: [alone],
    } = parseDocument({ content: only, fileName: 'rows.csv' });
    expect(alone!.indicators).toHaveLength(4);
    expect(alone!.incomplete).toEqual({ missing: ['项目资金（年度资金总额行）'] });
  });
});
