import type { Principal } from '@jixiao/auth';
import type { FindingCode } from '@jixiao/contracts';
import type { ReviewState } from '../domain/review-state';

export interface EvaluationFilters {
  region?: string;
  year?: number;
  state?: ReviewState;
  grade?: string;
  /** Words the unit's or the project's name contains (a reviewer looking for one unit's forms). */
  q?: string;
  /** `newest` first (the default), or `oldest` first: a reviewer working through the queue in order of arrival. */
  sort?: 'newest' | 'oldest';
  /** Only versions not (yet) corrected by a later one: what is still in play, as the progress counts it. */
  current?: boolean;
  /** `me`: only those the caller holds now (domain/holds.ts). */
  held?: 'me';
  /** Only those whose score found this kind of problem. */
  finding?: FindingCode;
  page: number;
  pageSize: number;
}

/** Where the progress is counted: a division (and its sub-regions) and a fiscal year, within what the principal may read. */
export type ProgressFilters = Pick<EvaluationFilters, 'region' | 'year'> & {
  /** `region`: also each region's own figures (a city's counties, a province's cities and counties). */
  by?: 'region';
  /** Also how many have each kind of finding (`byFinding`). */
  findings?: boolean;
};

/**
 * How the work stands: the current versions the principal may read (a corrected version replaces the one it
 * corrects), counted by state and by grade — a bureau's progress at a glance.
 */
export class GetProgress {
  constructor(
    readonly principal: Principal,
    readonly filters: ProgressFilters,
  ) {}
}

/** A page of the evaluations the principal may read, newest (or oldest) first. */
export class ListEvaluations {
  constructor(
    readonly principal: Principal,
    readonly filters: EvaluationFilters,
  ) {}
}

/** One evaluation's read model (404 unknown, 403 outside the principal's reach). */
export class GetEvaluation {
  constructor(
    readonly principal: Principal,
    readonly evaluationId: string,
  ) {}
}

/** One evaluation's history, oldest first, readable like the evaluation. */
export class GetEvaluationHistory {
  constructor(
    readonly principal: Principal,
    readonly evaluationId: string,
  ) {}
}
