/**
 * Holds: which reviewer works on an evaluation in review, until when. Reviewers taking work from one queue
 * (审核下一份) each get a different evaluation; the evaluation's page tells others who works on it. A hold is a
 * courtesy, not a lock on the decision: a decision by someone else is still taken (and, like every decision, refused
 * if the case changed since it was read); it clears the hold. Holding is not a change of the case: no revision, no
 * audit record.
 */

/** How long a hold lasts; taking the evaluation again (opening it from the queue, 认领) renews it. */
export const HOLD_MINUTES = 30;

export interface Hold {
  by: string;
  until: string;
}

/** The hold in force at `now`, if any (an expired one is none). */
export function activeHold(
  c: { heldBy: string | null; heldUntil: string | null },
  now: string = new Date().toISOString(),
): Hold | null {
  return c.heldBy && c.heldUntil && c.heldUntil > now ? { by: c.heldBy, until: c.heldUntil } : null;
}

export function holdUntil(now: Date = new Date()): string {
  return new Date(now.getTime() + HOLD_MINUTES * 60_000).toISOString();
}
