import type { Condition, TierRule } from '../rule-set.schema';
import type { ResolvedBody } from '../resolved.schema';
import { change, pairBy, percent, same, show, type RuleSetChange } from './rule-set-change';

type Params = TierRule['event']['params'];

const SCORE_MODES: Record<string, string> = {
  'reported-within-tier': '自评得分在档内则采用 (reported-within-tier)',
  'tier-default': '按档默认分 (tier-default)',
};

const edge = (x: number, exclusive: boolean | undefined) => `${percent(x)} (${exclusive ? '不含' : '含'})`;

/** Every string a condition compares with (the keywords of containsAny lists, patterns, …). */
function words(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(words);
  if ('any' in c) return c.any.flatMap(words);
  if ('not' in c) return words(c.not);
  const v = c.value;
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** `+关键词 a, b; −关键词 c`, or a plain note when the keywords are the same but the conditions are not. */
export function conditionChange(a: Condition, b: Condition): string {
  const [wa, wb] = [words(a), words(b)];
  const added = wb.filter((w) => !wa.includes(w));
  const removed = wa.filter((w) => !wb.includes(w));
  const parts = [
    ...(added.length ? [`+关键词 ${added.join('、')}`] : []),
    ...(removed.length ? [`−关键词 ${removed.join('、')}`] : []),
  ];
  return parts.length ? `判定条件 ${parts.join('; ')}` : `判定条件改变 ${show(a, 60)} → ${show(b, 60)}`;
}

function paramChanges(p: Params, q: Params): string[] {
  const out: string[] = [];
  if (p.min !== q.min || Boolean(p.minExclusive) !== Boolean(q.minExclusive))
    out.push(`下限 ${edge(p.min, p.minExclusive)} → ${edge(q.min, q.minExclusive)}`);
  if (p.max !== q.max || Boolean(p.maxExclusive) !== Boolean(q.maxExclusive))
    out.push(`上限 ${edge(p.max, p.maxExclusive)} → ${edge(q.max, q.maxExclusive)}`);
  if (p.default !== q.default) out.push(`默认得分 ${percent(p.default)} → ${percent(q.default)}`);
  if (p.label !== q.label) out.push(`名称 ${p.label} → ${q.label}`);
  return out;
}

/** Qualitative tiers compared by tier id (achieved, partly-achieved …): thresholds, default fraction, keywords. */
export function diffTiers(from: ResolvedBody['qualitative'], to: ResolvedBody['qualitative']): RuleSetChange[] {
  const out: RuleSetChange[] = [];
  if (from.score !== to.score) {
    const [a, b] = [SCORE_MODES[from.score] ?? from.score, SCORE_MODES[to.score] ?? to.score];
    out.push(change('tier', ['qualitative', 'score'], `定性指标评分方式: ${a} → ${b}`, from.score, to.score));
  }
  const key = (t: TierRule) => t.event.params.tier;
  for (const [i, j] of pairBy(from.tiers, to.tiers, key)) {
    const at = ['qualitative', 'tiers', j < 0 ? i : j];
    const a = from.tiers[i];
    const b = to.tiers[j];
    const range = (p: Params) =>
      `${edge(p.min, p.minExclusive)} 至 ${edge(p.max, p.maxExclusive)}, 默认 ${percent(p.default)}`;
    if (!b)
      out.push(change('tier', at, `删除定性档次 ${a.event.params.label}: ${range(a.event.params)}`, a, undefined));
    else if (!a)
      out.push(change('tier', at, `新增定性档次 ${b.event.params.label}: ${range(b.event.params)}`, undefined, b));
    else if (!same(a, b)) {
      const parts = paramChanges(a.event.params, b.event.params);
      if (!same(a.conditions, b.conditions)) parts.push(conditionChange(a.conditions, b.conditions));
      if ((a.priority ?? 1) !== (b.priority ?? 1)) parts.push(`优先级 ${a.priority ?? 1} → ${b.priority ?? 1}`);
      if (a.name !== b.name) parts.push(`规则名 ${a.name} → ${b.name}`);
      out.push(change('tier', at, `定性档次 ${b.event.params.label} (${key(b)}): ${parts.join('; ')}`, a, b));
    }
  }
  return out;
}
