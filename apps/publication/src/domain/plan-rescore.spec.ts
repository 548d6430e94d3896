import { describe, expect, it } from 'vitest';
import { planRescore } from './plan-rescore';

const current = { scoreResultId: 'res_1', total: 87, grade: '优秀', ruleSet: { id: '130126', version: 1 }, scoredAt: '2024-04-01T00:00:00.000Z' };
const next = (over: Partial<Parameters<typeof planRescore>[1]>) => ({
  scoreResultId: 'res_2',
  total: 87,
  grade: '优秀',
  ruleSet: { id: '130126', version: 2 },
  runId: 'run_01',
  scoredAt: '2024-04-02T00:00:00.000Z',
  ...over,
});

describe('planRescore', () => {
  it('a changed grade or total: a revision naming the run, the rule-set version, the changes, and the review', () => {
    expect(planRescore(current, next({ grade: '良好' }))).toEqual({
      kind: 'revise',
      reason: '重新评分（规则集 130126 第 2 版，重新评分批次 run_01）：等级 优秀 → 良好；规则集 130126 v1 → 130126 v2；复核中',
    });
    expect(planRescore(current, next({ total: 86.5 })).kind).toBe('revise');
  });

  it('the same figures under the new rules, or the result already in force: nothing', () => {
    expect(planRescore(current, next({}))).toEqual({ kind: 'ignore' });
    expect(planRescore(current, next({ scoreResultId: 'res_1', grade: '良好' }))).toEqual({ kind: 'ignore' });
  });

  it('a result scored before the one in force (a late chunk of an earlier run): nothing; unknown times do not block', () => {
    expect(planRescore(current, next({ grade: '良好', scoredAt: '2024-03-31T23:59:59.999Z' }))).toEqual({ kind: 'ignore' });
    expect(planRescore({ ...current, scoredAt: null }, next({ grade: '良好', scoredAt: '2024-03-31T23:59:59.999Z' })).kind).toBe('revise');
    expect(planRescore(current, next({ grade: '良好', scoredAt: null })).kind).toBe('revise');
  });
});
