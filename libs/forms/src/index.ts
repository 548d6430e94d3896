export { parseDocument, parseDocumentAsync, formatOf } from './parse-document';
export type { ParseInput, ParseOptions, ParseOutcome } from './parse-document';
export { DocumentRejectedError } from './errors';
export type { Diagnostic } from './diagnostics';
export { DEFAULT_LIMITS, type Limits } from './limits';
export { buildTemplate, templateBuffer, TEMPLATE_LAYOUT } from './xlsx/template';
export { readSpreadsheetText } from './xlsx/read-xlsx';
