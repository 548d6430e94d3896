import type { EntityManager } from 'typeorm';

/**
 * One transaction's worth of review work: the manager every write goes through (case, history, audit, outbox),
 * where the work came from (the producing service and event id for inbox work; `review` and null for HTTP
 * actions), the correlation id the events it sends carry on (the incoming event's, or the HTTP request's), and a
 * hook for what must happen only after commit (nudging the outbox relay).
 */
export interface ReviewWork {
  manager: EntityManager;
  source: string;
  eventId: string | null;
  correlationId: string | null;
  afterCommit(fn: () => void | Promise<void>): void;
}
