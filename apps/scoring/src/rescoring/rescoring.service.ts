import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { enqueueEvents } from '@jixiao/messaging';
import { appendAudit, dialectOf, insertMany, withTransaction, type AuditEntry } from '@jixiao/persistence';
import type { RuleSetRegistry } from '@jixiao/scoring';
import { emptySummary, mergeSummaries } from '../domain/impact-summary';
import { RESULT_COLUMNS, RESULT_PG_TYPES, SCORING_ACTOR } from '../domain/score-record';
import { ActiveRuleSets } from '../infrastructure/active-rule-sets';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { setCurrentResults } from '../persistence/current-results';
import { SCORING_SERVICE, SCORING_TABLES } from '../persistence/scoring-tables';
import { previewChunk, rescoreChunk, type StoredEvaluation } from './rescore-chunk';
import {
  chunkSummaries,
  getChunk,
  getRun,
  insertChunks,
  markChunk,
  pendingChunks,
  updateRun,
  type ChunkPlan,
  type RunRow,
} from './run-store';

const T = SCORING_TABLES;

export type PlanOutcome = { chunks: number[] } | { chunks: [] };

/** A run's state change, as the audit trail records it. */
export function runAudit(run: Pick<RunRow, 'id' | 'kind' | 'ruleSetId' | 'version'>, action: string, from: string | null, to: string, reason: string | null, at: string, actor = SCORING_ACTOR): AuditEntry {
  return {
    actor,
    entityType: 'rescoring-run',
    entityId: run.id,
    action,
    fromState: from,
    toState: to,
    reason,
    payload: { kind: run.kind, ruleSetId: run.ruleSetId, version: run.version },
    at,
  };
}

/**
 * The work of a re-scoring run, each step one transaction that can run twice without writing twice:
 * `plan` finds the affected evaluations and cuts them into chunks (by evaluation-id range); `runChunk` re-scores one
 * chunk — reads it in one query, scores in memory, and writes results, current-result pointers, audit records and one
 * event with set-based statements, then marks the chunk done (a chunk already done is skipped, so a redelivered or
 * re-enqueued job writes nothing). The last chunk completes the run.
 */
@Injectable()
export class RescoringService {
  private readonly logger = new Logger('rescoring');

  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ActiveRuleSets) private readonly ruleSets: ActiveRuleSets,
  ) {}

  /** Plans a run still `planning`; returns the chunks to enqueue (those not done). */
  async plan(runId: string): Promise<number[]> {
    return withTransaction(this.dataSource, async (m) => {
      const run = await getRun(m, runId, true);
      if (!run || run.status !== 'planning') return run?.status === 'running' ? pendingChunks(m, runId) : [];
      const registry = await this.ruleSets.forVersions(m, run.scope.versions);
      const { regions, total } = await affectedRegions(m, run.scope.regionPrefix, registry);
      const now = new Date().toISOString();
      if (total === 0) {
        await updateRun(m, runId, { status: 'completed', total: 0, chunkCount: 0, startedAt: now, finishedAt: now, ...(run.kind === 'impact' ? { report: mergeSummaries([]) } : {}) });
        if (run.kind === 'activation')
          await appendAudit(m, T.audit, [runAudit(run, 'rescoring run completed', 'planning', 'completed', 'no evaluation is affected', now)]);
        return [];
      }
      const chunks = await chunkRanges(m, regions, run.chunkSize);
      await insertChunks(m, runId, chunks);
      await updateRun(m, runId, { status: 'running', total, chunkCount: chunks.length, startedAt: now, scope: { ...run.scope, regions } });
      if (run.kind === 'activation')
        await appendAudit(m, T.audit, [
          runAudit(run, 'rescoring run started', 'planning', 'running', `${total} evaluations in ${chunks.length} chunks`, now),
        ]);
      return chunks.map((c) => c.chunk);
    });
  }

  /** Runs one chunk; returns what it did (`skipped` when the chunk was done or the run is not running). */
  async runChunk(runId: string, chunkNo: number): Promise<'done' | 'skipped'> {
    return withTransaction(this.dataSource, async (m) => {
      const chunk = await getChunk(m, runId, chunkNo, true);
      if (!chunk || chunk.status === 'done') return 'skipped';
      const run = await getRun(m, runId);
      if (!run || run.status !== 'running') return 'skipped';
      const registry = await this.ruleSets.forVersions(m, run.scope.versions);
      const rows = await readChunk(m, chunk, run.scope.regions ?? []);
      const now = new Date().toISOString();
      if (run.kind === 'impact') {
        const summary = emptySummary();
        previewChunk(rows, registry, summary);
        await this.finishChunk(m, run, chunkNo, { rescored: summary.rescored, changed: summary.changed.length, summary }, now);
        return 'done';
      }
      const creator = run.createdBy;
      const out = rescoreChunk(rows, registry, {
        runId,
        activated: { ruleSetId: run.ruleSetId, version: run.version, by: creator, reason: run.reason },
        scoredAt: now,
      });
      // the run row before any write: a cancel waits for this chunk or this chunk sees the cancel
      const locked = await getRun(m, runId, true);
      if (!locked || locked.status !== 'running') return 'skipped';
      if (out.records.length) {
        await insertMany(m, T.results, [...RESULT_COLUMNS], out.records.map((r) => r.row), {
          onConflictDoNothing: ['evaluation_id', 'rule_set_hash'],
          pgTypes: [...RESULT_PG_TYPES],
        });
        await setCurrentResults(m, out.records.map((r) => r.current));
        await enqueueEvents(m, SCORING_SERVICE, [
          {
            name: 'scoring.evaluations.rescored.v1' as const,
            payload: {
              runId,
              chunk: chunkNo,
              activated: { ruleSetId: run.ruleSetId, version: run.version },
              scoredAt: now,
              items: out.items,
            },
            dedupeKey: `rescored:${runId}:${chunkNo}`,
            correlationId: runId,
            occurredAt: now,
          },
        ]);
        await appendAudit(m, T.audit, out.audit);
      }
      await this.finishChunk(m, run, chunkNo, { rescored: out.records.length, changed: out.changed }, now, true);
      return 'done';
    });
  }

  private async finishChunk(
    m: EntityManager,
    run: RunRow,
    chunkNo: number,
    counts: { rescored: number; changed: number; summary?: ReturnType<typeof emptySummary> },
    at: string,
    runLocked = false,
  ): Promise<void> {
    await markChunk(m, run.id, chunkNo, { status: 'done', ...counts, at });
    if (!runLocked) await getRun(m, run.id, true);
    const pending = await pendingChunks(m, run.id);
    if (pending.length) return;
    if (run.kind === 'impact') {
      await updateRun(m, run.id, { status: 'completed', finishedAt: at, report: mergeSummaries(await chunkSummaries(m, run.id)) });
      return;
    }
    await updateRun(m, run.id, { status: 'completed', finishedAt: at });
    await appendAudit(m, T.audit, [runAudit(run, 'rescoring run completed', 'running', 'completed', null, at)]);
    this.logger.log(`re-scoring run ${run.id} completed`);
  }
}

/**
 * The regions with evaluations whose current result was scored under other rules than the registry now gives them
 * (one GROUP BY over region, year and current rules), and how many evaluations that is.
 */
async function affectedRegions(m: EntityManager, prefix: string, registry: RuleSetRegistry) {
  const pg = dialectOf(m) === 'postgres';
  const groups: Array<{ region: string; fiscal_year: unknown; current_hash: string | null; n: unknown }> = await m.query(
    `SELECT region, fiscal_year, current_hash, COUNT(*) AS n FROM ${T.evaluations}
      WHERE region LIKE ${pg ? '$1' : '?'} GROUP BY region, fiscal_year, current_hash`,
    [`${prefix}%`],
  );
  const regions = new Set<string>();
  let total = 0;
  for (const g of groups) {
    const year = g.fiscal_year === null ? null : Number(g.fiscal_year);
    let hash: string | null = null;
    try {
      hash = registry.resolve(g.region, year).hash;
    } catch {
      continue; // no rule set applies: nothing to re-score it with
    }
    if (hash === g.current_hash) continue;
    regions.add(g.region);
    total += Number(g.n);
  }
  return { regions: [...regions].sort(), total };
}

function inList(m: EntityManager, values: readonly string[], from: number): string {
  return dialectOf(m) === 'postgres' ? `= ANY($${from}::varchar[])` : `IN (${values.map(() => '?').join(', ')})`;
}

function listParams(m: EntityManager, values: readonly string[]): unknown[] {
  return dialectOf(m) === 'postgres' ? [values] : [...values];
}

/** Chunk boundaries: every `size`-th evaluation id of the affected regions (one window query). */
async function chunkRanges(m: EntityManager, regions: readonly string[], size: number): Promise<ChunkPlan[]> {
  const rows: Array<{ evaluation_id: string; n: unknown }> = await m.query(
    `SELECT evaluation_id, n FROM (
        SELECT evaluation_id, ROW_NUMBER() OVER (ORDER BY evaluation_id) AS rn, COUNT(*) OVER () AS n
          FROM ${T.evaluations} WHERE region ${inList(m, regions, 1)}
      ) t WHERE (rn - 1) % ${Math.max(1, Math.floor(size))} = 0 ORDER BY evaluation_id`,
    listParams(m, regions),
  );
  const count = rows.length ? Number(rows[0].n) : 0;
  return rows.map((r, i) => ({
    chunk: i,
    firstId: r.evaluation_id,
    lastId: rows[i + 1]?.evaluation_id ?? '',
    size: i < rows.length - 1 ? size : count - size * (rows.length - 1),
  }));
}

async function readChunk(m: EntityManager, chunk: ChunkPlan, regions: readonly string[]): Promise<StoredEvaluation[]> {
  const pg = dialectOf(m) === 'postgres';
  const params: unknown[] = [chunk.firstId];
  let where = `evaluation_id >= ${pg ? '$1' : '?'}`;
  if (chunk.lastId) {
    params.push(chunk.lastId);
    where += ` AND evaluation_id < ${pg ? '$2' : '?'}`;
  }
  where += ` AND region ${inList(m, regions, params.length + 1)}`;
  params.push(...listParams(m, regions));
  const rows: Array<Record<string, unknown>> = await m.query(
    `SELECT evaluation_id, submission_id, submission_version, region, fiscal_year, form_type, evaluation,
            current_result_id, current_rule_set_id, current_rule_set_version, current_hash, current_total,
            current_grade, current_routing, current_scored_at
       FROM ${T.evaluations} WHERE ${where} ORDER BY evaluation_id`,
    params,
  );
  return rows.map((r) => ({
    evaluationId: r.evaluation_id as string,
    submissionId: r.submission_id as string,
    submissionVersion: Number(r.submission_version),
    region: r.region as string,
    fiscalYear: r.fiscal_year === null ? null : Number(r.fiscal_year),
    formType: r.form_type as 'project' | 'department',
    evaluation: r.evaluation as string,
    current: r.current_result_id
      ? {
          evaluationId: r.evaluation_id as string,
          resultId: r.current_result_id as string,
          ruleSetId: r.current_rule_set_id as string,
          ruleSetVersion: Number(r.current_rule_set_version),
          hash: r.current_hash as string,
          total: r.current_total === null ? null : Number(r.current_total),
          grade: (r.current_grade as string) ?? null,
          routing: r.current_routing as 'auto-approve' | 'manual-review',
          scoredAt: r.current_scored_at as string,
        }
      : null,
  }));
}
