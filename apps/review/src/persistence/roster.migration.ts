import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { REVIEW_TABLES } from './review-tables';

/** The rosters: the units each region expects self-evaluations from, per fiscal year (review-roster.entity.ts). */
export const ReviewRosterMigration = defineMigration('ReviewRoster', 1_766_200_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: REVIEW_TABLES.roster,
        columns: [
          { ...c.varchar('region', 10), isPrimary: true },
          { ...c.integer('fiscal_year'), isPrimary: true },
          { ...c.varchar('unit_key', 300), isPrimary: true },
          c.varchar('unit_name', 300),
          c.integer('position'),
          c.timestamp('set_at'),
          c.varchar('set_by', 200),
        ],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(REVIEW_TABLES.roster);
  },
});
