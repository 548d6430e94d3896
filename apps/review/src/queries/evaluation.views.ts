import type { FlaggedFinding } from '@jixiao/contracts';
import { orderGrades } from '@jixiao/scoring';
import { activeHold } from '../domain/holds';
import { findingKeys, type FollowedUpFinding } from '../domain/return-findings';
import { REVIEW_STATES, type ReviewState } from '../domain/review-state';
import type { VersionChanges } from '../domain/version-changes';
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
    /** Who works on it now (taken from the queue or claimed), until when; null when nobody does. */
    hold: c.state === 'in_review' ? activeHold(c) : null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    href: href(c.evaluationId),
  };
}

function withKeys<F extends { code: string; subject: string | null }>(findings: readonly F[]) {
  const keys = findingKeys(findings);
  return findings.map((f, i) => ({ ...f, key: keys[i] }));
}

/** A reviewer's return as the unit reads it: when, by whom, why, and the findings it named. */
export interface ReturnView {
  at: string;
  actor: { user: string; role: string };
  reason: string | null;
  findings: FlaggedFinding[];
}

export function returnView(h: ReviewHistory): ReturnView {
  const findings = (h.details as { findings?: FlaggedFinding[] } | null)?.findings;
  return {
    at: h.at,
    actor: { user: h.actorUser, role: h.actorRole },
    reason: h.reason,
    findings: Array.isArray(findings) ? findings : [],
  };
}

/** The return a corrected version answers: that return, each finding it named with where it stands now. */
export interface PreviousReturnView extends Omit<ReturnView, 'findings'> {
  evaluationId: string;
  findings: FollowedUpFinding[];
}

/** What GET /evaluations/:id says of returns: this version's latest, and the one the version corrects. */
export interface Returns {
  lastReturn: ReturnView | null;
  previousReturn: PreviousReturnView | null;
}

/** The whole read model of one evaluation version. */
export function detailView(
  c: ReviewCase,
  detail: ReviewDetail | null,
  later: ReviewCase[],
  changesFromPrevious: VersionChanges | null = null,
  returns: Returns = { lastReturn: null, previousReturn: null },
) {
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
                /** `key`: what a return names it by (POST /evaluations/:id/return `findings`). */
                findings: withKeys(breakdown.findings),
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
    /** A corrected version: what it changed against the version it corrects (null for a first version). */
    changesFromPrevious,
    /** This version's latest return (why, and the findings the reviewer named), if it was returned. */
    lastReturn: returns.lastReturn,
    /** A corrected version: the return it answers, each named finding resolved, remaining or not yet known. */
    previousReturn: returns.previousReturn,
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

/**
 * The progress of the work: current versions by state (every state, 0 when none) and by grade (best first; not
 * yet graded last), with the region and year they were counted for.
 */
/** One group of current versions (by state and grade, and by region when asked), with the sums averages come from. */
export interface ProgressRow {
  region?: string;
  state: ReviewState;
  grade: string | null;
  n: number | string;
  sumTotal?: number | string | null;
  nTotal?: number | string | null;
  sumRate?: number | string | null;
  nRate?: number | string | null;
  /** With `findings`: how many of the group have each kind of finding (`f_<CODE>`). */
  [finding: `f_${string}`]: number | string | null | undefined;
}

/** Counts by state and grade, and the average rule total and execution rate of those scored. */
function tally(rows: readonly ProgressRow[]) {
  const byState = Object.fromEntries(REVIEW_STATES.map((s) => [s, 0])) as Record<ReviewState, number>;
  const grades = new Map<string | null, number>();
  let total = 0;
  const sums = { total: 0, nTotal: 0, rate: 0, nRate: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    byState[r.state] = (byState[r.state] ?? 0) + n;
    grades.set(r.grade, (grades.get(r.grade) ?? 0) + n);
    sums.total += Number(r.sumTotal ?? 0);
    sums.nTotal += Number(r.nTotal ?? 0);
    sums.rate += Number(r.sumRate ?? 0);
    sums.nRate += Number(r.nRate ?? 0);
  }
  const findings = new Map<string, number>();
  for (const r of rows)
    for (const [k, v] of Object.entries(r))
      if (k.startsWith('f_')) findings.set(k.slice(2), (findings.get(k.slice(2)) ?? 0) + Number(v ?? 0));
  return {
    total,
    byState,
    byGrade: orderGrades(grades.keys()).map((grade) => ({ grade, count: grades.get(grade)! })),
    // the kinds found, most frequent first (progressView keeps them only when asked for)
    byFinding: [...findings]
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, count]) => ({ code, count })),
    averageTotal: sums.nTotal ? Math.round((sums.total / sums.nTotal) * 100) / 100 : null,
    averageExecutionRate: sums.nRate ? Math.round((sums.rate / sums.nRate) * 10_000) / 10_000 : null,
  };
}

export function progressView(
  filters: { region?: string; year?: number; by?: 'region'; findings?: boolean },
  rows: readonly ProgressRow[],
) {
  const figures = (group: readonly ProgressRow[]) => {
    const { byFinding, ...rest } = tally(group);
    // left out of the JSON unless asked for
    return { ...rest, byFinding: filters.findings ? byFinding : undefined };
  };
  const regions = new Map<string, ProgressRow[]>();
  if (filters.by === 'region')
    for (const r of rows) regions.set(r.region ?? '', [...(regions.get(r.region ?? '') ?? []), r]);
  return {
    region: filters.region ?? null,
    fiscalYear: filters.year ?? null,
    ...figures(rows),
    ...(filters.by === 'region'
      ? {
          regions: [...regions.keys()]
            .sort((a, b) => (a === 'CN' ? -1 : b === 'CN' ? 1 : a.localeCompare(b)))
            .map((region) => ({ region, ...figures(regions.get(region)!) })),
        }
      : {}),
  };
}
