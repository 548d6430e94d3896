import { describe, expect, it } from 'vitest';
import { ROSTER_MAX_UNITS, RosterProblem, rosterStanding, rosterUnits, unitKey } from './roster';

const problem = (fn: () => unknown): RosterProblem => {
  try {
    fn();
  } catch (err) {
    if (err instanceof RosterProblem) return err;
    throw err;
  }
  throw new Error('expected a RosterProblem');
};

describe('rosterUnits', () => {
  it('keeps each unit once, as first written, in the order given', () => {
    expect(rosterUnits([' 灵寿县财政局', '灵寿县教育局', '灵寿县 财政局', ''])).toEqual([
      { unitKey: '灵寿县财政局', unitName: '灵寿县财政局' },
      { unitKey: '灵寿县教育局', unitName: '灵寿县教育局' },
    ]);
  });

  it('refuses no unit, too many, and a name too long (saying which), in both languages', () => {
    expect(problem(() => rosterUnits(['', '  '])).messageZh).toContain('名单中没有任何单位名称');
    const many = Array.from({ length: ROSTER_MAX_UNITS + 1 }, (_, i) => `单位 ${i}`);
    expect(problem(() => rosterUnits(many)).message).toContain(`at most ${ROSTER_MAX_UNITS} units`);
    const long = problem(() => rosterUnits(['灵寿县财政局', '局'.repeat(201)]));
    expect(long).toMatchObject({ line: 2 });
    expect(long.messageZh).toBe('第 2 个单位名称过长（201 个字符，最多 200 个）');
  });
});

describe('rosterStanding', () => {
  const roster = rosterUnits(['灵寿县人民政府办公室', '灵寿县财政局', '灵寿县教育局（本级）']);

  it('matches the units’ current versions to the roster by name: who submitted, who did not, who is not on it', () => {
    const standing = rosterStanding(roster, [
      { unitName: '灵寿县人民政府办公室', state: 'in_review', n: 2, lastAt: '2026-12-01T08:00:00.000Z' },
      {
        unitName: '灵寿县人民政府办公室',
        state: 'published',
        n: '1' as unknown as number,
        lastAt: '2026-12-03T08:00:00.000Z',
      },
      { unitName: '灵寿县教育局(本级)', state: 'returned', n: 1, lastAt: '2026-12-02T08:00:00.000Z' },
      { unitName: '灵寿县农业农村局', state: 'approved', n: 3, lastAt: '2026-12-04T08:00:00.000Z' },
      { unitName: null, state: 'scored', n: 1, lastAt: null },
    ]);
    expect(standing).toEqual({
      expected: 3,
      submitted: 2,
      units: [
        {
          unitName: '灵寿县人民政府办公室',
          evaluations: 3,
          byState: { in_review: 2, published: 1 },
          lastAt: '2026-12-03T08:00:00.000Z',
        },
        { unitName: '灵寿县财政局', evaluations: 0, byState: {}, lastAt: null },
        // the roster's spelling, matched to the unit's own
        {
          unitName: '灵寿县教育局（本级）',
          evaluations: 1,
          byState: { returned: 1 },
          lastAt: '2026-12-02T08:00:00.000Z',
        },
      ],
      missing: ['灵寿县财政局'],
      unlisted: [
        { unitName: '灵寿县农业农村局', evaluations: 3, byState: { approved: 3 }, lastAt: '2026-12-04T08:00:00.000Z' },
        { unitName: null, evaluations: 1, byState: { scored: 1 }, lastAt: null },
      ],
    });
  });

  it('without a roster, every unit that submitted is unlisted', () => {
    const standing = rosterStanding([], [{ unitName: '灵寿县财政局', state: 'in_review', n: 1, lastAt: null }]);
    expect(standing).toMatchObject({ expected: 0, submitted: 0, units: [], missing: [] });
    expect(standing.unlisted.map((u) => u.unitName)).toEqual(['灵寿县财政局']);
    expect(unitKey('灵寿县财政局')).toBe('灵寿县财政局');
  });
});
