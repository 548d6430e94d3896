import type { DiagnosticSink } from '../diagnostics';
import type { Row } from '../tables/row';

/** What every form reader gets: the rows of the whole document and the slice that is its form. */
export interface FormContext {
  rows: Row[];
  start: number;
  end: number;
  sink: DiagnosticSink;
  /** The document shows OCR's "2" for "≥" (e.g. "目标值为2X"). */
  ocrEvidence: boolean;
  /** The form starts mid-way: the document was cut before its head. */
  fragment: boolean;
}
