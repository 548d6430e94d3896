import type { EventName } from './events/registry';
import { QUEUES, type InboxQueueName } from './queues';

const { scoringInbox, reviewInbox, publicationInbox } = QUEUES;

/**
 * The pipeline at a glance: which inbox queues receive each event.
 *
 *   intake ──submission.received──▶ scoring, review (read model)
 *   scoring ──evaluation.scored──▶ review          ──ruleset.activated──▶ scoring (refreshes its active rule sets)
 *   scoring ──ruleset.snapshot (the rules scores cite, before the first of them)──▶ review (recomputes breakdowns)
 *   scoring ──evaluations.rescored (one per chunk of a re-scoring run)──▶ review
 *   review ──evaluation.approved──▶ publication    (routed / returned: recorded, no consumer yet)
 *   review ──evaluations.reopened (approved or published ones a chunk changed, with breakdowns)──▶ publication
 *   publication ──published / retracted──▶ review (case state)
 *
 * An event with no consumer is still written to the outbox (it is part of the record) and marked sent by the relay.
 */
export const ROUTING: { readonly [N in EventName]: readonly InboxQueueName[] } = {
  'intake.submission.received.v1': [scoringInbox, reviewInbox],
  'scoring.evaluation.scored.v1': [reviewInbox],
  'scoring.ruleset.activated.v1': [scoringInbox],
  'scoring.ruleset.snapshot.v1': [reviewInbox],
  'scoring.evaluations.rescored.v1': [reviewInbox],
  'review.evaluation.routed.v1': [],
  'review.evaluation.approved.v1': [publicationInbox],
  'review.evaluation.returned.v1': [],
  'review.evaluations.reopened.v1': [publicationInbox],
  'publication.evaluation.published.v1': [reviewInbox],
  'publication.evaluation.retracted.v1': [reviewInbox],
};

/** The events an inbox queue receives, i.e. the handlers its service must register. */
export function eventsRoutedTo(queue: InboxQueueName): EventName[] {
  return (Object.keys(ROUTING) as EventName[]).filter((name) => ROUTING[name].includes(queue));
}
