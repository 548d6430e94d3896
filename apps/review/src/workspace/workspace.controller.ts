import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpException,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@jixiao/auth';
import { correlationIdOf, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import { sendHtml, type SafeHtml } from '@jixiao/runtime/html';
import { ApproveEvaluation, ReturnEvaluation } from '../commands/review-decision.command';
import { REVIEW_STATES } from '../domain/review-state';
import { parseApproveBody, parseListQuery, parseReturnBody } from '../http/evaluation-requests';
import { GetEvaluation, GetEvaluationHistory, ListEvaluations } from '../queries/evaluation.queries';
import {
  type DecisionDraft,
  detailPage,
  type EvaluationDetail,
  type EvaluationPage,
  type HistoryItem,
  type ListState,
  listPage,
  messagePage,
  signInPage,
  type Viewer,
  WORKSPACE,
} from './workspace-pages';
import { type Session, WorkspaceSessions } from './workspace-session';

type Form = Record<string, unknown>;
type SignedIn = Extract<Session, { signedIn: true }>;

const PAGE_SIZE = 20;
const FLASH = {
  approved: '已审核通过，结果将按流程公开。',
  returned: '已退回单位，退回理由已记入处理记录。',
} as Record<string, string>;

/** A refused query or command in the staff's words, with the service's own message kept for the record. */
function refusal(err: HttpException): string {
  const status = err.getStatus();
  const said = String((err.getResponse() as { message?: unknown }).message ?? err.message);
  if (status === 409)
    return `操作未执行：此自评表已由他人处理，或在您打开后重新评分发生了变化，请查看下方的最新状态后再操作。（${said}）`;
  if (status === 403) return `无权执行此操作：${said}`;
  if (status === 404) return `未找到：${said}`;
  if (status === 400 && said.includes('body.reason')) return '请填写退回理由：单位将根据理由修改后重新提交。';
  return said;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The reviewers' workspace at /review: server-rendered pages (no scripts) over the same queries and commands as the
 * JSON API, so a finance bureau's reviewer works in a browser — the worklist, an evaluation with each indicator's
 * two scores and the findings, approve or return with a reason, the trail — and every decision is audited as the
 * API's are. Any role may sign in and read what the API would let it read; only reviewers see the decision forms.
 */
@ApiTags('workspace')
@Public()
@Controller('review')
export class WorkspaceController {
  private readonly sessions: WorkspaceSessions;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.sessions = new WorkspaceSessions(ctx.jwtVerificationSecrets);
  }

  @Get()
  @ApiOperation({
    summary:
      'Reviewers’ workspace: sign-in, then the worklist (in review by default; state, region, year, grade, page) (HTML)',
  })
  @ApiProduces('text/html')
  async worklist(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.sessions.read(req);
    if (!session.signedIn) return send(res, session.reason ? 401 : 200, signInPage(session.reason));
    const state: ListState =
      query.state === 'all' || REVIEW_STATES.includes(query.state as never) ? (query.state as ListState) : 'in_review';
    const asked = Object.fromEntries(
      Object.entries({ region: query.region, year: query.year, grade: query.grade, page: query.page }).filter(
        ([, v]) => typeof v === 'string' && v.trim() !== '',
      ),
    );
    let filters;
    let error: string | null = null;
    try {
      filters = parseListQuery({ ...asked, pageSize: String(PAGE_SIZE), ...(state === 'all' ? {} : { state }) });
    } catch (err) {
      if (!(err instanceof BadRequestException)) throw err;
      error = `筛选条件有误：${refusal(err)}`;
      filters = parseListQuery({ pageSize: String(PAGE_SIZE), ...(state === 'all' ? {} : { state }) });
    }
    const result = await this.queries.execute<ListEvaluations, EvaluationPage>(
      new ListEvaluations(session.principal, filters),
    );
    send(res, error ? 400 : 200, listPage(viewer(session), result, filters, state, error));
  }

  @Post('sign-in')
  @ApiOperation({
    summary: 'Sign in to the workspace with a token (form field `token`); sets an HttpOnly cookie for /review',
  })
  @ApiProduces('text/html')
  signIn(@Req() req: Request, @Res() res: Response, @Body() form: Form): void {
    const token = (text(form?.token) ?? '').trim().replace(/^Bearer\s+/i, '');
    const next = safeNext(text(form?.next));
    if (!token) return send(res, 400, signInPage('请粘贴访问令牌。', next));
    const outcome = this.sessions.signIn(req, res, token);
    if ('refused' in outcome) return send(res, 401, signInPage(outcome.refused, next));
    res.redirect(303, next ?? WORKSPACE);
  }

  @Post('sign-out')
  @ApiOperation({ summary: 'Sign out of the workspace (clears its cookie)' })
  signOut(@Req() req: Request, @Res() res: Response, @Body() form: Form): void {
    const session = this.sessions.read(req);
    if (session.signedIn && !this.sessions.formIsGenuine(req, session, form?.csrf)) return this.forged(res, session);
    this.sessions.signOut(res);
    res.redirect(303, WORKSPACE);
  }

  @Get('evaluations/:id')
  @ApiOperation({
    summary:
      'One evaluation in the workspace: routing reasons, funds, indicators with both scores, findings, decision forms, trail (HTML)',
  })
  @ApiProduces('text/html')
  async evaluation(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    const session = this.sessions.read(req);
    if (!session.signedIn) return send(res, 401, signInPage(session.reason, req.originalUrl.split('?')[0]));
    await this.showEvaluation(res, session, id, 200, { flash: done ? (FLASH[done] ?? null) : null });
  }

  @Post('evaluations/:id/approve')
  @ApiOperation({ summary: 'Approve from the workspace (form: csrf, revision, comment); 303 back to the evaluation' })
  async approve(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() form: Form): Promise<void> {
    await this.decide(req, res, id, form, 'approved', { comment: text(form?.comment) }, (session, revision) => {
      const { comment } = parseApproveBody({ comment: text(form?.comment) ?? null, revision });
      return new ApproveEvaluation(id, session.principal, comment, correlationIdOf(req as { id?: unknown }), revision);
    });
  }

  @Post('evaluations/:id/return')
  @ApiOperation({
    summary: 'Return to the unit from the workspace (form: csrf, revision, reason); 303 back to the evaluation',
  })
  async returnToUnit(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() form: Form,
  ): Promise<void> {
    await this.decide(req, res, id, form, 'returned', { reason: text(form?.reason) }, (session, revision) => {
      const { reason } = parseReturnBody({ reason: text(form?.reason) ?? '', revision });
      return new ReturnEvaluation(id, session.principal, reason, correlationIdOf(req as { id?: unknown }), revision);
    });
  }

  private async decide(
    req: Request,
    res: Response,
    id: string,
    form: Form,
    done: 'approved' | 'returned',
    draft: DecisionDraft,
    command: (session: SignedIn, revision: number) => ApproveEvaluation | ReturnEvaluation,
  ): Promise<void> {
    const session = this.sessions.read(req);
    if (!session.signedIn)
      return send(
        res,
        401,
        signInPage(session.reason ?? '请先登录。', `${WORKSPACE}/evaluations/${encodeURIComponent(id)}`),
      );
    if (!this.sessions.formIsGenuine(req, session, form?.csrf)) return this.forged(res, session);
    // the revision the page showed: a decision on a case that moved on since (re-scored) is refused, not applied
    const revision = Number(text(form?.revision));
    if (!Number.isInteger(revision) || revision < 1)
      return this.showEvaluation(res, session, id, 400, { error: '表单缺少修订号，请刷新页面后再操作。', draft });
    try {
      await this.commands.execute(command(session, revision));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.showEvaluation(res, session, id, err.getStatus(), { error: refusal(err), draft });
    }
    res.redirect(303, `${WORKSPACE}/evaluations/${encodeURIComponent(id)}?done=${done}`);
  }

  private async showEvaluation(
    res: Response,
    session: SignedIn,
    id: string,
    status: number,
    messages: { flash?: string | null; error?: string | null; draft?: DecisionDraft },
  ): Promise<void> {
    let detail: EvaluationDetail;
    let history: { items: HistoryItem[] };
    try {
      detail = await this.queries.execute<GetEvaluation, EvaluationDetail>(new GetEvaluation(session.principal, id));
      history = await this.queries.execute<GetEvaluationHistory, { items: HistoryItem[] }>(
        new GetEvaluationHistory(session.principal, id),
      );
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      const title = err.getStatus() === 404 ? '未找到' : err.getStatus() === 403 ? '无权查看' : '无法显示';
      return send(res, err.getStatus(), messagePage(title, refusal(err), viewer(session)));
    }
    send(res, status, detailPage(viewer(session), detail, history.items, messages));
  }

  private forged(res: Response, session: SignedIn): void {
    send(
      res,
      403,
      messagePage('请求被拒绝', '此表单不是从本系统的页面提交的（或页面已过期）。请刷新页面后重试。', viewer(session)),
    );
  }
}

function viewer(session: SignedIn): Viewer {
  return { principal: session.principal, csrf: session.csrf };
}

function send(res: Response, status: number, page: SafeHtml): void {
  sendHtml(res, status, page, { forms: 'self', private: true });
}

/** Only a workspace path may follow sign-in (never another site). */
function safeNext(next: string | undefined): string | null {
  return next && /^\/review\/evaluations\/[^/?#\\]+$/.test(next) ? next : null;
}
