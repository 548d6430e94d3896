import { auditMigration, lz4CompressionMigration } from '@jixiao/persistence';
import { messagingMigration, messagingTables, outboxPayloadEncodingMigration } from '@jixiao/messaging';
import { CreateIdempotencyKeys } from './idempotency-keys.migration';
import { CreateIntakeTables } from './intake-tables.migration';
import { INTAKE_SERVICE, INTAKE_TABLES } from './intake-tables';

export const INTAKE_MIGRATIONS = [
  auditMigration(INTAKE_TABLES.audit),
  messagingMigration(INTAKE_SERVICE),
  CreateIntakeTables,
  lz4CompressionMigration('IntakeLz4', 1_764_000_000_000, [
    [messagingTables(INTAKE_SERVICE).outbox, 'payload'],
    [INTAKE_TABLES.versions, 'evaluation'],
    [INTAKE_TABLES.documents, 'content_text'],
    [INTAKE_TABLES.documents, 'content_base64'],
  ]),
  outboxPayloadEncodingMigration(INTAKE_SERVICE),
  CreateIdempotencyKeys,
];
