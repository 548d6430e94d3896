import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { canTransition, nextState } from '../domain/review-state';
import { serviceActor } from '../persistence/actors';
import { applyChange, loadCase, note } from '../persistence/case-store';
import type { ReviewCase } from '../persistence/review-case.entity';
import type { ReviewWork } from '../persistence/review-work';
import { RecordPublication, RecordRetraction } from './record-disclosure.command';
import { TRAIL_REASONS } from '../domain/trail-reasons';

/**
 * Publication only acts on our approvals, so the case exists; if it does not (yet), throwing lets BullMQ retry.
 * A publish or retract that the case's state no longer allows (a re-scoring sent it back to review meanwhile) is
 * noted in the history and changes nothing: the reviewer's decision comes first.
 */
async function caseFor(work: ReviewWork, evaluationId: string): Promise<ReviewCase> {
  const found = await loadCase(work.manager, evaluationId, true);
  if (!found) throw new Error(`review has no case for evaluation ${evaluationId} (event ${work.eventId}); retrying`);
  return found;
}

@CommandHandler(RecordPublication)
export class RecordPublicationHandler implements ICommandHandler<RecordPublication> {
  async execute({ published: p, work }: RecordPublication): Promise<void> {
    const current = await caseFor(work, p.evaluationId);
    const actor = serviceActor(work.source);
    const details = { disclosureId: p.disclosureId, revision: p.revision, path: p.path };
    if (!canTransition(current.state, 'publish')) {
      await note(work, current, {
        action: 'publish-ignored',
        actor,
        reason: TRAIL_REASONS.notApplied(current.state),
        details,
      });
      return;
    }
    await applyChange(work, current, {
      action: 'publish',
      to: nextState(current.state, 'publish'),
      actor,
      patch: { publicPath: p.path },
      reason: p.revision > 1 ? `disclosure revision ${p.revision}` : null,
      details,
      payload: p,
    });
  }
}

@CommandHandler(RecordRetraction)
export class RecordRetractionHandler implements ICommandHandler<RecordRetraction> {
  async execute({ retracted: r, work }: RecordRetraction): Promise<void> {
    const current = await caseFor(work, r.evaluationId);
    if (current.state === 'approved') {
      // Publication only retracts what it published: the retraction overtook its publication in our inbox (jobs run
      // in parallel on PostgreSQL). Throwing rolls back and lets BullMQ retry once the publication is applied.
      throw new Error(
        `retraction of ${r.evaluationId} arrived before its publication (event ${work.eventId}); retrying`,
      );
    }
    const details = { disclosureId: r.disclosureId };
    if (!canTransition(current.state, 'retract')) {
      await note(work, current, {
        action: 'retract-ignored',
        actor: r.actor,
        reason: `${r.reason}（${TRAIL_REASONS.notApplied(current.state)}）`,
        details,
      });
      return;
    }
    await applyChange(work, current, {
      action: 'retract',
      to: nextState(current.state, 'retract'),
      actor: r.actor,
      reason: r.reason,
      details,
      payload: r,
    });
  }
}
