import { describe, expect, it } from 'vitest';
import { chinaDate, isDeadline, ROSTER_MAX_UNITS, RosterProblem, rosterStanding, rosterUnits, unitKey } from './roster';

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
    const standing = rosterStanding(
      roster,
      [
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
      ],
      {
        firsts: [
          { unitName: '灵寿县人民政府办公室', firstAt: '2026-11-30T08:00:00.000Z' },
          { unitName: '灵寿县教育局（本级）', firstAt: '2026-12-02T08:00:00.000Z' },
          { unitName: '灵寿县农业农村局', firstAt: '2026-12-04T08:00:00.000Z' },
        ],
      },
    );
    expect(standing).toEqual({
      expected: 3,
      submitted: 2,
      deadline: null,
      overdue: false,
      late: 0,
      units: [
        {
          unitName: '灵寿县人民政府办公室',
          evaluations: 3,
          byState: { in_review: 2, published: 1 },
          firstAt: '2026-11-30T08:00:00.000Z',
          lastAt: '2026-12-03T08:00:00.000Z',
          late: false,
        },
        { unitName: '灵寿县财政局', evaluations: 0, byState: {}, firstAt: null, lastAt: null, late: false },
        // the roster's spelling, matched to the unit's own
        {
          unitName: '灵寿县教育局（本级）',
          evaluations: 1,
          byState: { returned: 1 },
          firstAt: '2026-12-02T08:00:00.000Z',
          lastAt: '2026-12-02T08:00:00.000Z',
          late: false,
        },
      ],
      missing: ['灵寿县财政局'],
      unlisted: [
        {
          unitName: '灵寿县农业农村局',
          evaluations: 3,
          byState: { approved: 3 },
          firstAt: '2026-12-04T08:00:00.000Z',
          lastAt: '2026-12-04T08:00:00.000Z',
          late: false,
        },
        { unitName: null, evaluations: 1, byState: { scored: 1 }, firstAt: null, lastAt: null, late: false },
      ],
    });
  });

  it('a deadline: units whose first form came after its day in China are late; once past, it is overdue', () => {
    const rows = [
      { unitName: '灵寿县人民政府办公室', state: 'in_review', n: 1, lastAt: '2026-12-05T08:00:00.000Z' },
      { unitName: '灵寿县教育局（本级）', state: 'in_review', n: 1, lastAt: '2026-12-05T08:00:00.000Z' },
    ];
    const firsts = [
      // 23:59 in Beijing on the deadline day: on time (15:59 UTC); a correction later does not count
      { unitName: '灵寿县人民政府办公室', firstAt: '2026-12-01T15:59:00.000Z' },
      // 00:30 in Beijing the day after (16:30 UTC on the deadline day): late
      { unitName: '灵寿县教育局（本级）', firstAt: '2026-12-01T16:30:00.000Z' },
    ];
    const before = rosterStanding(roster, rows, { firsts, deadline: '2026-12-01', now: '2026-12-01T15:00:00.000Z' });
    expect(before).toMatchObject({ deadline: '2026-12-01', overdue: false, late: 1 });
    expect(before.units.map((u) => u.late)).toEqual([false, false, true]);
    const after = rosterStanding(roster, rows, { firsts, deadline: '2026-12-01', now: '2026-12-01T16:00:00.000Z' });
    expect(after.overdue).toBe(true);
    expect(chinaDate('2026-12-01T15:59:59.999Z')).toBe('2026-12-01');
    expect(chinaDate('2026-12-01T16:00:00.000Z')).toBe('2026-12-02');
  });

  it('a deadline is a calendar day', () => {
    expect(isDeadline('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-3-31', '2024/03/31', '20240331', ''])
      expect(isDeadline(bad), bad).toBe(false);
  });

  it('without a roster, every unit that submitted is unlisted', () => {
    const standing = rosterStanding([], [{ unitName: '灵寿县财政局', state: 'in_review', n: 1, lastAt: null }]);
    expect(standing).toMatchObject({ expected: 0, submitted: 0, units: [], missing: [] });
    expect(standing.unlisted.map((u) => u.unitName)).toEqual(['灵寿县财政局']);
    expect(unitKey('灵寿县财政局')).toBe('灵寿县财政局');
  });
});
