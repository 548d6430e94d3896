import {
  CanonicalEvaluationSchema,
  EvaluationFileSchema,
  type CanonicalEvaluation,
} from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { jsonSyntaxZh, zodIssueZh } from '@jixiao/contracts/zod-issue-zh';
import { readCsv } from './csv/read-csv';
import { DiagnosticSink, type Diagnostic } from './diagnostics';
import { DocumentRejectedError } from './errors';
import { resolveLimits, type Limits } from './limits';
import { parseRows } from './parse-text';
import { mergeBrokenHeaders } from './tables/broken-headers';
import { regroupSingleCells } from './tables/regroup-cells';
import { splitRows } from './tables/split-rows';
import { decodeText } from './text/decode';
import { normalizeText } from './text/normalize';
import { readXlsxRows } from './xlsx/read-xlsx';

export interface ParseOptions {
  /** 6-digit administrative division code or CN; wins over what the text says. */
  region?: string;
  fiscalYear?: number;
  /** Finds the region named in the text (the rule-set registry: 金水区 → 410105). */
  regionLookup?: (text: string) => { code: string; name: string } | null;
  limits?: Partial<Limits>;
}

export interface ParseInput {
  content: Buffer | string;
  fileName: string;
}

export interface ParseOutcome {
  evaluations: CanonicalEvaluation[];
  diagnostics: Diagnostic[];
}

const REGION = /^(CN|\d{6})$/;

type Format = 'text' | 'csv' | 'json' | 'xlsx';

export function formatOf(fileName: string): Format {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'csv') return 'csv';
  if (ext === 'json') return 'json';
  return 'text';
}

function checkSize(content: Buffer | string, fileName: string, limits: Limits): void {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > limits.maxBytes) {
    throw new DocumentRejectedError(
      `${fileName}: ${size} bytes, over the ${limits.maxBytes}-byte limit`,
      `${fileName}：${size} 字节，超过 ${limits.maxBytes} 字节的上限`,
    );
  }
}

/** A text document (.txt, .md, .csv, .json) → its evaluations. For .xlsx use `parseDocumentAsync`. */
export function parseDocument(input: ParseInput, options: ParseOptions = {}): ParseOutcome {
  const limits = resolveLimits(options.limits);
  const format = formatOf(input.fileName);
  if (format === 'xlsx')
    throw new DocumentRejectedError(
      `${input.fileName}: spreadsheets are read by parseDocumentAsync`,
      `${input.fileName}：电子表格须用 parseDocumentAsync 读取`,
    );
  checkSize(input.content, input.fileName, limits);
  const sink = new DiagnosticSink();
  const raw = decodeText(input.content, input.fileName);
  if (format === 'json') return { evaluations: fromJson(raw, input.fileName), diagnostics: sink.items };
  const { text, notes } = normalizeText(raw);
  for (const n of notes) sink.info(0, n.message, n.messageZh);
  let rows = mergeBrokenHeaders(format === 'csv' ? readCsv(text, limits, sink) : splitRows(text, limits, sink));
  const regrouped = regroupSingleCells(rows);
  if (regrouped) {
    sink.info(
      0,
      'one cell per line: rows rebuilt from the sequence of cells',
      '文件每行只有一个单元格，已按单元格顺序重建表格行',
    );
    rows = regrouped;
  }
  const evaluations = parseRows(rows, text, input.fileName, sink);
  return finish(evaluations, text, input.fileName, format, options, sink);
}

/** Any supported document, spreadsheets included. */
export async function parseDocumentAsync(input: ParseInput, options: ParseOptions = {}): Promise<ParseOutcome> {
  if (formatOf(input.fileName) !== 'xlsx') return parseDocument(input, options);
  const limits = resolveLimits(options.limits);
  checkSize(input.content, input.fileName, limits);
  if (typeof input.content === 'string')
    throw new DocumentRejectedError(
      `${input.fileName}: an .xlsx file must be given as bytes`,
      `${input.fileName}：.xlsx 文件须以原始字节提交`,
    );
  const sink = new DiagnosticSink();
  const { rows, text } = await readXlsxRows(input.content, input.fileName, limits, sink);
  const evaluations = parseRows(rows, text, input.fileName, sink);
  return finish(evaluations, text, input.fileName, 'xlsx', options, sink);
}

function finish(
  evaluations: CanonicalEvaluation[],
  text: string,
  fileName: string,
  format: Format,
  options: ParseOptions,
  sink: DiagnosticSink,
): ParseOutcome {
  if (options.region !== undefined && !REGION.test(options.region)) {
    throw new DocumentRejectedError(
      `region ${options.region}: expected a 6-digit administrative division code or CN`,
      `地区“${options.region}”：应为 6 位行政区划代码或 CN`,
    );
  }
  if (
    options.fiscalYear !== undefined &&
    !(Number.isInteger(options.fiscalYear) && options.fiscalYear >= 1990 && options.fiscalYear <= 2100)
  ) {
    throw new DocumentRejectedError(
      `fiscal year ${options.fiscalYear}: expected a year between 1990 and 2100`,
      `年度“${options.fiscalYear}”：应为 1990 至 2100 之间的年份`,
    );
  }
  let region: string | null = options.region ?? null;
  if (!region && options.regionLookup) {
    const hit = options.regionLookup(text);
    if (hit && REGION.test(hit.code)) {
      region = hit.code;
      sink.info(
        0,
        `region ${hit.name} (${hit.code}) recognised in the text`,
        `从文中识别出地区：${hit.name}（${hit.code}）`,
      );
    }
  }
  if (!region) sink.info(0, 'region not given and not recognised in the text', '未填写地区，文中也未识别出地区');
  const out = evaluations.map((e, formIndex) => {
    const fiscalYear = options.fiscalYear ?? e.fiscalYear ?? null;
    if (fiscalYear === null)
      sink.warn(
        0,
        `form ${formIndex + 1}: fiscal year not found (expected e.g. "(2022年度)")`,
        `第 ${formIndex + 1} 张表：未找到年度（例如“（2022年度）”）`,
      );
    // Built field by field from checked cells; the schema is checked in the tests (a full zod pass per
    // document would cost a third of the parse time).
    return { ...e, region, fiscalYear, source: { document: fileName, format, formIndex } };
  });
  return { evaluations: out, diagnostics: sink.items };
}

function fromJson(raw: string, fileName: string): CanonicalEvaluation[] {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw new DocumentRejectedError(
      `${fileName}: not valid JSON (${(err as Error).message})`,
      `${fileName}：不是有效的 JSON（${jsonSyntaxZh((err as Error).message)}）`,
    );
  }
  // One schema or the other, chosen by the shape: a union's failure would only say "invalid input" at the root.
  const listed = data !== null && typeof data === 'object' && 'evaluations' in data;
  const parsed = (listed ? EvaluationListSchema : CanonicalEvaluationSchema).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(root)';
    throw new DocumentRejectedError(
      `${fileName}: not a canonical evaluation: ${where}: ${issue.message}`,
      `${fileName}：不是规范格式的自评数据：${where}：${zodIssueZh(issue, data)}`,
    );
  }
  return 'evaluations' in parsed.data ? parsed.data.evaluations : [parsed.data];
}

/** The file form holding several evaluations (EvaluationFileSchema's first branch). */
const EvaluationListSchema = EvaluationFileSchema.options[0];
