import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@jixiao/auth';
import { GetSubmission, type SubmissionView } from '../queries/get-submission.query';

@ApiTags('intake')
@ApiBearerAuth()
@Controller('submissions')
export class SubmissionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'A submission with all its versions (ids, version numbers, who, when, source document)' })
  @ApiResponse({ status: 403, description: 'not allowed to read this region/unit' })
  @ApiResponse({ status: 404, description: 'unknown submission' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<SubmissionView> {
    return this.queries.execute(new GetSubmission(principal, id));
  }
}
