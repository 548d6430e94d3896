import type { Quantitative } from '../rule-set/rule-set.schema';

export type Direction = 'positive' | 'reverse' | 'exact';

export interface QuantOutcome {
  /** null: not scorable under the rule set (e.g. zero target with `not-scorable`). */
  score: number | null;
  met: boolean;
  /** which branch applied, for the explanation */
  rule: 'met' | 'ratio' | 'inverse-ratio' | 'linear' | 'zero-target' | 'below-zero' | 'exact-miss';
}

/**
 * The national formulas (财预〔2020〕10号): positive B ≥ A → w, else B/A × w; reverse B ≤ A → w, else
 * A/B × w (or w × (2 − B/A) reaching 0 at 2A). Over-achievement scores full marks.
 */
export function scoreQuantitative(dir: Direction, a: number, b: number, w: number, q: Quantitative): QuantOutcome {
  if (a === 0) {
    if (q.zeroTarget === 'not-scorable') return { score: null, met: false, rule: 'zero-target' };
    if (dir === 'reverse') return b <= 0 ? { score: w, met: true, rule: 'zero-target' } : { score: 0, met: false, rule: 'zero-target' };
    if (dir === 'exact') return b === 0 ? { score: w, met: true, rule: 'zero-target' } : { score: 0, met: false, rule: 'zero-target' };
    return { score: w, met: true, rule: 'zero-target' };
  }
  if (dir === 'positive') {
    if (b >= a) return { score: w, met: true, rule: 'met' };
    if (b <= 0) return { score: 0, met: false, rule: 'below-zero' };
    return { score: (b / a) * w, met: false, rule: 'ratio' };
  }
  if (dir === 'reverse') {
    if (b <= a) return { score: w, met: true, rule: 'met' };
    if (q.reverse.formula === 'linear-to-zero-at-double') {
      return { score: Math.max(0, w * (2 - b / a)), met: false, rule: 'linear' };
    }
    return { score: (a / b) * w, met: false, rule: 'inverse-ratio' };
  }
  if (Math.abs(b - a) <= 1e-9 * Math.max(1, Math.abs(a))) return { score: w, met: true, rule: 'met' };
  if (b <= 0) return { score: 0, met: false, rule: 'below-zero' };
  return b < a ? { score: (b / a) * w, met: false, rule: 'ratio' } : { score: (a / b) * w, met: false, rule: 'exact-miss' };
}
