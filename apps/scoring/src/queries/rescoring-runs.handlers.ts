import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { getRun, listRuns, runProgress, type RunRow, type RunProgress } from '../rescoring/run-store';
import { GetRun, ListRuns } from './rule-versions.queries';

/** A run as the API and `jixiao rescore --follow` show it: done / total, evaluations per second, ETA. */
export function runView(run: RunRow, p: RunProgress, now = Date.now()) {
  const total = run.total;
  const done = run.status === 'completed' ? (total ?? p.rescored) : Math.min(p.rescored, total ?? p.rescored);
  const start = run.startedAt ? Date.parse(run.startedAt) : null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const seconds = start === null ? null : Math.max(0.001, (end - start) / 1000);
  const rate = seconds === null || done === 0 ? null : Math.round((done / seconds) * 10) / 10;
  const active = run.status === 'running' || run.status === 'planning';
  const eta = active && rate && total !== null ? Math.max(0, Math.round((total - done) / rate)) : null;
  return {
    id: run.id,
    kind: run.kind,
    ruleSet: { id: run.ruleSetId, version: run.version },
    status: run.status,
    total,
    done,
    rescored: p.rescored,
    changed: p.changed,
    chunks: { total: run.chunkCount, done: p.chunksDone },
    ratePerSecond: rate,
    etaSeconds: eta,
    createdAt: run.createdAt,
    createdBy: run.createdBy,
    reason: run.reason,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    resumes: run.resumes,
    error: run.error,
    report: run.report,
  };
}

@QueryHandler(GetRun)
export class GetRunHandler implements IQueryHandler<GetRun> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ runId }: GetRun) {
    const m = this.dataSource.manager;
    const run = await getRun(m, runId);
    if (!run) throw new NotFoundException(`no re-scoring run ${runId}`);
    return runView(run, await runProgress(m, runId));
  }
}

@QueryHandler(ListRuns)
export class ListRunsHandler implements IQueryHandler<ListRuns> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ limit }: ListRuns) {
    const m = this.dataSource.manager;
    const runs = await listRuns(m, limit);
    return { items: await Promise.all(runs.map(async (r) => runView(r, await runProgress(m, r.id)))) };
  }
}
