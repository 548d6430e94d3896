import type { DisclosureRow, RevisionView } from '../../domain/disclosure-view';

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

/** Two revisions of a disclosure: published at 87 优, then re-scored by run `run` to 84 良 (with `reason`). */
export const rescoredRevisions = (ruleSetId: string, run: string, reason: string): RevisionView[] =>
  [1, 2].map((n) => ({
    revision: n,
    submissionId: 'sub_1',
    submissionVersion: 1,
    total: n === 1 ? 87 : 84,
    grade: n === 1 ? '优' : '良',
    executionRate: 0.9,
    breakdown: null,
    ruleSet: { id: ruleSetId, version: n, hash: `sha256:${'b'.repeat(64)}` },
    reason: n === 1 ? null : reason,
    automatic: true,
    approvedAt: '2024-03-01T08:00:02.000Z',
    publishedAt: `2024-0${n + 2}-01T08:00:03.000Z`,
    rescoringRunId: n === 1 ? null : run,
  }));
