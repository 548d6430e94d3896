import { describe, expect, it } from 'vitest';
import type { CanonicalEvaluation } from '@jixiao/contracts';
import { versionChanges } from './version-changes';

const v1: CanonicalEvaluation = {
  formType: 'project',
  projectName: '高标准农田建设项目',
  unitName: '霍邱县农业农村局',
  fiscalYear: 2023,
  funds: {
    initialBudget: 100,
    adjustedBudget: 100,
    executed: 90,
    unit: '万元',
    weight: 10,
    reportedRate: '90%',
    reportedScore: 10,
  },
  indicators: [
    {
      level1: '产出指标',
      level2: '数量指标',
      name: '建设面积',
      target: '≥1万亩',
      actual: '1.02万亩',
      weight: 20,
      reportedScore: 20,
    },
    {
      level1: '产出指标',
      level2: '质量指标',
      name: '验收合格率',
      target: '100%',
      actual: '95%',
      weight: 20,
      reportedScore: 20,
    },
    {
      level1: '效益指标',
      level2: '社会效益指标',
      name: '受益农户',
      target: '≥500户',
      actual: '520户',
      weight: 30,
      reportedScore: 30,
    },
  ],
  reported: { total: 100, grade: '优' },
};

const previous = (evaluation: CanonicalEvaluation, total: number | null = 95, grade: string | null = '优') => ({
  evaluationId: 'ev_1',
  version: 1,
  evaluation,
  total,
  grade,
});

describe('versionChanges: what a corrected version changed', () => {
  it('nothing, when the unit sent the same form again', () => {
    const same = versionChanges(previous(v1), { evaluation: structuredClone(v1), total: 95, grade: '优' });
    expect(same).toMatchObject({
      previousVersionId: 'ev_1',
      previousVersion: 1,
      unchanged: true,
      form: [],
      indicators: [],
      score: [],
    });
  });

  it('each changed figure with its label, old and new; rows added, removed, and moved to another level', () => {
    const v2: CanonicalEvaluation = {
      ...v1,
      funds: { ...v1.funds, executed: 95, reportedRate: '95%', reportedScore: 9.5 },
      indicators: [
        // moved from 质量指标 to 时效指标, and its score corrected
        {
          level1: '产出指标',
          level2: '时效指标',
          name: '验收合格率',
          target: '100%',
          actual: '95%',
          weight: 20,
          reportedScore: 19,
        },
        {
          level1: '产出指标',
          level2: '数量指标',
          name: ' 建设面积 ',
          target: '≥1万亩',
          actual: '1.02万亩',
          weight: 20,
          reportedScore: 20,
        },
        {
          level1: '满意度指标',
          level2: '服务对象满意度指标',
          name: '农户满意度',
          target: '≥90%',
          actual: '93%',
          weight: 10,
          reportedScore: 10,
        },
      ],
      reported: { total: 98.5, grade: '优' },
    };
    const c = versionChanges(previous(v1), { evaluation: v2, total: 93.5, grade: '优' });
    expect(c.unchanged).toBe(false);
    expect(c.form).toEqual([
      { field: 'funds.executed', label: '执行数', from: 90, to: 95 },
      { field: 'funds.reportedRate', label: '填报执行率', from: '90%', to: '95%' },
      { field: 'funds.reportedScore', label: '预算执行率自评得分', from: 10, to: 9.5 },
      { field: 'reported.total', label: '自评总分', from: 100, to: 98.5 },
    ]);
    expect(c.indicators).toEqual([
      {
        kind: 'changed',
        level1: '产出指标',
        level2: '时效指标',
        name: '验收合格率',
        changes: [
          { field: 'level2', label: '二级指标', from: '质量指标', to: '时效指标' },
          { field: 'reportedScore', label: '自评得分', from: 20, to: 19 },
        ],
      },
      { kind: 'added', level1: '满意度指标', level2: '服务对象满意度指标', name: '农户满意度', changes: [] },
      { kind: 'removed', level1: '效益指标', level2: '社会效益指标', name: '受益农户', changes: [] },
    ]);
    expect(c.score).toEqual([{ field: 'total', label: '复核总分', from: 95, to: 93.5 }]);
  });

  it('never says "unchanged" when anything the unit wrote differs: goals itemized, the rest flagged; provenance ignored', () => {
    const goals = versionChanges(previous({ ...v1, goals: { expected: '建成 1 万亩', achieved: '已完成' } }), {
      evaluation: { ...v1, goals: { expected: '建成 1 万亩', achieved: '已完成 1.02 万亩，验收合格' } },
      total: 95,
      grade: '优',
    });
    expect(goals).toMatchObject({
      unchanged: false,
      otherChanges: false,
      form: [{ field: 'goals.achieved', label: '目标完成情况', from: '已完成', to: '已完成 1.02 万亩，验收合格' }],
    });
    const sections = versionChanges(previous(v1), {
      evaluation: { ...v1, reported: { ...v1.reported, sections: [{ name: '产出指标', weight: 40, score: 39 }] } },
      total: 95,
      grade: '优',
    });
    expect(sections).toMatchObject({ unchanged: false, otherChanges: true, form: [], indicators: [] });
    // read from other lines of another file: the same content
    const moved = structuredClone(v1);
    moved.indicators![0].sources = { name: { line: 40 } };
    moved.source = { document: '更正.xlsx', format: 'xlsx' };
    expect(versionChanges(previous(v1), { evaluation: moved, total: 95, grade: '优' })).toMatchObject({
      unchanged: true,
      otherChanges: false,
    });
  });

  it('a field left empty or missing is the same as absent; a department report compares its project lines by name', () => {
    const dept: CanonicalEvaluation = {
      formType: 'department',
      unitName: '灵寿县人民政府办公室',
      projects: [
        { name: '政务服务', budget: 10, executed: 9, reportedScore: 9 },
        { name: '信息化建设', budget: 20, executed: 20, reportedScore: 10 },
      ],
    };
    const next: CanonicalEvaluation = {
      ...dept,
      projectName: '',
      projects: [
        { name: '政务服务', budget: 10, executed: 10, reportedScore: 10 },
        { name: '档案数字化', budget: 5, executed: 5 },
      ],
    };
    const c = versionChanges(previous(dept, null, null), { evaluation: next, total: null, grade: null });
    expect(c.form).toEqual([]);
    expect(c.projects).toEqual([
      {
        kind: 'changed',
        name: '政务服务',
        changes: [
          { field: 'executed', label: '实际支出', from: 9, to: 10 },
          { field: 'reportedScore', label: '自评得分', from: 9, to: 10 },
        ],
      },
      { kind: 'added', name: '档案数字化', changes: [] },
      { kind: 'removed', name: '信息化建设', changes: [] },
    ]);
    expect(c.unchanged).toBe(false);
  });
});
