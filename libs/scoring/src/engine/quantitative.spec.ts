import { describe, expect, it } from 'vitest';
import { scoreQuantitative } from './quantitative';
import { CN } from './__test__/rule-sets';

const q = CN.quantitative;
const linear = { ...q, reverse: { formula: 'linear-to-zero-at-double' as const } };

describe('national quantitative formulas', () => {
  it('positive: B ≥ A full, else B/A × w', () => {
    expect(scoreQuantitative('positive', 100, 95, 10, q)).toMatchObject({ score: 9.5, met: false });
    expect(scoreQuantitative('positive', 100, 120, 10, q)).toMatchObject({ score: 10, met: true });
    expect(scoreQuantitative('positive', 100, -5, 10, q).score).toBe(0);
  });
  it('reverse: B ≤ A full, else A/B × w', () => {
    expect(scoreQuantitative('reverse', 1, 0.5, 10, q)).toMatchObject({ score: 10, met: true });
    expect(scoreQuantitative('reverse', 2, 4, 10, q)).toMatchObject({ score: 5, met: false });
  });
  it('reverse, linear to zero at 2A', () => {
    expect(scoreQuantitative('reverse', 2, 3, 10, linear).score).toBe(5);
    expect(scoreQuantitative('reverse', 2, 4, 10, linear).score).toBe(0);
    expect(scoreQuantitative('reverse', 2, 9, 10, linear).score).toBe(0);
  });
  it('zero targets: positive met, reverse met only at B ≤ 0', () => {
    expect(scoreQuantitative('positive', 0, 3, 10, q).score).toBe(10);
    expect(scoreQuantitative('reverse', 0, 0, 10, q).score).toBe(10);
    expect(scoreQuantitative('reverse', 0, 1, 10, q).score).toBe(0);
    expect(scoreQuantitative('reverse', 0, 1, 10, { ...q, zeroTarget: 'not-scorable' }).score).toBeNull();
  });
  it('exact "=" targets: full only when equal', () => {
    expect(scoreQuantitative('exact', 7, 7, 10, q).score).toBe(10);
    expect(scoreQuantitative('exact', 8, 6, 10, q).score).toBeCloseTo(7.5);
    expect(scoreQuantitative('exact', 5, 10, 10, q).score).toBe(5);
  });
});
