import type { DisclosureRow } from '../../domain/disclosure-view';

/** A published 霍邱 disclosure for the render tests, with whatever `extra` changes. */
export const disclosureRow = (extra: Partial<DisclosureRow> = {}): DisclosureRow => ({
  evaluationId: 'ev_1',
  disclosureId: 'disc_1',
  region: '341522',
  regionName: '霍邱县',
  fiscalYear: 2023,
  formType: 'project',
  unitName: '霍邱县数据资源局',
  projectName: '电子政务各项专项经费',
  revision: 1,
  underReviewRunId: null,
  status: 'published',
  total: 95.16,
  grade: '优',
  executionRate: 0.5156,
  firstPublishedAt: '2024-03-01T08:00:03.000Z',
  publishedAt: '2024-03-01T08:00:03.000Z',
  retractedAt: null,
  retractionReason: null,
  ...extra,
});
