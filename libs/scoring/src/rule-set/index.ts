export * from './rule-set.schema';
export { ResolvedBodySchema, type ResolvedBody } from './resolved.schema';
export { RuleSetError, RuleSetLookupError, formatIssue, type RuleSetIssue } from './rule-set.error';
export {
  loadRuleSets,
  inspectRuleSets,
  listRuleFiles,
  type RuleFileReport,
  type RuleSetInspection,
} from './load-rule-sets';
export { inspectRuleSetSources, loadRuleSetsFromSources, type RuleSource } from './rule-sources';
export { parseRuleText, type ParseOptions, type ReadResult, type RuleFile } from './read-rule-file';
export { RuleSetRegistry, type RuleSetSummary } from './rule-set.registry';
export { canonicalJson, contentHash, ruleTextHash } from './hash';
export { ruleSetFromSnapshot, ruleSetSnapshot, RuleSnapshotError } from './snapshot';
export { codeHierarchy, REGION_CODE } from './region-code';
export { defaultRulesDir, packagePath } from './rules-dir';
export { ruleSetJsonSchema, ruleSetJsonSchemaText } from './json-schema';
export { formatPath } from './json-path';
export * from './diff';
export { orderGrades } from './grade-order';
export {
  gradeCutoffs,
  tierCutoffs,
  withCutoffs,
  withTierCutoffs,
  type CutoffProblem,
  type GradeCutoff,
  type TierCutoff,
} from './grade-cutoffs';
