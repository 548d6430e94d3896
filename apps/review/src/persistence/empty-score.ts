import type { ReviewCase } from './review-case.entity';

/** The score columns of a case that has no score yet. */
export function emptyScore(): Partial<ReviewCase> {
  return {
    resultId: null,
    scoredAt: null,
    total: null,
    grade: null,
    executionRate: null,
    findingErrors: null,
    findingWarnings: null,
    findingInfos: null,
    findingCodes: null,
    routingDecision: null,
    routingReasons: null,
    ruleSetId: null,
    ruleSetVersion: null,
    ruleSetHash: null,
  };
}
