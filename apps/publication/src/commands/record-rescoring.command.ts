import type { EntityManager } from 'typeorm';
import type { EventPayload } from '@jixiao/contracts';

/** A chunk of a re-scoring run reached publication: revise what is published and changed (set-based). */
export class RecordRescoring {
  constructor(
    readonly chunk: EventPayload<'scoring.evaluations.rescored.v1'>,
    readonly manager: EntityManager,
    readonly source: string,
  ) {}
}

export interface RescoringOutcome {
  /** Evaluation ids whose disclosure got a new revision. */
  revised: string[];
}
