/** The publication service's tables (it owns these and no others). */
export const PUBLICATION_SERVICE = 'publication';
export const PUBLICATION_TABLES = {
  disclosures: 'publication_disclosures',
  revisions: 'publication_disclosure_revisions',
  audit: 'publication_audit',
} as const;
