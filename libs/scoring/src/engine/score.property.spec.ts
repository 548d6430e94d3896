import type { CanonicalEvaluation, Indicator } from '@jixiao/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedRuleSet, Rounding } from '../rule-set/rule-set.schema';
import { roundTo } from './rounding';
import { score, scoreNaive } from './score';
import { CN, registry, variant } from './__test__/rule-sets';

const comparators = fc.constantFrom('', '≥', '≤', '>', '<', '=', '≧', '＞');
const units = fc.constantFrom('', '%', '个', '万元', '人次', '百分比');
const amount = fc.oneof(fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 500, noNaN: true }).map((x) => Math.round(x * 100) / 100));
const phrases = fc.constantFrom('达成预期指标', '部分达成预期指标并具有一定效果', '未达成预期指标且效果较差', '完成', '有效', '持续推动', '长期', '提高', '见附件');
const dates = fc.constantFrom('2022年12月31日前', '2022年12月', '12月底之前', '2023年3月1日');
const cell = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(comparators, amount, units).map(([c, n, u]) => `${c}${n}${u}`) },
  { weight: 2, arbitrary: phrases },
  { weight: 1, arbitrary: dates },
  { weight: 1, arbitrary: fc.constantFrom('/', '', '—') },
);
const level1 = fc.constantFrom('产出指标', '效益指标', '满意度指标', '产出指标 (50分)', null);
const indicator: fc.Arbitrary<Indicator> = fc.record({
  level1,
  name: fc.constantFrom('甲', '乙', '丙'),
  target: cell,
  actual: cell,
  weight: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null, freq: 8 }),
  reportedScore: fc.option(fc.double({ min: 0, max: 40, noNaN: true }), { nil: null, freq: 4 }),
});
const form: fc.Arbitrary<CanonicalEvaluation> = fc.record({
  formType: fc.constantFrom('project' as const, 'department' as const),
  fiscalYear: fc.constant(2022),
  funds: fc.option(
    fc.record({ adjustedBudget: amount, initialBudget: amount, executed: amount, weight: fc.constant(10), reportedRate: fc.constantFrom('100%', '95%', null) }),
    { nil: undefined },
  ),
  indicators: fc.array(indicator, { minLength: 1, maxLength: 12 }),
  reported: fc.option(fc.record({ total: fc.double({ min: 0, max: 100, noNaN: true }), grade: fc.constantFrom('优', '良', '良好', null) }), { nil: undefined }),
});
const rounding: fc.Arbitrary<Rounding> = fc.record({
  precision: fc.integer({ min: 0, max: 3 }),
  mode: fc.constantFrom('half-up' as const, 'half-even' as const, 'floor' as const, 'ceil' as const, 'truncate' as const),
});
const shipped = fc.constantFrom(...registry.list().map((s) => registry.resolveById(s.id)));
const ruleSet: fc.Arbitrary<ResolvedRuleSet> = fc.oneof(shipped, rounding.map((r) => variant(CN, { rounding: r })));

describe('score: properties on random forms', () => {
  it('no indicator (nor the execution) scores above its weight', () => {
    fc.assert(
      fc.property(form, ruleSet, (ev, rs) => {
        const r = score(ev, rs, { explain: false });
        for (const i of r.computed.indicators) if (i.score !== null) expect(i.score).toBeLessThanOrEqual((i.weight ?? 0) + 1e-9);
        if (r.computed.execution.score !== null) expect(r.computed.execution.score).toBeLessThanOrEqual(r.computed.execution.weight + 1e-9);
      }),
      { numRuns: 400 },
    );
  });

  it('the total is the rounded sum of its parts', () => {
    fc.assert(
      fc.property(form, ruleSet, (ev, rs) => {
        const r = score(ev, rs, { explain: false });
        const parts = r.computed.indicators.reduce((s, i) => s + (i.score ?? 0), r.computed.execution.score ?? 0);
        expect(r.computed.total).toBe(roundTo(parts, rs.rounding));
        const sections = r.computed.sections.reduce((s, x) => s + x.score, 0);
        const unassigned = r.computed.indicators.filter((i) => i.section === null).reduce((s, i) => s + (i.score ?? 0), 0);
        expect(sections + unassigned + (r.computed.execution.score ?? 0)).toBeCloseTo(parts, 6);
      }),
      { numRuns: 400 },
    );
  });

  it('raising the actual of a positive indicator never lowers its score', () => {
    const positive = fc.record({
      cmp: fc.constantFrom('≥', '>', '', '='),
      unit: fc.constantFrom('', '%', '个'),
      // numbers as people write them: at most two decimals
      a: fc.integer({ min: 1, max: 100000 }).map((x) => x / 100),
      b1: fc.integer({ min: -1000, max: 200000 }).map((x) => x / 100),
      b2: fc.integer({ min: -1000, max: 200000 }).map((x) => x / 100),
      w: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(positive, ruleSet, ({ cmp, unit, a, b1, b2, w }, rs) => {
        const [lo, hi] = b1 <= b2 ? [b1, b2] : [b2, b1];
        const at = (b: number) =>
          score({ formType: 'project', indicators: [{ name: 'x', target: `${cmp}${a}${unit}`, actual: `${b}${unit}`, weight: w }] }, rs, { explain: false })
            .computed.indicators[0].score as number;
        expect(at(lo)).toBeLessThanOrEqual(at(hi));
      }),
      { numRuns: 500 },
    );
  });

  // the bands as the documents state them (BRIEF §2 national, seeds/004 for 灵寿), not read from the rules
  const bands: Record<string, [number, string][]> = {
    CN: [[90, '优'], [80, '良'], [60, '中'], [-Infinity, '差']],
    '130126': [[85, '优秀'], [75, '良好'], [60, '一般'], [-Infinity, '较差']],
  };
  it('the grade always matches the bands for the rounded total', () => {
    const lingshou = registry.resolve('130126', 2022);
    fc.assert(
      fc.property(form, fc.constantFrom(CN, lingshou), rounding, (ev, base, rd) => {
        const rs = variant(base, { rounding: rd });
        const r = score(ev, rs, { explain: false });
        const total = r.computed.total as number;
        const expected = bands[base.id].find(([lo]) => total >= lo)![1];
        expect(r.computed.grade).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('scoring with json-rules-engine run naively gives exactly the compiled result', async () => {
    await fc.assert(
      fc.asyncProperty(form, shipped, fc.boolean(), async (ev, rs, explain) => {
        expect(await scoreNaive(ev, rs, { explain })).toEqual(score(ev, rs, { explain }));
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same input and rule set give the same result', () => {
    fc.assert(
      fc.property(form, shipped, (ev, rs) => {
        expect(score(structuredClone(ev), rs)).toEqual(score(ev, rs));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same result with the memo of rows off as with it on (memo cold and warm)', () => {
    fc.assert(
      fc.property(fc.array(form, { minLength: 1, maxLength: 4 }), shipped, fc.boolean(), (evs, rs, explain) => {
        // twice each, so the memoised run meets rows it has seen (same texts, weights and scores)
        for (const ev of [...evs, ...evs]) expect(score(ev, rs, { explain, memo: false })).toEqual(score(ev, rs, { explain }));
      }),
      { numRuns: 150 },
    );
  });
});
