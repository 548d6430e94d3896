import { hash } from 'node:crypto';
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
  /** Written once per evaluation and effective rule set, however often this is computed. */
  key: string;
  /** What scoring_evaluations holds as the evaluation's current result. */
  current: CurrentResult;
}

export interface CurrentResult {
  evaluationId: string;
  resultId: string;
  ruleSetId: string;
  ruleSetVersion: number;
  hash: string;
  total: number | null;
  grade: string | null;
  routing: 'auto-approve' | 'manual-review';
  scoredAt: string;
  /** The rule generation it was scored under (null: before generations were recorded). */
  generation: number | null;
}

/**
 * One result per evaluation and effective rules: its id follows from them, so every writer agrees on it —
 * `res_<evaluation id>_<the first 16 hex digits of SHA-256 of the rules' hash>`, e.g. `res_ev_472b…1fb3_9c0e5d7a1b2c3d4e`
 * (≤ 56 characters for intake's ids).
 *
 * The evaluation id leads so that results sort as their evaluations do (ids of one length, as intake's are): a
 * re-scoring chunk (a range of evaluation ids, written in id order) adds its thousand results to a few neighbouring
 * leaf pages of the primary key's index instead of a thousand pages scattered over all of it. With ids that were
 * hashes (`res_<32 hex>`, still what an evaluation id too long or with other characters gets, and what results
 * stored before keep), a probe inserting a million rows in 1,000-row batches into a table whose primary key already
 * held a million took 13.6–17.6 s of PostgreSQL CPU, against 8.5–8.6 s with keys in order: random keys dirty a leaf
 * page per row, read back and written out again once the index outgrows shared_buffers. The two forms cannot meet:
 * a hash id has a hex digit where this one has its last `_`, and the rules' part has a fixed length, so the
 * evaluation id is read back unambiguously.
 */
export function resultId(evaluationId: string, ruleSetHash: string): string {
  let rules = RULES_PART.get(ruleSetHash);
  if (rules === undefined) {
    if (RULES_PART.size >= 1024) RULES_PART.clear();
    rules = hash('sha256', ruleSetHash, 'hex').slice(0, 16);
    RULES_PART.set(ruleSetHash, rules);
  }
  if (ORDERED_ID_PART.test(evaluationId) && evaluationId.length <= MAX_RESULT_ID - 'res__'.length - rules.length)
    return `res_${evaluationId}_${rules}`;
  return `res_${hash('sha256', `${evaluationId}|${ruleSetHash}`, 'hex').slice(0, 32)}`;
}

/** The rules' part of result ids, by rules hash: a run ids a million results under a handful of rule sets. */
const RULES_PART = new Map<string, string>();
/** scoring_results.id is varchar(64). */
const MAX_RESULT_ID = 64;
/** Characters that need no escaping in a URL path (GET /results/:id). */
const ORDERED_ID_PART = /^[A-Za-z0-9_.-]+$/;

/**
 * What a result stores as `result` (scored on submission or re-scored): the figures that are queried and published
 * (section and indicator scores, finding codes), not the explanations or the echoed inputs — those are recomputed on
 * demand from the evaluation and the effective rules it was scored under, which are both kept (RuleSnapshots).
 */
export function compactResult(result: ScoreResult): string {
  const { computed } = result;
  return JSON.stringify({
    compact: 1,
    sections: computed.sections.map((x) => [x.key, x.score]),
    indicators: computed.indicators.map((i) => i.score),
    findings: result.findings.map((f) => f.code),
  });
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

/** PostgreSQL element types of RESULT_COLUMNS (rows go through unnest). */
export const RESULT_PG_TYPES = [
  'text', 'text', 'text', 'integer', 'text', 'integer', 'text', 'text', 'integer', 'text', 'float8', 'text', 'float8',
  'float8', 'integer', 'integer', 'integer', 'text', 'text', 'text', 'text', 'text', 'text',
] as const;

export function resultKey(evaluationId: string, ruleSetHash: string): string {
  return `scored:${evaluationId}:${ruleSetHash}`;
}

/**
 * What one score writes (pure): the result row, the scored event and the current-result pointer. The event carries
 * the figures, not the breakdown: its consumers recompute that from the evaluation and the rules it cites.
 */
export function scoreRecord(
  received: Pick<Received, 'evaluationId' | 'submissionId' | 'version' | 'region' | 'fiscalYear' | 'formType'>,
  result: ScoreResult,
  opts: {
    scoredAt: string;
    rescoringRunId: string | null;
    compact?: boolean;
    /** The rule generation of the rules used (recorded with the evaluation's current result). */
    generation?: number | null;
  },
): ScoreRecord {
  const id = resultId(received.evaluationId, result.ruleSet.hash);
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
    resultId: id,
    ruleSet,
    total: computed.total,
    grade: computed.grade,
    execution: { rate: computed.execution.rate, score: computed.execution.score },
    findingCounts: counts,
    findingCodes: codes,
    routing,
    scoredAt: opts.scoredAt,
    rescoringRunId: opts.rescoringRunId,
  };
  const row = [
    id,
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
    opts.compact ? compactResult(result) : JSON.stringify(result),
    opts.scoredAt,
    opts.rescoringRunId,
  ];
  const current: CurrentResult = {
    evaluationId: received.evaluationId,
    resultId: id,
    ruleSetId: ruleSet.id,
    ruleSetVersion: ruleSet.version,
    hash: ruleSet.hash,
    total: computed.total,
    grade: computed.grade,
    routing: routing.decision,
    scoredAt: opts.scoredAt,
    generation: opts.generation ?? null,
  };
  return { row, event, key: resultKey(received.evaluationId, ruleSet.hash), current };
}

/**
 * The audit entry of a scoring (an inbox batch writes one per result; a re-scoring run writes its own, which say
 * why, when it writes a chunk: see rescoreAuditEntries).
 */
export function scoredAuditEntry({ event }: Pick<ScoreRecord, 'event'>): AuditEntry {
  const { ruleSet, rescoringRunId } = event;
  return {
    actor: SCORING_ACTOR,
    entityType: 'evaluation',
    entityId: event.evaluationId,
    action: 'scored',
    fromState: 'submitted',
    toState: 'scored',
    reason: `rule set ${ruleSet.id} v${ruleSet.version} ${ruleSet.hash}${rescoringRunId ? ` (re-scoring run ${rescoringRunId})` : ''}`,
    payload: {
      resultId: event.resultId,
      ruleSet,
      total: event.total,
      grade: event.grade,
      routing: event.routing.decision,
    },
    at: event.scoredAt,
  };
}
