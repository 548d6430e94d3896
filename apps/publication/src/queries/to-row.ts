import type { DisclosureRow } from '../domain/disclosure-view';
import type { DisclosureEntity } from '../persistence/disclosure.entity';

export function toRow(d: DisclosureEntity): DisclosureRow {
  return {
    evaluationId: d.evaluationId,
    disclosureId: d.id,
    region: d.region,
    regionName: d.regionName,
    fiscalYear: d.fiscalYear,
    formType: d.formType,
    unitName: d.unitName,
    projectName: d.projectName,
    revision: d.revision,
    status: d.status,
    total: d.total,
    grade: d.grade,
    executionRate: d.executionRate,
    firstPublishedAt: d.firstPublishedAt,
    publishedAt: d.publishedAt,
    retractedAt: d.retractedAt,
    retractionReason: d.retractionReason,
    underReviewRunId: d.underReviewRunId ?? null,
  };
}
