import type { Principal } from '@jixiao/auth';
import type { DisclosureRow, EvaluationDisclosure } from '../domain/disclosure-view';

/**
 * Which disclosures a list shows: `published` (in force, revised or not), `retracted`, `revised` (in force, changed
 * since first published), `under_review` (in force, its figures changed by a re-scoring and awaiting a reviewer).
 */
export const DISCLOSURE_FILTERS = ['published', 'retracted', 'revised', 'under_review'] as const;
export type DisclosureFilter = (typeof DISCLOSURE_FILTERS)[number];

export interface DisclosureListFilters {
  region?: string;
  year?: number;
  status?: DisclosureFilter;
  /** Words the unit's or the project's name contains (each of them). */
  q?: string;
  page: number;
  pageSize: number;
}

/** How many disclosures of the list's scope (region, year, words; every status) stand each way. */
export interface DisclosureCounts {
  total: number;
  published: number;
  retracted: number;
  revised: number;
  underReview: number;
}

export interface DisclosureList {
  items: DisclosureRow[];
  total: number;
  page: number;
  pageSize: number;
  counts: DisclosureCounts;
}

/** The staff's list of what was published in their regions (公开管理): newest publication first. */
export class ListDisclosures {
  constructor(
    readonly principal: Principal,
    readonly filters: DisclosureListFilters,
  ) {}
}

/** One disclosure as the staff see it: the public view, and who retracted it. */
export interface StaffDisclosure extends EvaluationDisclosure {
  retractedBy: string | null;
}

/** One evaluation's disclosure for the staff of its region (404 when nothing was published, 403 outside their reach). */
export class GetStaffDisclosure {
  constructor(
    readonly principal: Principal,
    readonly evaluationId: string,
  ) {}
}
