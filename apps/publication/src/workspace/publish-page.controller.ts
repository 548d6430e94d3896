import { Body, Controller, Get, HttpException, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { decide, Public } from '@jixiao/auth';
import { correlationIdOf, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import {
  messageOf,
  messagePage,
  sendWorkspacePage,
  type SignedIn,
  viewerOf,
  WorkspaceGate,
} from '@jixiao/runtime/workspace';
import { RetractDisclosure } from '../commands/retract-disclosure.command';
import { parseDisclosureListQuery, parseRetractBody } from '../http/disclosure-requests';
import {
  DISCLOSURE_FILTERS,
  type DisclosureFilter,
  type DisclosureList,
  GetStaffDisclosure,
  ListDisclosures,
  type StaffDisclosure,
} from '../queries/list-disclosures.query';
import { PUBLISH, type PublishFilters, publishedPage, publishedPath, publishListPage } from './publish-pages';

type Form = Record<string, unknown> | undefined;

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** What a refused query or command means to the staff, in their words (the service's message kept). */
function refusal(err: HttpException): string {
  const status = err.getStatus();
  if (status === 403) return `无权执行此操作：${messageOf(err)}`;
  if (status === 404) return `未找到：${messageOf(err)}`;
  if (status === 400) return `请检查填写的内容：${messageOf(err)}`;
  return `操作未执行：${messageOf(err)}`;
}

/**
 * 公开管理 at /publish: what was published in the viewer's regions (the same query as `GET /disclosures`), each
 * evaluation's publication with its revisions, and its retraction with a reason by a reviewer of its region (the
 * `POST /disclosures/:id/retract` command). The public read the same results at /public; a unit is sent there.
 */
@ApiTags('workspace')
@ApiProduces('text/html')
@Public()
@Controller('publish')
export class PublishPageController {
  private readonly gate: WorkspaceGate;
  private readonly base: string;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.gate = new WorkspaceGate(PUBLISH, ctx.jwtVerificationSecrets);
    this.base = (ctx.config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
  }

  @Get()
  @ApiOperation({
    summary: 'What was published in the viewer’s regions, by region, year, status and name (HTML; `GET /disclosures`)',
  })
  async index(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.gate.session(req, res);
    if (!session) return;
    const status = text(query.status);
    const filters: PublishFilters = {
      region: text(query.region),
      year: text(query.year),
      status: DISCLOSURE_FILTERS.includes(status as DisclosureFilter) ? (status as DisclosureFilter) : undefined,
      q: text(query.q),
    };
    try {
      const list = await this.queries.execute<ListDisclosures, DisclosureList>(
        new ListDisclosures(
          session.principal,
          parseDisclosureListQuery({ ...filters, status, page: text(query.page), pageSize: '50' }),
        ),
      );
      sendWorkspacePage(res, 200, publishListPage(viewerOf(session), list, filters, null, this.base));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      sendWorkspacePage(
        res,
        err.getStatus(),
        publishListPage(viewerOf(session), null, filters, refusal(err), this.base),
      );
    }
  }

  @Get('evaluations/:id')
  @ApiOperation({
    summary: 'One evaluation’s publication: its revisions, its retraction or the form to retract it (HTML)',
  })
  async evaluation(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    const session = this.gate.session(req, res, publishedPath(id));
    if (!session) return;
    const flash = done === 'retracted' ? '已撤回公开：公开页面保留该评价，标注“已撤回”及理由。' : null;
    await this.show(res, session, id, 200, { flash });
  }

  @Post('evaluations/:id/retract')
  @ApiOperation({ summary: 'Retract the publication from the page (form: csrf, reason); 303 to it, or the refusal' })
  async retract(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() form: Form): Promise<void> {
    const session = this.gate.session(req, res, publishedPath(id));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    const draft = typeof form?.reason === 'string' ? form.reason : '';
    try {
      if (!text(draft))
        return await this.show(res, session, id, 400, {
          error: '请填写撤回理由：它将在公开页面显示，并记入审计记录。',
          draft,
        });
      const { reason } = parseRetractBody({ reason: draft });
      await this.commands.execute(new RetractDisclosure(id, reason, session.principal, correlationIdOf(req)));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.show(res, session, id, err.getStatus(), { error: refusal(err), draft });
    }
    res.redirect(303, `${publishedPath(id)}?done=retracted`);
  }

  private async show(
    res: Response,
    session: SignedIn,
    id: string,
    status: number,
    messages: { flash?: string | null; error?: string | null; draft?: string },
  ): Promise<void> {
    let found: StaffDisclosure;
    try {
      found = await this.queries.execute<GetStaffDisclosure, StaffDisclosure>(
        new GetStaffDisclosure(session.principal, id),
      );
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      const title = err.getStatus() === 404 ? '未找到' : '无权查看';
      return sendWorkspacePage(res, err.getStatus(), messagePage(PUBLISH, title, refusal(err), viewerOf(session)));
    }
    const d = found.disclosure;
    const canRetract =
      d.status === 'published' &&
      decide(session.principal, 'review', { region: d.region, unitName: d.unitName }).allowed;
    sendWorkspacePage(res, status, publishedPage(viewerOf(session), found, { ...messages, canRetract }, this.base));
  }
}
