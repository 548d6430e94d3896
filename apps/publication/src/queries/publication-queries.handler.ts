import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { EvaluationDisclosure } from '../domain/disclosure-view';
import { DisclosureRevisionEntity } from '../persistence/disclosure-revision.entity';
import { DisclosureEntity } from '../persistence/disclosure.entity';
import { PUBLICATION_TABLES } from '../persistence/publication.tables';
import { PUBLICATION_DATA_SOURCE } from '../publication.tokens';
import type { RegionYear } from '../render/region-data';
import { GetEvaluationDisclosure } from './evaluation-disclosure.query';
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
    if (!d) return null;
    const revisions = await this.dataSource.getRepository(DisclosureRevisionEntity).find({
      where: { disclosureId: d.id },
      order: { revision: 'ASC' },
    });
    return {
      disclosure: toRow(d),
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
