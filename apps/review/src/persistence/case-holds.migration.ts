import { TableColumn } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { REVIEW_TABLES } from './review-tables';

/** Who works on a case in review, until when (domain/holds.ts): reviewers taking work from one queue do not collide. */
export const ReviewCaseHoldsMigration = defineMigration('ReviewCaseHolds', 1_766_300_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.addColumns(REVIEW_TABLES.cases, [
      new TableColumn(c.varchar('held_by', 200, true)),
      new TableColumn(c.timestamp('held_until', true)),
    ]);
  },
  async down(queryRunner) {
    await queryRunner.dropColumn(REVIEW_TABLES.cases, 'held_until');
    await queryRunner.dropColumn(REVIEW_TABLES.cases, 'held_by');
  },
});
