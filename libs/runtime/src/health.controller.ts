import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@jixiao/auth';
import { HealthRegistry } from './health.registry';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Database, Redis and queue depth of every service in this process (503 when one fails)' })
  async health(@Res() res: Response): Promise<void> {
    const result = await this.registry.run();
    res.status(result.ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: result.ok ? 'ok' : 'error', ...result });
  }
}
