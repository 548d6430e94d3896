import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { appendAudit, dialectOf, insertMany, isoNow } from '@jixiao/persistence';
import type { ReviewState } from '../domain/review-state';
import { ReviewCase } from './review-case.entity';
import { ReviewDetail } from './review-detail.entity';
import { ReviewHistory } from './review-history.entity';
import { REVIEW_TABLES } from './review-tables';
import type { ReviewWork } from './review-work';

export interface StepActor {
  user: string;
  role: string;
}

/** Something that happened to a case: a state change (audited) or a note (history only). */
export interface Step {
  action: string;
  actor: StepActor;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

export interface Change extends Step {
  /** The new state; omitted: the state stays (the data changed, e.g. a score recorded). */
  to?: ReviewState;
  patch?: Partial<ReviewCase>;
  /** Hashed into the audit record. */
  payload?: unknown;
}

/** Another writer changed the case between our read and our write (optimistic concurrency). */
export class CaseChangedConcurrently extends Error {
  constructor(
    readonly evaluationId: string,
    readonly revision: number,
  ) {
    super(
      `evaluation ${evaluationId} was changed by someone else (it is no longer at revision ${revision}); reload it and try again`,
    );
  }
}

/** Reads a case; `lock` takes the row lock on PostgreSQL (inbox handlers; SQLite serialises writers anyway). */
export async function loadCase(manager: EntityManager, evaluationId: string, lock = false): Promise<ReviewCase | null> {
  const qb = manager
    .getRepository(ReviewCase)
    .createQueryBuilder('c')
    .where('c.evaluationId = :id', { id: evaluationId });
  if (lock && dialectOf(manager) === 'postgres') qb.setLock('pessimistic_write');
  return qb.getOne();
}

export async function loadDetail(manager: EntityManager, evaluationId: string): Promise<ReviewDetail | null> {
  return manager.getRepository(ReviewDetail).findOneBy({ evaluationId });
}

/**
 * Inserts entities (one multi-row INSERT), unless their key exists when `conflict` names it (`ON CONFLICT DO
 * NOTHING`: a concurrent inserter of the same case on PostgreSQL waits for the other's commit, then does nothing).
 * Returns how many rows were written.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  entities: T[],
  conflict?: string[],
): Promise<number> {
  const meta = manager.connection.getMetadata(target);
  const columns = meta.columns.filter((c) => !c.isGenerated);
  const rows = entities.map((e) =>
    columns.map((c) => manager.connection.driver.preparePersistentValue(c.getEntityValue(e), c) ?? null),
  );
  return insertMany(
    manager,
    meta.tableName,
    columns.map((c) => c.databaseName),
    rows,
    conflict ? { onConflictDoNothing: conflict } : {},
  );
}

/** Creates a case (and its detail row); false when it already exists. Audited as the case's first state. */
export async function createCase(
  work: ReviewWork,
  row: ReviewCase,
  detail: ReviewDetail,
  step: Step & { payload?: unknown },
): Promise<boolean> {
  const inserted = await insertRows(work.manager, ReviewCase, [row], ['evaluation_id']);
  if (inserted === 0) return false;
  await insertRows(work.manager, ReviewDetail, [detail], ['evaluation_id']);
  await record(work, row.evaluationId, null, row.state, step, row.createdAt, step.payload);
  return true;
}

/**
 * Applies one change: `UPDATE … WHERE revision = <read>` (0 rows → CaseChangedConcurrently), then the history row
 * and the audit record, all in the caller's transaction. Returns the case as it now is.
 */
export async function applyChange(work: ReviewWork, current: ReviewCase, change: Change): Promise<ReviewCase> {
  const at = isoNow();
  const to = change.to ?? current.state;
  const set: Partial<ReviewCase> = {
    ...change.patch,
    // a hold is on work in review: leaving it ends the hold (one found again on returning would be stale)
    ...(to !== 'in_review' && current.heldBy ? { heldBy: null, heldUntil: null } : {}),
    state: to,
    revision: current.revision + 1,
    updatedAt: at,
    ...(change.reason ? { lastReason: change.reason } : {}),
  };
  const result = await work.manager
    .createQueryBuilder()
    .update(ReviewCase)
    .set(set)
    .where('evaluation_id = :id AND revision = :revision', { id: current.evaluationId, revision: current.revision })
    .execute();
  if (result.affected !== 1) throw new CaseChangedConcurrently(current.evaluationId, current.revision);
  await record(work, current.evaluationId, current.state, to, change, at, change.payload);
  return Object.assign(new ReviewCase(), current, set);
}

/** A history row without a state change or audit record: something arrived that changed nothing (and why). */
export async function note(work: ReviewWork, current: ReviewCase, step: Step): Promise<void> {
  await insertHistory(work, current.evaluationId, current.state, current.state, step, isoNow());
}

/** Stores the canonical evaluation and/or the latest full result in the detail row. */
export async function updateDetail(
  work: ReviewWork,
  evaluationId: string,
  patch: Partial<ReviewDetail>,
): Promise<void> {
  const updated = await work.manager
    .getRepository(ReviewDetail)
    .update({ evaluationId }, { ...patch, updatedAt: isoNow() });
  if (!updated.affected) {
    const detail = Object.assign(new ReviewDetail(), {
      evaluation: null,
      resultId: null,
      scoreResult: null,
      ...patch,
      evaluationId,
      updatedAt: isoNow(),
    });
    await insertRows(work.manager, ReviewDetail, [detail], ['evaluation_id']);
  }
}

async function record(
  work: ReviewWork,
  evaluationId: string,
  from: string | null,
  to: string,
  step: Step,
  at: string,
  payload: unknown,
): Promise<void> {
  const [audit] = await appendAudit(work.manager, REVIEW_TABLES.audit, [
    {
      actor: step.actor,
      entityType: 'evaluation',
      entityId: evaluationId,
      action: step.action,
      fromState: from,
      toState: to,
      reason: step.reason ?? null,
      payload: payload ?? { details: step.details ?? null, source: work.source, eventId: work.eventId },
      at,
    },
  ]);
  await insertHistory(work, evaluationId, from, to, step, at, audit);
}

async function insertHistory(
  work: ReviewWork,
  evaluationId: string,
  from: string | null,
  to: string,
  step: Step,
  at: string,
  audit?: { seq: number; hash: string },
) {
  const row = Object.assign(new ReviewHistory(), {
    evaluationId,
    at,
    actorUser: step.actor.user,
    actorRole: step.actor.role,
    action: step.action,
    fromState: from,
    toState: to,
    reason: step.reason ?? null,
    source: work.source,
    eventId: work.eventId,
    details: step.details ?? null,
    auditSeq: audit?.seq ?? null,
    auditHash: audit?.hash ?? null,
  });
  await insertRows(work.manager, ReviewHistory, [row]);
}
