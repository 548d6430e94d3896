import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { openDataSource, runMigrations } from '@jixiao/persistence';
import type { ServiceContext } from '@jixiao/runtime';
import { RecordPublicationHandler, RecordRetractionHandler } from './commands/record-disclosure.handler';
import { RecordScoreHandler } from './commands/record-score.handler';
import { RecordSubmissionHandler } from './commands/record-submission.handler';
import { ApproveEvaluationHandler, ReturnEvaluationHandler } from './commands/review-decision.handler';
import { EvaluationsController } from './http/evaluations.controller';
import { ReviewMessaging } from './inbox/review-messaging';
import { REVIEW_ENTITIES, REVIEW_MIGRATIONS } from './persistence/review.persistence';
import { REVIEW_SERVICE } from './persistence/review-tables';
import { ReviewUnitOfWork } from './persistence/review-unit-of-work';
import { GetEvaluationHandler, GetEvaluationHistoryHandler, ListEvaluationsHandler } from './queries/evaluation-query.handlers';
import { ReviewRuntime } from './review-runtime';
import { REVIEW_CONTEXT, REVIEW_DATA_SOURCE } from './review.tokens';

const COMMAND_HANDLERS = [
  RecordSubmissionHandler,
  RecordScoreHandler,
  RecordPublicationHandler,
  RecordRetractionHandler,
  ApproveEvaluationHandler,
  ReturnEvaluationHandler,
];
const QUERY_HANDLERS = [ListEvaluationsHandler, GetEvaluationHandler, GetEvaluationHistoryHandler];

/**
 * The review service: the case per evaluation version and its state machine, the read model fed by events, the
 * reviewer's decisions. Owns its DataSource (migrated at start), outbox relay and inbox worker.
 */
@Module({})
export class ReviewModule {
  static forRoot(ctx: ServiceContext): DynamicModule {
    return {
      module: ReviewModule,
      imports: [CqrsModule.forRoot()],
      controllers: [EvaluationsController],
      providers: [
        { provide: REVIEW_CONTEXT, useValue: ctx },
        {
          provide: REVIEW_DATA_SOURCE,
          useFactory: async () => {
            const dataSource = await openDataSource({
              name: REVIEW_SERVICE,
              databaseUrl: ctx.config.DATABASE_URL,
              schema: ctx.config.DATABASE_SCHEMA,
              dataDir: ctx.dataDir,
              entities: REVIEW_ENTITIES,
              migrations: REVIEW_MIGRATIONS,
            });
            await runMigrations(dataSource);
            return dataSource;
          },
        },
        ReviewMessaging,
        ReviewUnitOfWork,
        ReviewRuntime,
        ...COMMAND_HANDLERS,
        ...QUERY_HANDLERS,
      ],
    };
  }
}
