import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { openServiceDatabase, type ServiceContext } from '@jixiao/runtime';
import { PublishEvaluationHandler } from './commands/publish-evaluation.handler';
import { RecordRescoringHandler } from './commands/record-rescoring.handler';
import { RetractDisclosureHandler } from './commands/retract-disclosure.handler';
import { DisclosuresController } from './http/disclosures.controller';
import { PublicController } from './http/public.controller';
import { PUBLICATION_ENTITIES, PUBLICATION_MIGRATIONS } from './persistence/publication.migrations';
import { PUBLICATION_SERVICE } from './persistence/publication.tables';
import { PublicationLifecycle } from './publication.lifecycle';
import { PublicationOutbox } from './publication-outbox';
import { PUBLICATION_DATA_SOURCE } from './publication.tokens';
import {
  GetEvaluationDisclosureHandler,
  GetPublicIndexHandler,
  GetRegionYearHandler,
  GetStaffDisclosureHandler,
  ListDisclosuresHandler,
} from './queries/publication-queries.handler';
import { PublishPageController } from './workspace/publish-page.controller';

/**
 * The publication service: consumes approvals, publishes disclosures (with revisions) and serves the public pages and
 * the staff's management of them (公开管理, /publish).
 * Opens its own DataSource (SQLite file `publication.sqlite` under DATA_DIR, or DATABASE_URL/DATABASE_SCHEMA) and
 * runs its migrations before anything else starts.
 */
@Module({})
export class PublicationModule {
  static forRoot(ctx: ServiceContext): DynamicModule {
    return {
      module: PublicationModule,
      imports: [CqrsModule.forRoot()],
      controllers: [PublicController, DisclosuresController, PublishPageController],
      providers: [
        {
          provide: PUBLICATION_DATA_SOURCE,
          useFactory: () => openServiceDatabase(ctx, { name: PUBLICATION_SERVICE, entities: PUBLICATION_ENTITIES, migrations: PUBLICATION_MIGRATIONS }),
        },
        PublicationOutbox,
        PublishEvaluationHandler,
        RecordRescoringHandler,
        RetractDisclosureHandler,
        GetRegionYearHandler,
        GetEvaluationDisclosureHandler,
        GetPublicIndexHandler,
        ListDisclosuresHandler,
        GetStaffDisclosureHandler,
        PublicationLifecycle,
      ],
    };
  }
}
