import type { IndicatorInput } from './indicator-input';
import type { IndicatorOutcome } from './indicator-outcome';

/**
 * A row's outcome depends only on its cell texts, weight and reported score (and the rule set, which owns the
 * input cache), so the compiled path remembers it: in bulk re-scoring most rows ("持续推动 | 达成预期指标 | 5 | 5")
 * recur. Date rows are not remembered (a date without a year takes the evaluation's fiscal year).
 * Outcomes are never mutated once made.
 */
export function recallOutcome(input: IndicatorInput, w: number | null, rep: number | null, explain: boolean): IndicatorOutcome | undefined {
  return input.outcomes[explain ? 1 : 0]?.get(w)?.get(rep);
}

export function rememberOutcome(input: IndicatorInput, w: number | null, rep: number | null, explain: boolean, o: IndicatorOutcome): void {
  if (o.method === 'date') return;
  const i = explain ? 1 : 0;
  const byWeight = input.outcomes[i] ?? (input.outcomes[i] = new Map());
  let byReported = byWeight.get(w);
  if (byReported === undefined) byWeight.set(w, (byReported = new Map()));
  byReported.set(rep, o);
}
