import type { Actor, EventPayload } from '@jixiao/contracts';
import type { ReviewCase } from './review-case.entity';
import type { ReviewDetail } from './review-detail.entity';

/** `review.evaluation.routed.v1` from the case as routed. */
export function routedPayload(
  c: ReviewCase,
  decision: 'auto-approved' | 'in-review',
  reasons: string[],
  at: string,
): EventPayload<'review.evaluation.routed.v1'> {
  return {
    evaluationId: c.evaluationId,
    submissionVersion: c.version,
    decision,
    reasons,
    resultId: c.resultId!,
    routedAt: at,
  };
}

/**
 * `review.evaluation.approved.v1`: everything publication needs to publish without reading our tables, including
 * the full breakdown when the detail holds the result of the approved score.
 */
export function approvedPayload(
  c: ReviewCase,
  detail: ReviewDetail | null,
  approval: { automatic: boolean; actor: Actor; at: string; comment?: string | null },
): EventPayload<'review.evaluation.approved.v1'> {
  const result = detail?.scoreResult && detail.resultId === c.resultId ? detail.scoreResult : undefined;
  return {
    evaluationId: c.evaluationId,
    submissionId: c.submissionId,
    submissionVersion: c.version,
    region: c.region,
    fiscalYear: c.fiscalYear,
    formType: c.formType,
    unitName: c.unitName,
    projectName: c.projectName,
    score: {
      resultId: c.resultId!,
      ruleSet: { id: c.ruleSetId!, version: c.ruleSetVersion!, hash: c.ruleSetHash! },
      total: c.total,
      grade: c.grade,
      executionRate: c.executionRate,
      ...(c.scoredAt ? { scoredAt: c.scoredAt } : {}),
    },
    automatic: approval.automatic,
    actor: approval.actor,
    approvedAt: approval.at,
    comment: approval.comment ?? null,
    previousVersionId: c.previousVersionId,
    findings: {
      counts: { error: c.findingErrors ?? 0, warning: c.findingWarnings ?? 0, info: c.findingInfos ?? 0 },
      codes: c.findingCodes ?? [],
    },
    ...(result ? { result } : {}),
    ...(detail?.evaluation ? { evaluation: detail.evaluation } : {}),
  };
}
