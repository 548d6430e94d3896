import { gradeDistribution, type GradeCount } from '../domain/grade-distribution';
import { FORM_TYPE_LABELS, statusLabel, type DisclosureRow } from '../domain/disclosure-view';
import { toCsv } from './csv';
import { formatRate, formatScore, formatTime } from '@jixiao/runtime/html';

/** One region's disclosures for one fiscal year: the data behind the HTML page, the JSON and the CSV alike. */
export interface RegionYear {
  region: string;
  regionName: string | null;
  fiscalYear: number;
  rows: DisclosureRow[];
}

/** Retracted disclosures stay listed but no longer count in the distribution. */
export function distributionOf(view: RegionYear): GradeCount[] {
  return gradeDistribution(view.rows.filter((r) => r.status === 'published').map((r) => r.grade));
}

export const evaluationPath = (base: string, evaluationId: string) => `${base}/public/evaluations/${encodeURIComponent(evaluationId)}`;

export function regionYearJson(view: RegionYear, base: string) {
  return {
    region: { code: view.region, name: view.regionName },
    fiscalYear: view.fiscalYear,
    count: view.rows.length,
    gradeDistribution: distributionOf(view),
    evaluations: view.rows.map((r) => ({
      evaluationId: r.evaluationId,
      disclosureId: r.disclosureId,
      unitName: r.unitName,
      projectName: r.projectName,
      formType: r.formType,
      total: r.total,
      grade: r.grade,
      executionRate: r.executionRate,
      status: r.status,
      statusLabel: statusLabel(r),
      revision: r.revision,
      revised: r.revision > 1,
      underReview: r.underReviewRunId !== null && r.status === 'published',
      firstPublishedAt: r.firstPublishedAt,
      publishedAt: r.publishedAt,
      retractedAt: r.retractedAt,
      retractionReason: r.retractionReason,
      url: evaluationPath(base, r.evaluationId),
    })),
  };
}

export const CSV_HEADER = ['评价编号', '单位', '项目', '表类型', '总分', '等级', '执行率', '状态', '修订次数', '发布时间', '撤回原因'];

/** The same cells the HTML table shows, in the same formats. */
export function regionYearCsv(view: RegionYear): string {
  return toCsv(
    CSV_HEADER,
    view.rows.map((r) => [
      r.evaluationId,
      r.unitName,
      r.projectName,
      FORM_TYPE_LABELS[r.formType],
      formatScore(r.total),
      r.grade ?? '—',
      formatRate(r.executionRate),
      statusLabel(r),
      r.revision - 1,
      formatTime(r.publishedAt),
      r.retractionReason,
    ]),
  );
}
