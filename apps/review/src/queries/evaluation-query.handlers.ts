import { Inject, NotFoundException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { assertAllowed, type Principal } from '@jixiao/auth';
import { FindingCodeSchema } from '@jixiao/contracts';
import { whereRegion, whereWords } from '@jixiao/persistence';
import { readScope, regionMatch } from '../domain/read-scope';
import { versionChanges, type VersionChanges } from '../domain/version-changes';
import { withBreakdown } from '../persistence/breakdowns';
import { loadDetail } from '../persistence/case-store';
import { ReviewCase } from '../persistence/review-case.entity';
import type { ReviewDetail } from '../persistence/review-detail.entity';
import { ReviewHistory } from '../persistence/review-history.entity';
import { REVIEW_DATA_SOURCE } from '../review.tokens';
import {
  GetEvaluation,
  GetEvaluationHistory,
  ListEvaluations,
  GetProgress,
  type ProgressFilters,
} from './evaluation.queries';
import { followUp, type CurrentFindings } from '../domain/return-findings';
import {
  detailView,
  historyView,
  progressView,
  type ProgressRow,
  returnView,
  summaryView,
  type PreviousReturnView,
  type ReturnView,
} from './evaluation.views';

@QueryHandler(ListEvaluations)
export class ListEvaluationsHandler implements IQueryHandler<ListEvaluations> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, filters }: ListEvaluations) {
    const qb = readable(this.dataSource, principal, filters);
    if (filters.current) whereCurrent(qb);
    if (filters.state) qb.andWhere('c.state = :state', { state: filters.state });
    if (filters.grade) qb.andWhere('c.grade = :grade', { grade: filters.grade });
    if (filters.q) whereWords(qb, filters.q, ['c.unitName', 'c.projectName']);
    // the codes are stored as a JSON array of strings: '["SUM_MISMATCH","…"]'
    if (filters.finding) qb.andWhere('c.findingCodes LIKE :finding', { finding: `%"${filters.finding}"%` });
    if (filters.held === 'me')
      qb.andWhere("c.heldBy = :me AND c.heldUntil > :now AND c.state = 'in_review'", {
        me: principal.sub,
        now: new Date().toISOString(),
      });
    const direction = filters.sort === 'oldest' ? 'ASC' : 'DESC';
    qb.orderBy('c.createdAt', direction)
      .addOrderBy('c.evaluationId', direction)
      .offset((filters.page - 1) * filters.pageSize)
      .limit(filters.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(summaryView), page: filters.page, pageSize: filters.pageSize, total };
  }
}

@QueryHandler(GetProgress)
export class GetProgressHandler implements IQueryHandler<GetProgress> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, filters }: GetProgress) {
    const qb = whereCurrent(readable(this.dataSource, principal, filters))
      .select('c.state', 'state')
      .addSelect('c.grade', 'grade')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(c.total)', 'sumTotal')
      .addSelect('COUNT(c.total)', 'nTotal')
      .addSelect('SUM(c.executionRate)', 'sumRate')
      .addSelect('COUNT(c.executionRate)', 'nRate')
      .groupBy('c.state')
      .addGroupBy('c.grade');
    if (filters.by === 'region') qb.addSelect('c.region', 'region').addGroupBy('c.region');
    if (filters.findings)
      for (const code of FindingCodeSchema.options)
        qb.addSelect(`SUM(CASE WHEN c.findingCodes LIKE '%"${code}"%' THEN 1 ELSE 0 END)`, `f_${code}`);
    return progressView(filters, await qb.getRawMany<ProgressRow>());
  }
}

/** The cases the principal may read (its regions, its unit), within the region and year asked for. */
export function readable(
  dataSource: DataSource,
  principal: Principal,
  filters: ProgressFilters,
): SelectQueryBuilder<ReviewCase> {
  const qb = dataSource.getRepository(ReviewCase).createQueryBuilder('c');
  const scope = readScope(principal);
  if (scope.kind === 'regions') {
    whereRegion(qb, scope.match, 'scope', 'c');
    if (scope.unit) qb.andWhere('(c.unitName = :unit OR c.unitName IS NULL)', { unit: scope.unit });
  }
  if (filters.region) whereRegion(qb, regionMatch([filters.region]), 'filter', 'c');
  if (filters.year !== undefined) qb.andWhere('c.fiscalYear = :year', { year: filters.year });
  return qb;
}

/** Versions no later version corrects (ix_review_cases_previous answers the NOT EXISTS). */
export function whereCurrent(qb: SelectQueryBuilder<ReviewCase>): SelectQueryBuilder<ReviewCase> {
  return qb.andWhere(
    `NOT EXISTS (SELECT 1 FROM ${qb.expressionMap.mainAlias!.metadata.tableName} n WHERE n.previous_version_id = c.evaluation_id)`,
  );
}

async function readableCase(dataSource: DataSource, principal: Principal, evaluationId: string): Promise<ReviewCase> {
  const found = await dataSource.getRepository(ReviewCase).findOneBy({ evaluationId });
  if (!found) throw new NotFoundException(`evaluation ${evaluationId} not found`);
  assertAllowed(principal, 'read', { region: found.region, unitName: found.unitName });
  return found;
}

@QueryHandler(GetEvaluation)
export class GetEvaluationHandler implements IQueryHandler<GetEvaluation> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, evaluationId }: GetEvaluation) {
    const found = await readableCase(this.dataSource, principal, evaluationId);
    // the current score's breakdown, recomputed from the evaluation and the rules it cites
    const detail = await withBreakdown(
      this.dataSource.manager,
      found,
      await loadDetail(this.dataSource.manager, evaluationId),
    );
    const later = await this.dataSource
      .getRepository(ReviewCase)
      .find({ where: { previousVersionId: evaluationId }, order: { version: 'ASC' } });
    return detailView(found, detail, later, await this.changesFromPrevious(found, detail), {
      lastReturn: await this.lastReturn(found.evaluationId),
      previousReturn: await this.previousReturn(found, detail),
    });
  }

  private async lastReturn(evaluationId: string): Promise<ReturnView | null> {
    const row = await this.dataSource
      .getRepository(ReviewHistory)
      .findOne({ where: { evaluationId, action: 'return' }, order: { id: 'DESC' } });
    return row ? returnView(row) : null;
  }

  /** The return this version corrects, its named findings matched against this version's current score. */
  private async previousReturn(found: ReviewCase, detail: ReviewDetail | null): Promise<PreviousReturnView | null> {
    if (!found.previousVersionId) return null;
    const returned = await this.lastReturn(found.previousVersionId);
    if (!returned) return null;
    const current: CurrentFindings =
      detail?.scoreResult && found.resultId && detail.resultId === found.resultId
        ? { findings: detail.scoreResult.findings }
        : found.resultId
          ? { codes: found.findingCodes ?? [] }
          : null;
    return {
      ...returned,
      evaluationId: found.previousVersionId,
      findings: followUp(returned.findings, current),
    };
  }

  /** What this version changed against the one it corrects (same submission, so the same reach), when both are known. */
  private async changesFromPrevious(found: ReviewCase, detail: ReviewDetail | null): Promise<VersionChanges | null> {
    if (!found.previousVersionId || !detail?.evaluation) return null;
    const manager = this.dataSource.manager;
    const [before, beforeDetail] = await Promise.all([
      manager.getRepository(ReviewCase).findOneBy({ evaluationId: found.previousVersionId }),
      loadDetail(manager, found.previousVersionId),
    ]);
    if (!before || !beforeDetail?.evaluation) return null;
    return versionChanges(
      {
        evaluationId: before.evaluationId,
        version: before.version,
        evaluation: beforeDetail.evaluation,
        total: before.total,
        grade: before.grade,
      },
      { evaluation: detail.evaluation, total: found.total, grade: found.grade },
    );
  }
}

@QueryHandler(GetEvaluationHistory)
export class GetEvaluationHistoryHandler implements IQueryHandler<GetEvaluationHistory> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, evaluationId }: GetEvaluationHistory) {
    const found = await readableCase(this.dataSource, principal, evaluationId);
    const rows = await this.dataSource
      .getRepository(ReviewHistory)
      .find({ where: { evaluationId }, order: { id: 'ASC' } });
    return { evaluationId, state: found.state, items: rows.map(historyView) };
  }
}
