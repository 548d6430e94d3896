import type { Principal } from '@jixiao/auth';

/**
 * A reviewer approves an evaluation in review (optional comment); `correlationId`: the request's; `expectedRevision`:
 * the case's revision the reviewer saw, if given (refused when the case has changed since).
 */
export class ApproveEvaluation {
  constructor(
    readonly evaluationId: string,
    readonly principal: Principal,
    readonly comment: string | null,
    readonly correlationId: string | null = null,
    readonly expectedRevision: number | null = null,
  ) {}
}

/**
 * A reviewer returns an evaluation in review to its unit, with a reason and/or the findings of its current score the
 * unit must correct (`findings`: their keys, `CODE` or `CODE|subject`; an empty reason then becomes
 * DEFAULT_RETURN_REASON); the rest as for ApproveEvaluation.
 */
export class ReturnEvaluation {
  constructor(
    readonly evaluationId: string,
    readonly principal: Principal,
    readonly reason: string,
    readonly correlationId: string | null = null,
    readonly expectedRevision: number | null = null,
    readonly findings: readonly string[] = [],
  ) {}
}

/** What a decision answers: the case's new state and revision. */
export interface DecisionOutcome {
  evaluationId: string;
  state: string;
  revision: number;
}
