import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { SCORING_TABLES } from './scoring-tables';

const { ruleSetVersions, evaluations, results } = SCORING_TABLES;

/**
 * Rule-set versions (one row per content hash of a rule set), the evaluations scoring has received (its own copy,
 * so bulk re-scoring reads them with one query and never reaches into intake's tables), and the results: one per
 * evaluation and effective rule-set hash, which makes every write idempotent.
 */
export const CreateScoringTables = defineMigration('CreateScoringTables', 1_763_800_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: ruleSetVersions,
        columns: [
          { ...c.varchar('id', 120), isPrimary: true },
          c.varchar('rule_set_id', 60),
          c.varchar('region', 6),
          c.integer('version'),
          c.varchar('hash', 71),
          c.integer('years_from', true),
          c.integer('years_to', true),
          c.json('content'),
          /** draft | active | retired (issue 5); for now every loaded file is recorded active. */
          c.varchar('status', 20),
          c.timestamp('loaded_at'),
        ],
        indices: [
          { name: 'ux_scoring_rule_set_versions_hash', columnNames: ['rule_set_id', 'hash'], isUnique: true },
          { name: 'ix_scoring_rule_set_versions_region', columnNames: ['region', 'status'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: evaluations,
        columns: [
          { ...c.varchar('evaluation_id', 64), isPrimary: true },
          c.varchar('submission_id', 64),
          c.integer('submission_version'),
          c.varchar('region', 6),
          c.integer('fiscal_year', true),
          c.varchar('form_type', 20),
          c.json('evaluation'),
          c.timestamp('received_at'),
        ],
        indices: [{ name: 'ix_scoring_evaluations_region_year', columnNames: ['region', 'fiscal_year'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: results,
        columns: [
          { ...c.varchar('id', 64), isPrimary: true },
          c.varchar('evaluation_id', 64),
          c.varchar('submission_id', 64),
          c.integer('submission_version'),
          c.varchar('region', 6),
          c.integer('fiscal_year', true),
          c.varchar('form_type', 20),
          c.varchar('rule_set_id', 60),
          c.integer('rule_set_version'),
          c.varchar('rule_set_hash', 71),
          c.double('total', true),
          c.varchar('grade', 20, true),
          c.double('execution_rate', true),
          c.double('execution_score', true),
          c.integer('findings_error'),
          c.integer('findings_warning'),
          c.integer('findings_info'),
          c.json('finding_codes'),
          c.varchar('routing_decision', 20),
          c.json('routing_reasons'),
          c.json('result'),
          c.timestamp('scored_at'),
          c.varchar('rescoring_run_id', 64, true),
        ],
        indices: [
          {
            name: 'ux_scoring_results_evaluation_rule_set',
            columnNames: ['evaluation_id', 'rule_set_hash'],
            isUnique: true,
          },
          { name: 'ix_scoring_results_rule_set', columnNames: ['rule_set_id', 'rule_set_version'] },
        ],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(results);
    await queryRunner.dropTable(evaluations);
    await queryRunner.dropTable(ruleSetVersions);
  },
});
