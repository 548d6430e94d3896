import type { EventPayload } from '@jixiao/contracts';
import type { ReviewWork } from '../persistence/review-work';

/** A score arrived: record it, then route (auto-approve or review), or send an approved/published case back to review. */
export class RecordScore {
  constructor(
    readonly score: EventPayload<'scoring.evaluation.scored.v1'>,
    readonly work: ReviewWork,
  ) {}
}
