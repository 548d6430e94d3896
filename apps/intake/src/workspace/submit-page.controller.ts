import { createHash, randomUUID } from 'node:crypto';
import {
  Body,
  Catch,
  Controller,
  Get,
  HttpException,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@jixiao/auth';
import { correlationIdOf, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import type { SafeHtml } from '@jixiao/runtime/html';
import {
  messageOf,
  messagePage,
  PageRefusalFilter,
  sendWorkspacePage,
  type Viewer,
  viewerOf,
  WorkspaceGate,
} from '@jixiao/runtime/workspace';
import { IDEMPOTENCY_KEY_REUSED } from '../domain/idempotency';
import { sendDocument } from '../http/document-download';
import { GetDocument, type StoredDocument } from '../queries/get-document.query';
import { DocumentUpload, MAX_DOCUMENT_BYTES, UPLOAD_OPTIONS, type UploadedFileParts } from '../http/document-upload';
import { receivedPage, SUBMIT, type UploadDraft, uploadPage } from './submit-pages';

type Form = Record<string, unknown> | undefined;
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** The key each rendered upload form carries (a UUID). */
const FORM_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The Idempotency-Key of a post from the page: this form, this file and what was filled in. The same post again (a
 * double click, a refreshed result page) stores nothing twice; another file, or other fields, sent from the same form
 * (back, change, send) is a submission of its own.
 */
function pageKey(formKey: string, content: Buffer, draft: UploadDraft): string {
  const what = createHash('sha256')
    .update(content)
    .update(JSON.stringify([draft.region ?? null, draft.year ?? null, draft.previousVersionId ?? null]))
    .digest('hex');
  return `submit-page:${formKey}:${what.slice(0, 32)}`;
}

/** A refused document in the unit's words, with the service's own message (what and where) kept. */
function refusal(err: HttpException): string {
  const status = err.getStatus();
  const said = messageOf(err);
  if (status === 413) return `文件超过 ${Math.round(MAX_DOCUMENT_BYTES / 1024 / 1024)} MB，未保存。请拆分后分别提交。`;
  if ((err.getResponse() as { code?: unknown }).code === IDEMPOTENCY_KEY_REUSED)
    return '此表单刚才已用不同的内容提交过，这次未保存。如需再提交，请重新选择文件后提交。';
  if (status === 422) return `未能从文件中读出自评表，未保存任何内容：${said}`;
  if (status === 403) return `无权提交：${said}`;
  if (status === 409) return `未能作为更正版本提交：${said}`;
  return `未保存：${said}`;
}

/** An upload refused before the handler (over the size limit): the form again, saying why. */
@Catch(HttpException)
class UploadRefusedFilter extends PageRefusalFilter {
  constructor(@Inject(SERVICE_CONTEXT) ctx: ServiceContext) {
    super(SUBMIT, ctx);
  }

  protected page(viewer: Viewer, err: HttpException): SafeHtml {
    return uploadPage(viewer, MAX_DOCUMENT_BYTES, { formKey: randomUUID() }, refusal(err));
  }
}

/**
 * The units' submission page at /submit: a budget unit uploads its self-evaluation document in a browser (the same
 * reading, checks and storage as `POST /documents`), sees what was received and follows each form in the review
 * workspace; a returned one is corrected from there (`/submit?corrects=<evaluation id>`). Signs in with the same
 * session as the workspace.
 */
@ApiTags('workspace')
@Public()
@Controller('submit')
export class SubmitPageController {
  private readonly gate: WorkspaceGate;

  constructor(
    private readonly upload: DocumentUpload,
    private readonly queries: QueryBus,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.gate = new WorkspaceGate(SUBMIT, ctx.jwtVerificationSecrets);
  }

  @Get()
  @ApiOperation({
    summary: 'Units’ submission page: sign-in, then the upload form (`?corrects=<id>`: a corrected version) (HTML)',
  })
  @ApiProduces('text/html')
  form(@Req() req: Request, @Res() res: Response, @Query('corrects') corrects?: string): void {
    const session = this.gate.session(req, res);
    if (!session) return;
    sendWorkspacePage(
      res,
      200,
      uploadPage(
        viewerOf(session),
        MAX_DOCUMENT_BYTES,
        { previousVersionId: text(corrects), formKey: randomUUID() },
        null,
      ),
    );
  }

  @Post()
  @UseInterceptors(FileInterceptor('file', UPLOAD_OPTIONS))
  @UseFilters(UploadRefusedFilter)
  @ApiOperation({
    summary: 'Submit a document from the page (multipart: file, csrf, region?, year?, previousVersionId?) (HTML)',
  })
  @ApiProduces('text/html')
  async submit(
    @Req() req: Request,
    @Res() res: Response,
    @UploadedFile() file: UploadedFileParts | undefined,
    @Body() form: Form,
  ): Promise<void> {
    const session = this.gate.session(req, res);
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    const sent = text(form?.formKey);
    const formKey = sent && FORM_KEY.test(sent) ? sent : null;
    const draft: UploadDraft = {
      region: text(form?.region),
      year: text(form?.year),
      previousVersionId: text(form?.previousVersionId),
      // a form from before keys (or none): a new one, so the form shown again still protects its next post
      formKey: formKey ?? randomUUID(),
    };
    try {
      const done = await this.upload.submit(session.principal, file, draft, {
        correlationId: correlationIdOf(req as { id?: unknown }),
        idempotencyKey: file && formKey ? pageKey(formKey, file.buffer, draft) : null,
      });
      sendWorkspacePage(res, 201, receivedPage(viewerOf(session), file!.originalname, done));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      // a key this form already used for other fields: the next post from the page shown is a new submission
      const reused = (err.getResponse() as { code?: unknown }).code === IDEMPOTENCY_KEY_REUSED;
      const again = reused ? { ...draft, formKey: randomUUID() } : draft;
      sendWorkspacePage(res, err.getStatus(), uploadPage(viewerOf(session), MAX_DOCUMENT_BYTES, again, refusal(err)));
    }
  }

  @Get('documents/:evaluationId')
  @ApiOperation({
    summary: 'The document an evaluation was read from, for a signed-in reader of its region (a download)',
  })
  async document(
    @Req() req: Request,
    @Res() res: Response,
    @Param('evaluationId') evaluationId: string,
  ): Promise<void> {
    const session = this.gate.session(req, res);
    if (!session) return;
    try {
      sendDocument(
        res,
        await this.queries.execute<GetDocument, StoredDocument>(new GetDocument(session.principal, evaluationId)),
      );
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      const said = messageOf(err);
      const [title, message] =
        err.getStatus() === 403 ? ['无权查看', `无权查看：${said}`] : ['未找到', `没有原始文件：${said}`];
      sendWorkspacePage(res, err.getStatus(), messagePage(SUBMIT, title, message, viewerOf(session)));
    }
  }
}
