import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, register } from 'prom-client';
import { Public } from '@jixiao/auth';
import { gauge, histogram, LATENCY_BUCKETS } from '@jixiao/messaging';
import { HealthRegistry, type ServiceHealthStatus } from './health.registry';

/**
 * Node's and the process's own metrics (CPU, memory, heap, garbage collection, event-loop delay), once per process.
 * The event loop's delay is sampled every 50 ms rather than prom-client's 10: each sample wakes the process (all four
 * services in one process, idle for 30 s, spent 710–790 ms of CPU without the metrics, 980–1,070 ms with them
 * sampling every 10 ms, 920–990 every 50 ms and 840–910 every second).
 */
export function enableProcessMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total'))
    collectDefaultMetrics({ eventLoopMonitoringPrecision: 50 });
}

/**
 * The route a request matched (`/evaluations/:id`), not its URL: ids would make a label value per evaluation. The
 * request logger's middleware is an Express route for every path (`/{*path}`); a request that matched only that
 * matched no route of ours. The queue dashboard (mounted at `/queues`) counts under its routes, or `/queues` when its
 * guard answered.
 */
function routeOf(req: Request): string {
  const path = (req as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof path !== 'string' || path === '/{*path}') return req.baseUrl || '(unmatched)'; // `/queues`: the dashboard's guard
  return `${req.baseUrl}${path}`;
}

/** Times every HTTP request from its arrival to its response's end, by method, route and status code. */
export function httpMetrics() {
  const duration = histogram(
    'jixiao_http_request_duration_seconds',
    'HTTP requests: time from arrival to the end of the response, by method, matched route and status code',
    ['method', 'route', 'status_code'],
    LATENCY_BUCKETS,
  );
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.once('finish', () =>
      duration.observe(
        { method: req.method, route: routeOf(req), status_code: String(res.statusCode) },
        (performance.now() - started) / 1000,
      ),
    );
    next();
  };
}

type HealthFigures = ServiceHealthStatus & {
  outbox?: { unsent: number; oldestUnsentSeconds: number | null };
  queues?: Record<string, Record<string, number>>;
};

/**
 * `GET /metrics`: Prometheus' text format, no token (like /health: keep it inside the network). Besides the counters
 * and histograms the code keeps (HTTP requests, inbox events and transactions, failed jobs, relayed events), each
 * scrape runs the services' health checks and reports what they found: up or down, unsent outbox events and the age
 * of the oldest, and each consumed queue's jobs by state.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly up = gauge('jixiao_service_up', "1 when the service's database and Redis answer, else 0", [
    'service',
  ]);
  private readonly unsent = gauge(
    'jixiao_outbox_unsent_events',
    'Events committed to the outbox and not yet relayed to Redis',
    ['service'],
  );
  private readonly oldest = gauge(
    'jixiao_outbox_oldest_unsent_seconds',
    'How long the oldest unsent outbox event has waited (0 when none waits): a relay that is stuck shows here',
    ['service'],
  );
  private readonly jobs = gauge('jixiao_queue_jobs', "Jobs in a service's inbox queue, by state", ['queue', 'state']);

  constructor(private readonly health: HealthRegistry) {}

  @Public()
  @Get()
  @ApiOperation({ summary: "Prometheus metrics: the process's, HTTP requests, inboxes, outboxes and queue depths" })
  @ApiProduces('text/plain')
  async metrics(@Res() res: Response): Promise<void> {
    const reports = (await this.health.reports()) as Record<string, HealthFigures>;
    for (const [service, report] of Object.entries(reports)) {
      this.up.set({ service }, report.status === 'up' ? 1 : 0);
      // a database that did not answer leaves the last figures: a gap is better than a false zero
      if (report.outbox) {
        this.unsent.set({ service }, report.outbox.unsent);
        this.oldest.set({ service }, report.outbox.oldestUnsentSeconds ?? 0);
      }
      for (const [queue, counts] of Object.entries(report.queues ?? {}))
        for (const [state, n] of Object.entries(counts)) this.jobs.set({ queue, state }, n);
    }
    res.type(register.contentType).send(await register.metrics());
  }
}
