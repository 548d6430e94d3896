import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiQuery,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@jixiao/auth';
import { correlationIdOf } from '@jixiao/runtime';
import { SetRoster } from '../commands/set-roster.command';
import { ROSTER_MAX_UNITS, UNIT_NAME_MAX } from '../domain/roster';
import { GetRoster, GetRosterOverview, type RosterOverview, type RosterView } from '../queries/roster.query';
import { parseRosterBody, parseRosterParams } from './roster-requests';

class SetRosterBody {
  @ApiProperty({
    description:
      `The units expected to submit for the region and year (1–${ROSTER_MAX_UNITS}, each at most ${UNIT_NAME_MAX} ` +
      'characters), as their forms name them; replaces the roster set before. A name given twice counts once ' +
      '(spaces and full-width forms do not count)',
    type: [String],
    example: ['灵寿县人民政府办公室', '灵寿县财政局', '灵寿县农业农村局'],
  })
  units!: string[];

  @ApiPropertyOptional({
    description: 'The last day (China time) a form counts as on time; units first submitting later are marked late',
    example: '2024-03-31',
    type: String,
    nullable: true,
  })
  deadline?: string | null;
}

class RosterDto {
  @ApiProperty({ example: '130126' }) region!: string;
  @ApiProperty({ example: 2022 }) fiscalYear!: number;
  @ApiProperty({ type: String, nullable: true, description: 'when the roster was set (null: none set)' }) setAt!:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: 'who set it' }) setBy!: string | null;
  @ApiProperty({ description: 'how many units the roster names' }) expected!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the deadline (YYYY-MM-DD, China time), if set' })
  deadline!: string | null;
  @ApiProperty({ description: 'the deadline has passed' }) overdue!: boolean;
  @ApiProperty({ description: 'how many units of the roster first submitted after the deadline' }) late!: number;
  @ApiProperty({ description: 'how many of them submitted at least one form (current versions)' }) submitted!: number;
  @ApiProperty({
    description:
      'the roster in its order: { unitName, evaluations, byState, firstAt, lastAt, late } (0 evaluations: not yet; ' +
      'late: first submitted after the deadline)',
    type: [Object],
  })
  units!: object[];
  @ApiProperty({ description: 'the roster’s units that submitted nothing', type: [String] }) missing!: string[];
  @ApiProperty({
    description: 'every time the roster was set, newest first: { at, by, reason, auditSeq } (its audit records)',
    type: [Object],
  })
  changes!: object[];
  @ApiProperty({
    description: 'units that submitted but the roster does not name (a name written otherwise, or left out)',
    type: [Object],
  })
  unlisted!: object[];
}

@ApiTags('review')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' })
@Controller('rosters')
export class RostersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('reviewer', 'rule_admin', 'auditor')
  @ApiOperation({
    summary: 'Where the rosters of a region and its sub-regions stand for a year (a city’s counties, a province’s …)',
    description:
      'For each roster set under `region` (itself included): how many units it names, how many submitted, are ' +
      'missing, were late; its deadline and whether it has passed. Staff only, within their reach.',
  })
  @ApiQuery({ name: 'region', required: true, example: '130100' })
  @ApiQuery({ name: 'year', required: true, type: Number, example: 2022 })
  @ApiOkResponse({
    description: '{ region, fiscalYear, rosters: [{ region, deadline, overdue, expected, submitted, missing, late }] }',
  })
  @ApiForbiddenResponse({ description: 'A unit, or outside the caller’s regions' })
  overview(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, string>): Promise<RosterOverview> {
    const { region, year } = parseRosterParams(query);
    return this.queries.execute(new GetRosterOverview(principal, region, year));
  }

  @Get(':region/:year')
  @ApiParam({ name: 'region', description: '6-digit division code', example: '130126' })
  @ApiParam({ name: 'year', description: 'fiscal year', example: 2022 })
  @Roles('reviewer', 'rule_admin', 'auditor')
  @ApiOperation({
    summary: 'Which units of a region have submitted for a year, and which on its roster have not',
    description:
      'Counts the current versions (a correction replaces what it corrects) of the region itself (not its ' +
      'sub-regions), by unit, matched to the roster by name. Without a roster, every unit that submitted is listed ' +
      'as unlisted. Staff only (a unit gets 403).',
  })
  @ApiOkResponse({ type: RosterDto })
  @ApiForbiddenResponse({ description: 'A unit, or outside the caller’s regions' })
  get(@CurrentPrincipal() principal: Principal, @Param() params: Record<string, string>): Promise<RosterView> {
    const { region, year } = parseRosterParams(params);
    return this.queries.execute(new GetRoster(principal, region, year));
  }

  @Put(':region/:year')
  @ApiParam({ name: 'region', description: '6-digit division code', example: '130126' })
  @ApiParam({ name: 'year', description: 'fiscal year', example: 2022 })
  @Roles('reviewer')
  @ApiOperation({
    summary: 'Set the roster: the units a region expects self-evaluations from for a year (audited)',
    description: 'Replaces the roster set before, in one transaction with its audit record; answers where it stands.',
  })
  @ApiBody({ type: SetRosterBody })
  @ApiOkResponse({ type: RosterDto })
  @ApiBadRequestResponse({ description: 'No unit, too many, or a name too long (says which, in English and Chinese)' })
  @ApiForbiddenResponse({ description: 'Not a reviewer of the region' })
  async set(
    @CurrentPrincipal() principal: Principal,
    @Param() params: Record<string, string>,
    @Body() body: unknown,
    @Req() req: { id?: unknown },
  ): Promise<RosterView> {
    const { region, year } = parseRosterParams(params);
    const { units, deadline } = parseRosterBody(body);
    await this.commands.execute(new SetRoster(principal, region, year, units, deadline, correlationIdOf(req)));
    return this.queries.execute(new GetRoster(principal, region, year));
  }
}
