import { ForbiddenException, Inject, NotFoundException } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { assertAllowed, type Principal, refusal, regionMatch } from '@jixiao/auth';
import { dialectOf, placeholder, whereRegion, whereWords } from '@jixiao/persistence';
import type { EvaluationDisclosure } from '../domain/disclosure-view';
import { DisclosureRevisionEntity } from '../persistence/disclosure-revision.entity';
import { DisclosureEntity } from '../persistence/disclosure.entity';
import { PUBLICATION_TABLES } from '../persistence/publication.tables';
import { PUBLICATION_DATA_SOURCE } from '../publication.tokens';
import type { RegionYear } from '../render/region-data';
import { GetEvaluationDisclosure } from './evaluation-disclosure.query';
import {
  type DisclosureCounts,
  type DisclosureList,
  GetStaffDisclosure,
  ListDisclosures,
  type StaffDisclosure,
} from './list-disclosures.query';
import { GetPublicIndex, type PublicIndexEntry } from './public-index.query';
import { GetRegionYear } from './region-year.query';
import { toRow } from './to-row';

@QueryHandler(GetRegionYear)
export class GetRegionYearHandler implements IQueryHandler<GetRegionYear, RegionYear | null> {
  constructor(@Inject(PUBLICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ region, fiscalYear }: GetRegionYear): Promise<RegionYear | null> {
    const found = await this.dataSource.getRepository(DisclosureEntity).find({
      where: { region, fiscalYear },
      order: { unitName: 'ASC', projectName: 'ASC', evaluationId: 'ASC' },
    });
    if (found.length === 0) return null;
    const regionName = found.find((d) => d.regionName)?.regionName ?? null;
    return { region, regionName, fiscalYear, rows: found.map(toRow) };
  }
}

@QueryHandler(GetEvaluationDisclosure)
export class GetEvaluationDisclosureHandler implements IQueryHandler<GetEvaluationDisclosure, EvaluationDisclosure | null> {
  constructor(@Inject(PUBLICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ evaluationId }: GetEvaluationDisclosure): Promise<EvaluationDisclosure | null> {
    const d = await this.dataSource.getRepository(DisclosureEntity).findOneBy({ evaluationId });
    return d ? withRevisions(this.dataSource, d) : null;
  }
}

async function withRevisions(dataSource: DataSource, d: DisclosureEntity): Promise<EvaluationDisclosure> {
  const revisions = await dataSource.getRepository(DisclosureRevisionEntity).find({
    where: { disclosureId: d.id },
    order: { revision: 'ASC' },
  });
  const replacedBy = d.status === 'retracted' ? await laterVersionInForce(dataSource, d) : null;
  return {
    disclosure: toRow(d),
    replacedBy,
    revisions: revisions.map((r) => ({
      revision: r.revision,
      submissionId: r.submissionId,
      submissionVersion: r.submissionVersion,
      total: r.total,
      grade: r.grade,
      executionRate: r.executionRate,
      breakdown: r.breakdown,
      ruleSet: { id: r.ruleSetId, version: r.ruleSetVersion, hash: r.ruleSetHash },
      reason: r.reason,
      automatic: r.automatic,
      approvedAt: r.approvedAt,
      publishedAt: r.publishedAt,
      rescoringRunId: r.rescoringRunId ?? null,
    })),
  };
}

/** The latest version of the same form published after this one and in force, if any (a withdrawn one's successor). */
async function laterVersionInForce(dataSource: DataSource, d: DisclosureEntity): Promise<string | null> {
  const p = (i: number) => placeholder(dialectOf(dataSource), i);
  const { disclosures, revisions } = PUBLICATION_TABLES;
  const rows: Array<{ evaluation_id: string }> = await dataSource.query(
    `SELECT d.evaluation_id FROM ${disclosures} d
     JOIN ${revisions} r ON r.disclosure_id = d.id AND r.revision = d.revision
     JOIN ${revisions} mine ON mine.disclosure_id = ${p(1)} AND mine.revision = ${p(2)}
     WHERE d.submission_id = ${p(3)} AND d.status = 'published' AND r.submission_version > mine.submission_version
     ORDER BY r.submission_version DESC LIMIT 1`,
    [d.id, d.revision, d.submissionId],
  );
  return rows[0]?.evaluation_id ?? null;
}

/** The publication's management is the bureau's: a unit reads its results on the public pages. */
function assertStaff(principal: Principal): void {
  if (principal.role === 'submitter')
    throw refusal(
      ForbiddenException,
      'the management of publications is for the bureau’s staff; a unit reads its results on the public pages',
      '公开管理供财政部门工作人员使用；填报单位可在公开页面查看本单位的公开结果',
    );
}

@QueryHandler(ListDisclosures)
export class ListDisclosuresHandler implements IQueryHandler<ListDisclosures, DisclosureList> {
  constructor(@Inject(PUBLICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, filters }: ListDisclosures): Promise<DisclosureList> {
    assertStaff(principal);
    if (filters.region) assertAllowed(principal, 'read', { region: filters.region });
    const scoped = () => {
      const qb = this.dataSource.getRepository(DisclosureEntity).createQueryBuilder('d');
      if (principal.role !== 'auditor') whereRegion(qb, regionMatch(principal.regions), 'scope', 'd');
      if (filters.region) whereRegion(qb, regionMatch([filters.region]), 'filter', 'd');
      if (filters.year !== undefined) qb.andWhere('d.fiscalYear = :year', { year: filters.year });
      if (filters.q) whereWords(qb, filters.q, ['d.unitName', 'd.projectName']);
      return qb;
    };
    const listed = scoped();
    whereStatus(listed, filters.status);
    const [items, total] = await listed
      .orderBy('d.publishedAt', 'DESC')
      .addOrderBy('d.evaluationId', 'ASC')
      .skip((filters.page - 1) * filters.pageSize)
      .take(filters.pageSize)
      .getManyAndCount();
    const counted = await scoped()
      .select('COUNT(*)', 'total')
      .addSelect("SUM(CASE WHEN d.status = 'published' THEN 1 ELSE 0 END)", 'published')
      .addSelect("SUM(CASE WHEN d.status = 'retracted' THEN 1 ELSE 0 END)", 'retracted')
      .addSelect("SUM(CASE WHEN d.status = 'published' AND d.revision > 1 THEN 1 ELSE 0 END)", 'revised')
      .addSelect(
        "SUM(CASE WHEN d.status = 'published' AND d.under_review_run_id IS NOT NULL THEN 1 ELSE 0 END)",
        'underReview',
      )
      .getRawOne<Record<keyof DisclosureCounts, unknown>>();
    const n = (v: unknown) => Number(v ?? 0);
    return {
      items: items.map(toRow),
      total,
      page: filters.page,
      pageSize: filters.pageSize,
      counts: {
        total: n(counted?.total),
        published: n(counted?.published),
        retracted: n(counted?.retracted),
        revised: n(counted?.revised),
        underReview: n(counted?.underReview),
      },
    };
  }
}

function whereStatus(qb: SelectQueryBuilder<DisclosureEntity>, status: ListDisclosures['filters']['status']): void {
  if (status === 'retracted') qb.andWhere("d.status = 'retracted'");
  else if (status) qb.andWhere("d.status = 'published'");
  if (status === 'revised') qb.andWhere('d.revision > 1');
  if (status === 'under_review') qb.andWhere('d.underReviewRunId IS NOT NULL');
}

@QueryHandler(GetStaffDisclosure)
export class GetStaffDisclosureHandler implements IQueryHandler<GetStaffDisclosure, StaffDisclosure> {
  constructor(@Inject(PUBLICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, evaluationId }: GetStaffDisclosure): Promise<StaffDisclosure> {
    assertStaff(principal);
    const d = await this.dataSource.getRepository(DisclosureEntity).findOneBy({ evaluationId });
    if (!d)
      throw refusal(
        NotFoundException,
        `nothing of evaluation ${evaluationId} was published`,
        `评价 ${evaluationId} 没有公开过`,
      );
    assertAllowed(principal, 'read', { region: d.region });
    return { ...(await withRevisions(this.dataSource, d)), retractedBy: d.retractedBy };
  }
}

@QueryHandler(GetPublicIndex)
export class GetPublicIndexHandler implements IQueryHandler<GetPublicIndex, PublicIndexEntry[]> {
  constructor(@Inject(PUBLICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute(): Promise<PublicIndexEntry[]> {
    const rows: Array<{ region: string; region_name: string | null; fiscal_year: unknown; n: unknown }> = await this.dataSource.query(
      `SELECT region, MAX(region_name) AS region_name, fiscal_year, COUNT(*) AS n FROM ${PUBLICATION_TABLES.disclosures}
       WHERE fiscal_year IS NOT NULL GROUP BY region, fiscal_year ORDER BY region, fiscal_year DESC`,
    );
    return rows.map((r) => ({ region: r.region, regionName: r.region_name, fiscalYear: Number(r.fiscal_year), count: Number(r.n) }));
  }
}
