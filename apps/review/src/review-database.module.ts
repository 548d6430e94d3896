import { type DynamicModule, Module } from '@nestjs/common';
import { openDataSource, runMigrations } from '@jixiao/persistence';
import type { ServiceContext } from '@jixiao/runtime';
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
      ],
      exports: [REVIEW_CONTEXT, REVIEW_DATA_SOURCE],
    };
  }
}
