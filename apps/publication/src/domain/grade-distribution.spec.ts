import { describe, expect, it } from 'vitest';
import { gradeDistribution } from './grade-distribution';

describe('gradeDistribution', () => {
  it('counts national grades best first, ungraded last', () => {
    expect(gradeDistribution(['良', '优', null, '差', '优'])).toEqual([
      { grade: '优', count: 2 },
      { grade: '良', count: 1 },
      { grade: '差', count: 1 },
      { grade: '未评级', count: 1 },
    ]);
  });

  it('orders regional labels (灵寿: 优秀/良好/一般/较差)', () => {
    expect(gradeDistribution(['较差', '良好', '优秀', '一般']).map((g) => g.grade)).toEqual(['优秀', '良好', '一般', '较差']);
  });

  it('is empty for no evaluations', () => {
    expect(gradeDistribution([])).toEqual([]);
  });
});
