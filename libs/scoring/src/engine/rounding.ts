import type { Rounding } from '../rule-set/rule-set.schema';

/**
 * Rounds as the rule set says. A tiny nudge absorbs binary noise (1.005 × 100 = 100.49999…) so that
 * half-up means what a finance officer means by 四舍五入.
 */
export function roundTo(x: number, r: Rounding): number {
  const f = 10 ** r.precision;
  const scaled = x * f;
  const eps = 1e-9 * Math.max(1, Math.abs(scaled));
  let n: number;
  switch (r.mode) {
    case 'half-up':
      n = Math.sign(scaled) * Math.floor(Math.abs(scaled) + 0.5 + eps);
      break;
    case 'half-even': {
      const a = Math.abs(scaled);
      const fl = Math.floor(a + eps);
      const diff = a - fl;
      n = Math.abs(diff - 0.5) <= eps ? (fl % 2 === 0 ? fl : fl + 1) : Math.floor(a + 0.5);
      n *= Math.sign(scaled);
      break;
    }
    case 'floor':
      n = Math.floor(scaled + eps);
      break;
    case 'ceil':
      n = Math.ceil(scaled - eps);
      break;
    case 'truncate':
      n = Math.trunc(scaled + Math.sign(scaled) * eps);
      break;
  }
  const out = n / f;
  return out === 0 ? 0 : out;
}

/** Rounds away float noise in sums and differences (not a policy rounding). */
export function clean(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
