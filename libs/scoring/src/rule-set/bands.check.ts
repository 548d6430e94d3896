import type { Condition, GradeRule } from './rule-set.schema';
import type { PathSegment } from './json-path';

export interface Problem {
  /** Path inside the resolved rule set. */
  path: PathSegment[];
  message: string;
  /** The same for a bureau's rule admin (the rule pages show it). */
  messageZh: string;
}

/** An interval on the line with open or closed ends. */
export interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

export function showInterval(b: Interval): string {
  const lo = b.lo === -Infinity ? '(-∞' : `${b.loOpen ? '(' : '['}${b.lo}`;
  const hi = b.hi === Infinity ? '+∞)' : `${b.hi}${b.hiOpen ? ')' : ']'}`;
  return `${lo}, ${hi}`;
}

export function isEmpty(b: Interval): boolean {
  return b.lo > b.hi || (b.lo === b.hi && (b.loOpen || b.hiOpen));
}

/**
 * Intervals sorted by lower end must meet exactly: the upper end of one is the lower end of the next and
 * exactly one of the two includes it. Reports overlaps and gaps against the later interval.
 */
export function adjacencyProblems<T extends { at: PathSegment[]; name: string; iv: Interval }>(
  sorted: readonly T[],
  what: string,
  whatZh: string,
): Problem[] {
  const out: Problem[] = [];
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1];
    const b = sorted[k];
    const both = `${what} "${b.name}" ${showInterval(b.iv)} and "${a.name}" ${showInterval(a.iv)}`;
    const bothZh = `${whatZh}“${b.name}”${showInterval(b.iv)}与“${a.name}”${showInterval(a.iv)}`;
    if (a.iv.hi > b.iv.lo || (a.iv.hi === b.iv.lo && !a.iv.hiOpen && !b.iv.loOpen)) {
      out.push({
        path: b.at,
        message: `${both} overlap (重叠): make one boundary exclusive`,
        messageZh: `${bothZh}重叠：请让其中一个边界不含端点`,
      });
    } else if (a.iv.hi < b.iv.lo || (a.iv.hi === b.iv.lo && a.iv.hiOpen && b.iv.loOpen)) {
      out.push({
        path: b.at,
        message: `${both} leave a gap (有空档) between ${a.iv.hi} and ${b.iv.lo}`,
        messageZh: `${bothZh}之间有空档（${a.iv.hi} 至 ${b.iv.lo}）`,
      });
    }
  }
  return out;
}

const BOUND_OPS = new Set(['greaterThan', 'greaterThanInclusive', 'lessThan', 'lessThanInclusive']);

/** The band a grade rule describes, or a problem saying why it is not a plain band on `total`. */
export function band(rule: GradeRule, at: PathSegment[]): Interval | Problem {
  const c = rule.conditions as Record<string, unknown>;
  if (!Array.isArray(c.all)) {
    return {
      path: [...at, 'conditions'],
      message: 'a grade band must be "all" of comparisons on fact "total"',
      messageZh: '等级区间须写成对 total（总分）的一组比较，放在 "all" 中',
    };
  }
  const iv: Interval = { lo: -Infinity, loOpen: true, hi: Infinity, hiOpen: true };
  for (const [j, cond] of (c.all as Condition[]).entries()) {
    const where = [...at, 'conditions', 'all', j];
    if (!('fact' in cond) || cond.fact !== 'total' || cond.path !== undefined) {
      return {
        path: where,
        message: 'a grade band condition must compare fact "total" (no path)',
        messageZh: '等级区间的条件只能比较 total（总分），不能带 path',
      };
    }
    if (!BOUND_OPS.has(cond.operator) || typeof cond.value !== 'number') {
      return {
        path: where,
        message: 'a grade band condition must be greaterThan(Inclusive) / lessThan(Inclusive) with a number value',
        messageZh: '等级区间的条件须为 greaterThan(Inclusive) 或 lessThan(Inclusive)，值为数字',
      };
    }
    const v = cond.value;
    if (cond.operator.startsWith('greater')) {
      const open = cond.operator === 'greaterThan';
      if (v > iv.lo || (v === iv.lo && open)) Object.assign(iv, { lo: v, loOpen: open });
    } else {
      const open = cond.operator === 'lessThan';
      if (v < iv.hi || (v === iv.hi && open)) Object.assign(iv, { hi: v, hiOpen: open });
    }
  }
  return iv;
}

/** Grade bands must partition [0, 100] at least (totals below 0 or above 100 may stay ungraded). */
export function bandProblems(grades: readonly GradeRule[]): Problem[] {
  const out: Problem[] = [];
  const bands: { at: PathSegment[]; name: string; iv: Interval }[] = [];
  grades.forEach((rule, i) => {
    const at: PathSegment[] = ['grades', i];
    const b = band(rule, at);
    if ('message' in b) out.push(b);
    else if (isEmpty(b))
      out.push({
        path: [...at, 'conditions'],
        message: `grade band ${showInterval(b)} is empty`,
        messageZh: `等级区间 ${showInterval(b)} 是空的`,
      });
    else bands.push({ at, name: rule.name, iv: b });
  });
  if (out.length > 0 || bands.length === 0) return out;
  bands.sort((a, b) => a.iv.lo - b.iv.lo || Number(a.iv.loOpen) - Number(b.iv.loOpen));
  out.push(...adjacencyProblems(bands, 'grade bands', '等级区间'));
  const first = bands[0];
  const last = bands[bands.length - 1];
  if (first.iv.lo > 0 || (first.iv.lo === 0 && first.iv.loOpen)) {
    out.push({
      path: first.at,
      message: `no grade for totals from 0 up to ${first.iv.lo}: the lowest band must start at 0`,
      messageZh: `总分 0 至 ${first.iv.lo} 没有对应的等级：最低的区间须从 0 开始`,
    });
  }
  if (last.iv.hi < 100 || (last.iv.hi === 100 && last.iv.hiOpen)) {
    out.push({
      path: last.at,
      message: `no grade for totals from ${last.iv.hi} to 100: the highest band must reach 100`,
      messageZh: `总分 ${last.iv.hi} 至 100 没有对应的等级：最高的区间须到 100`,
    });
  }
  return out;
}
