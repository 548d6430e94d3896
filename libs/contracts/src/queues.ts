/** Every BullMQ queue of the pipeline: one inbox per consuming service, plus the bulk re-scoring chunks. */
export const QUEUES = {
  scoringInbox: 'scoring-inbox',
  reviewInbox: 'review-inbox',
  publicationInbox: 'publication-inbox',
  /** Chunk jobs of a bulk re-scoring run (not events: consumed by scoring workers only). */
  scoringRescore: 'scoring-rescore',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** The queues that carry wire events (consumed through an inbox with de-duplication). */
export const INBOX_QUEUES = [QUEUES.scoringInbox, QUEUES.reviewInbox, QUEUES.publicationInbox] as const;
export type InboxQueueName = (typeof INBOX_QUEUES)[number];
