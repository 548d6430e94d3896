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
import { type Principal, Public } from '@jixiao/auth';
import { correlationIdOf, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import {
  messageOf,
  messagePage,
  sendWorkspacePage,
  type SignedIn,
  viewerOf,
  WorkspaceGate,
} from '@jixiao/runtime/workspace';
import { HoldEvaluation, type HoldOutcome, ReleaseEvaluation, TakeNextEvaluation } from '../commands/holds.command';
import { ApproveEvaluation, ReturnEvaluation } from '../commands/review-decision.command';
import { SetRoster } from '../commands/set-roster.command';
import { unitsFromText } from '../domain/roster';
import { REVIEW_STATE_LABELS, REVIEW_STATES } from '../domain/review-state';
import { parseApproveBody, parseListQuery, parseReturnBody } from '../http/evaluation-requests';
import { parseRosterParams } from '../http/roster-requests';
import { GetEvaluation, GetEvaluationHistory, GetProgress, ListEvaluations } from '../queries/evaluation.queries';
import type { EvaluationSummary } from '../queries/evaluation.views';
import { GetRoster, GetRosterOverview, type RosterOverview, type RosterView } from '../queries/roster.query';
import { ROSTER_PAGE, type RosterPageInput, rosterPage } from './roster-page';
import {
  type DecisionDraft,
  detailPage,
  type EvaluationDetail,
  type EvaluationPage,
  type HistoryItem,
  type ListState,
  listPage,
  type Progress,
  type RosterSummary,
  WORKSPACE,
} from './workspace-pages';
import { rosterXlsx } from './roster-xlsx';
import { worklistXlsx } from './worklist-xlsx';

type Form = Record<string, unknown> | undefined;

const PAGE_SIZE = 20;
const EXPORT_PAGE_SIZE = 100;
const EXPORT_MAX_ROWS = 10_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FLASH: Record<string, string> = {
  approved: '已审核通过，结果将按流程公开。',
  returned: '已退回单位，退回理由已记入处理记录。',
  held: '已认领：其他审核人员的“审核下一份”会跳过这一份。',
  released: '已放回待审核队列。',
};

/** A refused query or command in the staff's words, with the service's own message kept for the record. */
function refusal(err: HttpException): string {
  const status = err.getStatus();
  const said = messageOf(err);
  if ((err.getResponse() as { code?: unknown }).code === 'FINDINGS_UNAVAILABLE') return said;
  if (status === 409)
    return `操作未执行：此自评表已由他人处理，或在您打开后重新评分发生了变化，请查看下方的最新状态后再操作。（${said}）`;
  if (status === 403) return `无权执行此操作：${said}`;
  if (status === 404) return `未找到：${said}`;
  if (status === 400 && said.includes('body.reason'))
    return '请填写退回理由，或勾选需要单位修改的问题：单位将据此修改后重新提交。';
  return said;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** A form field that may come once or several times (checkboxes of one name). */
const texts = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');

/** The worklist's state (in review unless asked) and filters from the query; bad ones dropped, saying why. */
function listFilters(query: Record<string, unknown>, pageSize: number, role: Principal['role']) {
  // a reviewer starts from what waits for them; everyone else from everything they may read
  const state: ListState =
    query.state === 'all' || REVIEW_STATES.includes(query.state as never)
      ? (query.state as ListState)
      : role === 'reviewer'
        ? 'in_review'
        : 'all';
  // a corrected version replaces the one it corrects, unless all versions are asked for
  const fixed = {
    pageSize: String(pageSize),
    current: String(query.versions !== 'all'),
    ...(state === 'all' ? {} : { state }),
  };
  const asked = Object.fromEntries(
    Object.entries({
      region: query.region,
      year: query.year,
      grade: query.grade,
      q: query.q,
      sort: query.sort,
      finding: query.finding,
      page: query.page,
    }).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  );
  try {
    return { state, filters: parseListQuery({ ...asked, ...fixed }), error: null };
  } catch (err) {
    if (!(err instanceof BadRequestException)) throw err;
    const said = refusal(err);
    const what = said.includes('query.region')
      ? '地区请填写 6 位行政区划代码（如 130126，或省级 130000 含其下各地）'
      : said.includes('query.year')
        ? '年度请填写四位数字（如 2023）'
        : said.includes('query.finding')
          ? '没有这一类问题'
          : said;
    return { state, filters: parseListQuery(fixed), error: `筛选条件有误，已忽略：${what}。` };
  }
}
const evaluationPath = (id: string) => `${WORKSPACE}/evaluations/${encodeURIComponent(id)}`;
const rosterPath = (region: string, year: string | number, done?: string) =>
  `${ROSTER_PAGE}?${new URLSearchParams({ region, year: String(year), ...(done ? { done } : {}) })}`;

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
  private readonly gate: WorkspaceGate;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.gate = new WorkspaceGate(WORKSPACE, ctx.jwtVerificationSecrets);
  }

  @Get()
  @ApiOperation({
    summary:
      'Reviewers’ workspace: sign-in, then the worklist (in review by default; state, region, year, grade, page) (HTML)',
  })
  @ApiProduces('text/html')
  async worklist(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.gate.session(req, res);
    if (!session) return;
    const { state, filters, error } = listFilters(query, PAGE_SIZE, session.principal.role);
    const [result, progress] = await Promise.all([
      this.queries.execute<ListEvaluations, EvaluationPage>(new ListEvaluations(session.principal, filters)),
      this.queries.execute<GetProgress, Progress>(
        new GetProgress(session.principal, { region: filters.region, year: filters.year }),
      ),
    ]);
    const flash = query.done === 'none' ? '没有等待审核的自评表了。' : null;
    sendWorkspacePage(
      res,
      error ? 400 : 200,
      listPage(viewerOf(session), result, progress, filters, state, error, {
        flash,
        roster: await this.rosterOf(session, filters),
        mine: await this.heldBy(session),
      }),
    );
  }

  /** What a reviewer holds now (a few at most: taking the next gives back the one before). */
  private async heldBy(session: SignedIn): Promise<EvaluationSummary[]> {
    if (session.principal.role !== 'reviewer') return [];
    const held = await this.queries.execute<ListEvaluations, EvaluationPage>(
      new ListEvaluations(session.principal, { held: 'me', sort: 'oldest', page: 1, pageSize: 5 }),
    );
    return held.items;
  }

  /** For the staff looking at a county and a year: its roster in a line, if one was set (and they may read it). */
  private async rosterOf(
    session: SignedIn,
    filters: { region?: string; year?: number },
  ): Promise<RosterSummary | null> {
    if (session.principal.role === 'submitter' || !filters.region || !/^\d{6}$/.test(filters.region) || !filters.year)
      return null;
    try {
      const v = await this.queries.execute<GetRoster, RosterView>(
        new GetRoster(session.principal, filters.region, filters.year),
      );
      return { expected: v.expected, missing: v.missing.length, overdue: v.overdue };
    } catch (err) {
      if (err instanceof HttpException) return null;
      throw err;
    }
  }

  @Get('export.xlsx')
  @ApiOperation({
    summary: 'The worklist as filtered (state, region, year, grade), as an Excel workbook (up to 10,000 rows)',
  })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.gate.session(req, res);
    if (!session) return;
    const { state, filters, error } = listFilters(query, EXPORT_PAGE_SIZE, session.principal.role);
    if (error) return sendWorkspacePage(res, 400, messagePage(WORKSPACE, '无法导出', error, viewerOf(session)));
    const items: EvaluationPage['items'] = [];
    let total = 0;
    for (let page = 1; page <= EXPORT_MAX_ROWS / EXPORT_PAGE_SIZE; page++) {
      const result = await this.queries.execute<ListEvaluations, EvaluationPage>(
        new ListEvaluations(session.principal, { ...filters, page }),
      );
      items.push(...result.items);
      total = result.total;
      if (items.length >= total || result.items.length === 0) break;
    }
    const title = `绩效自评表（${state === 'all' ? '全部' : REVIEW_STATE_LABELS[state]}）`;
    res.attachment(`${title}.xlsx`);
    res.setHeader('Cache-Control', 'no-store');
    res.type(XLSX_TYPE).send(await worklistXlsx(items, title, items.length < total));
  }

  @Get('next')
  @ApiOperation({
    summary:
      'A reviewer takes the evaluation that has waited longest and nobody holds (current versions, their reach; `region`, `year` narrow it): 303 to its page, else to the worklist',
  })
  async next(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.gate.session(req, res, `${WORKSPACE}/next`);
    if (!session) return;
    if (session.principal.role !== 'reviewer') return res.redirect(303, WORKSPACE);
    const { filters } = listFilters({ ...query, state: 'in_review' }, 1, session.principal.role);
    let taken: HoldOutcome | null;
    try {
      taken = await this.commands.execute<TakeNextEvaluation, HoldOutcome | null>(
        new TakeNextEvaluation(session.principal, { region: filters.region, year: filters.year }),
      );
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return sendWorkspacePage(
        res,
        err.getStatus(),
        messagePage(WORKSPACE, '无法取下一份', refusal(err), viewerOf(session)),
      );
    }
    res.redirect(303, taken ? evaluationPath(taken.evaluationId) : `${WORKSPACE}?state=in_review&done=none`);
  }

  @Post('evaluations/:id/hold')
  @ApiOperation({ summary: 'Hold (认领) an evaluation in review from the workspace (form: csrf); 303 back' })
  async hold(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() form: Form): Promise<void> {
    await this.holding(req, res, id, form, 'held', (principal) => new HoldEvaluation(principal, id));
  }

  @Post('evaluations/:id/release')
  @ApiOperation({ summary: 'Give back (放回队列) an evaluation the reviewer holds (form: csrf); 303 back' })
  async release(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() form: Form): Promise<void> {
    await this.holding(req, res, id, form, 'released', (principal) => new ReleaseEvaluation(principal, id));
  }

  private async holding(
    req: Request,
    res: Response,
    id: string,
    form: Form,
    done: 'held' | 'released',
    command: (principal: Principal) => HoldEvaluation | ReleaseEvaluation,
  ): Promise<void> {
    const session = this.gate.session(req, res, evaluationPath(id));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    try {
      await this.commands.execute(command(session.principal));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.showEvaluation(res, session, id, err.getStatus(), { error: messageOf(err) });
    }
    res.redirect(303, `${evaluationPath(id)}?done=${done}`);
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
    const session = this.gate.session(req, res, evaluationPath(id));
    if (!session) return;
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
    summary:
      'Return to the unit from the workspace (form: csrf, revision, reason, findings: the keys ticked); 303 back to ' +
      'the evaluation',
  })
  async returnToUnit(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() form: Form,
  ): Promise<void> {
    const draft = { reason: text(form?.reason), findings: texts(form?.findings) };
    await this.decide(req, res, id, form, 'returned', draft, (session, revision) => {
      const { reason, findings } = parseReturnBody({ ...draft, reason: draft.reason ?? '', revision });
      const correlationId = correlationIdOf(req as { id?: unknown });
      return new ReturnEvaluation(id, session.principal, reason, correlationId, revision, findings);
    });
  }

  @Get('roster')
  @ApiOperation({
    summary:
      'Which units of a region have submitted for a year and which on its roster have not; reviewers set the roster (HTML)',
  })
  @ApiProduces('text/html')
  async roster(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.gate.session(req, res, ROSTER_PAGE);
    if (!session) return;
    // a reviewer of one county starts from it
    const own = session.principal.regions.length === 1 && /^\d{6}$/.test(session.principal.regions[0]);
    const region = text(query.region)?.trim() ?? (own ? session.principal.regions[0] : '');
    const year = text(query.year)?.trim() ?? '';
    await this.showRoster(res, session, 200, {
      region,
      year,
      flash: query.done === 'roster' ? '名单已保存，已记入审计记录。' : null,
    });
  }

  @Get('roster.xlsx')
  @ApiOperation({ summary: 'A region’s roster for a year as an Excel workbook: who submitted, when, late or not' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async rosterExport(
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const session = this.gate.session(req, res, ROSTER_PAGE);
    if (!session) return;
    let view: RosterView;
    try {
      const { region, year } = parseRosterParams({ region: text(query.region), year: text(query.year) });
      view = await this.queries.execute<GetRoster, RosterView>(new GetRoster(session.principal, region, year));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return sendWorkspacePage(
        res,
        err.getStatus(),
        messagePage(WORKSPACE, '无法导出', refusal(err), viewerOf(session)),
      );
    }
    res.attachment(`单位填报情况-${view.region}-${view.fiscalYear}.xlsx`);
    res.setHeader('Cache-Control', 'no-store');
    res.type(XLSX_TYPE).send(await rosterXlsx(view));
  }

  @Post('roster')
  @ApiOperation({
    summary:
      'Set a region’s roster from the workspace (form: csrf, region, year, units: one per line, deadline?); 303 back',
  })
  async setRoster(@Req() req: Request, @Res() res: Response, @Body() form: Form): Promise<void> {
    const session = this.gate.session(req, res, ROSTER_PAGE);
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    const region = text(form?.region)?.trim() ?? '';
    const year = text(form?.year)?.trim() ?? '';
    const draft = text(form?.units) ?? '';
    const deadline = text(form?.deadline)?.trim() ?? '';
    try {
      const where = parseRosterParams({ region, year });
      await this.commands.execute(
        new SetRoster(
          session.principal,
          where.region,
          where.year,
          unitsFromText(draft),
          deadline || null,
          correlationIdOf(req as { id?: unknown }),
        ),
      );
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.showRoster(res, session, err.getStatus(), {
        region,
        year,
        error: refusal(err),
        draft,
        draftDeadline: deadline,
      });
    }
    res.redirect(303, rosterPath(region, year, 'roster'));
  }

  private async showRoster(
    res: Response,
    session: SignedIn,
    status: number,
    input: Omit<RosterPageInput, 'view'>,
  ): Promise<void> {
    let view: RosterView | null = null;
    let overview: RosterOverview | null = null;
    let error = input.error ?? null;
    if (input.region && input.year) {
      try {
        const { region, year } = parseRosterParams({ region: input.region, year: input.year });
        view = await this.queries.execute<GetRoster, RosterView>(new GetRoster(session.principal, region, year));
        // a city or a province: its sub-regions' rosters too
        if (region.endsWith('00'))
          overview = await this.queries.execute<GetRosterOverview, RosterOverview>(
            new GetRosterOverview(session.principal, region, year),
          );
      } catch (err) {
        if (!(err instanceof HttpException)) throw err;
        error = refusal(err);
        if (status < 400) status = err.getStatus();
      }
    }
    sendWorkspacePage(res, status, rosterPage(viewerOf(session), { ...input, view, overview, error }));
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
    const session = this.gate.session(req, res, evaluationPath(id));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
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
    res.redirect(303, `${evaluationPath(id)}?done=${done}`);
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
      return sendWorkspacePage(res, err.getStatus(), messagePage(WORKSPACE, title, refusal(err), viewerOf(session)));
    }
    sendWorkspacePage(res, status, detailPage(viewerOf(session), detail, history.items, messages));
  }
}
