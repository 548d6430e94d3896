import { hostname } from 'node:os';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { JwtAuthGuard } from '@jixiao/auth';
import { AuditController } from './audit.controller';
import { AuditPageController } from './workspace/audit-page.controller';
import { SessionController } from './workspace/session.controller';
import { AuditRegistry } from './audit.registry';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health.registry';
import { MetricsController } from './metrics';
import { requestCorrelationId, requestLogFields, responseLogFields } from './request-logging';
import { SERVICE_CONTEXT, type ServiceContext } from './service-context';

const LEVELS_WITH_REQUEST_LINES = new Set(['info', 'debug', 'trace']);

/**
 * What every process shares, whichever services it runs: configuration, structured JSON logs with a correlation id
 * per request (a caller's `x-correlation-id` when it looks like an id), bearer-token auth on every route, /health,
 * /metrics.
 */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(ctx: ServiceContext): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [
        // a failed check is logged as one JSON line (with what was down), like every other log line; on SIGTERM the
        // process keeps serving for SHUTDOWN_GRACE_MS while /health says it is shutting down
        TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: ctx.config.SHUTDOWN_GRACE_MS }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: ctx.config.LOG_LEVEL,
            genReqId: requestCorrelationId,
            serializers: { req: requestLogFields, res: responseLogFields },
            // the service name is a binding of the root logger, not a per-request child: pino-http makes a child
            // per request already, and a second one for custom props cost ~3% of intake's CPU under load
            base: { pid: process.pid, hostname: hostname(), service: ctx.config.SERVICE },
            // headers are not logged (requestLogFields); should one ever be, these stay out
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            // pino-http logs every finished request at info: above that level the per-request listeners and
            // bindings it sets up for the line could never print anything
            autoLogging: LEVELS_WITH_REQUEST_LINES.has(ctx.config.LOG_LEVEL)
              ? { ignore: (req) => req.url === '/health' || req.url === '/health/live' || req.url === '/metrics' }
              : false,
          },
        }),
      ],
      controllers: [HealthController, MetricsController, AuditController, AuditPageController, SessionController],
      providers: [
        { provide: SERVICE_CONTEXT, useValue: ctx },
        HealthRegistry,
        AuditRegistry,
        {
          provide: APP_GUARD,
          useFactory: (r: Reflector) => new JwtAuthGuard(r, ctx.jwtVerificationSecrets),
          inject: [Reflector],
        },
      ],
      exports: [SERVICE_CONTEXT, HealthRegistry, AuditRegistry],
    };
  }
}
