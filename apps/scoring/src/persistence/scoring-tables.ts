/** The tables scoring owns. */
export const SCORING_TABLES = {
  ruleSetVersions: 'scoring_rule_set_versions',
  evaluations: 'scoring_evaluations',
  results: 'scoring_results',
  runs: 'scoring_rescoring_runs',
  chunks: 'scoring_rescoring_chunks',
  ruleState: 'scoring_rule_state',
  ruleSnapshots: 'scoring_rule_snapshots',
  audit: 'scoring_audit',
} as const;

export const SCORING_SERVICE = 'scoring';
