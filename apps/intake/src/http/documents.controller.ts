import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@jixiao/auth';
import { correlationIdOf } from '@jixiao/runtime';
import type { SubmitResult } from '../commands/submit-evaluations.command';
import { GetDocument, type StoredDocument } from '../queries/get-document.query';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../domain/idempotency';
import { sendDocument } from './document-download';
import { ApiIdempotencyKey, idempotentAnswer } from './idempotent-answer';
import type { Diagnostic } from '@jixiao/forms';
import {
  DocumentUpload,
  MAX_DOCUMENT_BYTES,
  UPLOAD_OPTIONS,
  type UploadedFileParts,
  type UploadFields,
} from './document-upload';

@ApiTags('intake')
@ApiBearerAuth()
@Controller('documents')
export class DocumentsController {
  constructor(
    private readonly upload: DocumentUpload,
    private readonly queries: QueryBus,
  ) {}

  @Get(':evaluationId')
  @ApiOperation({ summary: 'The document an evaluation version was read from, as the unit uploaded it (a download)' })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 403, description: 'not allowed to read this region/unit' })
  @ApiResponse({ status: 404, description: 'unknown evaluation, or one submitted as JSON (no document)' })
  async download(
    @Param('evaluationId') evaluationId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    sendDocument(
      res,
      await this.queries.execute<GetDocument, StoredDocument>(new GetDocument(principal, evaluationId)),
    );
  }

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
  @ApiIdempotencyKey()
  @ApiResponse({
    status: 422,
    description:
      'the parser found no readable form (its message says what it looked for), or the Idempotency-Key was used ' +
      'for another request; nothing stored',
  })
  async submit(
    @UploadedFile() file: UploadedFileParts | undefined,
    @Body() fields: UploadFields | undefined,
    @Query() query: UploadFields,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { id?: unknown },
    @Headers(IDEMPOTENCY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmitResult & { region: string | null; diagnostics: Diagnostic[] }> {
    const given = {
      region: fields?.region ?? query.region,
      year: fields?.year ?? query.year,
      previousVersionId: fields?.previousVersionId ?? query.previousVersionId,
    };
    const { forms: _forms, ...result } = await this.upload.submit(principal, file, given, {
      correlationId: correlationIdOf(req),
      idempotencyKey: parseIdempotencyKey(idempotencyKey),
    });
    return idempotentAnswer(res, result);
  }
}
