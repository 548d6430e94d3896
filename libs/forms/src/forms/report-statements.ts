import type { CanonicalEvaluation } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import type { DiagnosticSink } from '../diagnostics';
import { compact, type Row } from '../tables/row';

const REPORT_TITLE = /(评价报告|自评报告)/;
const GRADE = /(?:评价等级|绩效等级|评价等次|等级|等次)(?:为|是)?[::]?\s?["“]?(优秀|良好|一般|较差|优|良|中|差)/;
const TOTAL = /(?:综合评价得分|综合得分|自评得分|最终得分)(?:为)?\s?(\d{1,3}(?:\.\d{1,2})?)\s?分/;

/**
 * A project form is often followed by its written report ("…项目支出绩效评价报告") stating the grade that the
 * form itself leaves out ("评价等级优"). The report is matched to the form whose project name its title contains.
 */
export function attachReportStatements(rows: Row[], evaluations: CanonicalEvaluation[], sink: DiagnosticSink): void {
  const titles = rows
    .map((row, index) => ({ row, index }))
    .filter(
      ({ row }) =>
        row.sep === 'none' && row.cells.length === 1 && row.cells[0]!.length <= 80 && REPORT_TITLE.test(row.cells[0]!),
    );
  titles.forEach(({ row, index }, k) => {
    const title = compact(row.cells[0]);
    const matches = evaluations.filter((e) => e.projectName && title.includes(compact(e.projectName)));
    if (matches.length === 0) return;
    const e = matches.sort((a, b) => b.projectName!.length - a.projectName!.length)[0]!;
    const end = titles[k + 1]?.index ?? rows.length;
    for (let i = index + 1; i < end; i++) {
      const r = rows[i]!;
      if (r.sep !== 'none' || r.cells.length === 0) continue;
      const text = r.cells[0]!;
      const reported = (e.reported ??= {});
      const g = GRADE.exec(text);
      if (g && !reported.grade) {
        reported.grade = g[1]!;
        reported.sources = { ...(reported.sources ?? {}), grade: { line: r.line, text: g[0] } };
      }
      const t = TOTAL.exec(text);
      if (t && typeof reported.total === 'number' && Number(t[1]) !== reported.total) {
        sink.warn(
          r.line,
          `the report states ${t[1]} 分 but the form's 总分 is ${reported.total}`,
          `报告正文写明 ${t[1]} 分，但表中总分为 ${reported.total} 分`,
        );
      }
    }
  });
}
