import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@jixiao/auth';
import { SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import { sendHtml } from '@jixiao/runtime/html';
import type { EvaluationDisclosure } from '../domain/disclosure-view';
import { GetEvaluationDisclosure } from '../queries/evaluation-disclosure.query';
import { GetPublicIndex, type PublicIndexEntry } from '../queries/public-index.query';
import { GetRegionYear } from '../queries/region-year.query';
import { evaluationPage } from '../render/evaluation-page';
import { indexPage } from '../render/index-page';
import { notFoundPage } from '../render/not-found-page';
import { type RegionYear, regionYearCsv, regionYearJson } from '../render/region-data';
import { regionYearXlsx } from '../render/region-xlsx';
import { regionPage } from '../render/region-page';

const REGION = /^(CN|\d{6})$/;
const YEAR_FILE = /^(\d{4})(?:\.(json|csv|xlsx))?$/;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The public pages: no token, server-rendered, nothing loaded from elsewhere. */
@ApiTags('public')
@Public()
@Controller('public')
export class PublicController {
  private readonly base: string;

  constructor(
    private readonly queries: QueryBus,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.base = (ctx.config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
  }

  @Get()
  @ApiOperation({ summary: 'Regions and fiscal years with published evaluations (HTML)' })
  @ApiProduces('text/html')
  async index(@Res() res: Response): Promise<void> {
    const entries = await this.queries.execute<GetPublicIndex, PublicIndexEntry[]>(new GetPublicIndex());
    sendHtml(res, 200, indexPage(entries, this.base));
  }

  // Declared before /:region/:file so "evaluations" is never read as a region.
  @Get('evaluations/:id')
  @ApiOperation({ summary: "One published evaluation's score breakdown, revision history and retraction (HTML)" })
  @ApiProduces('text/html')
  async evaluation(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const found = await this.queries.execute<GetEvaluationDisclosure, EvaluationDisclosure | null>(new GetEvaluationDisclosure(id));
    if (!found || found.revisions.length === 0) return sendHtml(res, 404, notFoundPage(`评价 ${id} 尚未公开。`));
    sendHtml(res, 200, evaluationPage(found, this.base));
  }

  @Get(':region/:file')
  @ApiOperation({
    summary: "A region's results for a fiscal year: `/public/341522/2023` (HTML), `2023.json`, `2023.csv`, `2023.xlsx`",
  })
  @ApiParam({ name: 'region', example: '341522' })
  @ApiParam({ name: 'file', example: '2023', description: 'the fiscal year, optionally with .json, .csv or .xlsx' })
  @ApiProduces('text/html', 'application/json', 'text/csv', XLSX_TYPE)
  async regionYear(@Param('region') region: string, @Param('file') file: string, @Res() res: Response): Promise<void> {
    const m = YEAR_FILE.exec(file);
    const format = (m?.[2] ?? /\.(json|csv|xlsx)$/.exec(file)?.[1] ?? 'html') as 'html' | 'json' | 'csv' | 'xlsx';
    const view =
      m && REGION.test(region) ? await this.queries.execute<GetRegionYear, RegionYear | null>(new GetRegionYear(region, Number(m[1]))) : null;
    if (!view) {
      const what = m ? `地区 ${region} ${m[1]} 年度暂无公开的绩效自评结果。` : `没有 ${region}/${file} 这一页面。`;
      if (format === 'json') return void res.status(404).json({ statusCode: 404, message: what });
      if (format === 'csv' || format === 'xlsx') return void res.status(404).type('text/plain; charset=utf-8').send(what);
      return sendHtml(res, 404, notFoundPage(what));
    }
    if (format === 'json') return void res.status(200).json(regionYearJson(view, this.base));
    if (format === 'csv') {
      res.setHeader('Content-Disposition', `attachment; filename="${view.region}-${view.fiscalYear}.csv"`);
      return void res.status(200).type('text/csv; charset=utf-8').send(regionYearCsv(view));
    }
    if (format === 'xlsx') {
      res.setHeader('Content-Disposition', `attachment; filename="${view.region}-${view.fiscalYear}.xlsx"`);
      return void res.status(200).type(XLSX_TYPE).send(await regionYearXlsx(view));
    }
    sendHtml(res, 200, regionPage(view, this.base));
  }
}
