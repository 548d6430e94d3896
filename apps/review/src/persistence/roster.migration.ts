import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { REVIEW_TABLES } from './review-tables';

/**
 * The rosters: per region and fiscal year, when and by whom it was set and the deadline (review_rosters), and the
 * units expected to submit (review_roster_units); review-roster.entity.ts.
 */
export const ReviewRosterMigration = defineMigration('ReviewRoster', 1_766_200_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    const key = [
      { ...c.varchar('region', 10), isPrimary: true },
      { ...c.integer('fiscal_year'), isPrimary: true },
    ];
    await queryRunner.createTable(
      new Table({
        name: REVIEW_TABLES.rosters,
        columns: [...key, c.varchar('deadline', 10, true), c.timestamp('set_at'), c.varchar('set_by', 200)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: REVIEW_TABLES.rosterUnits,
        columns: [
          ...key,
          { ...c.varchar('unit_key', 300), isPrimary: true },
          c.varchar('unit_name', 300),
          c.integer('position'),
        ],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(REVIEW_TABLES.rosterUnits);
    await queryRunner.dropTable(REVIEW_TABLES.rosters);
  },
});
