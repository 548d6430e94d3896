import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const RULES = join(__dirname, '../../../rules');

/** A 灵寿 project form whose computed total is `total` (one quantitative row carries the difference). */
export function form(total: number, n: number) {
  const x = Math.round(((total - 60) / 0.4) * 100) / 100;
  return {
    formType: 'project',
    region: '130126',
    fiscalYear: 2023,
    projectName: `规则变更测试项目 ${n}`,
    unitName: `灵寿县测试单位 ${n}`,
    funds: { adjustedBudget: 100, executed: 100, unit: '万元' },
    indicators: [
      {
        level1: '产出指标',
        level2: '数量指标',
        name: '完成数量',
        target: '≥100个',
        actual: `${x}个`,
        weight: 40,
        reportedScore: 40,
        deviationReason: '部分未完成',
      },
      {
        level1: '效益指标',
        level2: '社会效益指标',
        name: '社会效益',
        target: '持续推动',
        actual: '达成预期指标',
        weight: 40,
        reportedScore: 40,
      },
      {
        level1: '满意度指标',
        level2: '服务对象满意度指标',
        name: '满意度',
        target: '≥90%',
        actual: '95%',
        weight: 10,
        reportedScore: 10,
      },
    ],
    reported: { total, grade: null },
  };
}

/** 灵寿's 优秀 from 85 to 90 (良好 then runs 75–90). */
export function lingshou90() {
  const json = JSON.parse(readFileSync(join(RULES, '130126.json'), 'utf8'));
  json.grades[0].conditions.all[0].value = 90;
  json.grades[1].conditions.all[1].value = 90;
  return json;
}
