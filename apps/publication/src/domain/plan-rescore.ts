import { describeChanges, sameTotal } from './plan-publication';

/** The figures of the revision in force, and what a re-scoring run says now. */
export interface PublishedScore {
  scoreResultId: string;
  total: number | null;
  grade: string | null;
  ruleSet: { id: string; version: number };
  /** When scoring produced it (null: not known). */
  scoredAt: string | null;
}

export interface RescoredScore extends PublishedScore {
  runId: string;
}

export type RescorePlan = { kind: 'ignore' } | { kind: 'revise'; reason: string };

/**
 * What a re-scoring run does to a published disclosure (pure). A changed total or grade is published at once as a
 * new revision that says which run and rule-set version changed it and that a reviewer is looking at it again (the
 * earlier revision stays in the history); the same figures, the result already in force, or one scored before it
 * (a late chunk of an earlier run) change nothing.
 */
export function planRescore(current: PublishedScore, next: RescoredScore): RescorePlan {
  if (current.scoreResultId === next.scoreResultId) return { kind: 'ignore' };
  // a result scored before the one in force (chunks of two runs delivered out of order) changes nothing
  if (current.scoredAt !== null && next.scoredAt !== null && next.scoredAt < current.scoredAt) return { kind: 'ignore' };
  if (sameTotal(current.total, next.total) && current.grade === next.grade) return { kind: 'ignore' };
  const changes = describeChanges({ ...current, approvedAt: '' }, { ...next, approvedAt: '' });
  const run = `规则集 ${next.ruleSet.id} 第 ${next.ruleSet.version} 版，重新评分批次 ${next.runId}`;
  return { kind: 'revise', reason: `重新评分（${run}）：${changes.join('；')}；复核中` };
}
