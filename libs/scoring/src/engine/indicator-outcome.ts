import type { RuleEvent } from './rule-requests';

/** What the engine concluded about one indicator row (before it becomes an IndicatorResult). */
export interface IndicatorOutcome {
  method:
    | 'quantitative-positive'
    | 'quantitative-reverse'
    | 'quantitative-equals'
    | 'date'
    | 'qualitative'
    | 'not-applicable'
    | 'not-scorable'
    | 'unweighted';
  /** rounded and capped; null when not scorable, not applicable or unweighted */
  score: number | null;
  comparator: string | null;
  target: number | null;
  actual: number | null;
  unit: string | null;
  tier: string | null;
  met: boolean | null;
  insideTier: boolean | null;
  nonNumericActual: boolean;
  actualIsThreshold: boolean;
  unitMismatch: boolean;
  notScorable: boolean;
  explanation?: string;
  /** Compiled indicator-check events for this outcome without / with a deviation reason (compiled path only). */
  eventsWithoutReason: RuleEvent[] | undefined;
  eventsWithReason: RuleEvent[] | undefined;
  /** The key this outcome is remembered under (see outcome-memo.ts); the year is null unless it depends on it. */
  memoW: number | null;
  memoRep: number | null;
  memoYear: number | null;
}

export function blankOutcome(method: IndicatorOutcome['method']): IndicatorOutcome {
  return {
    method,
    score: null,
    comparator: null,
    target: null,
    actual: null,
    unit: null,
    tier: null,
    met: null,
    insideTier: null,
    nonNumericActual: false,
    actualIsThreshold: false,
    unitMismatch: false,
    notScorable: false,
    // present from the start (undefined) so that every outcome has one shape and reads of it stay monomorphic
    explanation: undefined,
    eventsWithoutReason: undefined,
    eventsWithReason: undefined,
    memoW: null,
    memoRep: null,
    memoYear: null,
  };
}
