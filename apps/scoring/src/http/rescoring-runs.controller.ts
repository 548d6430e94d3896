import { BadRequestException, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@jixiao/auth';
import { CancelRun, ResumeRun } from '../commands/rule-version.commands';
import { GetRun, ListRuns } from '../queries/rule-versions.queries';

@ApiTags('re-scoring')
@ApiBearerAuth()
@Controller('rescoring-runs')
export class RescoringRunsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Re-scoring runs, newest first' })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query('limit') limit?: string) {
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new BadRequestException(`limit "${limit}": expected a number`);
    return this.queries.execute(new ListRuns(Math.min(200, Number(limit ?? 20))));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A run: status, done / total, evaluations per second, ETA, and (impact runs) the report' })
  get(@Param('id') id: string) {
    return this.queries.execute(new GetRun(id));
  }

  @Post(':id/cancel')
  @Roles('rule_admin')
  @ApiOperation({ summary: 'Cancel a run (chunks written stay written; resume continues with the rest)' })
  cancel(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.execute(new CancelRun(id, principal));
  }

  @Post(':id/resume')
  @Roles('rule_admin')
  @ApiOperation({ summary: 'Resume a cancelled or failed run' })
  resume(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.execute(new ResumeRun(id, principal));
  }
}
