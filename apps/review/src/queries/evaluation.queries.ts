import type { Principal } from '@jixiao/auth';
import type { ReviewState } from '../domain/review-state';

export interface EvaluationFilters {
  region?: string;
  year?: number;
  state?: ReviewState;
  grade?: string;
  /** `newest` first (the default), or `oldest` first: a reviewer working through the queue in order of arrival. */
  sort?: 'newest' | 'oldest';
  page: number;
  pageSize: number;
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
