import type { EventPayload } from '@jixiao/contracts';
import type { ReviewWork } from '../persistence/review-work';

/** A unit's submission reached review: open the case in `submitted` (or complete a placeholder opened by its score). */
export class RecordSubmission {
  constructor(
    readonly submission: EventPayload<'intake.submission.received.v1'>,
    readonly work: ReviewWork,
  ) {}
}
