import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bandProblems } from './bands.check';
import { gradeCutoffs, tierCutoffs, withCutoffs, withTierCutoffs } from './grade-cutoffs';
import { tierProblems } from './tiers.check';
import type { GradeRule, TierRule } from './rule-set.schema';

const rules = (file: string): GradeRule[] =>
  JSON.parse(readFileSync(join(__dirname, '../../../../rules', file), 'utf8')).grades;

describe('grade cutoffs', () => {
  it('reads a rule set’s bands, best first, the lowest starting nowhere', () => {
    expect(gradeCutoffs(rules('130126.json'))).toEqual([
      { grade: '优秀', from: 85, inclusive: true },
      { grade: '良好', from: 75, inclusive: true },
      { grade: '一般', from: 60, inclusive: true },
      { grade: '较差', from: null, inclusive: false },
    ]);
    const cn = gradeCutoffs(rules('CN.json'))!;
    expect(cn.map((c) => c.grade)).toEqual(['优', '良', '中', '差']);
  });

  it('moves each band’s ends together: 优秀 from 85 to 90 leaves no gap or overlap', () => {
    const out = withCutoffs(rules('130126.json'), { 优秀: 90, 良好: 75, 一般: 60 });
    expect('grades' in out).toBe(true);
    const grades = (out as { grades: GradeRule[] }).grades;
    expect(bandProblems(grades)).toEqual([]);
    expect(gradeCutoffs(grades)!.map((c) => c.from)).toEqual([90, 75, 60, null]);
    const good = grades.find((g) => g.name === '良好')!;
    expect(good.conditions).toEqual({
      all: [
        { fact: 'total', operator: 'greaterThanInclusive', value: 75 },
        { fact: 'total', operator: 'lessThan', value: 90 },
      ],
    });
    expect(good.event).toEqual({ type: 'grade', params: { grade: '良好' } });
  });

  it('refuses starts out of order or out of range, naming the grade', () => {
    const bad = withCutoffs(rules('130126.json'), { 优秀: 70, 良好: 75, 一般: 60 });
    expect(bad).toEqual({
      problems: [expect.objectContaining({ grade: '良好', messageZh: '良好的分数线（75）须低于优秀（70）' })],
    });
    const range = withCutoffs(rules('130126.json'), { 优秀: 101, 良好: Number.NaN, 一般: 60 });
    expect('problems' in range && range.problems.map((p) => p.grade)).toEqual(['优秀', '良好']);
  });

  it('says so when a grade rule is not a plain band', () => {
    const odd: GradeRule[] = [
      {
        name: 'x',
        conditions: { any: [{ fact: 'total', operator: 'greaterThan', value: 1 }] },
        event: { type: 'grade', params: { grade: 'x' } },
      },
    ];
    expect(gradeCutoffs(odd)).toBeNull();
    expect(withCutoffs(odd, {})).toMatchObject({
      problems: [{ messageZh: '等级规则不是按总分划分的区间，只能在规则文件中修改' }],
    });
  });
});

describe('qualitative tier cutoffs', () => {
  const tiers = (file: string): TierRule[] =>
    JSON.parse(readFileSync(join(__dirname, '../../../../rules', file), 'utf8')).qualitative.tiers;

  it('reads the tiers best first, and moves them as 盐池 has them (50% / 80%) with no gap or overlap', () => {
    expect(tierCutoffs(tiers('CN.json')).map((t) => [t.tier, t.from, t.default])).toEqual([
      ['achieved', 0.8, 1],
      ['partly-achieved', 0.6, 0.7],
      ['not-achieved', 0, 0.3],
    ]);
    const out = withTierCutoffs(tiers('CN.json'), {
      achieved: { from: 0.8, default: 1 },
      'partly-achieved': { from: 0.5, default: 0.65 },
      'not-achieved': { default: 0.25 },
    });
    expect('tiers' in out).toBe(true);
    const moved = (out as { tiers: TierRule[] }).tiers;
    expect(tierProblems(moved)).toEqual([]);
    expect(moved.map((t) => t.event.params)).toEqual(tiers('640323.json').map((t) => t.event.params));
  });

  it('refuses starts out of order and defaults outside their tier, naming the tier', () => {
    const order = withTierCutoffs(tiers('CN.json'), {
      achieved: { from: 0.5, default: 1 },
      'partly-achieved': { from: 0.6, default: 0.7 },
      'not-achieved': { default: 0.3 },
    });
    expect(order).toMatchObject({
      problems: [{ grade: 'achieved', messageZh: '达成预期指标：起点须在 0% 至 100% 之间，并高于下一档' }],
    });
    const outside = withTierCutoffs(tiers('CN.json'), {
      achieved: { from: 0.8, default: 1 },
      'partly-achieved': { from: 0.6, default: 0.9 },
      'not-achieved': { default: 0.3 },
    });
    expect(outside).toMatchObject({
      problems: [
        { grade: 'partly-achieved', messageZh: '部分达成预期指标并具有一定效果：默认得分率 90% 不在本档 60%–80% 之内' },
      ],
    });
  });
});

describe('tiers written otherwise', () => {
  it('are left to the rule file rather than shifted at their boundaries', () => {
    const cn: TierRule[] = JSON.parse(readFileSync(join(__dirname, '../../../../rules/CN.json'), 'utf8')).qualitative
      .tiers;
    const upperClosed = cn.map((t) => {
      const { maxExclusive: _m, ...p } = t.event.params;
      return { ...t, event: { ...t.event, params: { ...p, ...(p.min > 0 ? { minExclusive: true } : {}) } } };
    });
    expect(withTierCutoffs(upperClosed, {})).toMatchObject({
      problems: [{ messageZh: expect.stringContaining('只能在规则文件中修改') }],
    });
  });
});
