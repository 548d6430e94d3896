import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, refusal } from '@jixiao/auth';
import type { Actor, FlaggedFinding } from '@jixiao/contracts';
import { enqueueEvents } from '@jixiao/messaging';
import { isoNow } from '@jixiao/persistence';
import {
  nextState,
  REVIEW_STATE_LABELS,
  TransitionRefused,
  type ReviewAction,
  type ReviewState,
} from '../domain/review-state';
import { DEFAULT_RETURN_REASON, pickFindings, UnknownFindings } from '../domain/return-findings';
import { withBreakdown } from '../persistence/breakdowns';
import { applyChange, CaseChangedConcurrently, loadCase, loadDetail } from '../persistence/case-store';
import type { ReviewCase } from '../persistence/review-case.entity';
import { approvedPayload } from '../persistence/review-events';
import { REVIEW_SERVICE } from '../persistence/review-tables';
import { ReviewUnitOfWork } from '../persistence/review-unit-of-work';
import type { ReviewWork } from '../persistence/review-work';
import { ApproveEvaluation, ReturnEvaluation, type DecisionOutcome } from './review-decision.command';

/**
 * Shared shape of a reviewer's decision: 404 for an unknown id, 403 (logged) outside the reviewer's regions,
 * 409 when the case is no longer at the revision the reviewer saw (when given), when the state does not allow it,
 * or when another reviewer changed the case first (the UPDATE checks the revision read here); then the change, its
 * history and audit record and its event, in one transaction.
 */
async function decide(
  uow: ReviewUnitOfWork,
  { evaluationId, principal, correlationId, expectedRevision }: ApproveEvaluation | ReturnEvaluation,
  action: ReviewAction,
  apply: (work: ReviewWork, current: ReviewCase, to: ReviewState, actor: Actor) => Promise<ReviewCase>,
): Promise<DecisionOutcome> {
  try {
    return await uow.run(async (work) => {
      const current = await loadCase(work.manager, evaluationId);
      if (!current)
        throw refusal(NotFoundException, `evaluation ${evaluationId} not found`, `没有编号为 ${evaluationId} 的自评表`);
      assertAllowed(principal, 'review', { region: current.region, unitName: current.unitName });
      if (expectedRevision !== null && current.revision !== expectedRevision)
        throw refusal(
          ConflictException,
          `evaluation ${evaluationId} has changed since revision ${expectedRevision} (now revision ${current.revision}, ` +
            `${current.state}${current.lastReason ? `: ${current.lastReason}` : ''}): look at it again before deciding`,
          `打开时为第 ${expectedRevision} 次修订，现为第 ${current.revision} 次修订（${REVIEW_STATE_LABELS[current.state]}` +
            `${current.lastReason ? `：${current.lastReason}` : ''}），请重新查看后再决定`,
        );
      const to = nextState(current.state, action);
      const next = await apply(work, current, to, { user: principal.sub, role: principal.role });
      return { evaluationId, state: next.state, revision: next.revision };
    }, correlationId);
  } catch (err) {
    if (err instanceof TransitionRefused)
      throw refusal(
        ConflictException,
        `evaluation ${evaluationId}: ${err.message}`,
        `此自评表现为“${REVIEW_STATE_LABELS[err.from]}”，不能${action === 'approve' ? '审核通过' : '退回'}`,
      );
    if (err instanceof CaseChangedConcurrently)
      throw refusal(
        ConflictException,
        err.message,
        '此自评表刚刚有了变化（他人已处理，或重新评分），请重新查看后再决定',
      );
    throw err;
  }
}

/** A decision ends whoever's hold (domain/holds.ts): the work on it is done. */
const RELEASED = { heldBy: null, heldUntil: null };

@CommandHandler(ApproveEvaluation)
export class ApproveEvaluationHandler implements ICommandHandler<ApproveEvaluation, DecisionOutcome> {
  constructor(private readonly uow: ReviewUnitOfWork) {}

  execute(command: ApproveEvaluation): Promise<DecisionOutcome> {
    const { evaluationId, comment } = command;
    return decide(this.uow, command, 'approve', async (work, current, to, actor) => {
      const next = await applyChange(work, current, {
        action: 'approve',
        to,
        actor,
        patch: RELEASED,
        reason: comment,
        details: comment ? { comment } : null,
      });
      const detail = await withBreakdown(work.manager, next, await loadDetail(work.manager, evaluationId));
      const payload = approvedPayload(next, detail, { automatic: false, actor, at: next.updatedAt, comment });
      await enqueueEvents(work.manager, REVIEW_SERVICE, [
        { name: 'review.evaluation.approved.v1', payload, correlationId: work.correlationId },
      ]);
      return next;
    });
  }
}

@CommandHandler(ReturnEvaluation)
export class ReturnEvaluationHandler implements ICommandHandler<ReturnEvaluation, DecisionOutcome> {
  constructor(private readonly uow: ReviewUnitOfWork) {}

  execute(command: ReturnEvaluation): Promise<DecisionOutcome> {
    const { evaluationId } = command;
    return decide(this.uow, command, 'return', async (work, current, to, actor) => {
      const findings = await flaggedFindings(work, current, command.findings);
      const reason = command.reason.trim() || DEFAULT_RETURN_REASON;
      const next = await applyChange(work, current, {
        action: 'return',
        to,
        actor,
        patch: RELEASED,
        reason,
        details: findings.length > 0 ? { findings } : null,
      });
      await enqueueEvents(work.manager, REVIEW_SERVICE, [
        {
          name: 'review.evaluation.returned.v1',
          payload: {
            evaluationId,
            submissionId: next.submissionId,
            submissionVersion: next.version,
            reason,
            ...(findings.length > 0 ? { findings } : {}),
            actor,
            returnedAt: isoNow(),
          },
          correlationId: work.correlationId,
        },
      ]);
      return next;
    });
  }
}

/**
 * The findings a return names, as the case's current score has them: 409 when that score's breakdown is not at hand
 * (the rules it was scored under have not reached review yet), 400 naming every key it does not have.
 */
async function flaggedFindings(
  work: ReviewWork,
  current: ReviewCase,
  keys: readonly string[],
): Promise<FlaggedFinding[]> {
  if (keys.length === 0) return [];
  const detail = await withBreakdown(work.manager, current, await loadDetail(work.manager, current.evaluationId));
  if (!detail?.scoreResult || detail.resultId !== current.resultId)
    throw refusal(
      ConflictException,
      `evaluation ${current.evaluationId}: the findings of its current score are not available yet; return it with a reason alone`,
      '此自评表当前评分的逐项明细暂不可用，不能勾选问题；请只填写退回理由',
      { code: 'FINDINGS_UNAVAILABLE' },
    );
  try {
    return pickFindings(keys, detail.scoreResult.findings);
  } catch (err) {
    if (!(err instanceof UnknownFindings)) throw err;
    throw refusal(
      BadRequestException,
      `evaluation ${current.evaluationId}: ${err.message}`,
      `当前评分中没有这些问题：${err.keys.join('、')}；请重新查看后再退回`,
      { unknownFindings: err.keys },
    );
  }
}
