import { auditMigration, lz4CompressionMigration } from '@jixiao/persistence';
import { messagingMigration, messagingTables, outboxPayloadEncodingMigration } from '@jixiao/messaging';
import { ReviewCase } from './review-case.entity';
import { ReviewDetail } from './review-detail.entity';
import { ReviewHistory } from './review-history.entity';
import { ReviewRoster, ReviewRosterUnit } from './review-roster.entity';
import { ReviewCaseHoldsMigration } from './case-holds.migration';
import { HistoryAuditLinkMigration } from './history-audit-link.migration';
import { ReviewTablesMigration } from './review-tables.migration';
import { ReviewRosterMigration } from './roster.migration';
import { ReviewRuleSnapshotsMigration } from './rule-snapshots.migration';
import { REVIEW_SERVICE, REVIEW_TABLES } from './review-tables';

export const REVIEW_ENTITIES = [ReviewCase, ReviewDetail, ReviewHistory, ReviewRoster, ReviewRosterUnit];

export const REVIEW_MIGRATIONS = [
  auditMigration(REVIEW_TABLES.audit),
  messagingMigration(REVIEW_SERVICE),
  ReviewTablesMigration,
  HistoryAuditLinkMigration,
  lz4CompressionMigration('ReviewLz4', 1_764_000_000_000, [
    [messagingTables(REVIEW_SERVICE).outbox, 'payload'],
    [REVIEW_TABLES.details, 'evaluation'],
    [REVIEW_TABLES.details, 'score_result'],
  ]),
  outboxPayloadEncodingMigration(REVIEW_SERVICE),
  ReviewRuleSnapshotsMigration,
  ReviewRosterMigration,
  ReviewCaseHoldsMigration,
];
