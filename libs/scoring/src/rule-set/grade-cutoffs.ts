import { band, type Interval } from './bands.check';
import type { Condition, GradeRule, TierRule } from './rule-set.schema';

/** One grade band as a rule admin sets it: the grade and the total it starts at (the lowest band starts nowhere). */
export interface GradeCutoff {
  grade: string;
  /** The band's lower end; null for the lowest band (everything below the next). */
  from: number | null;
  /** Whether a total equal to `from` is in this band (`≥`) or in the one below (`>`). */
  inclusive: boolean;
}

/**
 * The grade bands of a rule set, best first, when each is a plain band on the total (as every rule set's are);
 * null when some rule is written otherwise, which only the rule file can change.
 */
export function gradeCutoffs(grades: readonly GradeRule[]): GradeCutoff[] | null {
  const bands: Array<{ rule: GradeRule; iv: Interval }> = [];
  for (const rule of grades) {
    const iv = band(rule, []);
    if ('message' in iv) return null;
    bands.push({ rule, iv });
  }
  bands.sort((a, b) => b.iv.lo - a.iv.lo);
  return bands.map(({ rule, iv }) => ({
    grade: rule.event.params.grade,
    from: iv.lo === -Infinity ? null : iv.lo,
    inclusive: !iv.loOpen,
  }));
}

export interface CutoffProblem {
  grade: string;
  message: string;
  messageZh: string;
}

/**
 * The grade rules with new lower ends (`from`, by grade; the lowest band has none): each band's lower bound moves to
 * its new start and its upper bound to the start of the band above, every comparison otherwise as it was (inclusive
 * or not, priorities, events). The new starts must be numbers within 0–100, each above the one below.
 */
export function withCutoffs(
  grades: readonly GradeRule[],
  from: Readonly<Record<string, number>>,
): { grades: GradeRule[] } | { problems: CutoffProblem[] } {
  const current = gradeCutoffs(grades);
  if (!current)
    return {
      problems: [
        {
          grade: '',
          message: 'the grade rules are not plain bands on the total: change them in the rule file',
          messageZh: '等级规则不是按总分划分的区间，只能在规则文件中修改',
        },
      ],
    };
  const problems: CutoffProblem[] = [];
  const start = new Map<string, number | null>();
  for (const c of current) {
    if (c.from === null) {
      start.set(c.grade, null);
      continue;
    }
    const v = from[c.grade];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100)
      problems.push({
        grade: c.grade,
        message: `${c.grade}: the lower end must be a number from 0 to 100`,
        messageZh: `${c.grade}：分数线须为 0 至 100 之间的数`,
      });
    else start.set(c.grade, v);
  }
  if (problems.length) return { problems };
  // best first: each start above the next one's
  const ordered = current.filter((c) => c.from !== null);
  for (let i = 1; i < ordered.length; i++) {
    const above = start.get(ordered[i - 1].grade)!;
    const here = start.get(ordered[i].grade)!;
    if (!(here < above))
      problems.push({
        grade: ordered[i].grade,
        message: `${ordered[i].grade} (${here}) must start below ${ordered[i - 1].grade} (${above})`,
        messageZh: `${ordered[i].grade}的分数线（${here}）须低于${ordered[i - 1].grade}（${above}）`,
      });
  }
  if (problems.length) return { problems };
  const upper = new Map<string, number | null>();
  current.forEach((c, i) => upper.set(c.grade, i === 0 ? null : start.get(current[i - 1].grade)!));
  const rewrite = (rule: GradeRule): GradeRule => {
    const lo = start.get(rule.event.params.grade) ?? null;
    const hi = upper.get(rule.event.params.grade) ?? null;
    const all = (rule.conditions as { all: Condition[] }).all.map((c) => {
      if (!('operator' in c) || typeof c.value !== 'number') return c;
      if (c.operator.startsWith('greater') && lo !== null) return { ...c, value: lo };
      if (c.operator.startsWith('less') && hi !== null) return { ...c, value: hi };
      return c;
    });
    return { ...rule, conditions: { all } };
  };
  return { grades: grades.map(rewrite) };
}

/** One qualitative tier as a rule admin sets it: where it starts (a fraction of the weight) and its default. */
export interface TierCutoff {
  tier: string;
  label: string;
  /** The tier's lowest score as a fraction of the weight; the lowest tier starts at 0. */
  from: number;
  /** The fraction given when the form has no score of its own. */
  default: number;
}

/** The qualitative tiers, best first. */
export function tierCutoffs(tiers: readonly TierRule[]): TierCutoff[] {
  return [...tiers]
    .sort((a, b) => b.event.params.min - a.event.params.min)
    .map((t) => ({
      tier: t.event.params.tier,
      label: t.event.params.label,
      from: t.event.params.min,
      default: t.event.params.default,
    }));
}

/**
 * The tiers with new starts and defaults (fractions, by tier): each tier runs from its start to the next one's
 * (exclusive), the best to where it ran before (100%), the lowest from 0. Starts must rise from the lowest tier to the
 * best within (0, 1), and each default must lie in its tier.
 */
export function withTierCutoffs(
  tiers: readonly TierRule[],
  set: Readonly<Record<string, { from?: number; default: number }>>,
): { tiers: TierRule[] } | { problems: CutoffProblem[] } {
  const ascending = [...tiers].sort((a, b) => a.event.params.min - b.event.params.min);
  // only the layout every rule set uses ([start, next start), the best up to 100% inclusive) is rewritten here
  const plain = ascending.every(
    (t, i) =>
      t.event.params.minExclusive !== true && (i === ascending.length - 1 || t.event.params.maxExclusive === true),
  );
  if (!plain)
    return {
      problems: [
        {
          grade: '',
          message: 'the tiers are not laid out as [start, next start): change them in the rule file',
          messageZh: '定性档次的区间写法不是“含起点、不含下一档起点”，只能在规则文件中修改',
        },
      ],
    };
  const problems: CutoffProblem[] = [];
  const fraction = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  const starts = ascending.map((t, i) => (i === 0 ? 0 : set[t.event.params.tier]?.from));
  ascending.forEach((t, i) => {
    const label = t.event.params.label;
    const from = starts[i];
    const d = set[t.event.params.tier]?.default;
    const below = starts[i - 1];
    if (!fraction(from) || (i > 0 && fraction(below) && !((from as number) > (below as number))))
      problems.push({
        grade: t.event.params.tier,
        message: `${t.event.params.tier}: the start must lie between 0% and 100%, above the tier below`,
        messageZh: `${label}：起点须在 0% 至 100% 之间，并高于下一档`,
      });
    else if (!fraction(d))
      problems.push({
        grade: t.event.params.tier,
        message: `${t.event.params.tier}: the default must lie between 0% and 100%`,
        messageZh: `${label}：默认得分率须在 0% 至 100% 之间`,
      });
  });
  if (problems.length) return { problems };
  const rewritten = ascending.map((t, i) => {
    const p = t.event.params;
    const top = i === ascending.length - 1;
    const min = starts[i] as number;
    const max = top ? p.max : (starts[i + 1] as number);
    const d = set[p.tier].default;
    if (d < min || (top ? d > max : d >= max))
      problems.push({
        grade: p.tier,
        message: `${p.tier}: the default ${d} lies outside the tier [${min}, ${max}${top ? ']' : ')'}`,
        messageZh: `${p.label}：默认得分率 ${Math.round(d * 1000) / 10}% 不在本档 ${Math.round(min * 1000) / 10}%–${Math.round(max * 1000) / 10}% 之内`,
      });
    const params = { ...p, min, max, default: d, ...(top ? {} : { maxExclusive: true }) };
    delete (params as { minExclusive?: boolean }).minExclusive;
    return { ...t, event: { ...t.event, params } };
  });
  if (problems.length) return { problems };
  // back in the order the rule set lists them
  return { tiers: tiers.map((t) => rewritten.find((r) => r.event.params.tier === t.event.params.tier)!) };
}
