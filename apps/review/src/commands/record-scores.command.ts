import type { EntityManager } from 'typeorm';
import type { EventPayload } from '@jixiao/contracts';
import type { Scored } from './score-facts';

/** One score to record, attributed to the event that carried it (whose correlation id its consequences carry on). */
export interface ScoreItem {
  score: Scored;
  source: string;
  eventId: string | null;
  correlationId?: string | null;
}

/**
 * Several scores at once (a chunk of a re-scoring run, or the scored events the inbox took together), in one
 * transaction, set-based: the same effect as RecordScore for each in turn.
 */
export class RecordScores {
  constructor(
    readonly items: readonly ScoreItem[],
    readonly manager: EntityManager,
    /**
     * The re-scoring run's chunk the items came in: the approved or published evaluations it changed go back to a
     * reviewer and on to publication (`review.evaluations.reopened.v1`).
     */
    readonly chunk?: RescoredChunk,
  ) {}
}

export type RescoredChunk = Pick<EventPayload<'scoring.evaluations.rescored.v1'>, 'runId' | 'chunk' | 'activated'>;
