import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { counter, enqueueEvents, storedEventPayload } from '@jixiao/messaging';
import { appendAudit, dialectOf, insertMany, planWithoutParameterValues, Utf8Text, withTransaction, type AuditEntry } from '@jixiao/persistence';
import type { RuleSetRegistry } from '@jixiao/scoring';
import { emptySummary, mergeSummaries } from '../domain/impact-summary';
import { RESULT_COLUMNS, RESULT_PG_TYPES, SCORING_ACTOR } from '../domain/score-record';
import { ActiveRuleSets } from '../infrastructure/active-rule-sets';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { setCurrentResults } from '../persistence/current-results';
import { RuleSnapshots } from '../persistence/rule-snapshots';
import { SCORING_SERVICE, SCORING_TABLES } from '../persistence/scoring-tables';
import { emptyOutcome, previewChunk, rescoreAuditEntries, rescoreChunk, rescoredPayload, type StoredEvaluation } from './rescore-chunk';
import {
  chunkSummaries,
  getChunk,
  getRun,
  hasPendingChunks,
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
  private readonly rescored = counter(
    'jixiao_rescore_evaluations_total',
    'Evaluations re-scored by the chunks this process committed: for an activation (results written) or an impact preview (nothing written)',
    ['kind'],
  );

  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ActiveRuleSets) private readonly ruleSets: ActiveRuleSets,
    @Inject(RuleSnapshots) private readonly snapshots: RuleSnapshots,
  ) {}

  /** Plans a run still `planning`; returns the chunks to enqueue (those not done). */
  async plan(runId: string): Promise<number[]> {
    return withTransaction(this.dataSource, async (m) => {
      const run = await getRun(m, runId, true);
      if (!run || run.status !== 'planning') return run?.status === 'running' ? pendingChunks(m, runId) : [];
      const registry = await this.ruleSets.forVersions(m, run.scope.versions, run.scope.overrides);
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

  /**
   * Runs one chunk; returns what it did (`skipped` when the chunk was done or the run is not running).
   *
   * Three steps, so that no lock is held while the CPU works: (1) outside any transaction, read the chunk's
   * evaluations and re-score them in memory, yielding to the event loop every few dozen evaluations (the process's
   * other chunk and its relay keep their transactions moving); (2) one short write transaction: the chunk row locked
   * and re-checked (a chunk another worker finished is skipped), the run row shared (a cancel takes it exclusively,
   * so it waits for chunks being written, and chunks after it see it), results inserted, current-result pointers
   * moved by compare-and-set (an evaluation whose current result changed since step 1 — another run got there
   * first — rolls the chunk back and it is done again from the start), the event, the chunk marked done and the
   * audit records last (the audit chain's head stays locked until commit); (3) if no chunk is left, the run is
   * completed under its row lock, once.
   */
  async runChunk(runId: string, chunkNo: number): Promise<'done' | 'skipped'> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.runChunkOnce(runId, chunkNo);
        if (outcome === 'done') await this.completeIfDone(runId);
        return outcome;
      } catch (err) {
        if (!(err instanceof ChunkRace) || attempt >= RACE_ATTEMPTS) throw err;
        this.logger.warn(`re-scoring run ${runId} chunk ${chunkNo}: ${err.message}; again (attempt ${attempt + 1})`);
      }
    }
  }

  private async runChunkOnce(runId: string, chunkNo: number): Promise<'done' | 'skipped'> {
    const r = this.dataSource.manager;
    const chunk = await getChunk(r, runId, chunkNo, false);
    if (!chunk || chunk.status === 'done') return 'skipped';
    const run = await getRun(r, runId);
    if (!run || run.status !== 'running') return 'skipped';
    const registry = await this.ruleSets.forVersions(r, run.scope.versions, run.scope.overrides);
    const rows = await readChunk(r, chunk, run.scope.regions ?? []);
    const now = new Date().toISOString();

    if (run.kind === 'impact') {
      const summary = emptySummary();
      for (let i = 0; i < rows.length; i += SLICE) {
        previewChunk(rows.slice(i, i + SLICE), registry, summary);
        await yieldToEventLoop();
      }
      const done = await this.writeChunk(runId, chunkNo, async (m) => {
        await markChunk(m, runId, chunkNo, { status: 'done', rescored: summary.rescored, changed: summary.changed.length, summary, at: now });
      });
      if (done === 'done') this.rescored.inc({ kind: 'impact' }, summary.rescored);
      return done;
    }

    const ctx = {
      runId,
      generation: run.ruleGeneration,
      activated: { ruleSetId: run.ruleSetId, version: run.version, by: run.createdBy, reason: run.reason },
      scoredAt: now,
    };
    const out = emptyOutcome();
    for (let i = 0; i < rows.length; i += SLICE) {
      rescoreChunk(rows.slice(i, i + SLICE), registry, ctx, out);
      await yieldToEventLoop();
    }
    rows.length = 0;
    // the event's payload as the outbox keeps it (a large one compressed) before the transaction opens: the
    // transaction neither waits for the compression nor holds the megabyte of JSON
    const payload =
      out.records.length > 0
        ? await storedEventPayload(
            rescoredPayload(
              { runId, chunk: chunkNo, activated: { ruleSetId: run.ruleSetId, version: run.version }, scoredAt: now },
              out.items,
            ),
          )
        : null;
    out.items = new Utf8Text(',', 16); // the items' megabyte need not live through the transaction
    const done = await this.writeChunk(runId, chunkNo, async (m) => {
      if (out.records.length) {
        await this.snapshots.record(m, out.ruleSets);
        await insertMany(m, T.results, [...RESULT_COLUMNS], out.records.map((x) => x.row), {
          onConflictDoNothing: ['evaluation_id', 'rule_set_hash'],
          pgTypes: [...RESULT_PG_TYPES],
        });
        const moved = await setCurrentResults(m, out.records.map((x) => x.current), out.previous.map((p) => p?.resultId ?? null));
        if (moved !== out.records.length)
          throw new ChunkRace(`${out.records.length - moved} of ${out.records.length} evaluations got another current result while the chunk was scored`);
        await enqueueEvents(m, SCORING_SERVICE, [
          {
            name: 'scoring.evaluations.rescored.v1',
            payloadJson: payload!,
            dedupeKey: `rescored:${runId}:${chunkNo}`,
            correlationId: runId,
            occurredAt: now,
          },
        ]);
      }
      await markChunk(m, runId, chunkNo, { status: 'done', rescored: out.records.length, changed: out.changed, at: now });
      if (out.records.length) await appendAudit(m, T.audit, rescoreAuditEntries(out, ctx));
    });
    if (done === 'done') this.rescored.inc({ kind: 'activation' }, out.records.length);
    return done;
  }

  /** The write transaction of a chunk: nothing when the chunk is done already or the run stopped. */
  private writeChunk(runId: string, chunkNo: number, write: (m: EntityManager) => Promise<void>): Promise<'done' | 'skipped'> {
    return withTransaction(this.dataSource, async (m) => {
      // the chunk's statements carry a thousand rows' columns and a megabyte of event: planned without the values
      await planWithoutParameterValues(m);
      const chunk = await getChunk(m, runId, chunkNo, true);
      if (!chunk || chunk.status === 'done') return 'skipped';
      const run = await getRun(m, runId, 'share');
      if (!run || run.status !== 'running') return 'skipped';
      await write(m);
      return 'done';
    });
  }

  /**
   * Completes the run when no chunk is left (after a chunk committed). Chunks commit concurrently, so each looks
   * after its own commit; the last one to commit sees none left. Cheap when chunks remain: one index probe, no lock.
   */
  async completeIfDone(runId: string): Promise<boolean> {
    if (await hasPendingChunks(this.dataSource.manager, runId)) return false;
    return withTransaction(this.dataSource, async (m) => {
      const run = await getRun(m, runId, true);
      if (!run || run.status !== 'running' || (await hasPendingChunks(m, runId))) return false;
      const at = new Date().toISOString();
      if (run.kind === 'impact') {
        await updateRun(m, run.id, { status: 'completed', finishedAt: at, report: mergeSummaries(await chunkSummaries(m, run.id)) });
        return true;
      }
      await updateRun(m, run.id, { status: 'completed', finishedAt: at });
      await appendAudit(m, T.audit, [runAudit(run, 'rescoring run completed', 'running', 'completed', null, at)]);
      this.logger.log(`re-scoring run ${run.id} completed`);
      return true;
    });
  }
}

/** A chunk's write found that what it read had changed meanwhile: it is rolled back and done again. */
class ChunkRace extends Error {}

const RACE_ATTEMPTS = 5;

/** Evaluations re-scored between two turns of the event loop (~10 ms of CPU). */
const SLICE = 50;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
            current_grade, current_routing, current_scored_at, current_generation
       FROM ${T.evaluations} WHERE ${where} ORDER BY evaluation_id`,
    params,
  );
  return rows.map(storedEvaluation);
}

/** A row of `scoring_evaluations` (with its current_* columns) as a chunk reads it. */
export function storedEvaluation(r: Record<string, unknown>): StoredEvaluation {
  return {
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
          generation: r.current_generation === null || r.current_generation === undefined ? null : Number(r.current_generation),
        }
      : null,
  };
}
