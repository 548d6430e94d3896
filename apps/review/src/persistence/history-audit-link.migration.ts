import { TableColumn } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { REVIEW_TABLES } from './review-tables';

/** Links each history row that changed the case to its audit record (seq and hash), so the trail can be checked against the chain. */
export const HistoryAuditLinkMigration = defineMigration('AddReviewHistoryAuditLink', 1_763_800_000_100, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.addColumns(REVIEW_TABLES.history, [
      new TableColumn(c.bigint('audit_seq', true)),
      new TableColumn(c.varchar('audit_hash', 71, true)),
    ]);
  },
  async down(queryRunner) {
    await queryRunner.dropColumn(REVIEW_TABLES.history, 'audit_hash');
    await queryRunner.dropColumn(REVIEW_TABLES.history, 'audit_seq');
  },
});
