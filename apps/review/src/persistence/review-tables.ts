/** Every table the review service owns (prefix `review_`). */
export const REVIEW_TABLES = {
  cases: 'review_cases',
  details: 'review_details',
  history: 'review_history',
  audit: 'review_audit',
  /** The effective rules scores cite, from `scoring.ruleset.snapshot.v1` (see breakdowns.ts). */
  ruleSnapshots: 'review_rule_snapshots',
  /** Each region's roster per fiscal year (set when, by whom; deadline) and its units (domain/roster.ts). */
  rosters: 'review_rosters',
  rosterUnits: 'review_roster_units',
} as const;

/** The service name: names the SQLite file, the migrations table, the outbox/inbox tables and the producer of its events. */
export const REVIEW_SERVICE = 'review';
