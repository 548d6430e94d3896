import type { CanonicalEvaluation } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import type { DiagnosticSink } from './diagnostics';
import { DocumentRejectedError } from './errors';
import type { FormContext } from './forms/context';
import { readDepartmentForm } from './forms/department-form';
import { readNarrativeReport } from './forms/narrative-report';
import { rejectionMessage } from './forms/rejection';
import { attachReportStatements } from './forms/report-statements';
import { findSegments } from './forms/segments';
import { readTableForm } from './forms/table-form';
import type { Row } from './tables/row';

const OCR_EVIDENCE = /[为是]2X|2X[,，)]/;

/** Rows of one document (text, csv or a spreadsheet) → the evaluations it holds. Throws when it holds none. */
export function parseRows(
  rows: Row[],
  fullText: string,
  fileName: string,
  sink: DiagnosticSink,
): CanonicalEvaluation[] {
  const ocrEvidence = OCR_EVIDENCE.test(fullText);
  const evaluations: CanonicalEvaluation[] = [];
  let emptyForm: number | undefined;
  for (const seg of findSegments(rows)) {
    const ctx: FormContext = { rows, start: seg.start, end: seg.end, sink, ocrEvidence, fragment: seg.fragment };
    const evaluation = seg.kind === 'department' ? readDepartmentForm(ctx) : readTableForm(ctx, 'project').evaluation;
    const hasContent =
      (evaluation.indicators?.length ?? 0) > 0 ||
      evaluation.funds !== undefined ||
      (evaluation.projects?.length ?? 0) > 0;
    if (!hasContent) {
      emptyForm ??= rows[seg.start]?.line ?? 0;
      sink.warn(
        rows[seg.start]?.line ?? 0,
        `a form starts here but none of its figures could be read; left out`,
        `这里开始一张表，但没有读到任何数字，未读取`,
      );
      continue;
    }
    evaluations.push(evaluation);
  }
  if (evaluations.length === 0) {
    const narrative = readNarrativeReport(rows, sink);
    if (narrative) evaluations.push(narrative);
  }
  if (evaluations.length > 0) attachReportStatements(rows, evaluations, sink);
  if (evaluations.length === 0 && emptyForm !== undefined) {
    throw new DocumentRejectedError(
      `${fileName}: a form starts at line ${emptyForm} but none of its figures (项目资金, indicator rows with 分值/得分) are filled in`,
      `${fileName}：第 ${emptyForm} 行开始一张表，但其中的数字（项目资金、带分值和得分的指标行）都没有填写`,
      emptyForm,
    );
  }
  if (evaluations.length === 0) {
    const { message, messageZh, line } = rejectionMessage(rows, fileName);
    throw new DocumentRejectedError(message, messageZh, line);
  }
  return evaluations;
}
