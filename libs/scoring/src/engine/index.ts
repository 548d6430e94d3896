export { score, scoreNaive } from './score';
export type { ScoreOptions } from './score-options';
export { ScoringRun } from './scoring-run';
export { parseEvaluations, InvalidEvaluationError } from './parse-evaluations';
export { prepareRuleSet, type PreparedRuleSet } from './prepared-rule-set';
export { parseValue, normalizeUnit } from './values/parse-value';
export { normalizeText } from './values/normalize-text';
export type { ParsedValue, Comparator } from './values/parsed-value';
export { roundTo } from './rounding';
