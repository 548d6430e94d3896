import type { IndicatorInput } from './indicator-input';
import type { IndicatorOutcome } from './indicator-outcome';

/** Distinct (weight, reported score, year) combinations remembered per row text and explain flag; cleared when full. */
const ENTRY_LIMIT = 16;

/**
 * A row's outcome depends only on its cell texts, weight and reported score (and the rule set, which owns the
 * input cache), so the compiled path remembers it: in bulk re-scoring most rows ("持续推动 | 达成预期指标 | 5 | 5")
 * recur. A date row also depends on the evaluation's fiscal year (a date without a year takes it), so it is
 * remembered with the year. The few outcomes per row text sit in a short array per explain flag, each outcome
 * carrying its own key (`memo`), scanned linearly: fewer hops through memory than nested maps. Bounded by
 * ENTRY_LIMIT. Outcomes are never mutated once made (except for the check events remembered beside them, which
 * are a function of the outcome).
 */
export function recallOutcome(input: IndicatorInput, w: number | null, rep: number | null, explain: boolean, year: number): IndicatorOutcome | undefined {
  const last = explain ? input.lastExplained : input.lastPlain;
  if (last !== undefined && last.memoW === w && last.memoRep === rep && (last.memoYear === null || last.memoYear === year)) return last;
  const os = explain ? input.explained : input.plain;
  for (let i = 0; i < os.length; i++) {
    const o = os[i];
    if (o.memoW === w && o.memoRep === rep && (o.memoYear === null || o.memoYear === year)) {
      if (explain) input.lastExplained = o;
      else input.lastPlain = o;
      return o;
    }
  }
  return undefined;
}

export function rememberOutcome(input: IndicatorInput, w: number | null, rep: number | null, explain: boolean, year: number, o: IndicatorOutcome): void {
  o.memoW = w;
  o.memoRep = rep;
  o.memoYear = o.method === 'date' ? year : null;
  if (explain) {
    if (input.explained.length >= ENTRY_LIMIT) input.explained = [];
    input.explained.push(o);
    input.lastExplained = o;
  } else {
    if (input.plain.length >= ENTRY_LIMIT) input.plain = [];
    input.plain.push(o);
    input.lastPlain = o;
  }
}
