import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@jixiao/auth';
import { parseYears, type ActiveYears } from '../domain/rule-version';
import { ActivateVersion, PreviewImpact, SaveDraft } from '../commands/rule-version.commands';
import { DiffVersions, GetVersion, ListVersions } from '../queries/rule-versions.queries';

/** `years` of an impact or activation: a string (`2023-`, as the CLI takes it) or `{ from, to }`; null for none. */
export function yearsOf(input: unknown): ActiveYears | null {
  if (input === undefined || input === null) return null;
  if (typeof input === 'string') {
    const y = parseYears(input);
    if (!y) throw new BadRequestException(`years "${input}": expected 2023, 2023-2024, 2023- or -2024`);
    return y;
  }
  const y = input as { from?: unknown; to?: unknown };
  const ok = (v: unknown) => v === null || v === undefined || (Number.isInteger(v) && (v as number) > 1900 && (v as number) < 3000);
  if (typeof input !== 'object' || !ok(y.from) || !ok(y.to))
    throw new BadRequestException('years: expected { "from": 2023 | null, "to": 2024 | null }');
  const out = { from: (y.from as number) ?? null, to: (y.to as number) ?? null };
  if (out.from !== null && out.to !== null && out.to < out.from) throw new BadRequestException('years: "to" is before "from"');
  return out;
}

/**
 * Rule-set versions: drafts uploaded or edited by a rule admin of the region, previewed (impact), activated (which
 * re-scores what they govern). Reading is open to every authenticated role.
 */
@ApiTags('rule sets')
@ApiBearerAuth()
@Controller('rule-sets/:id')
export class RuleSetVersionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('versions')
  @ApiOperation({ summary: 'Every version of a rule set: draft, active (with its years) or retired, who and when' })
  list(@Param('id') id: string) {
    return this.queries.execute(new ListVersions(id));
  }

  @Get('versions/:v')
  @ApiOperation({ summary: 'One version with its authored text' })
  get(@Param('id') id: string, @Param('v', ParseIntPipe) v: number) {
    return this.queries.execute(new GetVersion(id, v));
  }

  @Get('diff')
  @ApiOperation({ summary: 'What changed between two versions, in bands, tiers, weights, formulas, checks and routing' })
  @ApiQuery({ name: 'from', required: false, description: 'default: the active version' })
  @ApiQuery({ name: 'to', required: false, description: 'default: the latest draft' })
  diff(@Param('id') id: string, @Query('from') from?: string, @Query('to') to?: string) {
    const n = (s: string | undefined, what: string) => {
      if (s === undefined || s === '') return null;
      if (!/^\d+$/.test(s)) throw new BadRequestException(`${what} "${s}": expected a version number`);
      return Number(s);
    };
    return this.queries.execute(new DiffVersions(id, n(from, 'from'), n(to, 'to')));
  }

  @Post('versions')
  @Roles('rule_admin')
  @ApiOperation({ summary: 'Upload a draft (the body is a rule file, as in rules/<id>.json)' })
  @ApiBody({ schema: { type: 'object' } })
  @ApiResponse({ status: 201, description: '{ version, status: "draft", hash, existing }' })
  @ApiResponse({ status: 422, description: 'the draft is refused: { message, issues: [{ file, path, line, message }] }' })
  upload(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.commands.execute(new SaveDraft(id, body, principal));
  }

  @Put('versions/:v')
  @Roles('rule_admin')
  @ApiOperation({ summary: 'Replace the text of a draft (409 for an active or retired version)' })
  @ApiBody({ schema: { type: 'object' } })
  edit(@Param('id') id: string, @Param('v', ParseIntPipe) v: number, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.commands.execute(new SaveDraft(id, body, principal, v));
  }

  @Post('versions/:v/impact')
  @Roles('rule_admin')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a what-if re-scoring with this version as activating it (for `years`, optional) would leave the rules; writes no results; follow GET /rescoring-runs/:runId',
  })
  @ApiBody({ required: false, schema: { type: 'object', properties: { years: { type: 'object' } } } })
  impact(
    @Param('id') id: string,
    @Param('v', ParseIntPipe) v: number,
    @Body() body: { years?: unknown } | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.execute(new PreviewImpact(id, v, principal, yearsOf(body?.years)));
  }

  @Post('versions/:v/activate')
  @Roles('rule_admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Activate (reason required; years optional) and re-score what it governs; returns the run id' })
  @ApiBody({ schema: { type: 'object', properties: { reason: { type: 'string' }, years: { type: 'object' } }, required: ['reason'] } })
  activate(
    @Param('id') id: string,
    @Param('v', ParseIntPipe) v: number,
    @Body() body: { reason?: unknown; years?: unknown } | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
    if (!reason) throw new BadRequestException('reason: say why the rules change (it is kept in the audit trail)');
    return this.commands.execute(new ActivateVersion(id, v, reason, yearsOf(body?.years), principal));
  }
}
