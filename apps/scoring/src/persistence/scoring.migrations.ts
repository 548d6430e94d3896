import { auditMigration } from '@jixiao/persistence';
import { messagingMigration } from '@jixiao/messaging';
import { RuleSetLifecycle } from './rule-lifecycle.migration';
import { CreateScoringTables } from './scoring-tables.migration';
import { SCORING_SERVICE, SCORING_TABLES } from './scoring-tables';

export const SCORING_MIGRATIONS = [
  auditMigration(SCORING_TABLES.audit),
  messagingMigration(SCORING_SERVICE),
  CreateScoringTables,
  RuleSetLifecycle,
];
