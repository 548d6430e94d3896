import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { appendAudit, dialectOf, placeholder } from '@jixiao/persistence';
import { breakdownOf } from '../domain/breakdown';
import { planRescore, type PublishedScore } from '../domain/plan-rescore';
import { DisclosureRevisionEntity } from '../persistence/disclosure-revision.entity';
import { PUBLICATION_TABLES } from '../persistence/publication.tables';
import { RecordRescoring, type RescoringOutcome } from './record-rescoring.command';

const { disclosures, revisions, audit } = PUBLICATION_TABLES;
const IDS_PER_QUERY = 1_000;
const ROWS_PER_INSERT = 500;

/** The revision in force of a published disclosure, as far as a re-scoring needs it. */
interface InForce extends PublishedScore {
  disclosureId: string;
  evaluationId: string;
  revision: number;
  submissionId: string;
  submissionVersion: number;
  approvedBy: string;
  automatic: boolean;
  approvedAt: string;
}

/**
 * Revises published disclosures whose total or grade a re-scoring run changed, set-based: one query finds which
 * items are published (not retracted), then one multi-row INSERT of revisions, one UPDATE of the disclosures from
 * their newest revision, one audit append. Unpublished items are ignored (their first approval publishes them).
 * No event: review already sent the evaluation back to a reviewer, whose approval publishes as usual.
 */
@CommandHandler(RecordRescoring)
export class RecordRescoringHandler implements ICommandHandler<RecordRescoring, RescoringOutcome> {
  async execute({ chunk, manager, source }: RecordRescoring): Promise<RescoringOutcome> {
    const inForce = await publishedRevisions(manager, chunk.items.map((i) => i.evaluationId));
    if (inForce.size === 0) return { revised: [] };
    const now = new Date().toISOString();
    const rows: DisclosureRevisionEntity[] = [];
    for (const item of chunk.items) {
      const current = inForce.get(item.evaluationId);
      if (!current) continue;
      const next = {
        scoreResultId: item.resultId,
        total: item.total,
        grade: item.grade,
        ruleSet: item.ruleSet,
        runId: item.rescoringRunId ?? chunk.runId,
        scoredAt: item.scoredAt,
      };
      const plan = planRescore(current, next);
      if (plan.kind === 'ignore') continue;
      const row: DisclosureRevisionEntity = {
        disclosureId: current.disclosureId,
        revision: current.revision + 1,
        evaluationId: item.evaluationId,
        submissionId: current.submissionId,
        submissionVersion: current.submissionVersion,
        total: item.total,
        grade: item.grade,
        executionRate: item.execution.rate,
        breakdown: breakdownOf(item.result),
        scoreResultId: item.resultId,
        ruleSetId: item.ruleSet.id,
        ruleSetVersion: item.ruleSet.version,
        ruleSetHash: item.ruleSet.hash,
        reason: plan.reason,
        // the approval in force is still the last one (a later approval is compared with it, not with the run)
        approvedBy: current.approvedBy,
        automatic: current.automatic,
        approvedAt: current.approvedAt,
        publishedAt: now,
        rescoringRunId: next.runId,
        scoredAt: next.scoredAt,
      };
      rows.push(row);
      inForce.set(item.evaluationId, { ...current, ...next, revision: row.revision });
    }
    if (rows.length === 0) return { revised: [] };

    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
      await manager.createQueryBuilder().insert().into(DisclosureRevisionEntity).values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
    const ids = [...new Set(rows.map((r) => r.disclosureId))];
    await refreshFromNewestRevision(manager, ids);
    await appendAudit(
      manager,
      audit,
      rows.map((r) => ({
        actor: { user: source, role: 'system' },
        entityType: 'disclosure',
        entityId: r.evaluationId,
        action: 'rescore',
        fromState: 'published',
        toState: 'published',
        reason: r.reason,
        payload: r,
        at: now,
      })),
    );
    return { revised: [...new Set(rows.map((r) => r.evaluationId))] };
  }
}

/** One query per thousand ids: the published (not retracted) disclosures among them, with the revision in force. */
async function publishedRevisions(manager: EntityManager, evaluationIds: string[]): Promise<Map<string, InForce>> {
  const d = dialectOf(manager);
  const unique = [...new Set(evaluationIds)].sort();
  const out = new Map<string, InForce>();
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const chunk = unique.slice(i, i + IDS_PER_QUERY);
    const marks = chunk.map((_, n) => placeholder(d, n + 1)).join(', ');
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT d.id, d.evaluation_id, d.revision, r.total, r.grade, r.rule_set_id, r.rule_set_version, r.score_result_id,
              r.submission_id, r.submission_version, r.approved_by, r.automatic, r.approved_at, r.scored_at
         FROM ${disclosures} d JOIN ${revisions} r ON r.disclosure_id = d.id AND r.revision = d.revision
        WHERE d.status = 'published' AND d.evaluation_id IN (${marks})
        ORDER BY d.evaluation_id${d === 'postgres' ? ' FOR UPDATE OF d' : ''}`,
      chunk,
    );
    for (const r of rows) {
      out.set(String(r.evaluation_id), {
        disclosureId: String(r.id),
        evaluationId: String(r.evaluation_id),
        revision: Number(r.revision),
        scoreResultId: String(r.score_result_id),
        total: r.total === null ? null : Number(r.total),
        grade: (r.grade as string | null) ?? null,
        ruleSet: { id: String(r.rule_set_id), version: Number(r.rule_set_version) },
        submissionId: String(r.submission_id),
        submissionVersion: Number(r.submission_version),
        approvedBy: String(r.approved_by),
        automatic: Boolean(r.automatic),
        approvedAt: String(r.approved_at),
        scoredAt: (r.scored_at as string | null) ?? null,
      });
    }
  }
  return out;
}

/** The listing copy of the figures follows the newest revision; the run marks the disclosure as under review. */
async function refreshFromNewestRevision(manager: EntityManager, disclosureIds: string[]): Promise<void> {
  const d = dialectOf(manager);
  for (let i = 0; i < disclosureIds.length; i += IDS_PER_QUERY) {
    const chunk = disclosureIds.slice(i, i + IDS_PER_QUERY);
    const marks = chunk.map((_, n) => placeholder(d, n + 1)).join(', ');
    await manager.query(
      `UPDATE ${disclosures} SET total = r.total, grade = r.grade, execution_rate = r.execution_rate,
              revision = r.revision, published_at = r.published_at, under_review_run_id = r.rescoring_run_id
         FROM ${revisions} r
        WHERE ${disclosures}.id IN (${marks}) AND r.disclosure_id = ${disclosures}.id
          AND r.revision = (SELECT MAX(n.revision) FROM ${revisions} n WHERE n.disclosure_id = ${disclosures}.id)`,
      chunk,
    );
  }
}
