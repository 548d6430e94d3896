import { auditMigration, lz4CompressionMigration } from '@jixiao/persistence';
import { messagingMigration, messagingTables, outboxPayloadEncodingMigration } from '@jixiao/messaging';
import { CurrentGeneration } from './current-generation.migration';
import { NarrowEvaluationRows } from './narrow-evaluation-rows.migration';
import { RuleSetLifecycle } from './rule-lifecycle.migration';
import { RuleSnapshots } from './rule-snapshots.migration';
import { CreateScoringTables } from './scoring-tables.migration';
import { SCORING_SERVICE, SCORING_TABLES } from './scoring-tables';

export const SCORING_MIGRATIONS = [
  auditMigration(SCORING_TABLES.audit),
  messagingMigration(SCORING_SERVICE),
  CreateScoringTables,
  RuleSetLifecycle,
  lz4CompressionMigration('ScoringLz4', 1_764_000_000_000, [
    [messagingTables(SCORING_SERVICE).outbox, 'payload'],
    [SCORING_TABLES.evaluations, 'evaluation'],
    [SCORING_TABLES.results, 'result'],
  ]),
  CurrentGeneration,
  NarrowEvaluationRows,
  RuleSnapshots,
  outboxPayloadEncodingMigration(SCORING_SERVICE),
];
