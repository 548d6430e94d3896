import type { ResolvedRuleSet } from '@jixiao/scoring';

/** Deterministic id of a rule-set version: replicas starting at once agree on it. */
export function ruleSetVersionId(ruleSet: Pick<ResolvedRuleSet, 'id' | 'version' | 'hash'>): string {
  return `${ruleSet.id}@v${ruleSet.version}-${ruleSet.hash.slice('sha256:'.length, 'sha256:'.length + 12)}`;
}

export const RULE_SET_VERSION_COLUMNS = [
  'id',
  'rule_set_id',
  'region',
  'version',
  'hash',
  'years_from',
  'years_to',
  'content',
  'status',
  'loaded_at',
] as const;

/** A row of scoring_rule_set_versions for a loaded rule set (the effective rules, without how a lookup found them). */
export function ruleSetVersionRow(ruleSet: ResolvedRuleSet, status: 'draft' | 'active', loadedAt: string): unknown[] {
  const { resolvedFor: _lookup, ...content } = ruleSet;
  return [
    ruleSetVersionId(ruleSet),
    ruleSet.id,
    ruleSet.region.code,
    ruleSet.version,
    ruleSet.hash,
    ruleSet.years.from,
    ruleSet.years.to,
    JSON.stringify(content),
    status,
    loadedAt,
  ];
}
