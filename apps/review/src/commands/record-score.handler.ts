import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { enqueueEvents, type OutgoingEvent } from '@jixiao/messaging';
import { isoNow } from '@jixiao/persistence';
import { nextState } from '../domain/review-state';
import { planScore, type ScoreFacts } from '../domain/score-plan';
import { SYSTEM, serviceActor } from '../persistence/actors';
import { emptyScore } from '../persistence/empty-score';
import { applyChange, createCase, loadCase, loadDetail, note, updateDetail } from '../persistence/case-store';
import { ReviewCase } from '../persistence/review-case.entity';
import { ReviewDetail } from '../persistence/review-detail.entity';
import { approvedPayload, routedPayload } from '../persistence/review-events';
import { REVIEW_SERVICE } from '../persistence/review-tables';
import type { ReviewWork } from '../persistence/review-work';
import { RecordScore } from './record-score.command';

type Scored = EventPayload<'scoring.evaluation.scored.v1'>;

@CommandHandler(RecordScore)
export class RecordScoreHandler implements ICommandHandler<RecordScore> {
  async execute({ score: s, work }: RecordScore): Promise<void> {
    const actor = serviceActor(work.source);
    let current = (await loadCase(work.manager, s.evaluationId, true)) ?? (await openPlaceholder(work, s));
    const previous: ScoreFacts | null = current.resultId
      ? {
          resultId: current.resultId,
          scoredAt: current.scoredAt!,
          total: current.total,
          grade: current.grade,
          routing: current.routingDecision!,
        }
      : null;
    const plan = planScore(current.state, previous, factsOf(s));
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
    const details = {
      resultId: s.resultId,
      total: s.total,
      grade: s.grade,
      routing: s.routing.decision,
      rescoringRunId: s.rescoringRunId,
    };
    const events: OutgoingEvent[] = [];
    const at = isoNow();

    if (plan.kind === 'record') {
      await applyChange(work, current, {
        action: 'rescore',
        actor,
        patch,
        reason: plan.changes.length ? `重新评分: ${plan.changes.join('; ')}` : null,
        details,
        payload: s,
      });
    } else if (plan.kind === 'reopen') {
      const reason = `重新评分: ${plan.changes.join('; ')}`;
      current = await applyChange(work, current, {
        action: 'score',
        to: nextState(current.state, 'score'),
        actor,
        patch,
        details,
        payload: s,
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
        payload: s,
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
        const detail = await loadDetail(work.manager, s.evaluationId);
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
    await enqueueEvents(work.manager, REVIEW_SERVICE, events);
  }
}

function factsOf(s: Scored): ScoreFacts {
  return { resultId: s.resultId, scoredAt: s.scoredAt, total: s.total, grade: s.grade, routing: s.routing.decision };
}

function scoreColumns(s: Scored): Partial<ReviewCase> {
  return {
    resultId: s.resultId,
    scoredAt: s.scoredAt,
    total: s.total,
    grade: s.grade,
    executionRate: s.execution.rate,
    findingErrors: s.findingCounts.error,
    findingWarnings: s.findingCounts.warning,
    findingInfos: s.findingCounts.info,
    findingCodes: s.findingCodes,
    routingDecision: s.routing.decision,
    routingReasons: s.routing.reasons,
    ruleSetId: s.ruleSet.id,
    ruleSetVersion: s.ruleSet.version,
    ruleSetHash: s.ruleSet.hash,
  };
}

/**
 * The score overtook its submission (both leave intake's relay together, but the review inbox may take them in
 * any order, with several jobs at once on PostgreSQL): open the case from what the score carries, so nothing
 * waits on retries; the submission completes it when it comes.
 */
async function openPlaceholder(work: ReviewWork, s: Scored): Promise<ReviewCase> {
  const now = isoNow();
  const row = Object.assign(new ReviewCase(), emptyScore(), {
    evaluationId: s.evaluationId,
    submissionId: s.submissionId,
    version: s.submissionVersion,
    previousVersionId: null,
    region: s.region,
    fiscalYear: s.fiscalYear,
    formType: s.formType,
    unitName: s.result?.unitName ?? null,
    projectName: s.result?.projectName ?? null,
    state: 'submitted' as const,
    revision: 1,
    receivedAt: null,
    lastReason: null,
    publicPath: null,
    createdAt: now,
    updatedAt: now,
  });
  const detail = Object.assign(new ReviewDetail(), {
    evaluationId: s.evaluationId,
    evaluation: null,
    resultId: null,
    scoreResult: null,
    updatedAt: now,
  });
  await createCase(work, row, detail, {
    action: 'open-from-score',
    actor: serviceActor(work.source),
    reason: 'the score arrived before the submission',
    details: { resultId: s.resultId },
  });
  return (await loadCase(work.manager, s.evaluationId, true))!;
}
