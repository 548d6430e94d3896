import { describe, expect, it } from 'vitest';
import { score } from './score';
import { CN, projectForm, registry, row, variant } from './__test__/rule-sets';

const codes = (r: ReturnType<typeof score>) => r.findings.map((f) => f.code);
const only = (target: string, actual: string, weight = 10, reported?: number, extra = {}) =>
  score(projectForm([row(target, actual, weight, reported, extra)]), CN).computed.indicators[0];

describe('score: one indicator at a time (national rules)', () => {
  it('explains a shortfall with the numbers', () => {
    const r = only('100%', '95%', 10, 6);
    expect(r.score).toBe(9.5);
    expect(r.method).toBe('quantitative-positive');
    expect(r.explanation).toBe('实际完成值 95% 未达到年度指标值 100%，按 B/A×分值 = 95/100×10 = 9.50');
    expect(r.parsed).toMatchObject({ comparator: '≥', target: 100, actual: 95, unit: '%' });
  });

  it('reverse indicators score A/B × w', () => {
    const r = only('≤2万元', '4万元', 10);
    expect(r).toMatchObject({ score: 5, method: 'quantitative-reverse' });
    expect(r.explanation).toContain('A/B×分值 = 2/4×10 = 5.00');
  });

  it('"=" targets count as positive: over-achievement is full marks', () => {
    expect(only('=7个', '8个').score).toBe(10);
    expect(only('=7个', '7').score).toBe(10);
  });

  it('date targets: met on or before the deadline, else 0', () => {
    expect(only('2022年12月31日前', '2022年11月').score).toBe(10);
    expect(only('2022年6月30日前', '2022年8月15日')).toMatchObject({ score: 0, method: 'date' });
  });

  it('a threshold written as the actual is met when it satisfies the target, and is flagged', () => {
    const r = score(projectForm([row('90%', '≥90%', 10, 10)]), CN);
    expect(r.computed.indicators[0].score).toBe(10);
    expect(codes(r)).toContain('ACTUAL_IS_THRESHOLD');
  });

  it('units that differ (个 vs 万元) make the row not scorable', () => {
    const r = score(projectForm([row('≥5个', '3万元', 10, 10)]), CN);
    expect(r.computed.indicators[0]).toMatchObject({ score: null, method: 'not-scorable' });
    expect(codes(r)).toEqual(expect.arrayContaining(['UNIT_MISMATCH', 'NOT_SCORABLE']));
  });

  it('a non-numeric actual against a numeric target is judged by the tiers and flagged', () => {
    const r = score(projectForm([row('265.69万元', '达成预期指标', 5, 5)]), CN);
    expect(r.computed.indicators[0]).toMatchObject({ score: 5, method: 'qualitative', parsed: { tier: 'achieved' } });
    expect(codes(r)).toContain('NON_NUMERIC_ACTUAL');
  });

  it('qualitative: a reported score inside the tier stands; outside, the tier default', () => {
    expect(only('持续推动', '达成预期指标', 10, 9).score).toBe(9);
    const low = score(projectForm([row('持续推动', '达成预期指标', 10, 5)]), CN);
    expect(low.computed.indicators[0].score).toBe(10);
    expect(codes(low)).toContain('SCORE_OUTSIDE_TIER');
    expect(only('持续推动', '未达成预期指标且效果较差', 10).score).toBe(3);
  });

  it('a qualitative phrase no tier recognises is not scorable (never a confident guess)', () => {
    expect(only('持续推动', '见附件', 10, 10)).toMatchObject({ score: null, method: 'not-scorable' });
  });

  it('the comparator in one column and the number in the next ("≥ | 99%")', () => {
    const r = only('≥', '97%', 2, 1, { unit: '99%' });
    expect(r).toMatchObject({ method: 'quantitative-positive', parsed: { comparator: '≥', target: 99, actual: 97 } });
    expect(r.score).toBeCloseTo(1.96, 2);
  });

  it('a comparator in the unit column applies to the number in the value column', () => {
    expect(only('30', '40', 10, 10, { unit: '≤' })).toMatchObject({ method: 'quantitative-reverse', score: 7.5 });
  });

  it('no indicator scores above its weight', () => {
    expect(only('100', '300', 10, 10).score).toBe(10);
  });

  it('explain: false builds no explanations and no messages', () => {
    const r = score(projectForm([row('100%', '95%', 10, 6)]), CN, { explain: false });
    expect(r.computed.indicators[0].explanation).toBeUndefined();
    expect(r.computed.execution.explanation).toBeUndefined();
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.every((f) => f.message === '')).toBe(true);
  });
});

describe('score: not-applicable rows', () => {
  const form = projectForm([
    row('100%', '100%', 50, 50, { level1: '产出指标' }),
    row('/', '/', 30, 30, { level1: '效益指标', name: '不适用指标' }),
    row('100%', '100%', 10, 10, { level1: '满意度指标' }),
  ]);
  it('ignore: the row scores nothing', () => {
    const r = score(form, CN);
    expect(r.computed.indicators[1]).toMatchObject({ score: null, method: 'not-applicable' });
    expect(r.computed.total).toBe(70);
  });
  it('rescale: the remaining total is rescaled to 100', () => {
    const rs = variant(CN, { notApplicable: { mode: 'rescale' } });
    expect(score(form, rs).computed.total).toBe(100);
  });
});

describe('score: execution', () => {
  const funds = { initialBudget: 120, adjustedBudget: 100, executed: 87, weight: 10 };
  const form = projectForm([row('1', '1', 90, 90)], funds);
  it('national: rate over the adjusted budget × weight, capped', () => {
    expect(score(form, CN).computed.execution).toMatchObject({ rate: 0.87, score: 8.7 });
    expect(score(projectForm([row('1', '1', 90)], { adjustedBudget: 10, executed: 12 }), CN).computed.execution.score).toBe(10);
  });
  it('initial budget as the denominator changes the result when the budget was cut', () => {
    const rs = variant(CN, { forms: { project: { ...CN.forms.project, execution: { ...CN.forms.project.execution, denominator: 'initial' } } } });
    expect(score(form, rs).computed.execution).toMatchObject({ rate: 0.725, score: 7.25 });
  });
  it('Hunan department template: −2 per 5% below 100%', () => {
    const hunan = registry.resolve('430000', 2022);
    const dept = { ...form, formType: 'department' as const };
    expect(score(dept, hunan).computed.execution.score).toBe(4); // 13% short → 3 steps → 10 − 6
  });
  it('steps and none', () => {
    const steps = variant(CN, {
      forms: { project: { ...CN.forms.project, execution: { ...CN.forms.project.execution, formula: { kind: 'steps', steps: [{ minRate: 0.95, score: 10 }, { minRate: 0.8, score: 6 }] } } } },
    });
    expect(score(form, steps).computed.execution.score).toBe(6);
    const none = variant(CN, {
      forms: { project: { execution: { ...CN.forms.project.execution, weight: 0, formula: { kind: 'none' } }, sections: CN.forms.project.sections } },
    });
    expect(score(form, none).computed.execution).toMatchObject({ score: null, weight: 0 });
  });
  it('flags a reported rate and score that do not match the amounts, and spending above the budget', () => {
    const r = score(projectForm([row('1', '1', 90, 90)], { adjustedBudget: 100, executed: 110, weight: 10, reportedRate: '100%', reportedScore: 10 }), CN);
    expect(r.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['EXECUTED_EXCEEDS_BUDGET', 'EXECUTION_RATE_MISMATCH']));
  });
});

describe('score: evaluation-level results', () => {
  it('the grade is taken from the rounded total', () => {
    // whole-number rounding: 10 + 99.375/100×80 (79.5) + 0 = 89.5 → 90 (优) half-up, 89 (良) floored
    const form = projectForm([row('100', '99.375', 80, 80), row('100', '0', 10, 0, { level1: '满意度指标', deviationReason: '未调查' })]);
    const halfUp = score(form, variant(CN, { rounding: { precision: 0, mode: 'half-up' } }));
    expect(halfUp.computed).toMatchObject({ total: 90, grade: '优' });
    const floor = score(form, variant(CN, { rounding: { precision: 0, mode: 'floor' } }));
    expect(floor.computed).toMatchObject({ total: 89, grade: '良' });
  });
  it('carries the rule set id, version and hash', () => {
    const r = score(projectForm([row('1', '1', 90)]), CN);
    expect(r.ruleSet).toEqual({ id: 'CN', version: CN.version, hash: CN.hash });
  });
  it('an incomplete form is reported with what is missing, and sent to review', () => {
    const ev = { ...projectForm([row('1', '1', 90, 90)]), incomplete: { missing: ['满意度指标行（表格在第 2 页中断）'] } };
    const r = score(ev, CN);
    const f = r.findings.find((x) => x.code === 'INCOMPLETE_FORM');
    expect(f?.message).toContain('满意度指标行');
    expect(r.routing.decision).toBe('manual-review');
  });
  it('what the reader found missing is said once, in its own more exact words', () => {
    const noTable = { formType: 'project' as const, funds: { adjustedBudget: 10, executed: 5 } };
    const bare = score(noTable, CN).findings.find((x) => x.code === 'INCOMPLETE_FORM');
    expect(bare?.message).toBe('表格不完整，缺少：绩效指标表');
    const read = score({ ...noTable, incomplete: { missing: ['绩效指标表（一级指标、二级指标、三级指标表头）'] } }, CN);
    expect(read.findings.find((x) => x.code === 'INCOMPLETE_FORM')?.message).toBe(
      '表格不完整，缺少：绩效指标表（一级指标、二级指标、三级指标表头）',
    );
    const noFunds = { ...projectForm([row('1', '1', 90, 90)]), funds: undefined };
    expect(score(noFunds, CN).findings.find((x) => x.code === 'INCOMPLETE_FORM')?.message).toBe('表格不完整，缺少：资金情况');
    const fundsRead = score({ ...noFunds, incomplete: { missing: ['项目资金（年度资金总额行）', '总分'] } }, CN);
    expect(fundsRead.findings.find((x) => x.code === 'INCOMPLETE_FORM')?.message).toBe(
      '表格不完整，缺少：项目资金（年度资金总额行）、总分',
    );
  });
  it('no indicator table: no total, an INCOMPLETE_FORM finding, execution still scored', () => {
    const r = score({ formType: 'project', funds: { adjustedBudget: 10, executed: 5 } }, CN);
    expect(r.computed).toMatchObject({ total: null, grade: null, execution: { rate: 0.5, score: 5 } });
    expect(r.findings.map((f) => f.code)).toContain('INCOMPLETE_FORM');
  });
  it('a clean form is auto-approved', () => {
    const clean = projectForm([row('≥1', '1', 90, 90)], { adjustedBudget: 50, executed: 50, weight: 10, reportedRate: '100%', reportedScore: 10 });
    const r = score({ ...clean, reported: { total: 100, grade: '优' } }, CN);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.routing).toEqual({ decision: 'auto-approve', reasons: [] });
  });
  it('a reported grade that the reported total does not earn is flagged', () => {
    const r = score({ ...projectForm([row('≥1', '1', 90, 75)]), reported: { total: 85, grade: '优' } }, CN);
    expect(r.findings.find((f) => f.code === 'GRADE_MISMATCH')).toMatchObject({ expected: '良', reported: '优' });
  });
  it('a reported score above the weight is an error', () => {
    const r = score(projectForm([row('≥1', '1', 10, 12)]), CN);
    expect(r.findings.find((f) => f.code === 'SCORE_EXCEEDS_WEIGHT')).toMatchObject({ severity: 'error', expected: 10, reported: 12 });
  });
  it('a shortfall without a reason is flagged; with one it is not', () => {
    const without = score(projectForm([row('≥100', '90', 10, 9)]), CN);
    expect(without.findings.map((f) => f.code)).toContain('MISSING_DEVIATION_REASON');
    const withReason = score(projectForm([row('≥100', '90', 10, 9, { deviationReason: '资金晚到' })]), CN);
    expect(withReason.findings.map((f) => f.code)).not.toContain('MISSING_DEVIATION_REASON');
  });
});

describe('score: the rule set a result cites', () => {
  it('is the version scored under, even when another version has the same rules (same hash)', () => {
    // a second version that only corrects its source: the rules, and so the hash, are unchanged
    const v2: typeof CN = { ...CN, version: CN.version + 1, source: { ...CN.source, title: `${CN.source.title} (corrected)` } };
    expect(v2.hash).toBe(CN.hash);
    const form = projectForm([row('100%', '95%')]);
    expect(score(form, CN).ruleSet.version).toBe(CN.version);
    expect(score(form, v2).ruleSet.version).toBe(CN.version + 1);
    expect(score(form, CN).ruleSet.version).toBe(CN.version);
  });
});
