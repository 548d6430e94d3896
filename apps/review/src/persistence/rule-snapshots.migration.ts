import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { REVIEW_TABLES } from './review-tables';

/**
 * The effective rule sets scores cite, one row per rule set, version and effective hash, as scoring sends them
 * (`scoring.ruleset.snapshot.v1`): with the evaluation, what recomputes a score's breakdown (breakdowns.ts).
 */
export const ReviewRuleSnapshotsMigration = defineMigration('ReviewRuleSnapshots', 1_766_000_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: REVIEW_TABLES.ruleSnapshots,
        columns: [
          { ...c.varchar('rule_set_id', 60), isPrimary: true },
          { ...c.integer('rule_set_version'), isPrimary: true },
          { ...c.varchar('hash', 71), isPrimary: true },
          c.json('content'),
          c.timestamp('recorded_at'),
        ],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(REVIEW_TABLES.ruleSnapshots);
  },
});
