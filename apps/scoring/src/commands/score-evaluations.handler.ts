import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnrecoverableError } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { enqueueEvents } from '@jixiao/messaging';
import { appendAudit, assertInTransaction, dialectOf, insertMany } from '@jixiao/persistence';
import { RuleSetError, score, type RuleSetRegistry } from '@jixiao/scoring';
import { RESULT_COLUMNS, scoreRecord, resultKey, type ScoreRecord } from '../domain/score-record';
import { SCORING_REGISTRY } from '../infrastructure/scoring.tokens';
import { SCORING_SERVICE, SCORING_TABLES } from '../persistence/scoring-tables';
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
];

@CommandHandler(ScoreEvaluations)
export class ScoreEvaluationsHandler implements ICommandHandler<ScoreEvaluations, ScoreEvaluationsResult> {
  constructor(@Inject(SCORING_REGISTRY) private readonly registry: RuleSetRegistry) {}

  async execute({ submissions, manager: m, options }: ScoreEvaluations): Promise<ScoreEvaluationsResult> {
    assertInTransaction(m, 'ScoreEvaluations');
    if (submissions.length === 0) return { written: [], skipped: [] };
    const scoredAt = new Date().toISOString();
    const rescoringRunId = options.rescoringRunId ?? null;
    await insertMany(
      m,
      T.evaluations,
      EVALUATION_COLUMNS,
      submissions.map((s) => evaluationRow(s, scoredAt)),
      {
        onConflictDoNothing: ['evaluation_id'],
      },
    );

    const records = submissions.map((s) =>
      // explanations are recomputable from the evaluation and the rule-set version: re-scoring runs skip them
      scoreRecord(s, this.scoreOne(s, rescoringRunId === null), {
        resultId: `res_${randomUUID().replace(/-/g, '')}`,
        scoredAt,
        rescoringRunId,
        // on submission review shows the breakdown and publication publishes it; re-scoring keeps events small
        includeResult: rescoringRunId === null,
      }),
    );
    const existing = await existingKeys(m, records);
    const fresh: ScoreRecord[] = [];
    const skipped: string[] = [];
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
      { onConflictDoNothing: ['evaluation_id', 'rule_set_hash'] },
    );
    await enqueueEvents(
      m,
      SCORING_SERVICE,
      fresh.map((r) => ({
        name: 'scoring.evaluation.scored.v1' as const,
        payload: r.event,
        dedupeKey: r.key,
        correlationId: options.correlationIds?.get(r.event.evaluationId) ?? options.correlationId ?? null,
        occurredAt: scoredAt,
      })),
    );
    await appendAudit(
      m,
      T.audit,
      fresh.map((r) => r.audit),
    );
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

  private scoreOne(s: ReceivedSubmission, explain: boolean) {
    let ruleSet;
    try {
      ruleSet = this.registry.resolve(s.region, s.fiscalYear);
    } catch (err) {
      // no rule set can ever apply: retrying will not help
      if (err instanceof RuleSetError) throw new UnrecoverableError(`evaluation ${s.evaluationId}: ${err.message}`);
      throw err;
    }
    return score({ ...s.evaluation, region: s.region, fiscalYear: s.fiscalYear }, ruleSet, { explain });
  }
}

function evaluationRow(s: ReceivedSubmission, receivedAt: string): unknown[] {
  return [
    s.evaluationId,
    s.submissionId,
    s.version,
    s.region,
    s.fiscalYear,
    s.formType,
    JSON.stringify(s.evaluation),
    receivedAt,
  ];
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
