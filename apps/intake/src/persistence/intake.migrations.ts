import { auditMigration } from '@jixiao/persistence';
import { messagingMigration } from '@jixiao/messaging';
import { CreateIntakeTables } from './intake-tables.migration';
import { INTAKE_SERVICE, INTAKE_TABLES } from './intake-tables';

export const INTAKE_MIGRATIONS = [
  auditMigration(INTAKE_TABLES.audit),
  messagingMigration(INTAKE_SERVICE),
  CreateIntakeTables,
];
