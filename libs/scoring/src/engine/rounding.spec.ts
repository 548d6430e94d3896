import { describe, expect, it } from 'vitest';
import { roundTo } from './rounding';

describe('roundTo', () => {
  it('half-up is 四舍五入 despite binary noise', () => {
    expect(roundTo(1.005, { precision: 2, mode: 'half-up' })).toBe(1.01);
    expect(roundTo(5.1564, { precision: 2, mode: 'half-up' })).toBe(5.16);
    expect(roundTo(84.994999, { precision: 2, mode: 'half-up' })).toBe(84.99);
    expect(roundTo(2.5, { precision: 0, mode: 'half-up' })).toBe(3);
  });
  it('half-even rounds ties to the even digit', () => {
    expect(roundTo(2.5, { precision: 0, mode: 'half-even' })).toBe(2);
    expect(roundTo(3.5, { precision: 0, mode: 'half-even' })).toBe(4);
    expect(roundTo(0.125, { precision: 2, mode: 'half-even' })).toBe(0.12);
  });
  it('floor, ceil and truncate', () => {
    expect(roundTo(89.99, { precision: 0, mode: 'floor' })).toBe(89);
    expect(roundTo(89.01, { precision: 0, mode: 'ceil' })).toBe(90);
    expect(roundTo(9.97, { precision: 1, mode: 'truncate' })).toBe(9.9);
    expect(roundTo(0.1 + 0.2, { precision: 1, mode: 'floor' })).toBe(0.3);
  });
});
