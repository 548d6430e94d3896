import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Inject, Logger, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, register } from 'prom-client';
import { Public } from '@jixiao/auth';
import { gauge, histogram, LATENCY_BUCKETS } from '@jixiao/messaging';
import { HealthRegistry, type ServiceHealthStatus } from './health.registry';
import { SERVICE_CONTEXT, type ServiceContext } from './service-context';

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
 * `GET /metrics`: Prometheus' text format. Without `METRICS_TOKEN` it needs no token (like /health: keep it inside the
 * network); with it, a scrape must send `Authorization: Bearer <METRICS_TOKEN>`, and a refusal is logged as the API's
 * are. Besides the counters and histograms the code keeps (HTTP requests, inbox events and transactions, failed jobs,
 * relayed events), each scrape runs the services' health checks and reports what they found: up or down, unsent
 * outbox events and the age of the oldest, and each consumed queue's jobs by state. A figure a check could not read
 * (the database or Redis down) is left out of that scrape rather than repeated from an earlier one.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger('Metrics');
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
  /** The queue/state series each service has reported, to drop them from a scrape whose check reached no Redis. */
  private readonly jobSeries = new Map<string, Map<string, { queue: string; state: string }>>();
  /** SHA-256 of the token a scrape must send, or null when none is needed. */
  private readonly tokenDigest: Buffer | null;

  constructor(
    private readonly health: HealthRegistry,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.tokenDigest = ctx.config.METRICS_TOKEN ? digest(ctx.config.METRICS_TOKEN) : null;
  }

  @Public()
  @Get()
  @ApiOperation({
    summary:
      "Prometheus metrics: the process's, HTTP requests, inboxes, outboxes and queue depths (a bearer token when METRICS_TOKEN is set)",
  })
  @ApiProduces('text/plain')
  async metrics(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.authorize(req);
    const reports = (await this.health.reports()) as Record<string, HealthFigures>;
    for (const [service, report] of Object.entries(reports)) {
      this.up.set({ service }, report.status === 'up' ? 1 : 0);
      if (report.outbox) {
        this.unsent.set({ service }, report.outbox.unsent);
        this.oldest.set({ service }, report.outbox.oldestUnsentSeconds ?? 0);
      } else {
        // the database did not answer: a gap, not the last figures (an alert on the oldest event's age would
        // otherwise watch a frozen value; jixiao_service_up says why)
        this.unsent.remove({ service });
        this.oldest.remove({ service });
      }
      const seen = this.jobSeries.get(service) ?? new Map<string, { queue: string; state: string }>();
      this.jobSeries.set(service, seen);
      if (!report.queues) {
        for (const labels of seen.values()) this.jobs.remove(labels);
        seen.clear();
      }
      for (const [queue, counts] of Object.entries(report.queues ?? {}))
        for (const [state, n] of Object.entries(counts)) {
          this.jobs.set({ queue, state }, n);
          seen.set(`${queue}\u0000${state}`, { queue, state });
        }
    }
    res.type(register.contentType).send(await register.metrics());
  }

  private authorize(req: Request): void {
    if (!this.tokenDigest) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (token && timingSafeEqual(digest(token), this.tokenDigest)) return;
    const reason = token ? 'wrong metrics token' : 'missing bearer token';
    this.logger.warn({
      msg: 'refused: authentication',
      reason,
      method: req.method,
      url: req.originalUrl.split('?')[0],
    });
    throw new UnauthorizedException(`${reason}: /metrics needs Authorization: Bearer <METRICS_TOKEN>`);
  }
}

/** Equal-length digests, so comparing them takes the same time whatever the token sent. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
