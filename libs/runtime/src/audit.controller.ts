import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@jixiao/auth';
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
}
