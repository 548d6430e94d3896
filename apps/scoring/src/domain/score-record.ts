import type { Actor, EventPayload, FindingCode, ScoreResult } from '@jixiao/contracts';
import type { AuditEntry } from '@jixiao/persistence';

type Received = EventPayload<'intake.submission.received.v1'>;
type Scored = EventPayload<'scoring.evaluation.scored.v1'>;

/** Who scores: the pipeline itself. */
export const SCORING_ACTOR: Actor = { user: 'scoring', role: 'system' };

export interface ScoreRecord {
  /** Column values of scoring_results, in RESULT_COLUMNS order. */
  row: unknown[];
  event: Scored;
  audit: AuditEntry;
  /** Written once per evaluation and effective rule set, however often this is computed. */
  key: string;
}

export const RESULT_COLUMNS = [
  'id',
  'evaluation_id',
  'submission_id',
  'submission_version',
  'region',
  'fiscal_year',
  'form_type',
  'rule_set_id',
  'rule_set_version',
  'rule_set_hash',
  'total',
  'grade',
  'execution_rate',
  'execution_score',
  'findings_error',
  'findings_warning',
  'findings_info',
  'finding_codes',
  'routing_decision',
  'routing_reasons',
  'result',
  'scored_at',
  'rescoring_run_id',
] as const;

export function resultKey(evaluationId: string, ruleSetHash: string): string {
  return `scored:${evaluationId}:${ruleSetHash}`;
}

/** What one score writes (pure): the result row, the scored event (with the full result) and the audit entry. */
export function scoreRecord(
  received: Pick<Received, 'evaluationId' | 'submissionId' | 'version' | 'region' | 'fiscalYear' | 'formType'>,
  result: ScoreResult,
  opts: { resultId: string; scoredAt: string; rescoringRunId: string | null; includeResult: boolean },
): ScoreRecord {
  const counts = { error: 0, warning: 0, info: 0 };
  const codes: FindingCode[] = [];
  for (const f of result.findings) {
    counts[f.severity] += 1;
    if (!codes.includes(f.code)) codes.push(f.code);
  }
  const { computed, routing, ruleSet } = result;
  const event: Scored = {
    evaluationId: received.evaluationId,
    submissionId: received.submissionId,
    submissionVersion: received.version,
    region: received.region,
    fiscalYear: received.fiscalYear,
    formType: received.formType,
    resultId: opts.resultId,
    ruleSet,
    total: computed.total,
    grade: computed.grade,
    execution: { rate: computed.execution.rate, score: computed.execution.score },
    findingCounts: counts,
    findingCodes: codes,
    routing,
    scoredAt: opts.scoredAt,
    rescoringRunId: opts.rescoringRunId,
    ...(opts.includeResult ? { result } : {}),
  };
  const row = [
    opts.resultId,
    received.evaluationId,
    received.submissionId,
    received.version,
    received.region,
    received.fiscalYear,
    received.formType,
    ruleSet.id,
    ruleSet.version,
    ruleSet.hash,
    computed.total,
    computed.grade,
    computed.execution.rate,
    computed.execution.score,
    counts.error,
    counts.warning,
    counts.info,
    JSON.stringify(codes),
    routing.decision,
    JSON.stringify(routing.reasons),
    JSON.stringify(result),
    opts.scoredAt,
    opts.rescoringRunId,
  ];
  const audit: AuditEntry = {
    actor: SCORING_ACTOR,
    entityType: 'evaluation',
    entityId: received.evaluationId,
    action: 'scored',
    fromState: 'submitted',
    toState: 'scored',
    reason: `rule set ${ruleSet.id} v${ruleSet.version} ${ruleSet.hash}${opts.rescoringRunId ? ` (re-scoring run ${opts.rescoringRunId})` : ''}`,
    payload: {
      resultId: opts.resultId,
      ruleSet,
      total: computed.total,
      grade: computed.grade,
      routing: routing.decision,
    },
    at: opts.scoredAt,
  };
  return { row, event, audit, key: resultKey(received.evaluationId, ruleSet.hash) };
}
