import type { ReviewCase } from '../persistence/review-case.entity';
import type { ReviewDetail } from '../persistence/review-detail.entity';
import type { ReviewHistory } from '../persistence/review-history.entity';

const href = (id: string) => `/evaluations/${encodeURIComponent(id)}`;

/** A listing row: what a reviewer scans (no canonical evaluation, no breakdown). */
export function summaryView(c: ReviewCase) {
  return {
    evaluationId: c.evaluationId,
    submissionId: c.submissionId,
    version: c.version,
    region: c.region,
    fiscalYear: c.fiscalYear,
    formType: c.formType,
    unitName: c.unitName,
    projectName: c.projectName,
    state: c.state,
    total: c.total,
    grade: c.grade,
    executionRate: c.executionRate,
    findingCounts: c.resultId
      ? { error: c.findingErrors ?? 0, warning: c.findingWarnings ?? 0, info: c.findingInfos ?? 0 }
      : null,
    routing: c.routingDecision ? { decision: c.routingDecision, reasons: c.routingReasons ?? [] } : null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    href: href(c.evaluationId),
  };
}

/** The whole read model of one evaluation version. */
export function detailView(c: ReviewCase, detail: ReviewDetail | null, later: ReviewCase[]) {
  const breakdown = detail?.scoreResult ?? null;
  return {
    ...summaryView(c),
    previousVersionId: c.previousVersionId,
    revision: c.revision,
    receivedAt: c.receivedAt,
    lastReason: c.lastReason,
    publicPath: c.publicPath,
    evaluation: detail?.evaluation ?? null,
    score: c.resultId
      ? {
          resultId: c.resultId,
          scoredAt: c.scoredAt,
          ruleSet: { id: c.ruleSetId, version: c.ruleSetVersion, hash: c.ruleSetHash },
          total: c.total,
          grade: c.grade,
          executionRate: c.executionRate,
          findingCounts: { error: c.findingErrors ?? 0, warning: c.findingWarnings ?? 0, info: c.findingInfos ?? 0 },
          findingCodes: c.findingCodes ?? [],
          /** The breakdown and the score it belongs to (a bulk re-scoring may have sent only a summary since). */
          breakdown: breakdown
            ? {
                resultId: detail!.resultId,
                current: detail!.resultId === c.resultId,
                reported: breakdown.reported,
                execution: breakdown.computed.execution,
                sections: breakdown.computed.sections,
                indicators: breakdown.computed.indicators,
                findings: breakdown.findings,
              }
            : null,
        }
      : null,
    versions: {
      previous: c.previousVersionId ? { evaluationId: c.previousVersionId, href: href(c.previousVersionId) } : null,
      next: later.map((n) => ({
        evaluationId: n.evaluationId,
        version: n.version,
        state: n.state,
        href: href(n.evaluationId),
      })),
    },
    links: { self: href(c.evaluationId), history: `${href(c.evaluationId)}/history`, public: c.publicPath },
  };
}

export function historyView(h: ReviewHistory) {
  return {
    at: h.at,
    actor: { user: h.actorUser, role: h.actorRole },
    action: h.action,
    fromState: h.fromState,
    toState: h.toState,
    reason: h.reason,
    source: h.source,
    eventId: h.eventId,
    details: h.details,
    /** The audit record proving this step (GET /audit/verify checks the chain); null for notes that changed nothing. */
    audit: h.auditSeq === null ? null : { seq: Number(h.auditSeq), hash: h.auditHash },
  };
}

export type EvaluationSummary = ReturnType<typeof summaryView>;
