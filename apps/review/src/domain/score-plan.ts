import type { ReviewAction, ReviewState } from './review-state';
import { routingLabel, TRAIL_REASONS } from './trail-reasons';

/** The part of a score that decides what review does with it. */
export interface ScoreFacts {
  resultId: string;
  scoredAt: string;
  total: number | null;
  grade: string | null;
  routing: 'auto-approve' | 'manual-review';
}

/**
 * What a score arriving for a case means:
 * - `ignore`: this result is already recorded, or it is older than the one we hold (queues may reorder re-scorings);
 * - `route`: a case not yet decided (or waiting for a reviewer) is scored, then routed by the score's decision;
 * - `reopen`: an approved or published case whose grade, total or routing changed goes back to a reviewer;
 * - `record`: the score is kept, the state stays (unchanged outcome, or a returned/retracted case).
 */
export type ScorePlan =
  | { kind: 'ignore'; reason: string }
  | { kind: 'route'; actions: [ReviewAction, ReviewAction] }
  | { kind: 'reopen'; changes: string[] }
  | { kind: 'record'; changes: string[] };

export function planScore(state: ReviewState, previous: ScoreFacts | null, next: ScoreFacts): ScorePlan {
  if (previous?.resultId === next.resultId) return { kind: 'ignore', reason: TRAIL_REASONS.resultAgain(next.resultId) };
  if (previous && next.scoredAt < previous.scoredAt) {
    return {
      kind: 'ignore',
      reason: TRAIL_REASONS.resultOlder(next.resultId, next.scoredAt, previous.resultId, previous.scoredAt),
    };
  }
  const route = next.routing === 'auto-approve' ? 'auto-approve' : 'route-to-review';
  switch (state) {
    case 'submitted':
    case 'scored':
    case 'in_review':
      return { kind: 'route', actions: ['score', route] };
    case 'approved':
    case 'published': {
      const changes = previous ? outcomeChanges(previous, next) : [];
      return changes.length ? { kind: 'reopen', changes } : { kind: 'record', changes };
    }
    case 'returned':
    case 'retracted':
      return { kind: 'record', changes: previous ? outcomeChanges(previous, next) : [] };
  }
}

/** The differences a reviewer must look at again, in the domain's words. */
export function outcomeChanges(previous: ScoreFacts, next: ScoreFacts): string[] {
  const changes: string[] = [];
  if (previous.grade !== next.grade) changes.push(`等级 ${previous.grade ?? '—'} → ${next.grade ?? '—'}`);
  if (previous.total !== next.total) changes.push(`总分 ${previous.total ?? '—'} → ${next.total ?? '—'}`);
  if (previous.routing !== next.routing)
    changes.push(`审核路由 ${routingLabel(previous.routing)} → ${routingLabel(next.routing)}`);
  return changes;
}
