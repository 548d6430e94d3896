import type { EventPayload } from '@jixiao/contracts';
import { isoNow } from '@jixiao/persistence';
import type { ScoreFacts } from '../domain/score-plan';
import { emptyScore } from '../persistence/empty-score';
import { ReviewCase } from '../persistence/review-case.entity';
import { ReviewDetail } from '../persistence/review-detail.entity';
import { TRAIL_REASONS } from '../domain/trail-reasons';

/** What RecordScoreHandler (one event) and RecordScoresHandler (set-based) share, so both record a score alike. */
export type Scored = EventPayload<'scoring.evaluation.scored.v1'>;

export function factsOf(s: Scored): ScoreFacts {
  return { resultId: s.resultId, scoredAt: s.scoredAt, total: s.total, grade: s.grade, routing: s.routing.decision };
}

/** The facts of the score a case holds (null before its first score). */
export function recordedFacts(c: ReviewCase): ScoreFacts | null {
  return c.resultId
    ? { resultId: c.resultId, scoredAt: c.scoredAt!, total: c.total, grade: c.grade, routing: c.routingDecision! }
    : null;
}

export function scoreColumns(s: Scored): Partial<ReviewCase> {
  return {
    resultId: s.resultId,
    scoredAt: s.scoredAt,
    total: s.total,
    grade: s.grade,
    executionRate: s.execution.rate,
    findingErrors: s.findingCounts.error,
    findingWarnings: s.findingCounts.warning,
    findingInfos: s.findingCounts.info,
    findingCodes: s.findingCodes,
    routingDecision: s.routing.decision,
    routingReasons: s.routing.reasons,
    ruleSetId: s.ruleSet.id,
    ruleSetVersion: s.ruleSet.version,
    ruleSetHash: s.ruleSet.hash,
  };
}

/**
 * What review's audit record of a score hashes: the scored event without its full result. The figures review acts
 * on (total, grade, execution, findings, routing, rule set) are in the event itself; the per-indicator breakdown is
 * scoring's, recorded and audited there under `resultId`. Hashing the breakdown's ~10 KB again for every score was
 * a twentieth of the CPU of a process running all four services.
 */
export function scoreAuditPayload(s: Scored): Omit<Scored, 'result'> {
  const { result: _breakdown, ...audited } = s;
  return audited;
}

/** The history details of a recorded score: which result, and for a bulk re-score which run and rule-set version. */
export function scoreDetails(s: Scored): Record<string, unknown> {
  return {
    resultId: s.resultId,
    total: s.total,
    grade: s.grade,
    routing: s.routing.decision,
    rescoringRunId: s.rescoringRunId,
    ruleSet: { id: s.ruleSet.id, version: s.ruleSet.version },
  };
}

/**
 * Why a re-score changed what a reviewer decided on, in the domain's words. A bulk re-scoring run names itself
 * and the rule-set version it scored with, so a finance bureau can tell which activation sent a case back.
 */
export function rescoreReason(s: Scored, changes: string[]): string {
  const run = s.rescoringRunId
    ? `（规则集 ${s.ruleSet.id} 第 ${s.ruleSet.version} 版，重新评分批次 ${s.rescoringRunId}）`
    : '';
  return `重新评分${run}：${changes.join('；')}`;
}

/**
 * The case a score opens when it overtook its submission (both leave intake's relay together, but the review
 * inbox may take them in any order): built from what the score carries; the submission completes it.
 */
export function placeholderCase(s: Scored): { row: ReviewCase; detail: ReviewDetail } {
  const now = isoNow();
  const row = Object.assign(new ReviewCase(), emptyScore(), {
    evaluationId: s.evaluationId,
    submissionId: s.submissionId,
    version: s.submissionVersion,
    previousVersionId: null,
    region: s.region,
    fiscalYear: s.fiscalYear,
    formType: s.formType,
    unitName: s.result?.unitName ?? null,
    projectName: s.result?.projectName ?? null,
    state: 'submitted' as const,
    revision: 1,
    receivedAt: null,
    lastReason: null,
    publicPath: null,
    createdAt: now,
    updatedAt: now,
  });
  const detail = Object.assign(new ReviewDetail(), {
    evaluationId: s.evaluationId,
    evaluation: null,
    resultId: null,
    scoreResult: null,
    updatedAt: now,
  });
  return { row, detail };
}

export const PLACEHOLDER_STEP = {
  action: 'open-from-score',
  reason: TRAIL_REASONS.scoreBeforeSubmission,
} as const;
