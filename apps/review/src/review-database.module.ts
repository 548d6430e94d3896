import { type DynamicModule, Module } from '@nestjs/common';
import { openServiceDatabase, type ServiceContext } from '@jixiao/runtime';
import { REVIEW_ENTITIES, REVIEW_MIGRATIONS } from './persistence/review.persistence';
import { REVIEW_SERVICE } from './persistence/review-tables';
import { REVIEW_CONTEXT, REVIEW_DATA_SOURCE } from './review.tokens';

/** The review service's own DataSource (its SQLite file, or its tables in DATABASE_SCHEMA), migrated at start. */
@Module({})
export class ReviewDatabaseModule {
  static forRoot(ctx: ServiceContext): DynamicModule {
    return {
      module: ReviewDatabaseModule,
      providers: [
        { provide: REVIEW_CONTEXT, useValue: ctx },
        {
          provide: REVIEW_DATA_SOURCE,
          useFactory: () => openServiceDatabase(ctx, { name: REVIEW_SERVICE, entities: REVIEW_ENTITIES, migrations: REVIEW_MIGRATIONS }),
        },
      ],
      exports: [REVIEW_CONTEXT, REVIEW_DATA_SOURCE],
    };
  }
}
