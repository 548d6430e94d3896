export { diffRuleSets } from './diff-rule-sets';
export { formatRuleSetDiff, KIND_TITLES, type FormatDiffOptions } from './format-diff';
export { CHANGE_KINDS, type ChangeKind, type RuleSetChange } from './rule-set-change';
