import type { Indicator } from '@jixiao/contracts';
import { fixed, num } from './format';
import { readIndicator, type IndicatorInput } from './indicator-input';
import { blankOutcome, type IndicatorOutcome } from './indicator-outcome';
import { scoreQuantitative, type Direction } from './quantitative';
import { roundTo } from './rounding';
import type { Facts } from './rule-requests';
import type { ScoreContext } from './score-context';
import { dateKey } from './values/parse-value';
import type { ParsedValue } from './values/parsed-value';

/** A row either is decided at once, or needs the rule set's tier rules (qualitative). */
export type IndicatorStep =
  | { kind: 'done'; outcome: IndicatorOutcome }
  | { kind: 'tier'; facts: Facts; pending: PendingQualitative };

export interface PendingQualitative {
  outcome: IndicatorOutcome;
  weight: number;
  reported: number | null;
  input: IndicatorInput;
}

export function assessIndicator(ind: Indicator, input: IndicatorInput, ctx: ScoreContext): IndicatorStep {
  const { target: t, actual: a } = input;
  if (t.kind === 'not-applicable' || a.kind === 'not-applicable') {
    return done(explained(blankOutcome('not-applicable'), ctx, () => `标记为不适用（${t.kind === 'not-applicable' ? t.text : (a as { text: string }).text}），不计分`));
  }
  const w = ind.weight;
  if (w == null) {
    return done(explained(blankOutcome('unweighted'), ctx, () => '该行没有分值（如“其中”子项），不单独计分'));
  }
  const reported = ind.reportedScore ?? null;
  if (input.qualitativeMarked || t.kind === 'text' || t.kind === 'empty') return qualitative(input, w, reported, ctx, false);

  if (t.kind === 'comparator') return done(notScorable(ctx, `年度指标值只有比较符“${t.text}”，没有数值`));

  if (t.kind === 'number') {
    if (a.kind === 'empty') return done(notScorable(ctx, '未填写实际完成值'));
    if (a.kind !== 'number') return nonNumeric(input, w, reported, ctx);
    return done(numeric(t, a, input, w, ctx));
  }
  // date target
  if (a.kind === 'empty') return done(notScorable(ctx, '未填写实际完成值'));
  if (a.kind === 'date') return done(dated(t, a, w, ctx));
  if (input.actualText === input.targetText) {
    const o = blankOutcome('date');
    o.score = fit(w, ctx);
    o.met = true;
    return done(explained(o, ctx, () => `实际完成值与年度指标值相同（${input.actualText}），得满分 ${fixed(o.score!, ctx.precision)}`));
  }
  return nonNumeric(input, w, reported, ctx);
}

/**
 * Parsed rows kept per rule set, counted over all levels of the cache: a million distinct evaluations cannot
 * grow it past this (each row also remembers at most 2 × 16 outcomes, see outcome-memo.ts).
 */
const CACHE_LIMIT = 4_000;

type InputCache = Map<string, Map<string, IndicatorInput>>;

/**
 * Nested maps keyed by the cell strings themselves (no key concatenation on the hot path). The unit cell is
 * usually empty: the map holds the input without a unit, which holds the inputs with a unit cell (`byUnit`), so
 * the common case needs two lookups and no further hop. Bounded: the whole cache is emptied when it holds CACHE_LIMIT rows.
 */
export function cachedInput(ind: Indicator, ctx: ScoreContext): IndicatorInput {
  if (!ctx.memo) return readIndicator(ind, ctx.prep.naMarkers);
  const cache = ctx.prep.inputCache as unknown as InputCache;
  const t = ind.target ?? '';
  const a = ind.actual ?? '';
  const u = ind.unit ?? '';
  if (ctx.prep.inputCount >= CACHE_LIMIT) {
    cache.clear();
    ctx.prep.inputCount = 0;
  }
  let byActual = cache.get(t);
  if (byActual === undefined) cache.set(t, (byActual = new Map()));
  let plain = byActual.get(a);
  if (plain === undefined) {
    ctx.prep.inputCount++;
    plain = u === '' ? readIndicator(ind, ctx.prep.naMarkers) : readIndicator({ name: ind.name, target: t, actual: a }, ctx.prep.naMarkers);
    byActual.set(a, plain);
  }
  if (u === '') return plain;
  const byUnit = plain.byUnit ?? (plain.byUnit = new Map());
  let input = byUnit.get(u);
  if (input === undefined) {
    ctx.prep.inputCount++;
    input = readIndicator(ind, ctx.prep.naMarkers);
    byUnit.set(u, input);
  }
  return input;
}

function done(outcome: IndicatorOutcome): IndicatorStep {
  return { kind: 'done', outcome };
}

function explained(o: IndicatorOutcome, ctx: ScoreContext, text: () => string): IndicatorOutcome {
  if (ctx.explain) o.explanation = text();
  return o;
}

function notScorable(ctx: ScoreContext, why: string, flags: Partial<IndicatorOutcome> = {}): IndicatorOutcome {
  const o = Object.assign(blankOutcome('not-scorable'), flags);
  o.notScorable = true;
  return explained(o, ctx, () => `无法按规则计分：${why}`);
}

function fit(x: number, ctx: ScoreContext): number {
  return roundTo(x, ctx.partRounding);
}

function nonNumeric(input: IndicatorInput, w: number, reported: number | null, ctx: ScoreContext): IndicatorStep {
  if (ctx.rs.quantitative.nonNumericActual === 'qualitative') return qualitative(input, w, reported, ctx, true);
  return done(notScorable(ctx, `年度指标值为数值（${input.targetText}），实际完成值却是文字（${input.actualText}）`, { nonNumericActual: true }));
}

function qualitative(input: IndicatorInput, w: number, reported: number | null, ctx: ScoreContext, nonNumericActual: boolean): IndicatorStep {
  const outcome = blankOutcome('qualitative');
  outcome.nonNumericActual = nonNumericActual;
  const facts: Facts = {
    actual: input.actualText,
    target: input.targetText,
    actualEqualsTarget: input.actualText !== '' && input.actualText === input.targetText,
    reportedRatio: reported != null && w > 0 ? reported / w : null,
  };
  return { kind: 'tier', facts, pending: { outcome, weight: w, reported, input } };
}

type Num = Extract<ParsedValue, { kind: 'number' }>;
type Dat = Extract<ParsedValue, { kind: 'date' }>;

function numeric(t: Num, a: Num, input: IndicatorInput, w: number, ctx: ScoreContext): IndicatorOutcome {
  const q = ctx.rs.quantitative;
  const targetUnit = t.unit ?? input.unit;
  const unitMismatch = targetUnit !== null && a.unit !== null && a.unit !== targetUnit;
  const threshold = a.comparator !== null && a.comparator !== '=';
  const flags = { unitMismatch, actualIsThreshold: threshold };
  if (unitMismatch && q.unitMismatch === 'not-scorable') {
    return notScorable(ctx, `单位不一致：年度指标值 ${input.targetText}，实际完成值 ${input.actualText}`, flags);
  }
  if (threshold && q.thresholdAsActual === 'not-scorable') {
    return notScorable(ctx, `实际完成值写成了标准（${input.actualText}），不是实际数`, flags);
  }
  const dir: Direction =
    t.comparator === '≤' || t.comparator === '<' ? 'reverse' : t.comparator === '=' && q.equals === 'exact' ? 'exact' : 'positive';
  const method = dir === 'reverse' ? 'quantitative-reverse' : t.comparator === '=' ? 'quantitative-equals' : 'quantitative-positive';
  const o = Object.assign(blankOutcome(method), flags);
  o.comparator = t.comparator ?? (dir === 'reverse' ? '≤' : '≥');
  o.target = t.value;
  o.actual = a.value;
  o.unit = targetUnit ?? a.unit;

  if (threshold && satisfies(dir, a, t.value)) {
    o.score = fit(w, ctx);
    o.met = true;
    return explained(o, ctx, () => `实际完成值写成了标准“${input.actualText}”，已满足年度指标值 ${input.targetText}，得满分 ${fixed(o.score!, ctx.precision)}`);
  }
  const r = scoreQuantitative(dir, t.value, a.value, w, q);
  if (r.score === null) return notScorable(ctx, '年度指标值为 0，本规则集不对零目标计分', flags);
  const raw = ctx.rs.cap.indicator ? Math.min(r.score, w) : r.score;
  o.score = fit(raw, ctx);
  o.met = r.met;
  if (!ctx.explain) return o;
  const A = num(t.value);
  const B = num(a.value);
  const W = num(w);
  const S = fixed(o.score, ctx.precision);
  const tt = input.targetText;
  const at = input.actualText;
  switch (r.rule) {
    case 'met':
      o.explanation =
        dir === 'reverse'
          ? `实际完成值 ${at} 未超过年度指标值 ${tt}（反向指标），得满分 ${S}`
          : `实际完成值 ${at} 达到年度指标值 ${tt}，得满分 ${S}`;
      break;
    case 'ratio':
      o.explanation = `实际完成值 ${at} 未达到年度指标值 ${tt}，按 B/A×分值 = ${B}/${A}×${W} = ${S}`;
      break;
    case 'inverse-ratio':
      o.explanation = `实际完成值 ${at} 超过年度指标值 ${tt}（反向指标），按 A/B×分值 = ${A}/${B}×${W} = ${S}`;
      break;
    case 'linear':
      o.explanation = `实际完成值 ${at} 超过年度指标值 ${tt}（反向指标），按 分值×(2−B/A) = ${W}×(2−${B}/${A}) = ${S}（B 达到 2A 时为 0）`;
      break;
    case 'exact-miss':
      o.explanation = `实际完成值 ${at} 不等于年度指标值 ${tt}，按 A/B×分值 = ${A}/${B}×${W} = ${S}`;
      break;
    case 'zero-target':
      o.explanation = r.met
        ? `年度指标值为 0，实际完成值 ${at} 不劣于目标，得满分 ${S}`
        : `年度指标值为 0，实际完成值 ${at} 劣于目标，得 0 分`;
      break;
    case 'below-zero':
      o.explanation = `实际完成值 ${at} 不大于 0，得 0 分`;
      break;
  }
  if (r.score > w && ctx.rs.cap.indicator) o.explanation += `（不超过分值 ${W}）`;
  return o;
}

function satisfies(dir: Direction, a: Num, target: number): boolean {
  if (dir === 'reverse') return (a.comparator === '≤' || a.comparator === '<') && a.value <= target;
  return (a.comparator === '≥' || a.comparator === '>') && a.value >= target;
}

function dated(t: Dat, a: Dat, w: number, ctx: ScoreContext): IndicatorOutcome {
  if (ctx.rs.quantitative.dates === 'not-scorable') return notScorable(ctx, '本规则集不对时间指标计分');
  const o = blankOutcome('date');
  const year = t.year ?? a.year ?? ctx.fiscalYear;
  const tk = dateKey(t, year);
  const ak = dateKey(a, a.year ?? year);
  o.comparator = '≤';
  o.target = tk;
  o.actual = ak;
  o.met = ak <= tk;
  o.score = o.met ? fit(w, ctx) : 0;
  return explained(o, ctx, () =>
    o.met
      ? `实际完成时间 ${a.text} 不晚于指标时间 ${t.text}，得满分 ${fixed(o.score!, ctx.precision)}`
      : `实际完成时间 ${a.text} 晚于指标时间 ${t.text}，得 0 分`,
  );
}
