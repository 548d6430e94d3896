import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { ServiceMessaging } from '@jixiao/messaging';
import { ConfigError, logsEvents, openServiceDatabase, type ServiceContext } from '@jixiao/runtime';
import { loadRuleSets, RuleSetError } from '@jixiao/scoring';
import { RecordRuleSetsHandler } from './commands/record-rule-sets.handler';
import { ScoreEvaluationsHandler } from './commands/score-evaluations.handler';
import { RuleSetsController } from './http/rule-sets.controller';
import { scoringInboxHandlers } from './inbox/scoring-inbox.handlers';
import { ActivateVersionHandler, PreviewImpactHandler } from './commands/activate-version.handler';
import { CancelRunHandler, ResumeRunHandler } from './commands/run-control.handler';
import { GetGradeCutoffsHandler, SetGradeCutoffsHandler, SetTierCutoffsHandler } from './commands/grade-cutoffs';
import { SaveDraftHandler } from './commands/save-draft.handler';
import { RescoringRunsController } from './http/rescoring-runs.controller';
import { RulesPageController } from './workspace/rules-page.controller';
import { ResultsController } from './http/results.controller';
import { GetResultHandler } from './queries/result.query';
import { RuleSetVersionsController } from './http/rule-set-versions.controller';
import { ActiveRuleSets } from './infrastructure/active-rule-sets';
import { RuleSnapshots } from './persistence/rule-snapshots';
import { ScoringLifecycle } from './infrastructure/scoring-lifecycle';
import {
  SCORING_DATA_SOURCE,
  SCORING_MESSAGING,
  SCORING_REGISTRY,
  SCORING_RESCORE_QUEUE,
} from './infrastructure/scoring.tokens';
import { GetRunHandler, ListRunsHandler } from './queries/rescoring-runs.handlers';
import { DiffVersionsHandler, GetVersionHandler, ListVersionsHandler } from './queries/rule-versions.handlers';
import { RescoreQueue } from './rescoring/rescore-queue';
import { RescoringService } from './rescoring/rescoring.service';
import { RuleSetVersionEntity } from './persistence/rule-set-version.entity';
import { SCORING_MIGRATIONS } from './persistence/scoring.migrations';
import { SCORING_SERVICE } from './persistence/scoring-tables';
import { GetEffectiveRuleSetHandler, ListRuleSetsHandler } from './queries/rule-set.handlers';

/**
 * The scoring service: consumes `intake.submission.received.v1`, scores with the region's rule set, stores the
 * result and emits `scoring.evaluation.scored.v1`. Owns `scoring_*` tables in its own DataSource. A broken rule
 * file stops it at start with the loader's message (file, line, JSON path).
 */
@Module({})
export class ScoringModule {
  static forRoot(ctx: ServiceContext): DynamicModule {
    const registry = loadRegistry(ctx.rulesDir);
    return {
      module: ScoringModule,
      imports: [CqrsModule.forRoot()],
      controllers: [RuleSetsController, RuleSetVersionsController, RescoringRunsController, ResultsController, RulesPageController],
      providers: [
        { provide: SCORING_REGISTRY, useValue: registry },
        {
          provide: SCORING_DATA_SOURCE,
          useFactory: () => openServiceDatabase(ctx, { name: SCORING_SERVICE, entities: [RuleSetVersionEntity], migrations: SCORING_MIGRATIONS }),
        },
        {
          provide: SCORING_MESSAGING,
          inject: [SCORING_DATA_SOURCE, CommandBus],
          useFactory: (dataSource: DataSource, commands: CommandBus) => {
            // the handlers nudge the relay of the messaging they are part of
            const holder: { messaging?: ServiceMessaging } = {};
            holder.messaging = new ServiceMessaging({
              service: SCORING_SERVICE,
              dataSource,
              redis: ctx.redisUrl,
              prefix: ctx.config.QUEUE_PREFIX,
              inbox: {
                queue: QUEUES.scoringInbox,
                handlers: scoringInboxHandlers(commands, () => holder.messaging?.nudge()),
                // submissions are scored each on its own: a second batch may start while one commits
                batchTransactions: 2,
              },
              logger: new Logger('scoring-messaging'),
              logEvents: logsEvents(ctx.config),
            });
            return holder.messaging;
          },
        },
        ActiveRuleSets,
        RuleSnapshots,
        RescoringService,
        {
          provide: SCORING_RESCORE_QUEUE,
          inject: [RescoringService, SCORING_DATA_SOURCE],
          useFactory: (service: RescoringService, dataSource: DataSource) =>
            new RescoreQueue(service, dataSource, {
              redisUrl: ctx.redisUrl,
              prefix: ctx.config.QUEUE_PREFIX,
              // by default two chunks in flight per process: one scores while the other is written
              concurrency: ctx.config.RESCORE_CONCURRENCY,
              chunkSize: ctx.config.RESCORE_CHUNK_SIZE,
            }),
        },
        ScoringLifecycle,
        RecordRuleSetsHandler,
        SaveDraftHandler,
        SetGradeCutoffsHandler,
        SetTierCutoffsHandler,
        GetGradeCutoffsHandler,
        ActivateVersionHandler,
        PreviewImpactHandler,
        CancelRunHandler,
        ResumeRunHandler,
        ListVersionsHandler,
        GetVersionHandler,
        DiffVersionsHandler,
        GetRunHandler,
        ListRunsHandler,
        GetResultHandler,
        ScoreEvaluationsHandler,
        ListRuleSetsHandler,
        GetEffectiveRuleSetHandler,
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
