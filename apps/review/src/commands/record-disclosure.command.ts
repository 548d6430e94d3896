import type { EventPayload } from '@jixiao/contracts';
import type { ReviewWork } from '../persistence/review-work';

/** Publication published (or revised) the evaluation's disclosure. */
export class RecordPublication {
  constructor(
    readonly published: EventPayload<'publication.evaluation.published.v1'>,
    readonly work: ReviewWork,
  ) {}
}

/** Publication retracted the evaluation's disclosure. */
export class RecordRetraction {
  constructor(
    readonly retracted: EventPayload<'publication.evaluation.retracted.v1'>,
    readonly work: ReviewWork,
  ) {}
}
