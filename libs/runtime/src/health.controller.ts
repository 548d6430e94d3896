import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '@jixiao/auth';
import { HealthRegistry } from './health.registry';

const MB = 1024 * 1024;

/**
 * Terminus' health checks, no token needed: `/health` (readiness: every service in this process, each up only
 * while its database and Redis answer; 503 when one is down, or while the process shuts down) and `/health/live`
 * (liveness: the process answers; it checks no dependency, so an outage of Redis or the database does not get
 * every replica restarted; like every Terminus check it answers 503 while the process shuts down).
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: "Readiness: each service's database, Redis, unsent outbox events and queue depths (503 when one is down)",
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check(this.registry.indicators());
  }

  @Public()
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (its uptime and memory; no dependency is checked)' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const memory = process.memoryUsage();
        return this.indicator.check('process').up({
          pid: process.pid,
          uptimeSeconds: Math.round(process.uptime()),
          rssMB: Math.round(memory.rss / MB),
          heapUsedMB: Math.round(memory.heapUsed / MB),
        });
      },
    ]);
  }
}
