import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { SCORING_TABLES } from './scoring-tables';

/**
 * The effective rule sets results were scored under, one row per rule set, version and effective hash (see
 * RuleSnapshots). A version's row in scoring_rule_set_versions holds its own text; the rules it scores with also
 * depend on its ancestors' versions at the time, and this keeps that combination after it stops being active.
 */
export const RuleSnapshots = defineMigration('ScoringRuleSnapshots', 1_765_000_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: SCORING_TABLES.ruleSnapshots,
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
    await queryRunner.dropTable(SCORING_TABLES.ruleSnapshots);
  },
});
