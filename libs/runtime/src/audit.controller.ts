import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '@jixiao/auth';
import { parseAuditQuery } from './audit-query';
import { AuditRegistry } from './audit.registry';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly registry: AuditRegistry) {}

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({ summary: 'Verify the hash chain of every audit log in this process; names the first bad record' })
  verify() {
    return this.registry.verifyAll();
  }

  @Get('records')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Search one service’s audit log: who did what to which entity, when and why; newest first, a page at a time',
    description:
      'Each condition given must hold. `since` and `until` are days (YYYY-MM-DD, Beijing time; `until` includes its ' +
      'day) or ISO instants. The next page: `before` = the answer’s `next`. The log of a service this process does ' +
      'not run is not here (404): ask the process that runs it, or use `jixiao audit log`.',
  })
  @ApiQuery({
    name: 'service',
    required: false,
    description: 'intake, scoring, review or publication (default: the first this process runs)',
  })
  @ApiQuery({ name: 'actor', required: false, description: 'the user, exactly' })
  @ApiQuery({ name: 'action', required: false, example: 'return' })
  @ApiQuery({ name: 'entityType', required: false, example: 'evaluation' })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'since', required: false, example: '2024-03-01' })
  @ApiQuery({ name: 'until', required: false, example: '2024-03-31' })
  @ApiQuery({ name: 'before', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: 'at most 500 (default 50)' })
  @ApiOkResponse({
    description:
      '{ service, services, records: [{ seq, at, actorUser, actorRole, entityType, entityId, action, fromState, toState, reason, payloadHash, hash, … }], next }',
  })
  async records(@Query() query: Record<string, string>) {
    const services = this.registry.services();
    const { service, search } = parseAuditQuery(query, services);
    const page = await this.registry.search(service, search)!;
    return { service, services, ...page };
  }
}
