import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseBatch } from '../persistence/case-batch';
import { ReviewCase } from '../persistence/review-case.entity';
import { ReviewDetail } from '../persistence/review-detail.entity';
import { emptyScore } from '../persistence/empty-score';
import { RecordSubmissions, type SubmissionItem } from './record-submissions.command';
import { TRAIL_REASONS } from '../domain/trail-reasons';

/**
 * RecordSubmission for many submissions in one transaction, set-based (CaseBatch): the cases and the versions they
 * correct read in two queries, then a handful of multi-row statements. Same end state, history, audit records as
 * RecordSubmission for each in turn.
 */
@CommandHandler(RecordSubmissions)
export class RecordSubmissionsHandler implements ICommandHandler<RecordSubmissions> {
  async execute({ items, manager }: RecordSubmissions): Promise<void> {
    if (items.length === 0) return;
    const batch = new CaseBatch(manager);
    await batch.load(items.map((i) => i.submission.evaluationId));
    // the corrected versions are only noted on (read without a lock, as RecordSubmission reads them)
    await batch.load(
      items.flatMap((i) => (i.submission.previousVersionId ? [i.submission.previousVersionId] : [])),
      false,
    );
    for (const item of items) recordOne(batch, item);
    await batch.flush();
  }
}

function recordOne(batch: CaseBatch, item: SubmissionItem): void {
  const { submission: s } = item;
  const facts = {
    submissionId: s.submissionId,
    version: s.version,
    previousVersionId: s.previousVersionId,
    region: s.region,
    fiscalYear: s.fiscalYear,
    formType: s.formType,
    unitName: s.unitName,
    projectName: s.projectName,
    receivedAt: s.receivedAt,
  };
  const actor = s.actor;
  const existing = batch.find(s.evaluationId);
  if (!existing) {
    const now = batch.at;
    const row = Object.assign(new ReviewCase(), emptyScore(), facts, {
      evaluationId: s.evaluationId,
      state: 'submitted' as const,
      revision: 1,
      lastReason: null,
      publicPath: null,
      createdAt: now,
      updatedAt: now,
    });
    const detail = Object.assign(new ReviewDetail(), {
      evaluationId: s.evaluationId,
      evaluation: s.evaluation,
      resultId: null,
      scoreResult: null,
      updatedAt: now,
    });
    batch.add(
      row,
      detail,
      {
        action: 'receive',
        actor,
        reason: s.previousVersionId ? TRAIL_REASONS.correctionOf(s.version, s.previousVersionId) : null,
        details: { submissionId: s.submissionId, version: s.version },
        payload: s,
      },
      item,
    );
    const previous = s.previousVersionId ? batch.find(s.previousVersionId) : undefined;
    if (previous) {
      batch.note(
        previous,
        {
          action: 'resubmitted',
          actor: s.actor,
          reason: TRAIL_REASONS.correctedBy(s.version, s.evaluationId),
          details: { evaluationId: s.evaluationId, version: s.version },
        },
        item,
      );
    }
    return;
  }
  if (existing.receivedAt) {
    batch.note(existing, { action: 'receive-ignored', actor, reason: TRAIL_REASONS.submissionAgain }, item);
    return;
  }
  // The score overtook the submission (queues race): complete the placeholder, keep the state it reached.
  batch.apply(
    existing,
    {
      action: 'receive',
      actor,
      patch: facts,
      details: { submissionId: s.submissionId, version: s.version, afterScore: true },
      payload: s,
    },
    item,
  );
  batch.setEvaluation(s.evaluationId, s.evaluation);
}
