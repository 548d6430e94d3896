import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bandProblems } from './bands.check';
import { gradeCutoffs, withCutoffs } from './grade-cutoffs';
import type { GradeRule } from './rule-set.schema';

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
