/** The tables intake owns (raw SQL uses these names; entities map the same ones). */
export const INTAKE_TABLES = {
  submissions: 'intake_submissions',
  versions: 'intake_versions',
  documents: 'intake_documents',
  audit: 'intake_audit',
  idempotencyKeys: 'intake_idempotency_keys',
} as const;

export const INTAKE_SERVICE = 'intake';
