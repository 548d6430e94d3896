import { band, type Interval } from '../bands.check';
import type { GradeRule } from '../rule-set.schema';
import { change, pairBy, same, type RuleSetChange } from './rule-set-change';

interface Bound {
  value: number | null;
  inclusive: boolean;
}

function interval(rule: GradeRule): Interval {
  const iv = band(rule, []);
  // a resolved rule set has passed the band checks; anything else counts as unbounded
  return 'message' in iv ? { lo: -Infinity, loOpen: true, hi: Infinity, hiOpen: true } : iv;
}

const lower = (iv: Interval): Bound =>
  iv.lo === -Infinity ? { value: null, inclusive: false } : { value: iv.lo, inclusive: !iv.loOpen };
const upper = (iv: Interval): Bound =>
  iv.hi === Infinity ? { value: null, inclusive: false } : { value: iv.hi, inclusive: !iv.hiOpen };

/** `85 (含)`, `60 (不含)`, or 无 for an open end. */
export function showBound(b: Bound): string {
  return b.value === null ? '无' : `${b.value} (${b.inclusive ? '含' : '不含'})`;
}

function showBand(iv: Interval): string {
  const lo = lower(iv);
  const hi = upper(iv);
  return `${lo.value === null ? '无下限' : showBound(lo)} 至 ${hi.value === null ? '无上限' : showBound(hi)}`;
}

const gradeOf = (r: GradeRule) => r.event.params.grade;

/**
 * Grade bands compared by grade: a moved cutoff is one change, on the band whose lower bound it is (the band
 * below follows by construction); an upper bound is reported only where no band of the new set starts from it
 * (the top band).
 */
export function diffBands(from: readonly GradeRule[], to: readonly GradeRule[]): RuleSetChange[] {
  const out: RuleSetChange[] = [];
  const starts = to.map((r) => lower(interval(r)));
  for (const [i, j] of pairBy(from, to, gradeOf)) {
    if (j < 0) {
      const r = from[i];
      out.push(change('band', ['grades', i], `删除等级 ${gradeOf(r)}: ${showBand(interval(r))}`, r, undefined));
      continue;
    }
    const r = to[j];
    if (i < 0) {
      out.push(change('band', ['grades', j], `新增等级 ${gradeOf(r)}: ${showBand(interval(r))}`, undefined, r));
      continue;
    }
    const a = interval(from[i]);
    const b = interval(r);
    const g = gradeOf(r);
    if (!same(lower(a), lower(b))) {
      out.push(
        change('band', ['grades', j], `${g}: 下限 ${showBound(lower(a))} → ${showBound(lower(b))}`, lower(a), lower(b)),
      );
    }
    const hi = upper(b);
    if (!same(upper(a), hi) && !starts.some((s) => s.value === hi.value && s.value !== null)) {
      out.push(change('band', ['grades', j], `${g}: 上限 ${showBound(upper(a))} → ${showBound(hi)}`, upper(a), hi));
    }
    if (from[i].name !== r.name) {
      out.push(change('band', ['grades', j, 'name'], `${g}: 规则名 ${from[i].name} → ${r.name}`, from[i].name, r.name));
    }
    if ((from[i].priority ?? 1) !== (r.priority ?? 1)) {
      const [p, q] = [from[i].priority ?? 1, r.priority ?? 1];
      out.push(change('band', ['grades', j, 'priority'], `${g}: 优先级 ${p} → ${q}`, p, q));
    }
  }
  return out;
}
