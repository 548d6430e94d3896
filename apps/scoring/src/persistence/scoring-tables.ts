/** The tables scoring owns. */
export const SCORING_TABLES = {
  ruleSetVersions: 'scoring_rule_set_versions',
  evaluations: 'scoring_evaluations',
  results: 'scoring_results',
  audit: 'scoring_audit',
} as const;

export const SCORING_SERVICE = 'scoring';
