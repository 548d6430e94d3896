import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@jixiao/auth';
import { GetResult } from '../queries/result.query';

@ApiTags('re-scoring')
@ApiBearerAuth()
@Controller('results')
export class ResultsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({
    summary:
      'A stored score result: its figures (section and indicator scores, finding codes). ?explain=true recomputes the full breakdown with explanations from the evaluation and the effective rules the result was scored under, kept beside it (deterministic; 409 if those rules were altered in the database)',
  })
  @ApiQuery({ name: 'explain', required: false })
  get(@Param('id') id: string, @Query('explain') explain: string | undefined, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetResult(id, explain === 'true' || explain === '1', principal));
  }
}
