import type { EntityManager } from 'typeorm';
import type { EventPayload } from '@jixiao/contracts';

/**
 * Review passed on the approved or published evaluations a chunk of a re-scoring run changed: revise what is
 * published of them (set-based).
 */
export class RecordRescoring {
  constructor(
    readonly chunk: EventPayload<'review.evaluations.reopened.v1'>,
    readonly manager: EntityManager,
    readonly source: string,
  ) {}
}

export interface RescoringOutcome {
  /** Evaluation ids whose disclosure got a new revision. */
  revised: string[];
}
