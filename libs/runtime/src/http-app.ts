import type { INestApplication, Type, DynamicModule } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';
import { enableProcessMetrics, httpMetrics } from './metrics';

/** Builds the HTTP application: pino logger, Prometheus metrics (/metrics), OpenAPI at /docs, 503 while the database does not answer. Signals are handled by runServices (app.close runs every shutdown hook). */
export async function createHttpApp(root: Type<unknown> | DynamicModule, title: string): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(root, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by'); // no framework banner in every response
  enableProcessMetrics();
  app.use(httpMetrics()); // before every route (Nest adds its own at init), the queue dashboard's too
  app.useBodyParser('json', { limit: '10mb' });
  app.useGlobalFilters(new DatabaseUnavailableFilter(app.get(HttpAdapterHost).httpAdapter));
  const doc = new DocumentBuilder()
    .setTitle(title)
    .setDescription('Jixiao (绩效): intake, scoring, review and publication of budget performance self-evaluations')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
