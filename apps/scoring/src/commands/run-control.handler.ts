import { ConflictException, Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed, type Principal } from '@jixiao/auth';
import { appendAudit, withTransaction } from '@jixiao/persistence';
import { SCORING_DATA_SOURCE, SCORING_RESCORE_QUEUE } from '../infrastructure/scoring.tokens';
import { findVersion } from '../persistence/rule-version-store';
import { SCORING_TABLES } from '../persistence/scoring-tables';
import type { RescoreQueue } from '../rescoring/rescore-queue';
import { runAudit } from '../rescoring/rescoring.service';
import { getRun, pendingChunks, resetFailedChunks, updateRun, type RunRow } from '../rescoring/run-store';
import { CancelRun, ResumeRun } from './rule-version.commands';

async function lockedRun(m: Parameters<typeof getRun>[0], runId: string, principal: Principal): Promise<RunRow> {
  const run = await getRun(m, runId, true);
  if (!run) throw new NotFoundException(`no re-scoring run ${runId}`);
  const v = await findVersion(m, run.ruleSetId, run.version);
  assertAllowed(principal, 'manage-rules', { region: v?.region ?? run.ruleSetId.split('@')[0] });
  return run;
}

/** Cancel: chunks not yet written stay unwritten (a chunk being written finishes first: it holds the run row). */
@CommandHandler(CancelRun)
export class CancelRunHandler implements ICommandHandler<CancelRun> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ runId, principal }: CancelRun) {
    return withTransaction(this.dataSource, async (m) => {
      const run = await lockedRun(m, runId, principal);
      if (run.status !== 'planning' && run.status !== 'running')
        throw new ConflictException(`run ${runId} is ${run.status}: only a planning or running run can be cancelled`);
      const now = new Date().toISOString();
      await updateRun(m, runId, { status: 'cancelled', finishedAt: now });
      if (run.kind === 'activation')
        await appendAudit(m, SCORING_TABLES.audit, [
          runAudit(run, 'rescoring run cancelled', run.status, 'cancelled', null, now, { user: principal.sub, role: principal.role }),
        ]);
      return { id: runId, status: 'cancelled' };
    });
  }
}

/** Resume a cancelled or failed run: its unfinished chunks are queued again (chunks done stay done). */
@CommandHandler(ResumeRun)
export class ResumeRunHandler implements ICommandHandler<ResumeRun> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_RESCORE_QUEUE) private readonly queue: RescoreQueue,
  ) {}

  async execute({ runId, principal }: ResumeRun) {
    const { run, chunks } = await withTransaction(this.dataSource, async (m) => {
      const run = await lockedRun(m, runId, principal);
      if (run.status !== 'cancelled' && run.status !== 'failed')
        throw new ConflictException(`run ${runId} is ${run.status}: only a cancelled or failed run can be resumed`);
      const status = run.chunkCount === null ? 'planning' : 'running';
      const resumes = run.resumes + 1;
      await resetFailedChunks(m, runId);
      await updateRun(m, runId, { status, resumes, finishedAt: null, error: null });
      if (run.kind === 'activation')
        await appendAudit(m, SCORING_TABLES.audit, [
          runAudit(run, 'rescoring run resumed', run.status, status, null, new Date().toISOString(), { user: principal.sub, role: principal.role }),
        ]);
      return { run: { ...run, status, resumes }, chunks: status === 'running' ? await pendingChunks(m, runId) : [] };
    });
    if (run.status === 'planning') await this.queue.enqueuePlan(runId, run.resumes).catch(() => undefined);
    else await this.queue.enqueueChunks(runId, chunks, run.resumes).catch(() => undefined);
    return { id: runId, status: run.status };
  }
}
