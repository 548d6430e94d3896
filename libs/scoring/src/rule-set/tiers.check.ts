import { adjacencyProblems, isEmpty, showInterval, type Interval, type Problem } from './bands.check';
import type { PathSegment } from './json-path';
import type { TierRule } from './rule-set.schema';

function inside(x: number, b: Interval): boolean {
  return (b.loOpen ? x > b.lo : x >= b.lo) && (b.hiOpen ? x < b.hi : x <= b.hi);
}

/** Qualitative tiers must partition [0, 1] (0–100% of the weight), and each default must lie in its tier. */
export function tierProblems(tiers: readonly TierRule[]): Problem[] {
  const out: Problem[] = [];
  const list: { at: PathSegment[]; name: string; iv: Interval }[] = [];
  tiers.forEach((t, i) => {
    const at: PathSegment[] = ['qualitative', 'tiers', i];
    const p = t.event.params;
    const iv: Interval = { lo: p.min, loOpen: p.minExclusive === true, hi: p.max, hiOpen: p.maxExclusive === true };
    if (isEmpty(iv)) {
      out.push({
        path: [...at, 'event', 'params'],
        message: `tier "${p.tier}" ${showInterval(iv)} is empty`,
        messageZh: `档次“${p.tier}”${showInterval(iv)} 是空的`,
      });
      return;
    }
    if (!inside(p.default, iv)) {
      out.push({
        path: [...at, 'event', 'params', 'default'],
        message: `default ${p.default} lies outside tier "${p.tier}" ${showInterval(iv)}`,
        messageZh: `默认得分率 ${p.default} 不在档次“${p.tier}”${showInterval(iv)} 之内`,
      });
    }
    list.push({ at: [...at, 'event', 'params'], name: p.tier, iv });
  });
  if (list.length === 0) return out;
  list.sort((a, b) => a.iv.lo - b.iv.lo || Number(a.iv.loOpen) - Number(b.iv.loOpen));
  out.push(...adjacencyProblems(list, 'tiers', '档次'));
  const first = list[0];
  const last = list[list.length - 1];
  if (first.iv.lo > 0 || first.iv.loOpen) {
    out.push({
      path: first.at,
      message: `tiers do not cover 0% (lowest tier "${first.name}" is ${showInterval(first.iv)})`,
      messageZh: `各档次没有覆盖 0%（最低档“${first.name}”为 ${showInterval(first.iv)}）`,
    });
  }
  if (last.iv.hi < 1 || last.iv.hiOpen) {
    out.push({
      path: last.at,
      message: `tiers do not cover 100% (highest tier "${last.name}" is ${showInterval(last.iv)})`,
      messageZh: `各档次没有覆盖 100%（最高档“${last.name}”为 ${showInterval(last.iv)}）`,
    });
  }
  return out;
}
