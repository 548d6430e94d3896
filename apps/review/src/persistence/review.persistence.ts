import { auditMigration } from '@jixiao/persistence';
import { messagingMigration } from '@jixiao/messaging';
import { ReviewCase } from './review-case.entity';
import { ReviewDetail } from './review-detail.entity';
import { ReviewHistory } from './review-history.entity';
import { HistoryAuditLinkMigration } from './history-audit-link.migration';
import { ReviewTablesMigration } from './review-tables.migration';
import { REVIEW_SERVICE, REVIEW_TABLES } from './review-tables';

export const REVIEW_ENTITIES = [ReviewCase, ReviewDetail, ReviewHistory];

export const REVIEW_MIGRATIONS = [
  auditMigration(REVIEW_TABLES.audit),
  messagingMigration(REVIEW_SERVICE),
  ReviewTablesMigration,
  HistoryAuditLinkMigration,
];
