import type { EntityManager } from 'typeorm';
import { dialectOf, insertMany } from '@jixiao/persistence';
import type { ImpactReport, ImpactSummary } from '../domain/impact-summary';
import type { RunScope } from '../domain/rescore-scope';
import { SCORING_TABLES } from '../persistence/scoring-tables';

const R = SCORING_TABLES.runs;
const C = SCORING_TABLES.chunks;

export type RunKind = 'activation' | 'impact';
export type RunStatus = 'planning' | 'running' | 'cancelled' | 'completed' | 'failed';

export interface RunRow {
  id: string;
  kind: RunKind;
  ruleSetId: string;
  version: number;
  versionId: string;
  status: RunStatus;
  scope: RunScope;
  chunkSize: number;
  total: number | null;
  chunkCount: number | null;
  ruleGeneration: number;
  createdBy: string;
  reason: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  resumes: number;
  error: string | null;
  report: ImpactReport | null;
}

export interface ChunkPlan {
  chunk: number;
  firstId: string;
  /** Exclusive upper bound; '' for the last chunk. */
  lastId: string;
  size: number;
}

const ph = (m: EntityManager, i: number) => (dialectOf(m) === 'postgres' ? `$${i}` : '?');
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toRun(r: Record<string, unknown>): RunRow {
  return {
    id: r.id as string,
    kind: r.kind as RunKind,
    ruleSetId: r.rule_set_id as string,
    version: Number(r.version),
    versionId: r.version_id as string,
    status: r.status as RunStatus,
    scope: JSON.parse(r.scope as string) as RunScope,
    chunkSize: Number(r.chunk_size),
    total: num(r.total),
    chunkCount: num(r.chunk_count),
    ruleGeneration: Number(r.rule_generation),
    createdBy: r.created_by as string,
    reason: (r.reason as string) ?? null,
    createdAt: r.created_at as string,
    startedAt: (r.started_at as string) ?? null,
    finishedAt: (r.finished_at as string) ?? null,
    resumes: Number(r.resumes),
    error: (r.error as string) ?? null,
    report: r.report ? (JSON.parse(r.report as string) as ImpactReport) : null,
  };
}

export async function insertRun(m: EntityManager, run: RunRow): Promise<void> {
  await insertMany(
    m,
    R,
    [
      'id', 'kind', 'rule_set_id', 'version', 'version_id', 'status', 'scope', 'chunk_size', 'total', 'chunk_count',
      'rule_generation', 'created_by', 'reason', 'created_at', 'started_at', 'finished_at', 'resumes', 'error', 'report',
    ],
    [[
      run.id, run.kind, run.ruleSetId, run.version, run.versionId, run.status, JSON.stringify(run.scope), run.chunkSize,
      run.total, run.chunkCount, run.ruleGeneration, run.createdBy, run.reason, run.createdAt, run.startedAt,
      run.finishedAt, run.resumes, run.error, run.report ? JSON.stringify(run.report) : null,
    ]],
  );
}

/** `lock`: true takes the run row exclusively, 'share' lets other chunks write beside this one. */
export async function getRun(m: EntityManager, id: string, lock: boolean | 'share' = false): Promise<RunRow | null> {
  const clause = lock === 'share' ? ' FOR SHARE' : lock ? ' FOR UPDATE' : '';
  const forUpdate = dialectOf(m) === 'postgres' ? clause : '';
  const rows = await m.query(`SELECT * FROM ${R} WHERE id = ${ph(m, 1)}${forUpdate}`, [id]);
  return rows.length ? toRun(rows[0]) : null;
}

export async function listRuns(m: EntityManager, limit: number): Promise<RunRow[]> {
  const rows = await m.query(`SELECT * FROM ${R} ORDER BY created_at DESC, id DESC LIMIT ${Math.max(1, Math.floor(limit))}`);
  return rows.map(toRun);
}

export async function unfinishedRuns(m: EntityManager): Promise<RunRow[]> {
  return (await m.query(`SELECT * FROM ${R} WHERE status IN ('planning', 'running') ORDER BY created_at`)).map(toRun);
}

export async function updateRun(
  m: EntityManager,
  id: string,
  patch: Partial<Pick<RunRow, 'status' | 'total' | 'chunkCount' | 'startedAt' | 'finishedAt' | 'resumes' | 'error' | 'report' | 'scope'>>,
): Promise<void> {
  const cols: Record<string, string> = {
    status: 'status',
    total: 'total',
    chunkCount: 'chunk_count',
    startedAt: 'started_at',
    finishedAt: 'finished_at',
    resumes: 'resumes',
    error: 'error',
    report: 'report',
    scope: 'scope',
  };
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [k, v] of Object.entries(patch)) {
    values.push(k === 'report' || k === 'scope' ? (v === null ? null : JSON.stringify(v)) : v);
    sets.push(`${cols[k]} = ${ph(m, values.length)}`);
  }
  if (!sets.length) return;
  values.push(id);
  await m.query(`UPDATE ${R} SET ${sets.join(', ')} WHERE id = ${ph(m, values.length)}`, values);
}

export async function insertChunks(m: EntityManager, runId: string, chunks: readonly ChunkPlan[]): Promise<void> {
  await insertMany(
    m,
    C,
    ['run_id', 'chunk', 'first_id', 'last_id', 'size', 'status'],
    chunks.map((c) => [runId, c.chunk, c.firstId, c.lastId, c.size, 'pending']),
    { pgTypes: ['text', 'integer', 'text', 'text', 'integer', 'text'] },
  );
}

export async function getChunk(
  m: EntityManager,
  runId: string,
  chunk: number,
  lock: boolean,
): Promise<(ChunkPlan & { status: string }) | null> {
  const forUpdate = lock && dialectOf(m) === 'postgres' ? ' FOR UPDATE' : '';
  const rows = await m.query(
    `SELECT chunk, first_id, last_id, size, status FROM ${C} WHERE run_id = ${ph(m, 1)} AND chunk = ${ph(m, 2)}${forUpdate}`,
    [runId, chunk],
  );
  if (!rows.length) return null;
  const r = rows[0];
  return { chunk: Number(r.chunk), firstId: r.first_id, lastId: r.last_id, size: Number(r.size), status: r.status };
}

/** Whether any chunk of the run is not done (an index probe, no lock). */
export async function hasPendingChunks(m: EntityManager, runId: string): Promise<boolean> {
  const rows = await m.query(`SELECT 1 AS p FROM ${C} WHERE run_id = ${ph(m, 1)} AND status <> 'done' LIMIT 1`, [runId]);
  return rows.length > 0;
}

export async function pendingChunks(m: EntityManager, runId: string): Promise<number[]> {
  const rows = await m.query(`SELECT chunk FROM ${C} WHERE run_id = ${ph(m, 1)} AND status <> 'done' ORDER BY chunk`, [
    runId,
  ]);
  return rows.map((r: { chunk: unknown }) => Number(r.chunk));
}

export async function markChunk(
  m: EntityManager,
  runId: string,
  chunk: number,
  p: { status: 'done' | 'failed' | 'pending'; rescored?: number; changed?: number; summary?: ImpactSummary; at?: string; error?: string },
): Promise<void> {
  await m.query(
    `UPDATE ${C} SET status = ${ph(m, 1)}, rescored = ${ph(m, 2)}, changed = ${ph(m, 3)}, summary = ${ph(m, 4)},
       done_at = ${ph(m, 5)}, error = ${ph(m, 6)} WHERE run_id = ${ph(m, 7)} AND chunk = ${ph(m, 8)}`,
    [
      p.status,
      p.rescored ?? null,
      p.changed ?? null,
      p.summary ? JSON.stringify(p.summary) : null,
      p.at ?? null,
      p.error ?? null,
      runId,
      chunk,
    ],
  );
}

export async function resetFailedChunks(m: EntityManager, runId: string): Promise<void> {
  await m.query(`UPDATE ${C} SET status = 'pending', error = NULL WHERE run_id = ${ph(m, 1)} AND status = 'failed'`, [runId]);
}

export interface RunProgress {
  chunksDone: number;
  rescored: number;
  changed: number;
}

export async function runProgress(m: EntityManager, runId: string): Promise<RunProgress> {
  const [row] = await m.query(
    `SELECT COUNT(*) AS n, COALESCE(SUM(rescored), 0) AS rescored, COALESCE(SUM(changed), 0) AS changed
       FROM ${C} WHERE run_id = ${ph(m, 1)} AND status = 'done'`,
    [runId],
  );
  return { chunksDone: Number(row.n), rescored: Number(row.rescored), changed: Number(row.changed) };
}

export async function chunkSummaries(m: EntityManager, runId: string): Promise<ImpactSummary[]> {
  const rows = await m.query(
    `SELECT summary FROM ${C} WHERE run_id = ${ph(m, 1)} AND status = 'done' AND summary IS NOT NULL ORDER BY chunk`,
    [runId],
  );
  return rows.map((r: { summary: string }) => JSON.parse(r.summary) as ImpactSummary);
}
