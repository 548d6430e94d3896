import type { Principal } from '@jixiao/auth';
import type { ProgressFilters } from '../queries/evaluation.queries';

/** A reviewer takes (or renews) the hold on an evaluation in review: 409 while another reviewer holds it. */
export class HoldEvaluation {
  constructor(
    readonly principal: Principal,
    readonly evaluationId: string,
  ) {}
}

/** A reviewer gives back the evaluation they hold (nothing happens if they hold none). */
export class ReleaseEvaluation {
  constructor(
    readonly principal: Principal,
    readonly evaluationId: string,
  ) {}
}

/**
 * A reviewer moves on: gives back what they held undecided and takes the evaluation in review that has waited longest
 * in their reach (and `filters`) that nobody holds; answers it, or null when none is left.
 */
export class TakeNextEvaluation {
  constructor(
    readonly principal: Principal,
    readonly filters: ProgressFilters,
  ) {}
}

/** What holding answers. */
export interface HoldOutcome {
  evaluationId: string;
  heldBy: string;
  heldUntil: string;
}
