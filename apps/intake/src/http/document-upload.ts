import { BadRequestException, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { ZodError } from 'zod';
import { type Principal, refusal } from '@jixiao/auth';
import type { CanonicalEvaluation } from '@jixiao/contracts';
import { DEFAULT_LIMITS, DocumentRejectedError, parseDocumentAsync, type Diagnostic } from '@jixiao/forms';
import type { RuleSetRegistry } from '@jixiao/scoring';
import { SubmitEvaluations, type SubmitResult } from '../commands/submit-evaluations.command';
import { INTAKE_REGISTRY } from '../infrastructure/intake.tokens';
import { parseIdParam, parseRegionParam, parseYearParam } from './request-params';

const MEDIA_TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Upload limit (also the parser's): larger files get 413 before any parsing. */
export const MAX_DOCUMENT_BYTES = DEFAULT_LIMITS.maxBytes;

// multer reads file names as latin1 unless told otherwise: Chinese names would arrive garbled
export const UPLOAD_OPTIONS = {
  limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1 },
  defParamCharset: 'utf8',
} as MulterOptions;

/** What multer's memory storage gives (the parts used here). */
export interface UploadedFileParts {
  originalname: string;
  buffer: Buffer;
}

/** The upload's other fields (multipart fields or query parameters). */
export interface UploadFields {
  region?: string;
  year?: string;
  previousVersionId?: string;
}

export interface DocumentSubmitted extends SubmitResult {
  region: string | null;
  diagnostics: Diagnostic[];
  /** The forms read from the document, in order (what the submitter sees confirmed). */
  forms: Array<Pick<CanonicalEvaluation, 'formType' | 'projectName' | 'unitName' | 'fiscalYear' | 'region'>>;
}

/**
 * A document submitted: its type checked, read by the parsers (region and year as given, or recognised in the text),
 * and each form stored as a submission, or as the next version of a returned one. Shared by `POST /documents` and the
 * units' submission page, so both accept and refuse the same documents with the same messages (400, 422, and the
 * command's 403 and 409).
 */
@Injectable()
export class DocumentUpload {
  constructor(
    private readonly commands: CommandBus,
    @Inject(INTAKE_REGISTRY) private readonly registry: RuleSetRegistry,
  ) {}

  async submit(
    principal: Principal,
    file: UploadedFileParts | undefined,
    fields: UploadFields,
    request: { correlationId: string | null; idempotencyKey: string | null },
  ): Promise<DocumentSubmitted> {
    if (!file) throw refusal(BadRequestException, 'multipart field "file" is missing', '请选择要提交的文件');
    const fileName = file.originalname;
    const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
    const mediaType = MEDIA_TYPES[ext];
    if (!mediaType)
      throw refusal(
        BadRequestException,
        `${fileName}: unsupported file type (expected .txt, .md, .csv, .json or .xlsx)`,
        `${fileName}：不支持这种文件类型（可提交 Excel（.xlsx）、CSV、从 PDF 或网页复制出的文本（.txt、.md），或 JSON）`,
      );
    const region = parseRegionParam(fields.region, this.registry);
    const fiscalYear = parseYearParam(fields.year);
    const previousVersionId = parseIdParam('previousVersionId', fields.previousVersionId);

    const parsed = await this.parse(file.buffer, fileName, region, fiscalYear);
    const result = await this.commands.execute<SubmitEvaluations, SubmitResult>(
      new SubmitEvaluations(principal, parsed.evaluations, {
        defaultRegion: region,
        previousVersionId,
        document: { fileName, mediaType, content: file.buffer },
        diagnostics: parsed.diagnostics,
        correlationId: request.correlationId,
        idempotencyKey: request.idempotencyKey,
      }),
    );
    return {
      ...result,
      region: parsed.evaluations[0]?.region ?? region,
      diagnostics: parsed.diagnostics,
      forms: parsed.evaluations.map((e) => ({
        formType: e.formType,
        projectName: e.projectName,
        unitName: e.unitName,
        fiscalYear: e.fiscalYear,
        region: e.region ?? region,
      })),
    };
  }

  private async parse(content: Buffer, fileName: string, region: string | null, fiscalYear: number | null) {
    try {
      const out = await parseDocumentAsync(
        { content, fileName },
        {
          region: region ?? undefined,
          fiscalYear: fiscalYear ?? undefined,
          regionLookup: (text) => this.registry.findRegionInText(text),
        },
      );
      if (out.evaluations.length === 0)
        throw new DocumentRejectedError(`${fileName}: no self-evaluation form found`, `${fileName}：未找到自评表`);
      return out;
    } catch (err) {
      if (err instanceof DocumentRejectedError) throw unreadable(err);
      if (err instanceof ZodError) {
        const where = err.issues.map((i) => i.path.join('.') || '(root)');
        throw refusal(
          UnprocessableEntityException,
          `${fileName}: ${err.issues.map((i, k) => `${where[k]}: ${i.message}`).join('; ')}`,
          `${fileName}：读出的内容不符合自评表的格式（${where.join('、')}）`,
        );
      }
      throw err;
    }
  }
}

/**
 * 422 for a document the parsers refused: Nest's body (`statusCode`, `error`, `message`) with the same in Chinese
 * (`messageZh`, shown on the units' pages) and the line where reading stopped, when there is one.
 */
function unreadable(err: DocumentRejectedError): UnprocessableEntityException {
  return refusal(
    UnprocessableEntityException,
    err.message,
    err.messageZh,
    err.line === undefined ? {} : { line: err.line },
  );
}
