import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  UnprocessableEntityException,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { FileInterceptor } from '@nestjs/platform-express';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ZodError } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '@jixiao/auth';
import { DEFAULT_LIMITS, DocumentRejectedError, parseDocumentAsync, type Diagnostic } from '@jixiao/forms';
import type { RuleSetRegistry } from '@jixiao/scoring';
import { correlationIdOf } from '@jixiao/runtime';
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
const UPLOAD_OPTIONS = { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1 }, defParamCharset: 'utf8' } as MulterOptions;

/** What multer's memory storage gives (the parts used here). */
interface UploadedFileParts {
  originalname: string;
  buffer: Buffer;
}

interface UploadFields {
  region?: string;
  year?: string;
  previousVersionId?: string;
}

@ApiTags('intake')
@ApiBearerAuth()
@Controller('documents')
export class DocumentsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(INTAKE_REGISTRY) private readonly registry: RuleSetRegistry,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('submitter')
  @UseInterceptors(FileInterceptor('file', UPLOAD_OPTIONS))
  @ApiOperation({
    summary: 'Upload a self-evaluation document (.txt .md .csv .json .xlsx); each form in it becomes a submission',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        region: { type: 'string', description: '6-digit code or region name; default: recognised in the text' },
        year: { type: 'string', description: 'fiscal year; default: from the form' },
        previousVersionId: {
          type: 'string',
          description: 'evaluation id of the version this document corrects (one form only)',
        },
      },
    },
  })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'year', required: false })
  @ApiQuery({ name: 'previousVersionId', required: false })
  @ApiResponse({ status: 201, description: '{ evaluationIds, submissionIds, versions, region, diagnostics }' })
  @ApiResponse({ status: 400, description: 'no file, unsupported type, bad region/year, or no region found' })
  @ApiResponse({ status: 413, description: `over ${MAX_DOCUMENT_BYTES} bytes` })
  @ApiResponse({
    status: 422,
    description: 'the parser found no readable form (its message says what it looked for); nothing stored',
  })
  async upload(
    @UploadedFile() file: UploadedFileParts | undefined,
    @Body() fields: UploadFields | undefined,
    @Query() query: UploadFields,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { id?: unknown },
  ): Promise<SubmitResult & { region: string | null; diagnostics: Diagnostic[] }> {
    if (!file) throw new BadRequestException('multipart field "file" is missing');
    const fileName = file.originalname;
    const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
    const mediaType = MEDIA_TYPES[ext];
    if (!mediaType)
      throw new BadRequestException(`${fileName}: unsupported file type (expected .txt, .md, .csv, .json or .xlsx)`);
    const region = parseRegionParam(fields?.region ?? query.region, this.registry);
    const fiscalYear = parseYearParam(fields?.year ?? query.year);
    const previousVersionId = parseIdParam('previousVersionId', fields?.previousVersionId ?? query.previousVersionId);

    const parsed = await this.parse(file.buffer, fileName, region, fiscalYear);
    const result = await this.commands.execute(
      new SubmitEvaluations(principal, parsed.evaluations, {
        defaultRegion: region,
        previousVersionId,
        document: { fileName, mediaType, content: file.buffer },
        diagnostics: parsed.diagnostics,
        correlationId: correlationIdOf(req),
      }),
    );
    return { ...result, region: parsed.evaluations[0]?.region ?? region, diagnostics: parsed.diagnostics };
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
      if (out.evaluations.length === 0) throw new DocumentRejectedError(`${fileName}: no self-evaluation form found`);
      return out;
    } catch (err) {
      if (err instanceof DocumentRejectedError) throw new UnprocessableEntityException(err.message);
      if (err instanceof ZodError) {
        throw new UnprocessableEntityException(
          `${fileName}: ${err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
        );
      }
      throw err;
    }
  }
}
