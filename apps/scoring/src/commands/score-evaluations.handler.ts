import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnrecoverableError } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { enqueueOrRide, RetryNow } from '@jixiao/messaging';
import {
  allFixed,
  appendAudit,
  assertInTransaction,
  dialectOf,
  insertMany,
  insertRider,
  queryMaybeFixed,
  riderCtes,
  type Rider,
} from '@jixiao/persistence';
import { RuleSetError, score, type ResolvedRuleSet, type RuleSetRegistry } from '@jixiao/scoring';
import { CURRENT_COLUMNS, currentValues, setCurrentResults } from '../persistence/current-results';
import { RESULT_COLUMNS, RESULT_PG_TYPES, scoredAuditEntry, scoreRecord, resultKey, type ScoreRecord } from '../domain/score-record';
import { ActiveRuleSets } from '../infrastructure/active-rule-sets';
import { generationCheck } from '../persistence/rule-version-store';
import { RuleSnapshots } from '../persistence/rule-snapshots';
import { SCORING_SERVICE, SCORING_TABLES } from '../persistence/scoring-tables';
import { encodeStoredEvaluation } from '../persistence/stored-evaluation';
import { ScoreEvaluations, type ReceivedSubmission, type ScoreEvaluationsResult } from './score-evaluations.command';

const T = SCORING_TABLES;
const EVALUATION_COLUMNS = [
  'evaluation_id',
  'submission_id',
  'submission_version',
  'region',
  'fiscal_year',
  'form_type',
  'evaluation',
  'received_at',
  ...CURRENT_COLUMNS,
];

@CommandHandler(ScoreEvaluations)
export class ScoreEvaluationsHandler implements ICommandHandler<ScoreEvaluations, ScoreEvaluationsResult> {
  constructor(
    @Inject(ActiveRuleSets) private readonly ruleSets: ActiveRuleSets,
    @Inject(RuleSnapshots) private readonly snapshots: RuleSnapshots,
  ) {}

  async execute({ submissions, manager: m, options }: ScoreEvaluations): Promise<ScoreEvaluationsResult> {
    assertInTransaction(m, 'ScoreEvaluations');
    if (submissions.length === 0) return { written: [], skipped: [] };
    const scoredAt = new Date().toISOString();
    const rescoringRunId = options.rescoringRunId ?? null;
    // The active rules. On PostgreSQL, as this process last read them, confirmed with the audit records' statement
    // (generationCheck): that saves each batch a round trip, and if an activation moved the rules on meanwhile the
    // transaction fails and its events are retried with the new ones. Otherwise read here under a shared lock.
    // Either way an activation waits for this transaction once it holds the lock, and later ones see it.
    const cached = dialectOf(m) === 'postgres' ? this.ruleSets.cached() : null;
    const { registry, generation } = cached ?? (await this.ruleSets.currentWithGeneration(m));
    const used = new Set<ResolvedRuleSet>();
    // figures only: neither the stored result nor the event carries the breakdown with explanations; it is
    // recomputed from the evaluation and the rules' snapshot (here GET /results/:id?explain=true; review from the
    // snapshot event `record` sends before the first score under them)
    const records = submissions.map((s) =>
      scoreRecord(s, scoreOne(registry, s, used), {
        scoredAt,
        rescoringRunId,
        generation,
        // the stored result keeps the figures; its breakdown is recomputed from the kept rules (GET /results/:id?explain=true)
        compact: true,
      }),
    );
    // the rules behind each result, kept so that it can be explained after other versions replace them
    await this.snapshots.record(m, used);
    const evaluationRows = submissions.map((s, i) => evaluationRow(s, scoredAt, records[i]));
    const together = await withResults(m, evaluationRows, records);
    let inserted: number;
    const fresh: ScoreRecord[] = [];
    const skipped: string[] = [];
    if (together) {
      // the results written are the new ones; a record given twice was written at its first occurrence
      inserted = together.evaluations;
      const written = new Set(together.resultIds);
      for (const r of records) {
        if (written.delete(r.event.resultId)) fresh.push(r);
        else skipped.push(r.event.evaluationId);
      }
    } else {
      inserted = await insertMany(m, T.evaluations, EVALUATION_COLUMNS, evaluationRows, {
        onConflictDoNothing: ['evaluation_id'],
      });
      // A result is only ever written for a stored evaluation (here, after inserting it; re-scoring reads them), so
      // when every evaluation of the batch was new none can have one yet: the lookup is for those seen before.
      const existing = inserted === submissions.length ? new Set<string>() : await existingKeys(m, records);
      for (const r of records) {
        if (existing.has(r.key)) skipped.push(r.event.evaluationId);
        else {
          existing.add(r.key);
          fresh.push(r);
        }
      }
      await insertMany(
        m,
        T.results,
        [...RESULT_COLUMNS],
        fresh.map((r) => r.row),
        {
          onConflictDoNothing: ['evaluation_id', 'rule_set_hash'],
          // on PostgreSQL only more than withResults takes (500) come here: one parameter per column (SQLite ignores it)
          pgTypes: [...RESULT_PG_TYPES],
        },
      );
    }
    // new evaluations were inserted with their current result; one seen before now points at its new result
    if (inserted < submissions.length && fresh.length) await setCurrentResults(m, fresh.map((r) => r.current));
    const events = fresh.map((r) => ({
      name: 'scoring.evaluation.scored.v1' as const,
      payload: r.event,
      dedupeKey: r.key,
      correlationId: options.correlationIds?.get(r.event.evaluationId) ?? options.correlationId ?? null,
      occurredAt: scoredAt,
    }));
    // the events travel in the audit records' statement (one round trip) unless there are too many for one
    const riders: Rider[] = [];
    let confirmed = true;
    if (cached) riders.push(generationCheck(generation, (ok) => (confirmed = ok)));
    await enqueueOrRide(m, SCORING_SERVICE, events, riders);
    await appendAudit(m, T.audit, fresh.map(scoredAuditEntry), riders);
    if (!confirmed) {
      this.ruleSets.invalidate();
      throw new RulesChangedMeanwhile(generation);
    }
    return {
      written: fresh.map((r) => ({
        evaluationId: r.event.evaluationId,
        resultId: r.event.resultId,
        total: r.event.total,
        grade: r.event.grade,
      })),
      skipped,
    };
  }
}

/**
 * Another process activated rule-set versions while a batch was scored with the rules before (PostgreSQL): the
 * transaction rolls back, and the inbox tries its events again at once, each alone, with the rules read afresh.
 */
export class RulesChangedMeanwhile extends RetryNow {
  constructor(generation: number) {
    super(`the active rule sets changed (generation ${generation} is no longer current) while the batch was scored; it is scored again`);
  }
}

/** The figures (explanations are built when a result is explained; the engine's row memo pays on repeated forms). */
const FIGURES = { explain: false } as const;

function scoreOne(registry: RuleSetRegistry, s: ReceivedSubmission, used: Set<ResolvedRuleSet>) {
    let ruleSet;
    try {
      ruleSet = registry.resolve(s.region, s.fiscalYear);
    } catch (err) {
      // no rule set can ever apply: retrying will not help
      if (err instanceof RuleSetError) throw new UnrecoverableError(`evaluation ${s.evaluationId}: ${err.message}`);
      throw err;
    }
    used.add(ruleSet);
    return score({ ...s.evaluation, region: s.region, fiscalYear: s.fiscalYear }, ruleSet, FIGURES);
}

function evaluationRow(s: ReceivedSubmission, receivedAt: string, r: ScoreRecord): unknown[] {
  return [
    s.evaluationId,
    s.submissionId,
    s.version,
    s.region,
    s.fiscalYear,
    s.formType,
    encodeStoredEvaluation(s.evaluation),
    receivedAt,
    ...currentValues(r.current),
  ];
}

/**
 * PostgreSQL, up to 500 evaluations (an inbox batch): the evaluations and their results in one statement — one round
 * trip instead of two or three — returning how many evaluations were new and the ids of the results written (a
 * result already stored for its evaluation and rules is left as it is). Null elsewhere: the caller writes them apart.
 */
async function withResults(
  m: EntityManager,
  evaluationRows: unknown[][],
  records: readonly ScoreRecord[],
): Promise<{ evaluations: number; resultIds: string[] } | null> {
  if (dialectOf(m) !== 'postgres' || records.length > 500) return null;
  const evaluations = await insertRider(m, T.evaluations, EVALUATION_COLUMNS, evaluationRows, {
    onConflictDoNothing: ['evaluation_id'],
  });
  const results = await insertRider(
    m,
    T.results,
    [...RESULT_COLUMNS],
    records.map((r) => r.row),
    { onConflictDoNothing: ['evaluation_id', 'rule_set_hash'], returning: 'id' },
  );
  if (!evaluations || !results) return null;
  const { ctes, params } = riderCtes([evaluations, results], 0);
  const sql = `WITH ${ctes.slice(0, -2)} SELECT (SELECT COUNT(*) FROM rider0)::int AS evaluations, ARRAY(SELECT ok FROM rider1) AS ids`;
  const [row]: Array<{ evaluations: number; ids: string[] }> = await queryMaybeFixed(m, sql, params, allFixed([evaluations, results]));
  return { evaluations: Number(row.evaluations), resultIds: row.ids };
}

/** Keys (evaluation + rule-set hash) that already have a result, in one query. */
async function existingKeys(m: EntityManager, records: readonly ScoreRecord[]): Promise<Set<string>> {
  const ids = [...new Set(records.map((r) => r.event.evaluationId))];
  const rows: Array<{ evaluation_id: string; rule_set_hash: string }> =
    dialectOf(m) === 'postgres'
      ? await m.query(
          `SELECT evaluation_id, rule_set_hash FROM ${T.results} WHERE evaluation_id = ANY($1::varchar[])`,
          [ids],
        )
      : await m.query(
          `SELECT evaluation_id, rule_set_hash FROM ${T.results} WHERE evaluation_id IN (${ids.map(() => '?').join(', ')})`,
          ids,
        );
  return new Set(rows.map((r) => resultKey(r.evaluation_id, r.rule_set_hash)));
}
