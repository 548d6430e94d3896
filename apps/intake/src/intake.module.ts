import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { ServiceMessaging } from '@jixiao/messaging';
import { ConfigError, openServiceDatabase, type ServiceContext } from '@jixiao/runtime';
import { loadRuleSets, RuleSetError } from '@jixiao/scoring';
import { SubmitEvaluationsHandler } from './commands/submit-evaluations.handler';
import { GetSubmissionHandler } from './queries/get-submission.handler';
import { GetDocumentHandler } from './queries/get-document.query';
import { DocumentsController } from './http/documents.controller';
import { DocumentUpload } from './http/document-upload';
import { SubmitPageController } from './workspace/submit-page.controller';
import { EvaluationsController } from './http/evaluations.controller';
import { SubmissionsController } from './http/submissions.controller';
import { IntakeLifecycle } from './infrastructure/intake-lifecycle';
import { INTAKE_DATA_SOURCE, INTAKE_MESSAGING, INTAKE_REGISTRY } from './infrastructure/intake.tokens';
import { INTAKE_MIGRATIONS } from './persistence/intake.migrations';
import { INTAKE_SERVICE } from './persistence/intake-tables';
import { SubmissionBatcher } from './persistence/submission-batcher';
import { SubmissionEntity } from './persistence/submission.entity';
import { VersionEntity } from './persistence/version.entity';

/**
 * The intake service: takes evaluations in (JSON or documents), stores every version, emits
 * `intake.submission.received.v1` through its outbox. Owns `intake_*` tables in its own DataSource.
 */
@Module({})
export class IntakeModule {
  static forRoot(ctx: ServiceContext): DynamicModule {
    const registry = loadRegistry(ctx.rulesDir);
    return {
      module: IntakeModule,
      imports: [CqrsModule.forRoot()],
      controllers: [EvaluationsController, DocumentsController, SubmissionsController, SubmitPageController],
      providers: [
        DocumentUpload,
        // The rule sets only lend their region names here (霍邱县 → 341522); scoring owns the rules themselves.
        { provide: INTAKE_REGISTRY, useValue: registry },
        {
          provide: INTAKE_DATA_SOURCE,
          useFactory: () =>
            openServiceDatabase(ctx, {
              name: INTAKE_SERVICE,
              entities: [SubmissionEntity, VersionEntity],
              migrations: INTAKE_MIGRATIONS,
            }),
        },
        {
          provide: INTAKE_MESSAGING,
          inject: [INTAKE_DATA_SOURCE],
          useFactory: (dataSource: DataSource) =>
            new ServiceMessaging({
              service: INTAKE_SERVICE,
              dataSource,
              redis: ctx.redisUrl,
              prefix: ctx.config.QUEUE_PREFIX,
              logger: new Logger('intake-messaging'),
            }),
        },
        {
          provide: SubmissionBatcher,
          inject: [INTAKE_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new SubmissionBatcher(dataSource),
        },
        IntakeLifecycle,
        SubmitEvaluationsHandler,
        GetSubmissionHandler,
        GetDocumentHandler,
      ],
    };
  }
}

function loadRegistry(rulesDir: string) {
  try {
    return loadRuleSets(rulesDir);
  } catch (err) {
    if (err instanceof RuleSetError)
      throw new ConfigError(`rule sets in ${rulesDir} cannot be loaded:\n${err.message}`);
    throw err;
  }
}
