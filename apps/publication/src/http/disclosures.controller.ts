import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@jixiao/auth';
import { correlationIdOf } from '@jixiao/runtime';
import { RetractDisclosure } from '../commands/retract-disclosure.command';
import type { DisclosureRow } from '../domain/disclosure-view';
import type { DisclosureEntity } from '../persistence/disclosure.entity';
import {
  DISCLOSURE_FILTERS,
  type DisclosureList,
  GetStaffDisclosure,
  ListDisclosures,
  type StaffDisclosure,
} from '../queries/list-disclosures.query';
import { toRow } from '../queries/to-row';
import { parseDisclosureListQuery, parseRetractBody } from './disclosure-requests';

/** What was published, for the bureau's staff (the public read /public), and its withdrawal. */
@ApiTags('publication')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' })
@Controller('disclosures')
export class DisclosuresController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('reviewer', 'rule_admin', 'auditor')
  @ApiOperation({
    summary: 'What was published in the caller’s regions (公开管理), newest publication first, paged',
    description:
      'Each disclosure as the public pages list it (status, revision, figures, retraction), and `counts` of the ' +
      'region, year and words asked for: published (in force), retracted, revised, under review (a re-scoring ' +
      'changed its figures and a reviewer has yet to approve them). Staff only (a unit gets 403).',
  })
  @ApiQuery({ name: 'region', required: false, description: 'a division code (its sub-regions too)', example: '130100' })
  @ApiQuery({ name: 'year', required: false, type: Number, example: 2022 })
  @ApiQuery({ name: 'status', required: false, enum: DISCLOSURE_FILTERS })
  @ApiQuery({ name: 'q', required: false, description: 'words the unit’s or the project’s name contains' })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number, description: 'at most 100 (default 20)' })
  @ApiOkResponse({ description: '{ items, total, page, pageSize, counts: { total, published, retracted, revised, underReview } }' })
  @ApiForbiddenResponse({ description: 'A unit, or a region outside the caller’s' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, string>): Promise<DisclosureList> {
    return this.queries.execute(new ListDisclosures(principal, parseDisclosureListQuery(query)));
  }

  @Get(':evaluationId')
  @Roles('reviewer', 'rule_admin', 'auditor')
  @ApiOperation({
    summary: 'One evaluation’s disclosure: where it stands, every revision, who retracted it and why',
  })
  @ApiOkResponse({
    description: '{ disclosure, revisions, retractedBy, replacedBy } (replacedBy: for one withdrawn, the later version of the form in force)',
  })
  @ApiNotFoundResponse({ description: 'Nothing of this evaluation was published' })
  @ApiForbiddenResponse({ description: 'A unit, or outside the caller’s regions' })
  get(@CurrentPrincipal() principal: Principal, @Param('evaluationId') evaluationId: string): Promise<StaffDisclosure> {
    return this.queries.execute(new GetStaffDisclosure(principal, evaluationId));
  }

  @Post(':evaluationId/retract')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({ summary: 'Retract a published disclosure (reviewer of its region); the page shows it as 已撤回 with the reason' })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', example: '重新评分后等级变化，待复核' } } } })
  @ApiOkResponse({ description: 'The disclosure, now retracted' })
  @ApiConflictResponse({ description: 'Already retracted' })
  async retract(
    @Param('evaluationId') evaluationId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { id?: unknown },
  ): Promise<DisclosureRow> {
    const { reason } = parseRetractBody(body);
    const retracted = await this.commands.execute<RetractDisclosure, DisclosureEntity>(
      new RetractDisclosure(evaluationId, reason, principal, correlationIdOf(req)),
    );
    return toRow(retracted);
  }
}
