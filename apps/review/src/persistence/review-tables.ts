/** Every table the review service owns (prefix `review_`). */
export const REVIEW_TABLES = {
  cases: 'review_cases',
  details: 'review_details',
  history: 'review_history',
  audit: 'review_audit',
  /** The effective rules scores cite, from `scoring.ruleset.snapshot.v1` (see breakdowns.ts). */
  ruleSnapshots: 'review_rule_snapshots',
  /** The units each region expects self-evaluations from, per fiscal year (domain/roster.ts). */
  roster: 'review_roster',
} as const;

/** The service name: names the SQLite file, the migrations table, the outbox/inbox tables and the producer of its events. */
export const REVIEW_SERVICE = 'review';
