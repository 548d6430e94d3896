import type { HandlerContext, MessagingRuntime } from '@jixiao/messaging';
import type { ReviewWork } from '../persistence/review-work';

/** The inbox's transaction as review work: attributed to the producing service and event; the relay is nudged after commit. */
export function inboxWork(context: HandlerContext, messaging: MessagingRuntime): ReviewWork {
  context.afterCommit(() => messaging.nudge());
  return {
    manager: context.manager,
    source: context.event.producer,
    eventId: context.event.id,
    correlationId: context.event.correlationId ?? null,
    afterCommit: context.afterCommit,
  };
}
