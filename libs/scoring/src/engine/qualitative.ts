import { fixed, num } from './format';
import type { PendingQualitative } from './indicator';
import type { IndicatorOutcome } from './indicator-outcome';
import type { TierParams } from './prepared-rule-set';
import { roundTo } from './rounding';
import type { RuleEvent } from './rule-requests';
import type { ScoreContext } from './score-context';

/**
 * Three tiers (达成 / 部分达成 / 未达成): the first tier rule that holds decides the tier. Under
 * `reported-within-tier` the unit's own score stands when it lies inside the tier (the scorer chooses a
 * point inside it); otherwise, or without a reported score, the tier's default fraction of the weight.
 */
export function finishQualitative(p: PendingQualitative, events: RuleEvent[], ctx: ScoreContext): IndicatorOutcome {
  const o = p.outcome;
  const tier = events.length > 0 ? (events[0].params as unknown as TierParams) : null;
  if (!tier) {
    o.method = 'not-scorable';
    o.notScorable = true;
    if (ctx.explain) o.explanation = `无法按规则计分：实际完成情况“${p.input.actualText}”不属于任何一档定性评价`;
    return o;
  }
  const w = p.weight;
  o.tier = tier.tier;
  o.met = tier.tier === ctx.prep.topTier;
  const tol = w > 0 ? ctx.rs.tolerance / w : 0;
  if (p.reported != null && w > 0) {
    const ratio = p.reported / w;
    const aboveMin = tier.minExclusive ? ratio > tier.min - tol : ratio >= tier.min - tol;
    o.insideTier = aboveMin && (tier.maxExclusive ? ratio < tier.max - tol : ratio <= tier.max + tol);
  }
  const own = ctx.rs.qualitative.score === 'reported-within-tier' && o.insideTier === true;
  let raw = own ? (p.reported as number) : tier.default * w;
  if (ctx.rs.cap.indicator) raw = Math.min(raw, w);
  o.score = roundTo(raw, ctx.partRounding);
  if (ctx.explain) {
    const range = `${num(tier.min * 100)}%–${num(tier.max * 100)}%`;
    const head = `定性指标：实际完成情况“${p.input.actualText}”属“${tier.label}”档（分值的 ${range}）`;
    const S = fixed(o.score, ctx.precision);
    if (own) o.explanation = `${head}，自评 ${num(p.reported as number)} 分在档内，予以认可`;
    else if (p.reported != null)
      o.explanation = `${head}，自评 ${num(p.reported)} 分不在档内，按该档 ${num(tier.default * 100)}% 计 ${num(tier.default)}×${num(w)} = ${S}`;
    else o.explanation = `${head}，按该档 ${num(tier.default * 100)}% 计 ${num(tier.default)}×${num(w)} = ${S}`;
  }
  return o;
}
