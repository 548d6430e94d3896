import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isoNow } from '@jixiao/persistence';
import { applyChange, createCase, loadCase, note, updateDetail } from '../persistence/case-store';
import { ReviewCase } from '../persistence/review-case.entity';
import { emptyScore } from '../persistence/empty-score';
import { ReviewDetail } from '../persistence/review-detail.entity';
import type { ReviewWork } from '../persistence/review-work';
import { RecordSubmission } from './record-submission.command';
import { TRAIL_REASONS } from '../domain/trail-reasons';

@CommandHandler(RecordSubmission)
export class RecordSubmissionHandler implements ICommandHandler<RecordSubmission> {
  async execute({ submission: s, work }: RecordSubmission): Promise<void> {
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
    const existing = await loadCase(work.manager, s.evaluationId, true);
    if (!existing) {
      const now = isoNow();
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
      const created = await createCase(work, row, detail, {
        action: 'receive',
        actor,
        reason: s.previousVersionId ? TRAIL_REASONS.correctionOf(s.version, s.previousVersionId) : null,
        details: { submissionId: s.submissionId, version: s.version },
        payload: s,
      });
      if (created) {
        await noteOnPreviousVersion(work, s);
        return;
      }
    }
    const current = (await loadCase(work.manager, s.evaluationId, true))!;
    if (current.receivedAt) {
      await note(work, current, { action: 'receive-ignored', actor, reason: TRAIL_REASONS.submissionAgain });
      return;
    }
    // The score overtook the submission (queues race): complete the placeholder, keep the state it reached.
    await applyChange(work, current, {
      action: 'receive',
      actor,
      patch: facts,
      details: { submissionId: s.submissionId, version: s.version, afterScore: true },
      payload: s,
    });
    await updateDetail(work, s.evaluationId, { evaluation: s.evaluation });
  }
}

/** The version a correction replaces shows it in its own history (a note: its state does not change). */
async function noteOnPreviousVersion(work: ReviewWork, s: RecordSubmission['submission']): Promise<void> {
  if (!s.previousVersionId) return;
  const previous = await loadCase(work.manager, s.previousVersionId);
  if (!previous) return;
  await note(work, previous, {
    action: 'resubmitted',
    actor: s.actor,
    reason: TRAIL_REASONS.correctedBy(s.version, s.evaluationId),
    details: { evaluationId: s.evaluationId, version: s.version },
  });
}
