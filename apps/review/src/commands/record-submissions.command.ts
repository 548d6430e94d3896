import type { EntityManager } from 'typeorm';
import type { EventPayload } from '@jixiao/contracts';

/** One submission to record, attributed to the event that carried it. */
export interface SubmissionItem {
  submission: EventPayload<'intake.submission.received.v1'>;
  source: string;
  eventId: string | null;
}

/** Several submissions in one transaction, set-based: the same effect as RecordSubmission for each in turn. */
export class RecordSubmissions {
  constructor(
    readonly items: readonly SubmissionItem[],
    readonly manager: EntityManager,
  ) {}
}
