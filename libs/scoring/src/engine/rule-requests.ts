import type { RuleEvent } from '../rules-engine';

/**
 * Every place the engine consults the rule set's json-rules-engine rules is a request of one kind with
 * its facts. The scoring flow yields these requests (see score-flow.ts), so the same flow runs against the
 * compiled evaluator (synchronous, the hot path) or against json-rules-engine itself (the naive reference).
 */
export type RuleKind = 'grade' | 'tier' | 'routing' | 'evaluation' | 'indicator' | 'section' | 'project';

export type Facts = Record<string, unknown>;

export interface RuleRequest {
  kind: RuleKind;
  facts: Facts;
}

export type { RuleEvent };
