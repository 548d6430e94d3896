import type { IndicatorInput, OutcomeEntry } from './indicator-input';
import type { IndicatorOutcome } from './indicator-outcome';

/** Distinct (weight, reported score, explain, year) combinations remembered per row text; cleared when full. */
const ENTRY_LIMIT = 16;

/**
 * A row's outcome depends only on its cell texts, weight and reported score (and the rule set, which owns the
 * input cache), so the compiled path remembers it: in bulk re-scoring most rows ("持续推动 | 达成预期指标 | 5 | 5")
 * recur. A date row also depends on the evaluation's fiscal year (a date without a year takes it), so it is
 * remembered with the year. The few combinations per row text sit in a short array scanned linearly (cheaper
 * than nested maps), bounded by ENTRY_LIMIT. Outcomes are never mutated once made (except for the check
 * events remembered beside them, which are a function of the outcome).
 */
export function recallOutcome(input: IndicatorInput, w: number | null, rep: number | null, explain: boolean, year: number): IndicatorOutcome | undefined {
  const es = input.outcomes;
  for (let i = 0; i < es.length; i++) {
    const e = es[i];
    if (e.w === w && e.rep === rep && e.explain === explain && (e.year === null || e.year === year)) return e.o;
  }
  return undefined;
}

export function rememberOutcome(input: IndicatorInput, w: number | null, rep: number | null, explain: boolean, year: number, o: IndicatorOutcome): void {
  if (input.outcomes.length >= ENTRY_LIMIT) input.outcomes = [];
  const entry: OutcomeEntry = { w, rep, explain, year: o.method === 'date' ? year : null, o };
  input.outcomes.push(entry);
}
