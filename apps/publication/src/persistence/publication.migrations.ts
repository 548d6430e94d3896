import { auditMigration, lz4CompressionMigration } from '@jixiao/persistence';
import { messagingMigration, messagingTables, outboxPayloadEncodingMigration } from '@jixiao/messaging';
import { CreatePublicationTables } from './create-publication-tables.migration';
import {
  PublicationDisclosureSubmissionIndex,
  PublicationOneVersionInForce,
  PublicationRescoringColumns,
  PublicationRevisionScoredAt,
} from './rescoring-columns.migration';
import { DisclosureRevisionEntity } from './disclosure-revision.entity';
import { DisclosureEntity } from './disclosure.entity';
import { PUBLICATION_SERVICE, PUBLICATION_TABLES } from './publication.tables';

export const PUBLICATION_ENTITIES = [DisclosureEntity, DisclosureRevisionEntity];

export const PUBLICATION_MIGRATIONS = [
  auditMigration(PUBLICATION_TABLES.audit),
  messagingMigration(PUBLICATION_SERVICE),
  CreatePublicationTables,
  PublicationRescoringColumns,
  lz4CompressionMigration('PublicationLz4', 1_764_000_000_000, [
    [messagingTables(PUBLICATION_SERVICE).outbox, 'payload'],
    [PUBLICATION_TABLES.revisions, 'breakdown'],
  ]),
  PublicationRevisionScoredAt,
  outboxPayloadEncodingMigration(PUBLICATION_SERVICE),
  PublicationDisclosureSubmissionIndex,
  PublicationOneVersionInForce,
];
