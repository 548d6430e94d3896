import { Controller, Get, HttpException, Inject, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@jixiao/auth';
import { SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import {
  messageOf,
  messagePage,
  sendWorkspacePage,
  type SignedIn,
  viewerOf,
  WorkspaceGate,
} from '@jixiao/runtime/workspace';
import { parseProgressQuery } from '../http/evaluation-requests';
import { GetProgress } from '../queries/evaluation.queries';
import { SUMMARY_PAGE, summaryPage, summaryQuery, summaryXlsx } from './summary-page';
import { type Progress, WORKSPACE } from './workspace-pages';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * 自评结果汇总 at /review/summary (and .xlsx): the `GET /evaluations/progress?by=region` query as the bureau's staff
 * read and export it. Units are sent to their own list.
 */
@ApiTags('workspace')
@Public()
@Controller('review')
export class SummaryPageController {
  private readonly gate: WorkspaceGate;

  constructor(
    private readonly queries: QueryBus,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.gate = new WorkspaceGate(WORKSPACE, ctx.jwtVerificationSecrets);
  }

  private staff(req: Request, res: Response): SignedIn | null {
    const session = this.gate.session(req, res, SUMMARY_PAGE);
    if (!session) return null;
    if (session.principal.role !== 'submitter') return session;
    sendWorkspacePage(
      res,
      403,
      messagePage(
        WORKSPACE,
        '无权查看',
        '自评结果汇总供财政部门使用；本单位的自评表见“本单位自评表”。',
        viewerOf(session),
      ),
    );
    return null;
  }

  /** The summary asked for (a reviewer of one region starts from it), or the refusal. */
  private async summary(session: SignedIn, query: Record<string, unknown>) {
    const own = session.principal.regions.length === 1 ? session.principal.regions[0] : undefined;
    const region = text(query.region) ?? own ?? '';
    const year = text(query.year) ?? '';
    try {
      const filters = parseProgressQuery({
        region: region || undefined,
        year: year || undefined,
        by: 'region',
        findings: 'true',
      });
      return {
        region,
        year,
        summary: await this.queries.execute<GetProgress, Progress>(new GetProgress(session.principal, filters)),
      };
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return { region, year, summary: null, status: err.getStatus(), error: `无法汇总：${messageOf(err)}` };
    }
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Results by region for a region and year: counts by state and grade, average total and rate (HTML)',
  })
  @ApiProduces('text/html')
  async page(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.staff(req, res);
    if (!session) return;
    const found = await this.summary(session, query);
    sendWorkspacePage(res, 'status' in found ? found.status! : 200, summaryPage(viewerOf(session), found));
  }

  @Get('summary.xlsx')
  @ApiOperation({ summary: 'The same summary as an Excel workbook: a row per region and the total' })
  @ApiProduces(XLSX_TYPE)
  async export(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.staff(req, res);
    if (!session) return;
    const found = await this.summary(session, query);
    if (!found.summary)
      return sendWorkspacePage(
        res,
        'status' in found ? found.status! : 400,
        messagePage(WORKSPACE, '无法导出', found.error ?? '', viewerOf(session)),
      );
    const name = summaryQuery(found.summary.region, found.summary.fiscalYear).replace(/[=&]/g, '-') || '全部';
    res.attachment(`自评结果汇总-${name}.xlsx`);
    res.setHeader('Cache-Control', 'no-store');
    res.type(XLSX_TYPE).send(await summaryXlsx(found.summary));
  }
}
