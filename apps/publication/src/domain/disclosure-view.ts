import type { Breakdown } from './breakdown';

/** A disclosure as the pages, JSON and CSV show it (one row of a region's results). */
export interface DisclosureRow {
  evaluationId: string;
  disclosureId: string;
  region: string;
  regionName: string | null;
  fiscalYear: number | null;
  formType: 'project' | 'department';
  unitName: string | null;
  projectName: string | null;
  revision: number;
  status: 'published' | 'retracted';
  total: number | null;
  grade: string | null;
  executionRate: number | null;
  firstPublishedAt: string;
  publishedAt: string;
  retractedAt: string | null;
  retractionReason: string | null;
  /** The re-scoring run whose changed figures await a reviewer's approval (null when not under review). */
  underReviewRunId: string | null;
}

export interface RevisionView {
  revision: number;
  submissionId: string;
  submissionVersion: number;
  total: number | null;
  grade: string | null;
  executionRate: number | null;
  breakdown: Breakdown | null;
  ruleSet: { id: string; version: number; hash: string };
  reason: string | null;
  automatic: boolean;
  approvedAt: string;
  publishedAt: string;
  /** Set when a re-scoring run made this revision (not an approval). */
  rescoringRunId: string | null;
}

export interface EvaluationDisclosure {
  disclosure: DisclosureRow;
  /** Oldest first. */
  revisions: RevisionView[];
  /** For one retracted: the evaluation id of the corrected version of the same form now in force, if there is one. */
  replacedBy: string | null;
}

export type StatusLabel = '已发布' | '已修订' | '已撤回';

/** 已撤回 wins over 已修订: a retracted disclosure is no longer in force, however often it was revised. */
export function statusLabel(row: Pick<DisclosureRow, 'status' | 'revision'>): StatusLabel {
  if (row.status === 'retracted') return '已撤回';
  return row.revision > 1 ? '已修订' : '已发布';
}

export { FORM_TYPE_LABELS } from '@jixiao/runtime/html';
