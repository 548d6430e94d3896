import { describe, expect, it } from 'vitest';
import type { ImpactReport } from '../server/api-types';
import { deltaHistogram, renderImpactReport, transitionMatrix } from './impact-report';

const report: ImpactReport = {
  rescored: 1000,
  unchanged: 990,
  transitions: [
    { from: '良', to: '优', count: 7 },
    { from: '优', to: '优', count: 300 },
    { from: '良', to: '良', count: 690 },
    { from: null, to: '中', count: 1 },
    { from: '中', to: '良', count: 2 },
  ],
  totalDelta: {
    min: -0.5,
    max: 5,
    mean: 1.25,
    buckets: [
      { from: -1, to: 0, count: 1 },
      { from: 0, to: 5, count: 9 },
    ],
  },
  changed: [
    {
      evaluationId: 'ev-0001',
      region: '130126',
      fiscalYear: 2022,
      unit: '灵寿县教育局',
      project: '校舍维修',
      oldTotal: 88,
      newTotal: 91.5,
      oldGrade: '良',
      newGrade: '优',
      oldRouting: 'manual-review',
      newRouting: 'auto-approve',
    },
  ],
  changedTruncated: true,
};

describe('impact report', () => {
  it('transition matrix: rows old grade, columns new grade, best first, no grade last', () => {
    const lines = transitionMatrix(report.transitions).split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['旧＼新', '优', '良', '中']);
    expect(lines[2].split(/\s+/)).toEqual(['优', '300', '·', '·']);
    expect(lines[3].split(/\s+/)).toEqual(['良', '7', '690', '·']);
    expect(lines[4].split(/\s+/)).toEqual(['中', '·', '2', '·']);
    expect(lines[5].split(/\s+/)).toEqual(['—', '·', '·', '1']);
  });

  it('delta histogram: min, max, mean and one bar per bucket, longest for the largest', () => {
    const text = deltaHistogram(report.totalDelta, 9);
    expect(text).toContain('最小 -0.50 · 最大 +5.00 · 平均 +1.25');
    expect(text).toMatch(/\[-1, 0\)\s+1\s+#\n/);
    expect(text).toMatch(/\[0, \+5\)\s+9\s+#########$/);
  });

  it('prints counts, matrix, histogram and the changed list with old → new', () => {
    const text = renderImpactReport(report);
    expect(text).toMatch(/^重新评分 \(rescored\) 1,000 · 结果未变 \(unchanged\) 990 · 有变化 \(changed\) 10/);
    expect(text).toMatch(
      /ev-0001\s+130126\s+2022\s+灵寿县教育局 \/ 校舍维修\s+88\.00 → 91\.50\s+良 → 优\s+manual-review → auto-approve/,
    );
    expect(text).toContain('only the first 1 changed');
  });
});
