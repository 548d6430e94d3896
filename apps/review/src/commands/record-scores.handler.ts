import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { enqueueEvents, enqueueOrRide, type OutgoingEvent } from '@jixiao/messaging';
import { isoNow, type Rider } from '@jixiao/persistence';
import { nextState } from '../domain/review-state';
import { planScore } from '../domain/score-plan';
import { SYSTEM, serviceActor } from '../persistence/actors';
import { CaseBatch } from '../persistence/case-batch';
import type { ReviewCase } from '../persistence/review-case.entity';
import { ReviewDetail } from '../persistence/review-detail.entity';
import { withBreakdowns } from '../persistence/breakdowns';
import { approvedPayload, routedPayload } from '../persistence/review-events';
import { REVIEW_SERVICE } from '../persistence/review-tables';
import { RecordScores, type RescoredChunk, type ScoreItem } from './record-scores.command';
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

/** An approval whose payload waits for the stored detail rows (read once for all, before the batch writes). */
interface PendingApproval {
  case: ReviewCase;
  result: Pick<ReviewDetail, 'resultId' | 'scoreResult'> | undefined;
  at: string;
  correlationId: string | null;
}

/** An approved or published case a re-scoring chunk sent back to a reviewer: passed on to publication. */
interface Reopened {
  case: ReviewCase;
  score: Scored;
  result: Pick<ReviewDetail, 'resultId' | 'scoreResult'> | undefined;
}

/**
 * RecordScore for many scores in one transaction, set-based: the cases are read in one query, each score is planned
 * with `planScore` against the case as the scores before it left it, and the batch is written with a handful of
 * multi-row statements. Same end state, history, audit records and events as RecordScore for each in turn.
 */
@CommandHandler(RecordScores)
export class RecordScoresHandler implements ICommandHandler<RecordScores> {
  async execute({ items, manager, chunk }: RecordScores): Promise<void> {
    if (items.length === 0) return;
    const batch = new CaseBatch(manager);
    const missing = new Set(await batch.load(items.map((i) => i.score.evaluationId)));
    const firstScore = new Map<string, Scored>();
    for (const { score } of items)
      if (missing.has(score.evaluationId) && !firstScore.has(score.evaluationId))
        firstScore.set(score.evaluationId, score);
    await batch.create([...firstScore.values()].map(placeholderCase));

    const events: Array<OutgoingEvent | PendingApproval> = [];
    const reopened: Reopened[] = [];
    for (const item of items) {
      if (missing.delete(item.score.evaluationId)) {
        batch.opened(batch.get(item.score.evaluationId), openStep(item), item);
      }
      recordOne(batch, item, events, chunk ? reopened : null);
    }

    const approvals = events.filter((e): e is PendingApproval => !('name' in e));
    const pending = [...approvals, ...reopened];
    const stored = await batch.storedDetails(pending.map((a) => a.case.evaluationId));
    // each approved or reopened score's breakdown, recomputed from the evaluation and the rules it cites (scores
    // come as figures)
    const details = await withBreakdowns(
      manager,
      pending.map((a) => ({ case: a.case, detail: detailAsLoaded(stored.get(a.case.evaluationId), a.result) })),
    );
    const detailOf = new Map<PendingApproval | Reopened, ReviewDetail | null>(pending.map((a, i) => [a, details[i]]));
    const outgoing = events.map((e) =>
      'name' in e
        ? e
        : {
            name: 'review.evaluation.approved.v1' as const,
            payload: approvedPayload(e.case, detailOf.get(e) ?? null, { automatic: true, actor: SYSTEM, at: e.at }),
            correlationId: e.correlationId,
          },
    );
    // the events travel in the audit records' statement (one round trip) unless there are too many for one
    const riders: Rider[] = [];
    await enqueueOrRide(manager, REVIEW_SERVICE, outgoing, riders);
    if (chunk && reopened.length > 0) {
      // written apart: with a breakdown per item it can be large, and enqueueEvents compresses large payloads
      await enqueueEvents(manager, REVIEW_SERVICE, [
        {
          name: 'review.evaluations.reopened.v1',
          payload: reopenedPayload(chunk, reopened, detailOf),
          dedupeKey: `reopened:${chunk.runId}:${chunk.chunk}`,
          correlationId: chunk.runId,
        },
      ]);
    }
    await batch.flush(riders);
  }
}

/** The reopened cases' new scores, each with its breakdown where review could recompute it. */
function reopenedPayload(
  chunk: RescoredChunk,
  reopened: readonly Reopened[],
  detailOf: ReadonlyMap<PendingApproval | Reopened, ReviewDetail | null>,
): EventPayload<'review.evaluations.reopened.v1'> {
  return {
    runId: chunk.runId,
    chunk: chunk.chunk,
    activated: chunk.activated,
    items: reopened.map((r) => {
      const { result: _sent, ...score } = r.score;
      const detail = detailOf.get(r);
      return detail?.scoreResult && detail.resultId === r.case.resultId
        ? { ...score, result: detail.scoreResult }
        : score;
    }),
  };
}

function openStep({ score, source }: ScoreItem) {
  return { ...PLACEHOLDER_STEP, actor: serviceActor(source), details: { resultId: score.resultId } };
}

/** RecordScoreHandler's decision, on the batch's in-memory case. */
function recordOne(
  batch: CaseBatch,
  item: ScoreItem,
  events: Array<OutgoingEvent | PendingApproval>,
  reopened: Reopened[] | null,
): void {
  const { score: s } = item;
  const actor = serviceActor(item.source);
  const correlationId = item.correlationId ?? null;
  let current = batch.get(s.evaluationId);
  const plan = planScore(current.state, recordedFacts(current), factsOf(s));
  if (plan.kind === 'ignore') {
    batch.note(
      current,
      { action: 'score-ignored', actor, reason: plan.reason, details: { resultId: s.resultId } },
      item,
    );
    return;
  }
  if (s.result) batch.setResult(s.evaluationId, { resultId: s.resultId, scoreResult: s.result });
  const patch = scoreColumns(s);
  const details = scoreDetails(s);
  const at = isoNow();

  if (plan.kind === 'record') {
    const reason = plan.changes.length ? rescoreReason(s, plan.changes) : null;
    batch.apply(current, { action: 'rescore', actor, patch, reason, details, payload: scoreAuditPayload(s) }, item);
    return;
  }
  current = batch.apply(
    current,
    { action: 'score', to: nextState(current.state, 'score'), actor, patch, details, payload: scoreAuditPayload(s) },
    item,
  );
  if (plan.kind === 'reopen') {
    const reason = rescoreReason(s, plan.changes);
    current = batch.apply(
      current,
      { action: 'route-to-review', to: nextState(current.state, 'route-to-review'), actor: SYSTEM, reason },
      item,
    );
    events.push({
      name: 'review.evaluation.routed.v1',
      payload: routedPayload(current, 'in-review', [...plan.changes, ...s.routing.reasons], at),
      correlationId,
    });
    reopened?.push({ case: current, score: s, result: batch.resultOf(s.evaluationId) });
    return;
  }
  const [, route] = plan.actions;
  const reason = s.routing.reasons.length ? s.routing.reasons.join('; ') : null;
  current = batch.apply(current, { action: route, to: nextState(current.state, route), actor: SYSTEM, reason }, item);
  if (route === 'auto-approve') {
    events.push({
      name: 'review.evaluation.routed.v1',
      payload: routedPayload(current, 'auto-approved', s.routing.reasons, at),
      correlationId,
    });
    events.push({ case: current, result: batch.resultOf(s.evaluationId), at, correlationId });
  } else {
    events.push({
      name: 'review.evaluation.routed.v1',
      payload: routedPayload(current, 'in-review', s.routing.reasons, at),
      correlationId,
    });
  }
}

/** The detail row as RecordScoreHandler would read it at that point: the stored one with this batch's result so far. */
function detailAsLoaded(
  stored: ReviewDetail | undefined,
  result: Pick<ReviewDetail, 'resultId' | 'scoreResult'> | undefined,
): ReviewDetail | null {
  if (!stored && !result) return null;
  return Object.assign(new ReviewDetail(), { evaluation: null, resultId: null, scoreResult: null }, stored, result);
}
