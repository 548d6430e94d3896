import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { enqueueEvents, type OutgoingEvent } from '@jixiao/messaging';
import { isoNow } from '@jixiao/persistence';
import { nextState } from '../domain/review-state';
import { planScore } from '../domain/score-plan';
import { SYSTEM, serviceActor } from '../persistence/actors';
import { applyChange, createCase, loadCase, loadDetail, note, updateDetail } from '../persistence/case-store';
import type { ReviewCase } from '../persistence/review-case.entity';
import { withBreakdown } from '../persistence/breakdowns';
import { approvedPayload, routedPayload } from '../persistence/review-events';
import { REVIEW_SERVICE } from '../persistence/review-tables';
import type { ReviewWork } from '../persistence/review-work';
import { RecordScore } from './record-score.command';
import {
  factsOf,
  PLACEHOLDER_STEP,
  placeholderCase,
  recordedFacts,
  rescoreReason,
  scoreAuditPayload,
  scoreColumns,
  scoreDetails,
  type Scored,
} from './score-facts';

@CommandHandler(RecordScore)
export class RecordScoreHandler implements ICommandHandler<RecordScore> {
  async execute({ score: s, work }: RecordScore): Promise<void> {
    const actor = serviceActor(work.source);
    let current = (await loadCase(work.manager, s.evaluationId, true)) ?? (await openPlaceholder(work, s));
    const plan = planScore(current.state, recordedFacts(current), factsOf(s));
    if (plan.kind === 'ignore') {
      await note(work, current, {
        action: 'score-ignored',
        actor,
        reason: plan.reason,
        details: { resultId: s.resultId },
      });
      return;
    }
    if (s.result) await updateDetail(work, s.evaluationId, { resultId: s.resultId, scoreResult: s.result });
    const patch = scoreColumns(s);
    const details = scoreDetails(s);
    const events: OutgoingEvent[] = [];
    const at = isoNow();

    if (plan.kind === 'record') {
      await applyChange(work, current, {
        action: 'rescore',
        actor,
        patch,
        reason: plan.changes.length ? rescoreReason(s, plan.changes) : null,
        details,
        payload: scoreAuditPayload(s),
      });
    } else if (plan.kind === 'reopen') {
      const reason = rescoreReason(s, plan.changes);
      current = await applyChange(work, current, {
        action: 'score',
        to: nextState(current.state, 'score'),
        actor,
        patch,
        details,
        payload: scoreAuditPayload(s),
      });
      current = await applyChange(work, current, {
        action: 'route-to-review',
        to: nextState(current.state, 'route-to-review'),
        actor: SYSTEM,
        reason,
      });
      events.push({
        name: 'review.evaluation.routed.v1',
        payload: routedPayload(current, 'in-review', [...plan.changes, ...s.routing.reasons], at),
      });
    } else {
      current = await applyChange(work, current, {
        action: 'score',
        to: nextState(current.state, 'score'),
        actor,
        patch,
        details,
        payload: scoreAuditPayload(s),
      });
      const [, route] = plan.actions;
      const reason = s.routing.reasons.length ? s.routing.reasons.join('; ') : null;
      current = await applyChange(work, current, {
        action: route,
        to: nextState(current.state, route),
        actor: SYSTEM,
        reason,
      });
      if (route === 'auto-approve') {
        const detail = await withBreakdown(work.manager, current, await loadDetail(work.manager, s.evaluationId));
        events.push({
          name: 'review.evaluation.routed.v1',
          payload: routedPayload(current, 'auto-approved', s.routing.reasons, at),
        });
        events.push({
          name: 'review.evaluation.approved.v1',
          payload: approvedPayload(current, detail, { automatic: true, actor: SYSTEM, at }),
        });
      } else {
        events.push({
          name: 'review.evaluation.routed.v1',
          payload: routedPayload(current, 'in-review', s.routing.reasons, at),
        });
      }
    }
    await enqueueEvents(
      work.manager,
      REVIEW_SERVICE,
      events.map((e) => ({ ...e, correlationId: work.correlationId })),
    );
  }
}

/** The score overtook its submission: open the case from what the score carries (see placeholderCase). */
async function openPlaceholder(work: ReviewWork, s: Scored): Promise<ReviewCase> {
  const { row, detail } = placeholderCase(s);
  await createCase(work, row, detail, {
    ...PLACEHOLDER_STEP,
    actor: serviceActor(work.source),
    details: { resultId: s.resultId },
  });
  return (await loadCase(work.manager, s.evaluationId, true))!;
}
