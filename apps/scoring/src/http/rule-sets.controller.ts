import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetEffectiveRuleSet, ListRuleSets } from '../queries/rule-set.queries';

/** Readable by every authenticated role (the global guard asks for a token; no @Roles). */
@ApiTags('rule sets')
@ApiBearerAuth()
@Controller('rule-sets')
export class RuleSetsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The loaded rule sets: id, region, version, content hash, years, status' })
  list() {
    return this.queries.execute(new ListRuleSets());
  }

  @Get(':region')
  @ApiOperation({ summary: 'The effective rule set of a region for a fiscal year (falls back to city, province, CN)' })
  @ApiParam({ name: 'region', description: '6-digit division code, CN, or a region name a rule set lists' })
  @ApiQuery({ name: 'year', required: false, description: 'fiscal year; default: the latest rule set' })
  @ApiResponse({ status: 404, description: 'no rule set applies / unknown region name' })
  effective(@Param('region') region: string, @Query('year') year?: string) {
    if (year !== undefined && year !== '' && !/^\d{4}$/.test(year)) {
      throw new BadRequestException(`year "${year}": expected a four-digit fiscal year`);
    }
    return this.queries.execute(new GetEffectiveRuleSet(region, year ? Number(year) : null));
  }
}
