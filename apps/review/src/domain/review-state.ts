import { EVALUATION_STATE_LABELS, EVALUATION_STATES, type EvaluationState } from '@jixiao/contracts';

/**
 * The life of one evaluation version in review. Each transition names who may cause it; anything else is refused
 * (the HTTP layer answers 409). Re-scoring can send an approved or published evaluation back to review.
 */
export const REVIEW_STATES = EVALUATION_STATES;
export type ReviewState = EvaluationState;

/** Each state as a finance bureau's staff call it (the workspace's pages, the CLI). */
export const REVIEW_STATE_LABELS = EVALUATION_STATE_LABELS;

export type ReviewAction =
  | 'score' // a score result arrived
  | 'auto-approve' // the region's routing rules let it through
  | 'route-to-review' // the routing rules (or a re-scoring that changed the outcome) need a reviewer
  | 'approve' // a reviewer approved it
  | 'return' // a reviewer sent it back to its unit, with a reason
  | 'publish' // publication published it
  | 'retract'; // publication withdrew it

const TRANSITIONS: Record<ReviewAction, Partial<Record<ReviewState, ReviewState>>> = {
  score: { submitted: 'scored', scored: 'scored', in_review: 'scored', approved: 'scored', published: 'published' },
  'auto-approve': { scored: 'approved' },
  'route-to-review': { scored: 'in_review', approved: 'in_review', published: 'in_review' },
  approve: { in_review: 'approved' },
  return: { in_review: 'returned' },
  publish: { approved: 'published', published: 'published' },
  retract: { published: 'retracted' },
};

export class TransitionRefused extends Error {
  constructor(
    readonly from: ReviewState,
    readonly action: ReviewAction,
  ) {
    super(`cannot ${action} an evaluation that is ${from}`);
  }
}

export function nextState(from: ReviewState, action: ReviewAction): ReviewState {
  const to = TRANSITIONS[action][from];
  if (!to) throw new TransitionRefused(from, action);
  return to;
}

export function canTransition(from: ReviewState, action: ReviewAction): boolean {
  return TRANSITIONS[action][from] !== undefined;
}
