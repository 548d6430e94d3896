import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { MessagingModule } from '@jixiao/messaging';
import { logsEvents, type ServiceContext } from '@jixiao/runtime';
import { RecordPublicationHandler, RecordRetractionHandler } from './commands/record-disclosure.handler';
import { RecordScoreHandler } from './commands/record-score.handler';
import { RecordScoresHandler } from './commands/record-scores.handler';
import { RecordSubmissionHandler } from './commands/record-submission.handler';
import { RecordSubmissionsHandler } from './commands/record-submissions.handler';
import { HoldEvaluationHandler, ReleaseEvaluationHandler, TakeNextEvaluationHandler } from './commands/holds.handler';
import { ApproveEvaluationHandler, ReturnEvaluationHandler } from './commands/review-decision.handler';
import { SetRosterHandler } from './commands/set-roster.handler';
import { EvaluationsController } from './http/evaluations.controller';
import { RostersController } from './http/rosters.controller';
import { OnEvaluationPublished } from './inbox/evaluation-published.handler';
import { OnEvaluationRetracted } from './inbox/evaluation-retracted.handler';
import { OnEvaluationScored } from './inbox/evaluation-scored.handler';
import { OnEvaluationsRescored } from './inbox/evaluations-rescored.handler';
import { OnRuleSetSnapshot } from './inbox/ruleset-snapshot.handler';
import { OnSubmissionReceived } from './inbox/submission-received.handler';
import { REVIEW_SERVICE } from './persistence/review-tables';
import { ReviewUnitOfWork } from './persistence/review-unit-of-work';
import {
  GetEvaluationHandler,
  GetEvaluationHistoryHandler,
  ListEvaluationsHandler,
  GetProgressHandler,
} from './queries/evaluation-query.handlers';
import { GetRosterHandler, GetRosterOverviewHandler } from './queries/roster.query';
import { ReviewDatabaseModule } from './review-database.module';
import { ReviewRuntime } from './review-runtime';
import { REVIEW_DATA_SOURCE } from './review.tokens';
import { WorkspaceController } from './workspace/workspace.controller';
import { SummaryPageController } from './workspace/summary-page.controller';

const INBOX_HANDLERS = [
  OnSubmissionReceived,
  OnEvaluationScored,
  OnEvaluationsRescored,
  OnEvaluationPublished,
  OnEvaluationRetracted,
  OnRuleSetSnapshot,
];
const COMMAND_HANDLERS = [
  RecordSubmissionHandler,
  RecordSubmissionsHandler,
  RecordScoreHandler,
  RecordScoresHandler,
  RecordPublicationHandler,
  RecordRetractionHandler,
  ApproveEvaluationHandler,
  ReturnEvaluationHandler,
  SetRosterHandler,
  HoldEvaluationHandler,
  ReleaseEvaluationHandler,
  TakeNextEvaluationHandler,
];
const INBOX_JOBS_IN_FLIGHT = 200;
const QUERY_HANDLERS = [
  ListEvaluationsHandler,
  GetEvaluationHandler,
  GetEvaluationHistoryHandler,
  GetProgressHandler,
  GetRosterHandler,
  GetRosterOverviewHandler,
];

/**
 * The review service: the case per evaluation version and its state machine, the read model fed by events, the
 * reviewer's decisions. Owns its DataSource, outbox relay and inbox worker (`review-inbox`, one @OnEvent class per
 * event routed to it; start-up fails if routing.ts and the handlers disagree).
 */
@Module({})
export class ReviewModule {
  static forRoot(ctx: ServiceContext): DynamicModule {
    const database = ReviewDatabaseModule.forRoot(ctx);
    return {
      module: ReviewModule,
      imports: [
        CqrsModule.forRoot(),
        database,
        MessagingModule.forService({
          service: REVIEW_SERVICE,
          inbox: { queue: QUEUES.reviewInbox, handlers: INBOX_HANDLERS },
          imports: [database],
          inject: [REVIEW_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => ({
            dataSource,
            redis: ctx.redisUrl,
            prefix: ctx.config.QUEUE_PREFIX,
            logger: new Logger('review-messaging'),
            logEvents: logsEvents(ctx.config),
            // Scores and submissions are handled in group commits of up to 100 events: take enough jobs at once
            // that the next batch fills while one is in flight (BullMQ's 64 would cap it, and serialise fetching).
            ...(dataSource.options.type === 'postgres' ? { concurrency: INBOX_JOBS_IN_FLIGHT } : {}),
          }),
        }),
      ],
      controllers: [EvaluationsController, RostersController, WorkspaceController, SummaryPageController],
      providers: [ReviewUnitOfWork, ReviewRuntime, ...INBOX_HANDLERS, ...COMMAND_HANDLERS, ...QUERY_HANDLERS],
    };
  }
}
