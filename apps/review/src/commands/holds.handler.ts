import { ConflictException, Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource, EntityManager } from 'typeorm';
import { assertAllowed, refusal } from '@jixiao/auth';
import { formatTime } from '@jixiao/runtime/html';
import { activeHold, holdUntil } from '../domain/holds';
import { REVIEW_STATE_LABELS } from '../domain/review-state';
import { loadCase } from '../persistence/case-store';
import { ReviewCase } from '../persistence/review-case.entity';
import { readable, whereCurrent } from '../queries/evaluation-query.handlers';
import { REVIEW_DATA_SOURCE } from '../review.tokens';
import { HoldEvaluation, type HoldOutcome, ReleaseEvaluation, TakeNextEvaluation } from './holds.command';

/**
 * Takes the hold for `user` if the case is in review and nobody else holds it (or their hold ran out): one
 * conditional UPDATE, so of two reviewers racing for a case exactly one gets it. The revision is left alone.
 */
async function tryHold(manager: EntityManager, evaluationId: string, user: string): Promise<HoldOutcome | null> {
  const now = new Date();
  const until = holdUntil(now);
  const result = await manager
    .createQueryBuilder()
    .update(ReviewCase)
    .set({ heldBy: user, heldUntil: until })
    .where("evaluation_id = :id AND state = 'in_review'", { id: evaluationId })
    .andWhere('(held_by IS NULL OR held_by = :user OR held_until <= :now)', { user, now: now.toISOString() })
    .execute();
  return result.affected === 1 ? { evaluationId, heldBy: user, heldUntil: until } : null;
}

async function reachableCase(dataSource: DataSource, command: HoldEvaluation | ReleaseEvaluation): Promise<ReviewCase> {
  const found = await loadCase(dataSource.manager, command.evaluationId);
  if (!found)
    throw refusal(
      NotFoundException,
      `evaluation ${command.evaluationId} not found`,
      `没有编号为 ${command.evaluationId} 的自评表`,
    );
  assertAllowed(command.principal, 'review', { region: found.region, unitName: found.unitName });
  return found;
}

@CommandHandler(HoldEvaluation)
export class HoldEvaluationHandler implements ICommandHandler<HoldEvaluation, HoldOutcome> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute(command: HoldEvaluation): Promise<HoldOutcome> {
    for (let attempt = 0; ; attempt++) {
      const found = await reachableCase(this.dataSource, command);
      if (found.state !== 'in_review')
        throw refusal(
          ConflictException,
          `evaluation ${found.evaluationId} is ${found.state}, not in review: nothing to work on`,
          `此自评表现为“${REVIEW_STATE_LABELS[found.state]}”，无需审核`,
        );
      const other = activeHold(found);
      if (!other || other.by === command.principal.sub || attempt >= 2) {
        const held = await tryHold(this.dataSource.manager, found.evaluationId, command.principal.sub);
        if (held) return held;
      }
      if (other && other.by !== command.principal.sub)
        throw refusal(
          ConflictException,
          `evaluation ${found.evaluationId} is held by ${other.by} until ${other.until}`,
          `${other.by} 正在审核此自评表（至 ${formatTime(other.until)}），请先审核其他自评表`,
          { heldBy: other.by, heldUntil: other.until },
        );
      // it changed between the read and the UPDATE (held, decided): read it again
      if (attempt >= 4)
        throw refusal(
          ConflictException,
          `evaluation ${found.evaluationId} keeps changing: try again`,
          '此自评表正在变化，请稍后再试',
        );
    }
  }
}

@CommandHandler(ReleaseEvaluation)
export class ReleaseEvaluationHandler implements ICommandHandler<ReleaseEvaluation, void> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute(command: ReleaseEvaluation): Promise<void> {
    const found = await reachableCase(this.dataSource, command);
    await this.dataSource
      .createQueryBuilder()
      .update(ReviewCase)
      .set({ heldBy: null, heldUntil: null })
      .where('evaluation_id = :id AND held_by = :user', { id: found.evaluationId, user: command.principal.sub })
      .execute();
  }
}

const CANDIDATES = 10;

@CommandHandler(TakeNextEvaluation)
export class TakeNextEvaluationHandler implements ICommandHandler<TakeNextEvaluation, HoldOutcome | null> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * The oldest current version in review in the reviewer's reach that nobody holds, taken in one conditional UPDATE;
   * a candidate another reviewer took first is passed over. Moving on gives back what the reviewer held and left
   * undecided (so a reviewer holds at most one case from the queue, however often they ask), and the next is another
   * one than those, unless nothing else is left.
   */
  async execute({ principal, filters }: TakeNextEvaluation): Promise<HoldOutcome | null> {
    assertAllowed(principal, 'review', filters.region ? { region: filters.region } : undefined);
    const manager = this.dataSource.manager;
    const left = (
      await manager
        .getRepository(ReviewCase)
        .createQueryBuilder('c')
        .select('c.evaluationId', 'id')
        .where('c.heldBy = :user', { user: principal.sub })
        .getRawMany<{ id: string }>()
    ).map((r) => r.id);
    if (left.length > 0)
      await manager
        .createQueryBuilder()
        .update(ReviewCase)
        .set({ heldBy: null, heldUntil: null })
        .where('held_by = :user', { user: principal.sub })
        .execute();
    for (const skip of left.length ? [left, []] : [[]]) {
      const taken = await this.take(principal, filters, skip);
      if (taken) return taken;
    }
    return null;
  }

  private async take(
    principal: TakeNextEvaluation['principal'],
    filters: TakeNextEvaluation['filters'],
    skip: readonly string[],
  ): Promise<HoldOutcome | null> {
    for (let round = 0; round < 5; round++) {
      const now = new Date().toISOString();
      const qb = whereCurrent(readable(this.dataSource, principal, filters))
        .andWhere("c.state = 'in_review'")
        .andWhere('(c.heldBy IS NULL OR c.heldUntil <= :now)', { now });
      if (skip.length) qb.andWhere('c.evaluationId NOT IN (:...skip)', { skip });
      const candidates = await qb
        .orderBy('c.createdAt', 'ASC')
        .addOrderBy('c.evaluationId', 'ASC')
        .limit(CANDIDATES)
        .getMany();
      if (candidates.length === 0) return null;
      for (const c of candidates) {
        const held = await tryHold(this.dataSource.manager, c.evaluationId, principal.sub);
        if (held) return held;
      }
    }
    return null;
  }
}
