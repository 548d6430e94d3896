import { auditMigration } from '@jixiao/persistence';
import { messagingMigration } from '@jixiao/messaging';
import { CreatePublicationTables } from './create-publication-tables.migration';
import { PublicationRescoringColumns } from './rescoring-columns.migration';
import { DisclosureRevisionEntity } from './disclosure-revision.entity';
import { DisclosureEntity } from './disclosure.entity';
import { PUBLICATION_SERVICE, PUBLICATION_TABLES } from './publication.tables';

export const PUBLICATION_ENTITIES = [DisclosureEntity, DisclosureRevisionEntity];

export const PUBLICATION_MIGRATIONS = [
  auditMigration(PUBLICATION_TABLES.audit),
  messagingMigration(PUBLICATION_SERVICE),
  CreatePublicationTables,
  PublicationRescoringColumns,
];
