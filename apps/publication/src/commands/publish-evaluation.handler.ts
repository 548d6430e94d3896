import { v7 as uuidV7 } from 'uuid';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type EntityManager, In } from 'typeorm';
import { enqueueEvents } from '@jixiao/messaging';
import { appendAudit, dialectOf, placeholder } from '@jixiao/persistence';
import { breakdownOf } from '../domain/breakdown';
import { planPublication } from '../domain/plan-publication';
import { DisclosureRevisionEntity } from '../persistence/disclosure-revision.entity';
import { DisclosureEntity } from '../persistence/disclosure.entity';
import { PUBLICATION_SERVICE, PUBLICATION_TABLES } from '../persistence/publication.tables';
import { type Approval, PublishEvaluation, type PublishOutcome } from './publish-evaluation.command';

@CommandHandler(PublishEvaluation)
export class PublishEvaluationHandler implements ICommandHandler<PublishEvaluation, PublishOutcome> {
  private readonly logger = new Logger('publication');

  async execute({ approval: a, manager, correlationId }: PublishEvaluation): Promise<PublishOutcome> {
    await lockSubmission(manager, a.submissionId);
    const existing = await findDisclosure(manager, a.evaluationId);
    const current = existing
      ? await manager.getRepository(DisclosureRevisionEntity).findOneByOrFail({ disclosureId: existing.id, revision: existing.revision })
      : null;
    const incoming = {
      total: a.score.total,
      grade: a.score.grade,
      ruleSet: { id: a.score.ruleSet.id, version: a.score.ruleSet.version },
      approvedAt: a.approvedAt,
    };
    const plan = planPublication(
      existing && current
        ? {
            status: existing.status,
            total: current.total,
            grade: current.grade,
            ruleSet: { id: current.ruleSetId, version: current.ruleSetVersion },
            approvedAt: current.approvedAt,
            retraction: existing.status === 'retracted' ? { at: existing.retractedAt, reason: existing.retractionReason } : undefined,
          }
        : null,
      incoming,
    );
    const now = new Date().toISOString();
    const actor = { user: a.actor.user, role: a.actor.role };

    if (plan.kind === 'stale') {
      this.logger.warn(`approval of ${a.evaluationId} at ${a.approvedAt} is older than the published revision; ignored`);
      return { kind: 'stale', disclosureId: existing!.id, revision: existing!.revision };
    }

    if (plan.kind === 'unchanged') {
      // Review waits for "published" to close the case: confirm the revision in force, record why nothing changed.
      await appendAudit(manager, PUBLICATION_TABLES.audit, [
        {
          actor,
          entityType: 'disclosure',
          entityId: a.evaluationId,
          action: 'confirm',
          fromState: 'published',
          toState: 'published',
          reason: `审核通过，总分与等级未变，沿用第 ${existing!.revision} 版`,
          payload: { approval: a.score, submissionVersion: a.submissionVersion },
        },
      ]);
      // a re-scoring revision approved as it stands: in force now, no longer under review
      if (existing!.underReviewRunId)
        await manager.getRepository(DisclosureEntity).update({ id: existing!.id }, { underReviewRunId: null });
      await this.emitPublished(manager, existing!, a.submissionVersion, existing!.publishedAt, correlationId);
      return { kind: 'unchanged', disclosureId: existing!.id, revision: existing!.revision };
    }

    const revisionNumber = existing ? existing.revision + 1 : 1;
    const disclosureId = existing?.id ?? `disc_${uuidV7()}`;
    const reason = plan.kind === 'first' ? null : plan.reason;
    const breakdown = breakdownOf(a.result);
    const regionName = breakdown?.regionName ?? existing?.regionName ?? null;
    const figures = { total: a.score.total, grade: a.score.grade, executionRate: a.score.executionRate };

    if (existing) {
      await manager.getRepository(DisclosureEntity).update(
        { id: existing.id },
        {
          ...figures,
          submissionId: a.submissionId,
          regionName,
          fiscalYear: a.fiscalYear,
          formType: a.formType,
          unitName: a.unitName,
          projectName: a.projectName,
          revision: revisionNumber,
          status: 'published',
          publishedAt: now,
          retractedAt: null,
          retractionReason: null,
          retractedBy: null,
          underReviewRunId: null,
        },
      );
    } else {
      await manager.getRepository(DisclosureEntity).insert({
        ...figures,
        id: disclosureId,
        evaluationId: a.evaluationId,
        submissionId: a.submissionId,
        region: a.region,
        regionName,
        fiscalYear: a.fiscalYear,
        formType: a.formType,
        unitName: a.unitName,
        projectName: a.projectName,
        revision: revisionNumber,
        status: 'published',
        firstPublishedAt: now,
        publishedAt: now,
        retractedAt: null,
        retractionReason: null,
        retractedBy: null,
        underReviewRunId: null,
      });
    }
    const revision: DisclosureRevisionEntity = {
      ...figures,
      disclosureId,
      revision: revisionNumber,
      evaluationId: a.evaluationId,
      submissionId: a.submissionId,
      submissionVersion: a.submissionVersion,
      breakdown,
      scoreResultId: a.score.resultId,
      ruleSetId: a.score.ruleSet.id,
      ruleSetVersion: a.score.ruleSet.version,
      ruleSetHash: a.score.ruleSet.hash,
      reason,
      approvedBy: a.actor.user,
      automatic: a.automatic,
      approvedAt: a.approvedAt,
      publishedAt: now,
      rescoringRunId: null,
      scoredAt: a.score.scoredAt ?? null,
    };
    await manager.getRepository(DisclosureRevisionEntity).insert(revision);
    await appendAudit(manager, PUBLICATION_TABLES.audit, [
      {
        actor,
        entityType: 'disclosure',
        entityId: a.evaluationId,
        action: plan.kind === 'first' ? 'publish' : plan.kind,
        fromState: existing ? existing.status : null,
        toState: 'published',
        reason,
        payload: revision,
      },
    ]);
    await this.emitPublished(manager, { id: disclosureId, evaluationId: a.evaluationId, revision: revisionNumber, region: a.region, fiscalYear: a.fiscalYear }, a.submissionVersion, now, correlationId);
    await supersedeOtherVersions(manager, a.submissionId, now, correlationId);
    return { kind: plan.kind, disclosureId, revision: revisionNumber };
  }

  private async emitPublished(
    manager: EntityManager,
    d: Pick<DisclosureEntity, 'id' | 'evaluationId' | 'revision' | 'region' | 'fiscalYear'>,
    submissionVersion: number,
    publishedAt: string,
    correlationId: string | null,
  ): Promise<void> {
    await enqueueEvents(manager, PUBLICATION_SERVICE, [
      {
        name: 'publication.evaluation.published.v1',
        payload: {
          evaluationId: d.evaluationId,
          submissionVersion,
          disclosureId: d.id,
          revision: d.revision,
          region: d.region,
          fiscalYear: d.fiscalYear,
          path: `/public/evaluations/${encodeURIComponent(d.evaluationId)}`,
          publishedAt,
        },
        correlationId,
      },
    ]);
  }
}

/** Locks the disclosure row on PostgreSQL so two approvals of one evaluation are applied one after the other. */
export async function findDisclosure(manager: EntityManager, evaluationId: string): Promise<DisclosureEntity | null> {
  const repo = manager.getRepository(DisclosureEntity);
  if (dialectOf(manager) === 'postgres') {
    return repo.findOne({ where: { evaluationId }, lock: { mode: 'pessimistic_write' } });
  }
  return repo.findOne({ where: { evaluationId } });
}

export type { Approval };

/**
 * Approvals of the versions of one form are applied one after the other (PostgreSQL: a lock on the submission for
 * the transaction, taken before any row lock, so two publications of one form cannot wait on each other).
 */
export async function lockSubmission(manager: EntityManager, submissionId: string): Promise<void> {
  if (dialectOf(manager) === 'postgres') await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [submissionId]);
}

/**
 * One version of a form is in force at a time, the latest published: when a corrected version of a submission is
 * published, the earlier versions still in force are withdrawn (已撤回, naming the version that replaces them), audited
 * and announced like a reviewer's retraction, so the public pages and the grade distribution count the form once. An
 * older version approved after a later one was published (in force or since retracted) is withdrawn in turn. Rows a
 * reviewer retracted meanwhile are left as the reviewer left them (locked and read again on PostgreSQL).
 */
export async function supersedeOtherVersions(
  manager: EntityManager,
  submissionId: string,
  now: string,
  correlationId: string | null,
): Promise<number> {
  const d = dialectOf(manager);
  const p = (i: number) => placeholder(d, i);
  const versions: Array<{ id: string; evaluation_id: string; status: string; submission_version: unknown }> = await manager.query(
    `SELECT d.id, d.evaluation_id, d.status, r.submission_version FROM ${PUBLICATION_TABLES.disclosures} d
     JOIN ${PUBLICATION_TABLES.revisions} r ON r.disclosure_id = d.id AND r.revision = d.revision
     WHERE d.submission_id = ${p(1)}`,
    [submissionId],
  );
  if (versions.length < 2) return 0;
  const latest = versions.reduce((a, b) => (Number(b.submission_version) > Number(a.submission_version) ? b : a));
  const candidates = versions.filter((v) => v.id !== latest.id && v.status === 'published').map((v) => v.id);
  if (candidates.length === 0) return 0;
  const locked: Array<{ id: string; evaluation_id: string; revision: unknown }> = await manager.query(
    `SELECT id, evaluation_id, revision FROM ${PUBLICATION_TABLES.disclosures}
     WHERE id IN (${candidates.map((_, i) => p(i + 1)).join(', ')}) AND status = 'published'${d === 'postgres' ? ' FOR UPDATE' : ''}`,
    candidates,
  );
  if (locked.length === 0) return 0;
  const reason = `已由更正后的第 ${Number(latest.submission_version)} 版替代（评价 ${latest.evaluation_id}）`;
  const actor = { user: PUBLICATION_SERVICE, role: 'system' as const };
  const change = { status: 'retracted' as const, retractedAt: now, retractionReason: reason, retractedBy: PUBLICATION_SERVICE };
  await manager.getRepository(DisclosureEntity).update({ id: In(locked.map((l) => l.id)) }, change);
  await appendAudit(
    manager,
    PUBLICATION_TABLES.audit,
    locked.map((l) => ({
      actor,
      entityType: 'disclosure',
      entityId: l.evaluation_id,
      action: 'supersede',
      fromState: 'published',
      toState: 'retracted',
      reason,
      payload: { disclosureId: l.id, revision: Number(l.revision), supersededBy: latest.evaluation_id, ...change },
    })),
  );
  await enqueueEvents(
    manager,
    PUBLICATION_SERVICE,
    locked.map((l) => ({
      name: 'publication.evaluation.retracted.v1' as const,
      payload: { evaluationId: l.evaluation_id, disclosureId: l.id, reason, actor, retractedAt: now },
      correlationId,
    })),
  );
  return locked.length;
}
